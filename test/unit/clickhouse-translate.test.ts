import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toClickHouseSql } from '../../src/core/engine/clickhouse/translate.js';
import { toDuckDbCell } from '../../src/core/engine/clickhouse/cells.js';
import { createTableSql } from '../../src/core/engine/clickhouse/load.js';
import { checkTarget, displayUrl } from '../../src/core/engine/clickhouse/connection.js';
import { catalog } from '../../src/core/schema/catalog.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import type { Engine } from '../../src/core/engine/engine.js';
import type { QueryEngine } from '../../src/core/engine/protocol.js';
import type { ClickHouseEngine } from '../../src/core/engine/clickhouse/engine.js';

// Type-level: the local DuckDB Engine satisfies the engine protocol as it is, and so does the ClickHouse engine.
export const engineProtocol: Array<(e: Engine | ClickHouseEngine) => QueryEngine> = [(e) => e];

const ctx = { snapshotTime: '2025-06-30 23:59:59', tableName: (ns: string, name: string) => `db.${ns}_${name}` };
const tr = (sql: string) => toClickHouseSql(sql, ctx);

describe('DuckDB → ClickHouse translation', () => {
  test('relative time: snapshot_time() is the server’s newest block, date_trunc keeps a timestamp', () => {
    assert.equal(
      tr("select count(*) from ethereum.transactions where block_time >= date_trunc('day', snapshot_time()) - interval 1 day"),
      "select count(*) from db.ethereum_transactions where block_time >= toDateTime64(dateTrunc('day', toDateTime64('2025-06-30 23:59:59', 6, 'UTC')), 6, 'UTC') - INTERVAL 1 DAY",
    );
  });

  test('contract tables are mapped; aliases, columns and string contents are not', () => {
    assert.equal(
      tr(`select t.block_time, 'ethereum.blocks snapshot_time()' as s from "ethereum"."blocks" t join labels.addresses l on l.address = t.miner`),
      `select t.block_time, 'ethereum.blocks snapshot_time()' as s from db.ethereum_blocks t join db.labels_addresses l on l.address = t.miner`,
    );
  });

  test('types, casts, literals, integer division and plural intervals', () => {
    assert.equal(tr('select value_wei::HUGEINT, x::DECIMAL(38, 0), y::TIMESTAMP, z::varchar[] from ethereum.transactions'),
      "select value_wei::Int128, x::Decimal(38, 0), y::DateTime64(6, 'UTC'), z::Array(String) from db.ethereum_transactions");
    assert.equal(tr('select cast(a as double), try_cast(b as integer)'), "select CAST(a AS Float64), accurateCastOrNull(b, 'Int32')");
    assert.equal(tr("select TIMESTAMP '2025-01-01 00:00:00', DATE '2025-01-01'"), "select toDateTime64('2025-01-01 00:00:00', 6, 'UTC'), toDate32('2025-01-01')");
    assert.equal(tr('select 7 // 2, now - interval 3 hours'), 'select 7  DIV nullIf(2, 0), now - INTERVAL 3 HOUR');
  });

  test('integer division and modulo by zero give NULL as in DuckDB: the divisor, as * / % bind it, goes through nullIf', () => {
    assert.equal(tr('select a // b * c, a % -t.b::BIGINT, a % greatest(x, y), a // count(*) over (partition by k), a//(b+c), a // case when x then 0 else 1 end + 1, a / b'),
      'select a  DIV nullIf(b, 0) * c, a  % nullIf(-t.b::Int64, 0), a  % nullIf(greatest(x, y), 0), a  DIV nullIf(count(*) over (partition by k), 0), a DIV nullIf((b+c), 0), a  DIV nullIf(case when x then 0 else 1 end, 0) + 1, a / b');
  });

  test('functions whose shape differs', () => {
    assert.equal(tr('select median(x), quantile_cont(x, 0.9), string_agg(s, \'|\'), contains(s, \'a\')'),
      "select quantileExactInclusive(0.5)(x), quantileExactInclusive(0.9)(x), arrayStringConcat(groupArray(s), '|'), (position(s, 'a') > 0)");
    assert.equal(tr('select length(name), dayofweek(t), count(*) filter (where ok) from x'), 'select lengthUTF8(name), toDayOfWeek(t, 2), count(*) filter (where ok) from x');
  });

  test('ORDER BY / LIMIT after a UNION apply to the whole union (a CTE stays in front)', () => {
    assert.equal(tr('with c as (select 1 as a) select a from c union select 2 order by 1 limit 1'),
      'with c as (select 1 as a) SELECT * FROM (select a from c union select 2) order by 1 limit 1');
    assert.equal(tr('select a from (select 1 as a union select 2 order by 1)'), 'select a from (select 1 as a union select 2 order by 1)');
  });

  test('string literals are re-encoded: a backslash cannot end a string DuckDB saw continue', () => {
    // DuckDB reads one string here; passed through, ClickHouse would read `, (select 1) ,` as code.
    const sql = "select '\\'' , (select 1) , ''' as s";
    assert.equal(tr(sql), "select '\\\\\\' , (select 1) , \\'' as s");
    assert.equal(tr("select 'it''s', 'a\\b'"), "select 'it\\'s', 'a\\\\b'");
  });

  test('identifiers match case-insensitively, as in DuckDB; quoted ones become backtick-quoted', () => {
    assert.equal(tr('SELECT Block_Number AS N, "TX_HASH" FROM Ethereum.Transactions ORDER BY n'),
      'select block_number as n, `tx_hash` from db.ethereum_transactions order by n');
  });

  test('characters ClickHouse reads differently outside strings are refused', () => {
    for (const sql of ['select $$x$$', 'select 1 # comment', 'select {x:String}', 'select ?']) {
      assert.throws(() => tr(sql), (e: unknown) => e instanceof OnchainSqlError && e.code === 'parse_error', sql);
    }
    assert.equal(tr('select 1/**/union select 2'), 'select 1 union select 2');
  });

  test('unknown functions and DuckDB-only syntax are refused by name (an allow-list)', () => {
    for (const [sql, name] of [['select lag(x) over ()', 'lag'], ['select read_text(x)', 'read_text'], ['select getSetting(\'readonly\')', 'getSetting'], ['select file(x)', 'file']] as const) {
      assert.throws(() => tr(sql), (e: unknown) => e instanceof OnchainSqlError && e.code === 'forbidden_function' && e.message.includes(`${name}()`));
    }
    assert.throws(() => tr('from ethereum.blocks select 1'), /FROM-first/);
    assert.throws(() => tr('select x::JSON'), /The type JSON has no ClickHouse translation/);
  });
});

describe('ClickHouse cells in DuckDB’s shape', () => {
  test('wide integers stay exact, timestamps read as DuckDB writes them', () => {
    assert.equal(toDuckDbCell('12345', 'BIGINT'), 12345);
    assert.equal(toDuckDbCell('340282366920938463463374607431768211455', 'HUGEINT'), '340282366920938463463374607431768211455');
    assert.equal(toDuckDbCell('2025-06-30 00:00:00.000000', 'TIMESTAMP'), '2025-06-30 00:00:00');
    assert.equal(toDuckDbCell('2025-06-30 00:00:00.120000', 'TIMESTAMP'), '2025-06-30 00:00:00.12');
    assert.equal(toDuckDbCell('2025-06-30', 'TIMESTAMP'), '2025-06-30 00:00:00');
    assert.equal(toDuckDbCell(1, 'BOOLEAN'), true);
    assert.equal(toDuckDbCell('1.50', 'DECIMAL(18,2)'), 1.5);
    assert.equal(toDuckDbCell(null, 'VARCHAR'), null);
    assert.equal(toDuckDbCell('inf', 'DOUBLE'), 'Infinity');
    assert.equal(toDuckDbCell('-nan', 'DOUBLE'), 'NaN');
  });
});

describe('ClickHouse layout and targets', () => {
  test('MergeTree tables: time-first ORDER BY, monthly partitions, Nullable outside the key', () => {
    const tx = createTableSql('onchain', catalog.tables.find((t) => t.name === 'transactions')!);
    assert.match(tx, /ENGINE = MergeTree\nPARTITION BY toYYYYMM\(block_time\)\nORDER BY \(`block_time`, `block_number`, `tx_index`\)/);
    assert.match(tx, /`block_time` DateTime64\(6, 'UTC'\),/);
    assert.match(tx, /`value_wei` Nullable\(Int128\)/);
    assert.match(tx, /INDEX `bf_to_address` `to_address` TYPE bloom_filter/);
  });

  test('targets are checked and URLs shown without credentials', () => {
    assert.equal(displayUrl('https://u:pw@host.example:8443/?x=1'), 'https://host.example:8443');
    assert.throws(() => checkTarget({ url: 'ftp://x', database: 'onchain' }), /http:\/\/ or https:\/\//);
    assert.throws(() => checkTarget({ url: 'http://x:8123', database: 'a; drop' }), /plain ClickHouse database name/);
  });
});

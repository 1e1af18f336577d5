import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Engine, readManifest } from '../../src/core/engine/engine.js';
import { openSandbox } from '../../src/core/engine/sandbox.js';
import { serializeSql } from '../../src/core/sql/duckdb-ast.js';
import { checkPlanScans, serializePlan } from '../../src/core/sql/duckdb-plan.js';
import { checkFunction, functionFamilies, isAllowedFunction } from '../../src/core/sql/function-policy.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { MAX_SQL_LENGTH } from '../../src/core/sql/validate.js';
import { blankNonCode, leadingKeywords, maxParenDepth, oddCharacters, unquotedHexLiterals } from '../../src/core/sql/sql-text.js';
import { statementName, statementNames } from '../../src/core/sql/statement-guard.js';
import { editDistance, nearestColumns, nearestTables } from '../../src/core/sql/suggest.js';
import { findTable } from '../../src/core/schema/catalog.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';

describe('sql-text: code versus strings and comments', () => {
  it('blanks strings, quoted identifiers and comments but keeps offsets', () => {
    const sql = "SELECT 'a;b' AS \"x;y\" -- c;d\n/* e; /* f; */ g; */ FROM t; $$h;$$";
    const code = blankNonCode(sql);
    assert.equal(code.length, sql.length);
    assert.deepEqual([...code.matchAll(/;/g)].map((m) => m.index), [sql.indexOf('; $$')]);
    assert.ok(code.includes('FROM t'));
  });

  it('handles doubled quotes and E-string escapes', () => {
    assert.equal(blankNonCode("SELECT 'it''s; fine'").includes(';'), false);
    assert.equal(blankNonCode("SELECT E'a\\'; b'").includes(';'), false);
    assert.equal(blankNonCode("SELECT 'a'; SELECT 'b'").split(';').length, 2);
  });

  it('finds the leading keywords after comments and parentheses', () => {
    assert.deepEqual(leadingKeywords('/* x */ -- y\n ((select 1))', 2), ['SELECT']);
    assert.deepEqual(leadingKeywords('create or replace temp view v as select 1', 3), ['CREATE', 'OR', 'REPLACE']);
  });

  it('finds unquoted hex literals only outside strings and identifiers', () => {
    assert.deepEqual(unquotedHexLiterals("SELECT * FROM t WHERE a = 0xAbC1 AND b = '0xdef' AND \"0x12\" = 1"), ['0xAbC1']);
    assert.deepEqual(unquotedHexLiterals('SELECT x0x12, a.0x1 FROM t'), []);
  });

  it('measures nesting and spots invisible and look-alike characters', () => {
    assert.equal(maxParenDepth("SELECT ((1)) + [[2]] + '((((('"), 2);
    const odd = oddCharacters("SEL\u200BECT 'ok\u200B' FRΟM");
    assert.deepEqual(odd.map((c) => [c.codePoint, c.kind]), [['U+200B', 'invisible'], ['U+039F', 'look-alike']]);
  });
});

describe('statement-guard: naming refused statements', () => {
  const cases: Array<[string, string]> = [
    ['create or replace temporary view v as select 1', 'CREATE VIEW'],
    ['CREATE UNIQUE INDEX i ON t (a)', 'CREATE INDEX'],
    ['CREATE MACRO m() AS TABLE SELECT 1', 'CREATE MACRO'],
    ['DROP SCHEMA s CASCADE', 'DROP SCHEMA'],
    ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', 'INSERT'],
    ['WITH x AS (SELECT (DELETE)) UPDATE t SET a = 1', 'UPDATE'],
    ['FORCE INSTALL httpfs', 'FORCE INSTALL'],
    ['EXPORT DATABASE \'x\'', 'EXPORT DATABASE'],
    ['/* hi */ copy t to \'x\'', 'COPY'],
  ];
  for (const [sql, name] of cases) it(`${sql} → ${name}`, () => assert.equal(statementName(sql), name));

  it('names each statement of a multi-statement text, ignoring semicolons in strings and comments', () => {
    assert.deepEqual(statementNames("SELECT ';' -- ;\n; DROP TABLE t; /* ; */"), ['SELECT', 'DROP TABLE']);
  });
});

describe('suggest: nearest real names', () => {
  it('edit distance', () => {
    assert.equal(editDistance('swaps', 'trades'), 4);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('tables: bare names and wrong tables in a right namespace', () => {
    assert.equal(nearestTables('transactions')[0], 'ethereum.transactions');
    assert.equal(nearestTables('dex.swaps')[0], 'dex.trades');
    assert.equal(nearestTables('prices.hour')[0], 'prices.hourly');
    assert.equal(nearestTables('ethereum.block')[0], 'ethereum.blocks');
  });

  it('columns: unit suffixes and prefixes dropped by models', () => {
    const tx = findTable('ethereum.transactions')!;
    const blocks = findTable('ethereum.blocks')!;
    assert.deepEqual(nearestColumns('value', [tx]).slice(0, 2).sort(), ['value_eth', 'value_wei']);
    assert.deepEqual(nearestColumns('hash', [tx, blocks]).slice(0, 2).sort(), ['block_hash', 'tx_hash']);
    assert.equal(nearestColumns('from', [tx])[0], 'from_address');
    assert.equal(nearestColumns('gas_price', [tx])[0], 'gas_price_gwei');
    assert.equal(nearestColumns('timestamp', [blocks])[0], 'block_time');
  });
});

describe('serializeSql: one prepared serializer per connection', () => {
  it('gives each of many overlapping calls on one connection its own tree', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const names = Array.from({ length: 12 }, (_, i) => `table_${i}`);
      const trees = await Promise.all(names.map((n) => serializeSql(conn, `SELECT * FROM s.${n}`)));
      assert.deepEqual(trees.map((t) => (t.kind === 'select' ? t.refs.tables[0]?.table : t.kind)), names);
      // A parse error does not spoil the prepared serializer for the next call.
      assert.equal((await serializeSql(conn, 'SELEC 1')).kind, 'parse_error');
      assert.equal((await serializeSql(conn, 'DROP TABLE x')).kind, 'not_select');
      const again = await serializeSql(conn, 'SELECT * FROM s.after_errors');
      assert.equal(again.kind === 'select' && again.refs.tables[0]?.table, 'after_errors');
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe('serializeSql: table names resolved by scope', () => {
  async function tablesOf(sql: string): Promise<string[]> {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const tree = await serializeSql(conn, sql);
      assert.equal(tree.kind, 'select');
      return tree.kind === 'select' ? tree.refs.tables.map((t) => [t.schema, t.table].filter(Boolean).join('.')) : [];
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }

  it('a CTE name counts as a CTE only inside its own WITH query and the CTEs after it', async () => {
    assert.deepEqual(await tablesOf('SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) a, x b'), ['x']);
    assert.deepEqual(await tablesOf('WITH a AS (SELECT * FROM b), b AS (SELECT * FROM a) SELECT * FROM b'), ['b']);
    assert.deepEqual(await tablesOf('(WITH x AS (SELECT 1) SELECT * FROM x) UNION ALL SELECT * FROM x'), ['x']);
    assert.deepEqual(await tablesOf('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r, (SELECT * FROM r)'), []);
    // A schema-qualified name is never a CTE; a quoted or upper-case one is the same name.
    assert.deepEqual(await tablesOf('WITH x AS (SELECT 1) SELECT * FROM main.x, "X", X'), ['main.x']);
  });
});

describe('function allow-list (allowed-functions.json)', () => {
  it('every family has a reason, positions and functions; no name is listed twice in one position', () => {
    const seen = new Map<string, string>();
    for (const f of functionFamilies()) {
      assert.ok(f.reason.length > 10, `${f.family} has no reason`);
      assert.ok(f.positions.length && f.functions.length, f.family);
      for (const p of f.positions) {
        for (const name of f.functions) {
          const key = `${p}:${name}`;
          assert.ok(!seen.has(key), `${name} listed twice for ${p} (${seen.get(key)}, ${f.family})`);
          seen.set(key, f.family);
        }
      }
    }
  });

  it('refuses what takes SQL text, names files or reveals the engine, naming the nearest allowed function', () => {
    for (const name of ['json_serialize_plan', 'json_serialize_sql', 'query', 'query_table', 'read_csv', 'glob', 'current_setting', 'getenv', 'version', 'sleep_ms']) {
      assert.equal(isAllowedFunction(name, 'scalar'), false, name);
      assert.equal(isAllowedFunction(name, 'table'), false, name);
    }
    assert.throws(() => checkFunction('date_trunk', 'scalar'), (e: OnchainSqlError) => e.code === 'forbidden_function' && /date_trunk\(\).*nearest allowed function is date_trunc\(\)/.test(e.message) && e.suggestions[0] === 'date_trunc()');
    assert.throws(() => checkFunction('read_parquet', 'table'), /Table function read_parquet\(\) is not allowed: it names or reads files/);
    // Listed, but not for this position.
    assert.throws(() => checkFunction('repeat', 'table'), /not a table function a query may read from/);
    assert.throws(() => checkFunction('lower', 'window'), /not an aggregate or window function/);
    // Names from other SQL dialects point to DuckDB's own.
    assert.throws(() => checkFunction('nvl', 'scalar'), (e: OnchainSqlError) => e.suggestions[0] === 'coalesce()');
    assert.throws(() => checkFunction('to_char', 'scalar'), /nearest allowed function is strftime\(\)/);
    checkFunction('sum', 'window');
    checkFunction('row_number', 'window');
    checkFunction('UNNEST', 'table');
  });
});

describe('validateSql through a real engine', () => {
  let snapshot: string;
  let engine: Engine;
  /** The worker's sandboxed connection, below validation (the engine itself only runs checked statements). */
  async function withSandbox<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const spill = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-validate-spill-'));
    const sandbox = await openSandbox(snapshot, readManifest(snapshot), { threads: 1, memoryLimit: '512MB', tempDir: spill });
    try {
      return await fn(sandbox.connection);
    } finally {
      sandbox.connection.closeSync();
      sandbox.instance.closeSync();
      fs.rmSync(spill, { recursive: true, force: true });
    }
  }

  before(async () => {
    snapshot = await makeTinySnapshot();
    engine = await Engine.open(snapshot, { connections: 1, threads: 1 });
  });
  after(() => {
    engine?.close();
    fs.rmSync(snapshot, { recursive: true, force: true });
  });

  async function refusal(sql: string): Promise<OnchainSqlError> {
    try {
      const v = await engine.validate(sql);
      v.prepared.destroySync();
    } catch (e) {
      assert.ok(e instanceof OnchainSqlError);
      return e;
    }
    assert.fail(`validated: ${sql}`);
  }

  it('returns the trimmed statement, its result columns, and a prepared statement without running it', async () => {
    const v = await engine.validate('  FROM ethereum.blocks SELECT block_number, block_time ;; \n');
    assert.equal(v.sql, 'FROM ethereum.blocks SELECT block_number, block_time');
    assert.deepEqual(v.columns, [{ name: 'block_number', type: 'BIGINT' }, { name: 'block_time', type: 'TIMESTAMP' }]);
    v.prepared.destroySync();
    // Prepared, not executed: run, this would raise (and count for days).
    const slow = await engine.validate("SELECT error('never raised during validation'), count(*) FROM range(1000000000000000)");
    slow.prepared.destroySync();
  });

  it('names an unknown table and the nearest real ones, as suggestions too', async () => {
    const e = await refusal('SELECT count(*) FROM transactions');
    assert.equal(e.code, 'unknown_table');
    assert.match(e.message, /transactions does not exist.*ethereum\.transactions/);
    assert.equal(e.suggestions[0], 'ethereum.transactions');
    assert.deepEqual(e.toJSON().suggestions, e.suggestions);
    const swaps = await refusal('SELECT * FROM dex.swaps');
    assert.deepEqual(swaps.suggestions, ['dex.trades']);
  });

  it('names an unknown column, the tables in scope and the nearest real columns', async () => {
    const e = await refusal('SELECT value FROM ethereum.transactions');
    assert.equal(e.code, 'unknown_column');
    assert.match(e.message, /"value".*ethereum\.transactions.*value_eth.*value_wei|"value".*ethereum\.transactions.*value_wei.*value_eth/);
    const joined = await refusal('SELECT hash FROM ethereum.transactions t JOIN ethereum.blocks b USING (block_number)');
    assert.equal(joined.code, 'unknown_column');
    assert.match(joined.message, /ethereum\.transactions, ethereum\.blocks/);
    assert.deepEqual(joined.suggestions.slice(0, 2).sort(), ['block_hash', 'tx_hash']);
  });

  it('says addresses are lowercase quoted strings', async () => {
    const e = await refusal('SELECT count(*) FROM ethereum.transactions WHERE to_address = 0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2');
    assert.equal(e.code, 'parse_error');
    assert.match(e.message, /lowercase quoted strings/);
    assert.deepEqual(e.suggestions, ["'0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2'"]);
  });

  it('allows CTE names, recursive CTEs and the allow-listed table functions', async () => {
    for (const sql of [
      'WITH t AS (SELECT * FROM ethereum.transactions) SELECT count(*) FROM t',
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT * FROM n',
      'SELECT * FROM range(3), generate_series(1, 2), unnest([1])',
    ]) {
      const v = await engine.validate(sql);
      v.prepared.destroySync();
    }
  });

  it('refuses a table function hidden deep inside an allowed one', async () => {
    const e = await refusal("SELECT * FROM range((SELECT count(*) FROM read_text('/etc/passwd')))");
    assert.equal(e.code, 'forbidden_function');
    assert.match(e.message, /read_text/);
  });

  it('refuses EXPLAIN and DESCRIBE (run the SELECT itself)', async () => {
    assert.equal((await refusal('EXPLAIN SELECT 1')).code, 'forbidden_statement');
    assert.equal((await refusal('DESCRIBE ethereum.blocks')).code, 'forbidden_statement');
  });

  it('counts statements with DuckDB, so hidden ones are found and fake ones are not', async () => {
    const e = await refusal("SELECT 'x' /* ; */ ; SELECT 2");
    assert.equal(e.code, 'multiple_statements');
    assert.match(e.message, /found 2/);
    const v = await engine.validate("SELECT 'a;b' AS \"c;d\" -- ; SELECT 2");
    v.prepared.destroySync();
  });

  it('accepts every reference query of the question sets (the guard must not refuse real answers)', async () => {
    const files = ['eval/paraphrases.jsonl', 'test/eval/dev-questions.jsonl', 'eval/dev-questions.jsonl'].filter((f) => fs.existsSync(f));
    const refs = files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { id: string; sql?: string }))
      .filter((q): q is { id: string; sql: string } => typeof q.sql === 'string');
    assert.ok(refs.length > 0, 'no question set found');
    const refused: string[] = [];
    for (const q of refs) {
      try {
        (await engine.validate(q.sql)).prepared.destroySync();
      } catch (e) {
        refused.push(`${q.id}: ${(e as Error).message}`);
      }
    }
    assert.deepEqual(refused, []);
  });

  it("the plan check alone refuses every scan that is not a contract view, as DuckDB bound it", async () => {
    // Straight to the plan layer, as if the parse-tree checks had missed these.
    const refusedByPlan = [
      [`SELECT * FROM (WITH "${snapshot}/manifest.json" AS (SELECT 1) SELECT 1) a, "${snapshot}/manifest.json" b`, /cannot show in a plan|manifest\.json/],
      [`SELECT * FROM "${snapshot}/ethereum/blocks.parquet"`, /blocks\.parquet directly/],
      [`SELECT * FROM '${snapshot}/*/*.parquet'`, /blocks\.parquet.*directly/],
      ['SELECT * FROM (WITH pg_settings AS (SELECT 1) SELECT 1) a, pg_settings b', /duckdb_settings, part of the engine's catalog/],
      ['SELECT * FROM sqlite_master', /engine's catalog/],
      ['SELECT (SELECT count(*) FROM duckdb_databases) AS n', /duckdb_databases/],
      ['SELECT * FROM ethereum.blocks b WHERE EXISTS (SELECT 1 FROM pg_views v WHERE v.viewname = b.miner)', /duckdb_views/],
    ] as const;
    await withSandbox(async (conn) => {
      for (const [sql, why] of refusedByPlan) {
        const plan = await serializePlan(conn, sql);
        if (plan.kind === 'error') {
          assert.match(plan.message, /not implemented/, sql);
          continue;
        }
        await assert.rejects(checkPlanScans(conn, plan), (e: OnchainSqlError) => e instanceof OnchainSqlError && why.test(e.message), sql);
      }
      for (const sql of ['SELECT count(*) FROM ethereum.blocks b JOIN ethereum.transactions t USING (block_number)', 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT * FROM n, range(2), unnest([1])', 'SELECT * FROM ethereum.blocks WHERE block_number IN (SELECT block_number FROM ethereum.transactions)']) {
        const plan = await serializePlan(conn, sql);
        assert.equal(plan.kind, 'plan', sql);
        if (plan.kind === 'plan') await checkPlanScans(conn, plan);
      }
    });
    // Through validateSql the same statements are refused too (by the first layer that sees them).
    for (const [sql] of refusedByPlan) assert.ok(['forbidden_function', 'unknown_table'].includes((await refusal(sql)).code), sql);
  });

  it('every function the allow-list holds exists in DuckDB (no typo lets a name through unchecked)', async () => {
    const known = new Set<string>(await withSandbox(async (c) =>
      (await c.runAndReadAll('SELECT DISTINCT lower(function_name) FROM duckdb_functions()')).getRows().map((r) => String(r[0]))));
    // Parsed as operators or expressions, not catalog functions.
    for (const syntax of ['coalesce']) known.add(syntax);
    const missing = functionFamilies().flatMap((f) => f.functions).filter((name) => !known.has(name.toLowerCase()));
    assert.deepEqual(missing, []);
  });

  it('refuses text that is too long or holds a NUL byte', async () => {
    assert.equal((await refusal(`SELECT '${'a'.repeat(MAX_SQL_LENGTH)}'`)).code, 'too_long');
    assert.equal((await refusal('SELECT 1\0')).code, 'parse_error');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { explainSql, explainStructure } from '../../src/core/sql/explain.js';
import { describeStatement, type SqlStructure } from '../../src/core/sql/structure.js';
import { parseModelReply, buildSingleMessagePrompt } from '../../src/core/nl2sql/modelReply.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';

/**
 * "Explain SQL" reads DuckDB's own parse tree (json_serialize_sql, as the guard
 * does): real DuckDB here, clause text cut out of the SQL as written.
 */
describe('statement structure from DuckDB\'s parse tree', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  before(async () => {
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
  });
  after(() => {
    conn?.closeSync();
    instance?.closeSync();
  });
  const structure = (sql: string): Promise<SqlStructure> => describeStatement(conn, sql);

  test('a grouped, filtered, ordered query with a join: clauses as written, not as DuckDB rewrites them', async () => {
    const s = await structure(`SELECT date_trunc('day', block_time) AS day, count(*) AS n, sum(value_eth)
      FROM ethereum.transactions t JOIN ethereum.blocks b ON b.block_number = t.block_number
      WHERE t.block_time >= snapshot_time() - INTERVAL 7 DAY AND t.success
      GROUP BY 1 ORDER BY day DESC LIMIT 10;`);
    assert.deepEqual(s.tables, ['ethereum.transactions', 'ethereum.blocks']);
    assert.equal(s.joins, 1);
    assert.equal(s.columns, "date_trunc('day', block_time) AS day, count(*) AS n, sum(value_eth)");
    // DuckDB's tree holds to_days(CAST(trunc(CAST(7 AS DOUBLE)) AS INTEGER)); the user wrote INTERVAL 7 DAY.
    assert.equal(s.filters, 't.block_time >= snapshot_time() - INTERVAL 7 DAY AND t.success');
    assert.equal(s.groupBy, '1');
    assert.equal(s.orderBy, 'day DESC');
    assert.equal(s.limit, '10');
    assert.deepEqual(s.aggregates, ['count(*)', 'sum()']);
    assert.ok(s.usesSnapshotTime);
    assert.deepEqual(s.intervals, ['7 day']);
  });

  test('CTEs: names from the CTE map, the CTE is not a table, the outer clauses are the ones described', async () => {
    const s = await structure(`WITH daily AS (SELECT symbol, sum(amount) AS v FROM tokens.transfers WHERE symbol = 'USDC' GROUP BY symbol),
      top AS (SELECT * FROM daily ORDER BY v DESC LIMIT 3)
      SELECT * FROM top ORDER BY v`);
    assert.deepEqual(s.ctes, ['daily', 'top']);
    assert.deepEqual(s.tables, ['tokens.transfers']);
    assert.deepEqual(s.otherTables, []);
    assert.equal(s.columns, '*');
    assert.equal(s.filters, undefined);
    assert.equal(s.groupBy, undefined);
    assert.equal(s.limit, undefined);
    assert.equal(s.orderBy, 'v');
  });

  test('subqueries in FROM and WHERE are not taken for the outer clauses', async () => {
    const s = await structure(`SELECT s.block_number FROM (SELECT block_number FROM ethereum.blocks WHERE gas_used > 0 GROUP BY 1 ORDER BY 1 LIMIT 3) s
      WHERE s.block_number IN (SELECT block_number FROM ethereum.transactions WHERE success GROUP BY 1 HAVING count(*) > 1 LIMIT 9)
      ORDER BY 1 DESC`);
    assert.deepEqual(s.tables, ['ethereum.blocks', 'ethereum.transactions']);
    assert.equal(s.columns, 's.block_number');
    assert.equal(s.filters, 's.block_number IN (SELECT block_number FROM ethereum.transactions WHERE success GROUP BY 1 HAVING count(*) > 1 LIMIT 9)');
    assert.equal(s.groupBy, undefined);
    assert.equal(s.having, undefined);
    assert.equal(s.limit, undefined);
    assert.equal(s.orderBy, '1 DESC');
  });

  test('keywords inside comments, string literals and quoted names do not start clauses', async () => {
    const s = await structure(`SELECT 'FROM x WHERE y' AS "group by", miner -- ORDER BY z
      FROM ethereum.blocks /* WHERE nope LIMIT 1 */ WHERE miner <> 'limit 5 order by' -- having
      LIMIT 3 -- the end;`);
    assert.equal(s.columns, `'FROM x WHERE y' AS "group by", miner`);
    assert.equal(s.filters, "miner <> 'limit 5 order by'");
    assert.equal(s.orderBy, undefined);
    assert.equal(s.having, undefined);
    assert.equal(s.limit, '3');
  });

  test('non-ASCII text before a clause: DuckDB counts UTF-8 bytes, the text is cut at the right characters', async () => {
    // 30 emoji are 120 bytes but 60 UTF-16 units: read as character offsets, every later location would miss its clause.
    const s = await structure(`SELECT '${'😀'.repeat(30)} é €' AS s, "blöck" FROM (SELECT block_number AS "blöck" FROM ethereum.blocks) /* ünïcødé */
      WHERE "blöck" > 5 AND 'ß' <> 'x' ORDER BY "blöck" DESC LIMIT 2`);
    assert.equal(s.columns, `'${'😀'.repeat(30)} é €' AS s, "blöck"`);
    assert.equal(s.filters, `"blöck" > 5 AND 'ß' <> 'x'`);
    assert.equal(s.orderBy, '"blöck" DESC');
    assert.equal(s.limit, '2');
  });

  test('QUALIFY and window functions; the window\'s ORDER BY is not the query\'s', async () => {
    const s = await structure(`SELECT block_number, row_number() OVER (PARTITION BY miner ORDER BY block_number DESC) AS rn, sum(gas_used) OVER () AS total
      FROM ethereum.blocks QUALIFY rn = 1 ORDER BY block_number`);
    assert.equal(s.qualify, 'rn = 1');
    assert.deepEqual(s.windowFunctions, ['row_number()', 'sum()']);
    assert.deepEqual(s.aggregates, []);
    assert.equal(s.orderBy, 'block_number');
  });

  test('count(*) FILTER (WHERE …) is an aggregate, not the query\'s WHERE', async () => {
    const s = await structure('SELECT count(*) FILTER (WHERE success) AS ok, count(*) AS n FROM ethereum.transactions');
    assert.equal(s.filters, undefined);
    assert.equal(s.columns, 'count(*) FILTER (WHERE success) AS ok, count(*) AS n');
    assert.deepEqual(s.aggregates, ['count(*)']);
  });

  test('DuckDB forms: FROM-first, GROUP BY ALL, DISTINCT, OFFSET, IS DISTINCT FROM, interval literals, set operations', async () => {
    const first = await structure(`FROM ethereum.blocks SELECT DISTINCT miner WHERE miner IS DISTINCT FROM 'x' AND block_time > snapshot_time() - INTERVAL '36 hours' LIMIT 5 OFFSET 10`);
    assert.equal(first.columns, 'DISTINCT miner');
    assert.ok(first.distinct);
    assert.equal(first.filters, "miner IS DISTINCT FROM 'x' AND block_time > snapshot_time() - INTERVAL '36 hours'");
    assert.deepEqual(first.intervals, ['36 hours']);
    assert.equal(first.limit, '5');
    assert.equal(first.offset, '10');
    const all = await structure('SELECT miner, count(*) FROM ethereum.blocks GROUP BY ALL HAVING count(*) > 2 ORDER BY ALL');
    assert.equal(all.groupBy, 'ALL');
    assert.equal(all.having, 'count(*) > 2');
    assert.equal(all.orderBy, 'ALL');
    const union = await structure('SELECT miner FROM ethereum.blocks UNION ALL SELECT from_address FROM ethereum.transactions WHERE success ORDER BY 1 LIMIT 4');
    assert.equal(union.setOperation, 'UNION ALL');
    assert.deepEqual(union.tables, ['ethereum.blocks', 'ethereum.transactions']);
    assert.equal(union.filters, undefined);
    assert.equal(union.orderBy, '1');
    assert.equal(union.limit, '4');
  });

  test('a name that is neither a contract table nor a CTE in scope is listed apart', async () => {
    const s = await structure('WITH x AS (SELECT 1 AS a) SELECT * FROM x, ethereum.blockz, (SELECT * FROM x) y');
    assert.deepEqual(s.tables, []);
    assert.deepEqual(s.otherTables, ['ethereum.blockz']);
    assert.match(explainStructure(s), /Also names\*\* `ethereum\.blockz`, which is not a table of the snapshot/);
  });

  test('SQL DuckDB does not read as one query is refused with the guard\'s error, and Explain says so', async () => {
    await assert.rejects(structure('SELECT FROM WHERE 1'), (e: unknown) => e instanceof OnchainSqlError && e.code === 'parse_error');
    await assert.rejects(structure('DROP TABLE ethereum.blocks'), (e: unknown) => e instanceof OnchainSqlError && e.code === 'forbidden_statement');
    await assert.rejects(structure('SELECT 1; SELECT 2'), (e: unknown) => e instanceof OnchainSqlError && e.code === 'multiple_statements');
    const bad = await explainSql('SELECT count(* FROM ethereum.blocks', (sql) => describeStatement(conn, sql));
    assert.match(bad.markdown, /^- \*\*Not explained\*\*: DuckDB does not parse this as one SELECT query, so it would be refused if run: `.*syntax error/i);
    assert.deepEqual(bad.tables, []);
    // Anything else (the engine gone, a cancel) is not an explanation: it is thrown.
    await assert.rejects(explainSql('SELECT 1', () => Promise.reject(new OnchainSqlError('cancelled', 'stop'))), /stop/);
  });

  test('the Markdown quotes SQL and names as code', async () => {
    const md = explainStructure(await structure("SELECT count(*) FROM dex.trades WHERE project = 'uni`swap' -- where in a comment\n"));
    assert.match(md, /\*\*Reads\*\* one table/);
    assert.match(md, /`dex\.trades`/);
    assert.match(md, /Keeps rows where\*\* `project = 'uni'swap'`/);
    assert.doesNotMatch(md, /comment/);
  });
});

describe('Engine.describeStatement: the structure read in the engine\'s worker', () => {
  let dir: string;
  let engine: Engine;
  before(async () => {
    dir = await makeTinySnapshot();
    engine = await Engine.open(dir, { connections: 1 });
  });
  after(() => {
    engine?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the same structure over the process boundary; refusals keep their code', async () => {
    const sql = "SELECT miner, count(*) AS n FROM ethereum.blocks WHERE block_time > snapshot_time() - INTERVAL 1 HOUR GROUP BY miner";
    const s = await engine.describeStatement(sql);
    assert.deepEqual(s.tables, ['ethereum.blocks']);
    assert.equal(s.groupBy, 'miner');
    assert.deepEqual(s.intervals, ['1 hour']);
    await assert.rejects(engine.describeStatement('COPY ethereum.blocks TO \'/tmp/x.csv\''), (e: unknown) => e instanceof OnchainSqlError && e.code === 'forbidden_statement');
    const { markdown } = await explainSql(sql, (text) => engine.describeStatement(text));
    assert.match(markdown, /Groups by\*\* `miner`/);
  });
});

test('model replies: JSON, fenced JSON, sql fence, bare SQL, prose', () => {
  assert.deepEqual(parseModelReply('{"sql":"SELECT 1","explanation":"one","chart":{"type":"bar","x":"a","y":"b"}}'), { sql: 'SELECT 1', explanation: 'one', chart: { type: 'bar', x: 'a', y: ['b'] } });
  assert.equal(parseModelReply('Sure!\n```json\n{"sql": "SELECT {\\"a\\"}", "explanation": "x"}\n```')?.sql, 'SELECT {"a"}');
  const fenced = parseModelReply('Here you go:\n```sql\nSELECT count(*) FROM ethereum.blocks\n```\nCounts blocks.');
  assert.equal(fenced?.sql, 'SELECT count(*) FROM ethereum.blocks');
  assert.equal(fenced?.explanation, 'Here you go: Counts blocks.');
  assert.equal(parseModelReply('with x as (select 1) select * from x')?.sql, 'with x as (select 1) select * from x');
  assert.equal(parseModelReply('I cannot answer that from this data.'), null);
  assert.equal(parseModelReply('{"sql": "", "explanation": "no"}'), null);
  assert.equal(parseModelReply('{"sql":"SELECT 1","chart":{"type":"pie","x":"a"}}')?.chart, null);
});

test('the lm prompt carries schema, reply format, history and repair in one user message', () => {
  const input = { question: 'now only USDC', history: [{ question: 'daily volume', sql: 'SELECT 1' }], context: 'TABLE tokens.transfers', repair: { sql: 'SELECT x', error: 'unknown column x' } };
  const p = buildSingleMessagePrompt(input, false);
  for (const part of ['TABLE tokens.transfers', 'daily volume', 'SELECT 1', 'unknown column x', 'Question: now only USDC', '"sql": "<one DuckDB SELECT>"']) assert.ok(p.includes(part), part);
  // With tool calling the JSON reply format is left out: the tools carry the answer.
  assert.ok(!buildSingleMessagePrompt(input, true).includes('"sql": "<one DuckDB SELECT>"'));
});

test('a model that declines gives its reason', async () => {
  const { cannotAnswerReason } = await import('../../src/core/nl2sql/modelReply.js');
  assert.equal(cannotAnswerReason('{"sql": "", "explanation": "No NFT tables."}'), 'No NFT tables.');
  assert.equal(cannotAnswerReason('{"sql": "SELECT 1"}'), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseSql, explainStructure } from '../../src/core/sql/structure.js';
import { parseModelReply, buildSingleMessagePrompt } from '../../src/core/nl2sql/modelReply.js';

test('structure of a grouped, filtered, ordered query', () => {
  const s = analyseSql(`SELECT date_trunc('day', block_time) AS day, count(*) AS n, sum(value_eth)
    FROM ethereum.transactions t JOIN ethereum.blocks b ON b.number = t.block_number
    WHERE t.block_time >= snapshot_time() - INTERVAL 7 DAY AND t.success
    GROUP BY 1 ORDER BY day DESC LIMIT 10;`);
  assert.deepEqual(s.tables, ['ethereum.transactions', 'ethereum.blocks']);
  assert.equal(s.joins, 1);
  assert.match(s.filters!, /^t\.block_time >= snapshot_time\(\) - INTERVAL 7 DAY AND t\.success$/);
  assert.equal(s.groupBy, '1');
  assert.equal(s.orderBy, 'day DESC');
  assert.equal(s.limit, '10');
  assert.deepEqual(s.aggregates.sort(), ['count', 'sum']);
  assert.ok(s.usesSnapshotTime);
  assert.deepEqual(s.intervals, ['7 day']);
});

test('CTEs and subqueries: the outer clauses are the ones described', () => {
  const s = analyseSql(`WITH daily AS (SELECT symbol, sum(amount) AS v FROM tokens.transfers WHERE symbol = 'USDC' GROUP BY symbol)
    SELECT * FROM daily ORDER BY v DESC`);
  assert.deepEqual(s.ctes, ['daily']);
  assert.deepEqual(s.tables, ['tokens.transfers']);
  assert.equal(s.filters, undefined);
  assert.equal(s.orderBy, 'v DESC');
  const md = explainStructure(`SELECT count(*) FROM dex.trades WHERE project = 'uniswap' -- where in a comment\n`);
  assert.match(md, /\*\*Reads\*\* one table/);
  assert.match(md, /`dex\.trades`/);
  assert.match(md, /Keeps rows where\*\* `project = 'uniswap'`/);
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

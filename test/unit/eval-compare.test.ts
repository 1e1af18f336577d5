import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareResults, hasTopLevelOrderBy, valuesEqual, type ResultSet, type Value } from '../../src/core/eval/compare.js';

function rs(names: string[], rows: Value[][]): ResultSet {
  return { columns: names.map((name) => ({ name })), rows };
}

test('ordered comparison: same rows in another order is a miss, same order a match', () => {
  const ref = rs(['day', 'n'], [['2025-06-29 00:00:00', 3], ['2025-06-30 00:00:00', 5]]);
  const same = rs(['d', 'count'], [['2025-06-29 00:00:00', 3], ['2025-06-30 00:00:00', 5]]);
  const swapped = rs(['d', 'count'], [['2025-06-30 00:00:00', 5], ['2025-06-29 00:00:00', 3]]);
  assert.equal(compareResults(ref, same, true).match, true);
  assert.equal(compareResults(ref, swapped, true).match, false);
  assert.equal(compareResults(ref, swapped, false).match, true, 'unordered: a multiset of rows');
});

test('unordered comparison checks whole rows, not columns one by one', () => {
  const ref = rs(['a', 'b'], [['x', 1], ['y', 2]]);
  // Each column is the same multiset, but the rows pair values differently.
  const crossed = rs(['a', 'b'], [['x', 2], ['y', 1]]);
  const r = compareResults(ref, crossed, false);
  assert.equal(r.match, false);
});

test('reference columns map to distinct predicted columns; extra predicted columns are allowed', () => {
  const ref = rs(['to_address', 'eth'], [['0xa', 1.5], ['0xb', 1.0]]);
  const pred = rs(['tx_hash', 'to_address', 'block_time', 'value_eth'], [['h1', '0xa', 't1', 1.5], ['h2', '0xb', 't2', 1.0]]);
  const r = compareResults(ref, pred, true);
  assert.equal(r.match, true);
  assert.deepEqual(r.assignment, [1, 3]);
  // Two reference columns with equal values cannot both use one predicted column.
  const twice = rs(['x', 'y'], [[7, 7]]);
  assert.equal(compareResults(twice, rs(['only'], [[7]]), false).match, false);
  assert.equal(compareResults(twice, rs(['p', 'q'], [[7, 7]]), false).match, true);
});

test('assignment is searched, not greedy: the first candidate column can be the wrong one', () => {
  // Both p and q hold the multiset {1, 2}, so each is a candidate for reference column b;
  // only q pairs the values with the right strings, and p comes first.
  const ref = rs(['a', 'b'], [['x', 1], ['y', 2]]);
  const pred = rs(['s', 'p', 'q'], [['x', 2, 1], ['y', 1, 2]]);
  const r = compareResults(ref, pred, false);
  assert.equal(r.match, true);
  assert.deepEqual(r.assignment, [0, 2]);
  // Without q there is no valid assignment.
  assert.equal(compareResults(ref, rs(['s', 'p'], [['x', 2], ['y', 1]]), false).match, false);
});

test('numbers agree within 1e-6 relative, not beyond; wide integers as strings compare numerically', () => {
  assert.equal(valuesEqual(1_000_000, 1_000_000.5), true);
  assert.equal(valuesEqual(1_000_000, 1_000_002), false);
  assert.equal(valuesEqual(0.1 + 0.2, 0.3), true);
  assert.equal(valuesEqual(0, 1e-9), false);
  assert.equal(valuesEqual('123456789012345678901234567890', 1.2345678901234568e29), true);
  assert.equal(valuesEqual('2025-06-30 00:00:00', '2025-06-30 00:00:00'), true);
  assert.equal(valuesEqual('2025-06-30 00:00:00', '2025-06-30'), false, 'timestamps exactly');
  assert.equal(valuesEqual('USDC', 'usdc'), false, 'strings exactly');
  assert.equal(valuesEqual(true, 1), false);
  const ref = rs(['avg'], [[0.123456789]]);
  assert.equal(compareResults(ref, rs(['x'], [[0.1234568]]), false).match, true);
  assert.equal(compareResults(ref, rs(['x'], [[0.12346]]), false).match, false);
});

test('row counts must be equal', () => {
  const ref = rs(['n'], [[1], [2]]);
  const r = compareResults(ref, rs(['n'], [[1], [2], [3]]), false);
  assert.equal(r.match, false);
  assert.match(r.reason ?? '', /row count: expected 2, got 3/);
  assert.equal(compareResults(rs(['n'], []), rs(['m'], []), true).match, true, 'two empty results with enough columns match');
});

test('NULL equals only NULL', () => {
  assert.equal(valuesEqual(null, null), true);
  assert.equal(valuesEqual(null, 0), false);
  assert.equal(valuesEqual('', null), false);
  const ref = rs(['to_address', 'n'], [[null, 3], ['0xa', 1]]);
  assert.equal(compareResults(ref, rs(['a', 'b'], [['0xa', 1], [null, 3]]), false).match, true);
  assert.equal(compareResults(ref, rs(['a', 'b'], [['0xa', 1], ['0x0', 3]]), false).match, false);
});

test('unordered multisets respect duplicates', () => {
  const ref = rs(['v'], [[1], [1], [2]]);
  assert.equal(compareResults(ref, rs(['v'], [[1], [2], [2]]), false).match, false);
  assert.equal(compareResults(ref, rs(['v'], [[2], [1], [1]]), false).match, true);
});

test('top-level ORDER BY is detected outside subqueries, windows and strings', () => {
  assert.equal(hasTopLevelOrderBy('select a from t order by 1'), true);
  assert.equal(hasTopLevelOrderBy('select a, sum(b) over (order by a) from t'), false);
  assert.equal(hasTopLevelOrderBy('select * from (select a from t order by a limit 3)'), false);
  assert.equal(hasTopLevelOrderBy("select 'order by' as s from t"), false);
  assert.equal(hasTopLevelOrderBy('select a from t -- order by a\n'), false);
  assert.equal(hasTopLevelOrderBy('SELECT a FROM t ORDER\n  BY a DESC'), true);
});

test('runEval scores by execution, refusals included, and reports each miss', async () => {
  const fs = await import('node:fs');
  const { Engine } = await import('../../src/core/engine/engine.js');
  const { runEval, formatSummary } = await import('../../src/core/eval/run.js');
  const { OfflineProvider } = await import('../../src/core/nl2sql/offline/index.js');
  const { makeTinySnapshot } = await import('../support/tiny-snapshot.js');
  const dir = await makeTinySnapshot();
  const engine = await Engine.open(dir);
  try {
    const report = await runEval(engine, new OfflineProvider(), [
      { id: 'a', question: 'How many transactions are there?', sql: 'select count(*) from ethereum.transactions' },
      { id: 'b', question: 'How many transactions failed?', sql: 'select count(*) from ethereum.transactions' },
      { id: 'c', question: 'What is the weather?', expect: 'cannot_answer' },
      { id: 'd', question: 'How many blocks are there?', expect: 'cannot_answer' },
      { id: 'e', question: 'Transactions per fortnight please', sql: 'select 1' },
    ], { via: 'direct' });
    assert.deepEqual(report.results.map((r) => [r.id, r.pass]), [['a', true], ['b', false], ['c', true], ['d', false], ['e', false]]);
    assert.equal(report.passed, 2);
    assert.equal(report.accuracy, 0.4);
    assert.match(report.results[1].reason!, /no predicted column equals reference column 1/);
    assert.match(report.results[1].predictedSql!, /where not success/);
    assert.match(report.results[3].reason!, /expected cannot_answer, but it answered/);
    assert.match(report.results[4].error!, /^cannot_answer: /);
    assert.deepEqual(report.byFamily['ethereum.transactions'], { total: 2, passed: 1 });
    assert.match(formatSummary(report), /2\/5 = 40\.0% execution accuracy/);
  } finally {
    engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

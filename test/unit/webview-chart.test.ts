import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseChart, buildChartData, MAX_CHART_ROWS, orderedColumn, isRawPreview, axisChoices, shortTimeLabels, axisPickerOptions, repickAxes, chartDescription } from '../../src/webview/chartChoice.js';

const T = { name: 'day', type: 'TIMESTAMP' };
const N = { name: 'tx_count', type: 'BIGINT' };
const N2 = { name: 'fee_eth', type: 'DOUBLE' };
const C = { name: 'symbol', type: 'VARCHAR' };

test('time + number ⇒ line, rows ordered by time', () => {
  const rows = [['2026-01-02 00:00:00', 5], ['2026-01-01 00:00:00', 3]];
  const c = chooseChart([T, N], rows, null);
  assert.deepEqual(c, { kind: 'chart', type: 'line', x: 0, y: [1], series: null });
  assert.ok(c.kind === 'chart');
  const d = buildChartData([T, N], rows, c);
  // Day buckets read as dates; the tooltip keeps the full value.
  assert.deepEqual(d.labels, ['2026-01-01', '2026-01-02']);
  assert.deepEqual(d.fullLabels, ['2026-01-01 00:00:00', '2026-01-02 00:00:00']);
  assert.deepEqual(d.datasets[0].values, [3, 5]);
});

test('category + number ⇒ bar; two numbers ⇒ scatter; single value ⇒ card', () => {
  assert.equal((chooseChart([C, N], [['WETH', 1]], null) as { type: string }).type, 'bar');
  const s = chooseChart([N, N2], [[1, 0.5], [2, 0.25]], null);
  assert.ok(s.kind === 'chart' && s.type === 'scatter');
  assert.deepEqual(buildChartData([N, N2], [[1, 0.5], [2, '0.25']], s).datasets[0].points, [{ x: 1, y: 0.5 }, { x: 2, y: 0.25 }]);
  const one = chooseChart([N], [[42]], null);
  assert.equal(one.kind, 'single');
  assert.equal(chooseChart([C], [['a'], ['b']], null).kind, 'none');
  assert.equal(chooseChart([C, N], [], null).kind, 'none');
});

test('a valid hint wins; an invalid hint falls back to the shape; table hint ⇒ no chart', () => {
  const h = chooseChart([C, N, N2], [['a', 1, 2]], { type: 'area', x: 'symbol', y: ['fee_eth'] });
  assert.deepEqual(h, { kind: 'chart', type: 'area', x: 0, y: [2], series: null });
  const bad = chooseChart([C, N], [['a', 1]], { type: 'line', x: 'nope', y: ['tx_count'] });
  assert.ok(bad.kind === 'chart' && bad.type === 'bar');
  assert.equal(chooseChart([C, N], [['a', 1]], { type: 'table', x: 'symbol', y: [] }).kind, 'none');
});

test('long form with a series column pivots to one dataset per series', () => {
  const rows = [['2026-01-01', 'WETH', 1], ['2026-01-01', 'USDC', 2], ['2026-01-02', 'WETH', 3]];
  const cols = [{ name: 'day', type: 'DATE' }, C, N];
  const c = chooseChart(cols, rows, null);
  assert.ok(c.kind === 'chart' && c.series === 1);
  const d = buildChartData(cols, rows, c);
  assert.deepEqual(d.labels, ['2026-01-01', '2026-01-02']);
  assert.deepEqual(d.datasets.map((x) => [x.label, x.values]), [['WETH', [1, 3]], ['USDC', [2, null]]]);
});

test('at most MAX_CHART_ROWS rows are charted; hostile labels are sanitised', () => {
  const rows = Array.from({ length: MAX_CHART_ROWS + 10 }, (_, i) => [`<img src=x onerror=alert(1)>\u202E${i}`, i]);
  const c = chooseChart([C, N], rows, null);
  assert.ok(c.kind === 'chart');
  const d = buildChartData([C, N], rows, c);
  assert.equal(d.rowsUsed, MAX_CHART_ROWS);
  assert.equal(d.labels.length, MAX_CHART_ROWS);
  assert.doesNotMatch(d.labels.join(''), /\u202E/);
});

test('identifier-like numbers (block_number, ids) are never the measure; one measure is charted', () => {
  const cols = [{ name: 'block_number', type: 'BIGINT' }, { name: 'block_time', type: 'TIMESTAMP' }, { name: 'amount', type: 'DOUBLE' }, { name: 'value_wei', type: 'HUGEINT' }];
  assert.deepEqual(chooseChart(cols, [[1, '2026-01-01', 2, '3'], [2, '2026-01-02', 3, '4']], null), { kind: 'chart', type: 'line', x: 1, y: [2], series: null });
  // only identifier-like numbers next to a category: no measure
  assert.equal(chooseChart([{ name: 'symbol', type: 'VARCHAR' }, { name: 'block_number', type: 'BIGINT' }], [['a', 1], ['b', 2]], null).kind, 'none');
});

test('a measure per block number ⇒ line over the block number; one row of several values ⇒ no chart', () => {
  const cols = [{ name: 'block_number', type: 'BIGINT' }, { name: 'gas_used', type: 'BIGINT' }];
  assert.deepEqual(chooseChart(cols, [[1, 5], [2, 6]], null), { kind: 'chart', type: 'line', x: 0, y: [1], series: null });
  assert.equal(chooseChart([N, N2], [[1, 2]], null).kind, 'none');
});

test('a label column next to unique times is not a series (no pivot into one series per row)', () => {
  const cols = [{ name: 'hour', type: 'TIMESTAMP' }, N, { name: 'top_token', type: 'VARCHAR' }];
  const rows = [['2026-01-01 00:00:00', 1, 'A'], ['2026-01-01 01:00:00', 2, 'B'], ['2026-01-01 02:00:00', 3, 'C']];
  const c = chooseChart(cols, rows, null);
  assert.ok(c.kind === 'chart' && c.series === null);
  assert.equal(buildChartData(cols, rows, c).datasets.length, 1);
});

test('several category columns label a bar together', () => {
  const cols = [{ name: 'project', type: 'VARCHAR' }, { name: 'version', type: 'VARCHAR' }, { name: 'volume_usd', type: 'DOUBLE' }];
  const rows = [['uniswap', '3', 10], ['uniswap', '2', 5]];
  const c = chooseChart(cols, rows, null);
  assert.ok(c.kind === 'chart' && c.type === 'bar');
  assert.deepEqual(buildChartData(cols, rows, c).labels, ['uniswap 3', 'uniswap 2']);
});

test('the measure the SQL orders by is the y axis ("order by usd desc" plots usd, not n)', () => {
  const cols = [{ name: 'project', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }, { name: 'usd', type: 'DOUBLE' }];
  const rows = [['uniswap', 10, 5000.5], ['curve', 20, 300.25]];
  assert.deepEqual(chooseChart(cols, rows, null, 'SELECT project, count(*) AS n, sum(amount_usd) AS usd FROM dex.trades GROUP BY 1 ORDER BY usd DESC LIMIT 10'),
    { kind: 'chart', type: 'bar', x: 0, y: [2], series: null });
  // by position, quoted, qualified; without ORDER BY the first measure
  assert.deepEqual((chooseChart(cols, rows, null, 'select project, n, usd from t order by 3 desc') as { y: number[] }).y, [2]);
  assert.deepEqual((chooseChart(cols, rows, null, 'select * from (select project, n, usd from t order by usd) s order by "n" desc') as { y: number[] }).y, [1]);
  assert.deepEqual((chooseChart(cols, rows, null, 'select project, n, usd from t') as { y: number[] }).y, [1]);
  // an ORDER BY inside a subquery or a comment is not the result's order
  assert.deepEqual((chooseChart(cols, rows, null, 'select project, n, usd from (select * from t order by usd) -- order by usd\n') as { y: number[] }).y, [1]);
  assert.equal(orderedColumn("select a from t where s = 'order by usd'", cols), -1);
});

test('no chart for a raw preview or for base-unit amounts (amount_raw, *_wei)', () => {
  const cols = [{ name: 'block_time', type: 'TIMESTAMP' }, { name: 'amount_raw', type: 'HUGEINT' }, { name: 'symbol', type: 'VARCHAR' }];
  const rows = [['2026-01-01 00:00:00', '5000000000000000000000000000', 'USDC'], ['2026-01-01 00:01:00', '7', 'WETH']];
  assert.equal(chooseChart(cols, rows, null).kind, 'none');
  assert.equal(chooseChart(cols, rows, { type: 'line', x: 'block_time', y: ['amount_raw'] }).kind, 'none');
  const withAmount = [...cols, { name: 'amount', type: 'DOUBLE' }];
  const preview = chooseChart(withAmount, rows.map((r) => [...r, 1.5]), null, 'SELECT * FROM tokens.transfers LIMIT 100');
  assert.equal(preview.kind, 'none');
  assert.ok(isRawPreview('select * from tokens.transfers t limit 100;'));
  assert.ok(!isRawPreview('select * from tokens.transfers where symbol = \'USDC\''));
  assert.deepEqual(chooseChart(withAmount, rows.map((r) => [...r, 1.5]), null, 'select block_time, amount_raw, symbol, amount from tokens.transfers'),
    { kind: 'chart', type: 'line', x: 0, y: [3], series: null });
  assert.deepEqual(axisChoices(withAmount), { x: [0, 2, 3], y: [3], series: [2] });
});

test('axis labels are short: addresses, hours of one day, day buckets; tooltips keep the full text', () => {
  const addr = '0x' + 'ab'.repeat(20);
  const cols = [{ name: 'to_address', type: 'VARCHAR' }, { name: 'eth', type: 'DOUBLE' }];
  const c = chooseChart(cols, [[addr, 1], ['0x' + 'cd'.repeat(20), 2]], null);
  assert.ok(c.kind === 'chart');
  const d = buildChartData(cols, [[addr, 1]], c);
  assert.deepEqual(d.labels, ['0xabab…abab']);
  assert.deepEqual(d.fullLabels, [addr]);
  assert.deepEqual(shortTimeLabels(['2026-01-01 13:00:00', '2026-01-01 14:00:00']), ['13:00', '14:00']);
  assert.deepEqual(shortTimeLabels(['2026-01-01 23:00:00', '2026-01-02 00:00:00']), ['01-01 23:00', '01-02 00:00']);
  assert.deepEqual(shortTimeLabels(['2025-12-31', '2026-01-01']), ['2025-12-31', '2026-01-01']);
  assert.deepEqual(shortTimeLabels(['not a time']), ['not a time']);
});

test('pickers: the options for each part keep the current pick; a pick redraws that measure; series never repeats an axis', () => {
  const cols = [{ name: 'day', type: 'DATE' }, C, N, { name: 'usd', type: 'DOUBLE' }, { name: 'block_number', type: 'BIGINT' }];
  const rows = [['2026-01-01', 'WETH', 1, 10.5, 7], ['2026-01-01', 'USDC', 2, 20, 8], ['2026-01-02', 'WETH', 3, 30, 9]];
  const c = chooseChart(cols, rows, null, 'select day, symbol, tx_count, usd, block_number from t order by usd desc');
  assert.deepEqual(c, { kind: 'chart', type: 'line', x: 0, y: [3], series: 1 });
  assert.ok(c.kind === 'chart');
  assert.deepEqual(axisPickerOptions(cols, c), { x: [0, 1, 2, 3, 4], y: [2, 3], series: [1] });
  // A hint may chart an identifier; the Y picker still shows it.
  const hinted = chooseChart(cols, rows, { type: 'line', x: 'day', y: ['block_number'] });
  assert.ok(hinted.kind === 'chart');
  assert.deepEqual(axisPickerOptions(cols, hinted).y, [4, 2, 3]);

  const byCount = repickAxes(c, { y: 2 });
  assert.deepEqual(byCount, { kind: 'chart', type: 'line', x: 0, y: [2], series: 1 });
  const d = buildChartData(cols, rows, byCount);
  assert.equal(d.yLabel, 'tx_count');
  assert.deepEqual(d.datasets.map((s) => [s.label, s.values]), [['WETH', [1, 3]], ['USDC', [2, null]]]);
  assert.equal(chartDescription(d), 'line chart of tx_count by day, one series per symbol');
  // The series as x: the series goes (it would split bars by their own label).
  const bySymbol = repickAxes(c, { x: 1 });
  assert.equal(bySymbol.series, null);
  assert.equal(chartDescription(buildChartData(cols, rows, bySymbol, 'bar')), 'bar chart of usd by symbol');
  assert.equal(repickAxes(c, { series: null }).series, null);
  assert.equal(repickAxes(repickAxes(c, { series: null }), { series: 1 }).series, 1);
  // The input choice is not mutated.
  assert.deepEqual(c.y, [3]);
});

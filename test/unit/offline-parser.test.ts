import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../src/core/nl2sql/offline/tokenize.js';
import { extractTime, timeCondition } from '../../src/core/nl2sql/offline/time.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';

const offline = new OfflineProvider();
const sql = (q: string) => offline.translate(q).sql;
const intent = (q: string) => offline.translate(q).intent;
const windowOf = (q: string) => extractTime(tokenize(q))?.window;

test('tokenize: case, punctuation, plurals kept for the lexer, numbers in words, compact units', () => {
  assert.deepEqual(tokenize('How many TXs in the last 24h?').map((w) => w.text), ['how', 'many', 'txs', 'in', 'the', 'last', '24', 'hour']);
  assert.deepEqual(tokenize('past ten days').map((w) => w.text), ['past', '10', 'days']);
  assert.deepEqual(tokenize('twenty four hours').map((w) => w.text), ['24', 'hours']);
  assert.deepEqual(tokenize('over 1,000 ETH').map((w) => w.text), ['over', '1000', 'eth']);
  assert.deepEqual(tokenize('USDC/WETH volume').map((w) => w.text), ['usdc/weth', 'volume']);
  assert.deepEqual(tokenize('EIP-1559').map((w) => w.text), ['eip', '1559']);
  assert.deepEqual(tokenize('on 2025-06-28.').map((w) => w.text), ['on', '2025-06-28']);
});

test('time: last N units, a week, 24h, past 3 days, today, yesterday, this week, since Monday', () => {
  assert.deepEqual(windowOf('in the last 3 hours'), { kind: 'last', n: 3, unit: 'hour' });
  assert.deepEqual(windowOf('over the past week'), { kind: 'last', n: 7, unit: 'day' });
  assert.deepEqual(windowOf('during the last two weeks'), { kind: 'last', n: 14, unit: 'day' });
  assert.deepEqual(windowOf('in the last hour'), { kind: 'last', n: 1, unit: 'hour' });
  assert.deepEqual(windowOf('a week'), undefined, 'a bare "a week" is a rate, not a window');
  assert.deepEqual(windowOf('past 3 days'), { kind: 'last', n: 3, unit: 'day' });
  assert.deepEqual(windowOf('within 24h'), { kind: 'last', n: 24, unit: 'hour' });
  assert.deepEqual(windowOf('today'), { kind: 'today' });
  assert.deepEqual(windowOf('so far today'), { kind: 'today' });
  assert.deepEqual(windowOf('yesterday'), { kind: 'yesterday' });
  assert.deepEqual(windowOf('this week'), { kind: 'thisWeek' });
  assert.deepEqual(windowOf('since Monday'), { kind: 'thisWeek' });
  assert.deepEqual(windowOf('since wednesday'), { kind: 'sinceWeekday', isodow: 3 });
  assert.deepEqual(windowOf('on 2025-06-28'), { kind: 'day', date: { iso: '2025-06-28' } });
  assert.deepEqual(windowOf('on June 28th'), { kind: 'day', date: { month: 6, day: 28 } });
  assert.deepEqual(windowOf('28 june 2025'), { kind: 'day', date: { iso: '2025-06-28' } });
  assert.deepEqual(windowOf('between June 25 and June 27'), { kind: 'between', from: { month: 6, day: 25 }, to: { month: 6, day: 27 } });
});

test('time conditions are relative to snapshot_time(), as chain-schema.md says', () => {
  assert.equal(timeCondition({ kind: 'last', n: 24, unit: 'hour' }, 'block_time'), 'block_time > snapshot_time() - interval 24 hour');
  assert.equal(timeCondition({ kind: 'today' }, 'block_time'), "block_time >= date_trunc('day', snapshot_time())");
  assert.equal(
    timeCondition({ kind: 'yesterday' }, 'block_time'),
    "block_time >= date_trunc('day', snapshot_time()) - interval 1 day and block_time < date_trunc('day', snapshot_time())",
  );
  assert.equal(timeCondition({ kind: 'thisWeek' }, 'hour'), "hour >= date_trunc('week', snapshot_time())");
  assert.equal(timeCondition(undefined, 'block_time'), null);
  assert.match(sql('How many transactions today?'), /where block_time >= date_trunc\('day', snapshot_time\(\)\)$/);
  assert.doesNotMatch(sql('How many transactions are there?'), /where/, 'no window ⇒ all data');
  assert.match(sql('ETH price over the last 12 hours'), /hour > snapshot_time\(\) - interval 12 hour/, 'prices filter on their hour column');
});

test('entities: tokens by symbol (any case), name and alias', () => {
  for (const [q, symbol] of [
    ['How much usdt was transferred today?', 'USDT'],
    ['How much tether was transferred today?', 'USDT'],
    ['How much USD Coin was transferred today?', 'USDC'],
    ['How much wrapped bitcoin was transferred today?', 'WBTC'],
    ['How much Chainlink was transferred today?', 'LINK'],
    ['How much of the uniswap token was transferred today?', 'UNI'],
    ['How much Dai was transferred today?', 'DAI'],
    ['How much stETH was transferred today?', 'stETH'],
    ['How much GRT was transferred today?', 'GRT'],
  ] as const) {
    assert.match(sql(q), new RegExp(`upper\\(symbol\\) = '${symbol.toUpperCase()}'`), q);
  }
  assert.match(sql('How much ether was sent yesterday?'), /sum\(value_eth\) .* from ethereum\.transactions/);
  assert.match(sql('Hourly ether price today'), /upper\(symbol\) = 'ETH'/);
  assert.match(sql('Hourly wrapped ether price today'), /upper\(symbol\) = 'WETH'/);
});

test('entities: DEX projects, versions, pairs and label categories', () => {
  assert.match(sql('Sushiswap volume yesterday'), /project = 'sushiswap'/);
  assert.match(sql('Balancer trades today'), /project = 'balancer'/);
  assert.match(sql('Uniswap v3 volume'), /project = 'uniswap' and version = '3'/);
  assert.match(sql('USDC/WETH volume'), /token_pair in \('USDC-WETH', 'ETH-USDC'\)|token_pair = 'USDC-WETH'/);
  assert.match(sql('eth-usdc trade count'), /token_pair in \('USDC-WETH', 'ETH-USDC'\)/);
  assert.match(sql('volume of the DAI USDC pair'), /token_pair = 'DAI-USDC'/);
  assert.match(sql('How much ETH did exchanges receive today?'), /join labels\.addresses l on t\.to_address = l\.address where t\.success and l\.category = 'cex'/);
  assert.match(sql('USDT withdrawn from CEXes yesterday'), /on t\.from_address = l\.address .*l\.category = 'cex'/);
  assert.match(sql('ETH sent to bridges'), /l\.category = 'bridge'/);
  assert.match(sql('How many transactions went to MEV bots?'), /l\.category = 'mev'/);
});

test('measures: count, sum, average, median, min, max, share, percentage, distinct', () => {
  assert.match(sql('Number of blocks yesterday'), /^select count\(\*\)/);
  assert.match(sql('Total fees yesterday'), /sum\(fee_eth\)/);
  assert.match(sql('Mean gas price today'), /avg\(gas_price_gwei\)/);
  assert.match(sql('Median transaction value'), /median\(value_eth\)/);
  assert.match(sql('Minimum base fee this week'), /min\(base_fee_per_gas_gwei\) .* from ethereum\.blocks/);
  assert.match(sql('What was the highest gas price yesterday?'), /max\(gas_price_gwei\)/);
  assert.match(sql('Share of failed transactions'), /avg\(case when not success then 1\.0 else 0\.0 end\)/);
  assert.match(sql('Percentage of contract deployments'), /100\.0 \* avg\(case when created_contract_address is not null then 1\.0 else 0\.0 end\)/);
  assert.match(sql('How many unique traders on Curve?'), /count\(distinct taker\)/);
  assert.match(sql('Unique USDC receivers today'), /count\(distinct to_address\) .* upper\(symbol\) = 'USDC'/);
  assert.match(sql('Average number of transactions per block'), /avg\(transaction_count\) .* from ethereum\.blocks/);
  assert.match(sql('Average daily number of transactions'), /select avg\(transactions\) .* from \(select date_trunc\('day', block_time\) as day, count\(\*\) as transactions/);
  assert.match(sql('Total DEX volume in USD'), /sum\(amount_usd\) .* from dex\.trades/);
  assert.match(sql('How many transactions over 100 ETH?'), /count\(\*\) .* where value_eth > 100/);
});

test('grouping: per hour/day/week, daily, hourly, over time, per dimension', () => {
  assert.match(sql('Transactions per hour'), /date_trunc\('hour', block_time\) as hour, count\(\*\).* group by 1 order by 1$/);
  assert.match(sql('daily failed transactions'), /date_trunc\('day', block_time\) as day/);
  assert.match(sql('weekly DEX volume'), /date_trunc\('week', block_time\) as week/);
  assert.match(sql('gas price over time'), /date_trunc\('day', block_time\) as day, avg\(gas_price_gwei\)/);
  assert.match(sql('DEX volume by project'), /select project, sum\(amount_usd\) .* group by 1 order by 1$/);
  assert.match(sql('trade count by version on uniswap'), /select version, count\(\*\)/);
  assert.match(sql('transfers per token today'), /select symbol, count\(\*\)/);
  assert.match(sql('Daily DEX volume by project and version'), /group by 1, 2, 3 order by 1, 2, 3$/);
  assert.match(sql('ETH received per label category'), /select l\.category as category, sum\(t\.value_eth\)/);
  const i = intent('Daily DEX volume by project');
  assert.equal(i.bucket, 'day');
  assert.deepEqual(i.dims.map((d) => d.alias), ['project']);
});

test('ranking: top/bottom N, largest, most, which … had the highest ⇒ limit 1', () => {
  assert.match(sql('Top 7 senders by transaction count'), /select from_address, count\(\*\) .* order by 2 desc, 1 limit 7$/);
  assert.match(sql('bottom 3 projects by volume'), /select project, sum\(amount_usd\) .* order by 2 asc, 1 limit 3$/);
  assert.match(sql('Which pool had the highest volume?'), /select pool_address, sum\(amount_usd\) .* order by 2 desc, 1 limit 1$/);
  assert.match(sql('Which token had the most transfers today?'), /select symbol, count\(\*\) .* order by 2 desc, 1 limit 1$/);
  assert.match(sql('Show the 3 largest USDC transfers'), /select tx_hash, .*\bamount\b.* order by amount desc, tx_hash limit 3$/);
  assert.match(sql('largest DEX trades yesterday'), /order by amount_usd desc, tx_hash limit 10$/);
  assert.match(sql('Which block had the lowest base fee?'), /select block_number, .* order by base_fee_per_gas_gwei asc, block_number limit 1$/);
  assert.match(sql('Which day had the most transactions?'), /date_trunc\('day', block_time\) as day, count\(\*\) .* order by 2 desc, 1 limit 1$/);
  assert.match(sql('Which exchange received the most USDT?'), /select l\.name as label, sum\(t\.amount\)/);
  assert.match(sql('When was the ETH price lowest this week?'), /select hour, symbol, price_usd .* order by price_usd asc, hour limit 1$/);
});

test('chart hints and explanations follow the result shape', () => {
  const series = offline.translate('Transactions per hour over the last 24 hours');
  assert.deepEqual(series.chart, { type: 'line', x: 'hour', y: ['transactions'] });
  assert.match(series.explanation, /^Counts transactions per hour in the last 24 hours/);
  const bars = offline.translate('Top 5 tokens by number of transfers');
  assert.deepEqual(bars.chart, { type: 'bar', x: 'symbol', y: ['transfers'] });
  const single = offline.translate('How many transactions happened today?');
  assert.equal(single.chart, null);
  const withDay = new OfflineProvider({ snapshotTime: '2025-06-30 23:59:59' }).translate('How many transactions happened today?');
  assert.equal(withDay.explanation, "Counts transactions since the start of the snapshot's last day (2025-06-30 UTC).");
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ask } from '../../src/core/ask.js';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';
import { makeChainSnapshot } from './ask-snapshot.js';

const offline = new OfflineProvider();
const follow = (history: string[], q: string) => offline.translate(q, history.map((question) => ({ question }))).sql;

test('"what about DAI?" swaps the token and keeps the measure and window', () => {
  const sql = follow(['How much USDT was transferred in the last 24 hours?'], 'What about DAI?');
  assert.equal(sql, "select sum(amount) as sum_amount from tokens.transfers where upper(symbol) = 'DAI' and block_time > snapshot_time() - interval 24 hour");
});

test('"now only USDC" adds a token filter to a DEX series and keeps its grouping', () => {
  const sql = follow(['Daily DEX volume by project'], 'now only USDC');
  assert.match(sql, /^select date_trunc\('day', block_time\) as day, project, sum\(amount_usd\)/);
  assert.match(sql, /\(upper\(token_bought_symbol\) = 'USDC' or upper\(token_sold_symbol\) = 'USDC'\)/);
  assert.match(sql, /group by 1, 2 order by 1, 2$/);
});

test('"make it weekly" / "by day instead" change the time bucket', () => {
  assert.match(follow(['Transactions per hour over the last 24 hours'], 'make it weekly'), /date_trunc\('week', block_time\) as week, count\(\*\)/);
  const byDay = follow(['Transactions per hour over the last 24 hours'], 'by day instead');
  assert.match(byDay, /date_trunc\('day', block_time\) as day/);
  assert.match(byDay, /interval 24 hour/, 'the window stays');
});

test('"for the last 30 days" changes the window; "top 20 instead" the limit', () => {
  assert.match(follow(['Daily WETH transfer volume'], 'for the last 30 days'), /upper\(symbol\) = 'WETH' and block_time > snapshot_time\(\) - interval 30 day group by 1/);
  assert.match(follow(['Top 5 tokens by number of transfers in the last 7 days'], 'top 20 instead'), /order by 2 desc, 1 limit 20$/);
  assert.match(follow(['Top 10 USDC senders over the last week'], 'what about receivers?'), /^select to_address, sum\(amount\)/);
  assert.match(follow(['Daily average gas price in gwei'], 'what about the median?'), /median\(gas_price_gwei\)/);
  assert.match(follow(['How many trades were made on Curve in the last 24 hours?'], 'and on Balancer?'), /project = 'balancer'/);
});

test('refinements chain over several turns', () => {
  const sql = follow(['How much USDT was transferred in the last 24 hours?', 'What about DAI?'], 'for the last 3 days');
  assert.match(sql, /upper\(symbol\) = 'DAI' and block_time > snapshot_time\(\) - interval 3 day$/);
});

test('a complete new question after history is read on its own', () => {
  const sql = follow(['Daily DEX volume by project'], 'How many blocks were produced today?');
  assert.equal(sql, "select count(*) as blocks from ethereum.blocks where block_time >= date_trunc('day', snapshot_time())");
});

test('a refinement without any history is not guessed', () => {
  assert.throws(() => offline.translate('top 20 instead'), (e: unknown) => e instanceof OnchainSqlError && e.code === 'cannot_answer');
  assert.throws(() => offline.translate('make it weekly'), (e: unknown) => e instanceof OnchainSqlError && e.code === 'cannot_answer');
});

test('through ask(): a follow-up answered on a real snapshot', async () => {
  const dir = await makeChainSnapshot();
  const engine = await Engine.open(dir);
  try {
    const provider = await OfflineProvider.forEngine(engine);
    const first = await ask(engine, 'How many USDC transfers are there?', { provider });
    assert.deepEqual(first.rows, [[40]]);
    const second = await ask(engine, 'what about per day?', { provider, history: [{ question: first.question, sql: first.sql }] });
    assert.match(second.sql, /date_trunc\('day', block_time\) as day, count\(\*\)/);
    assert.equal(second.provider, 'offline');
    assert.equal(second.rows.reduce((s, r) => s + Number(r[1]), 0), 40);
  } finally {
    engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

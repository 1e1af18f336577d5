import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ask } from '../../src/core/ask.js';
import { Engine } from '../../src/core/engine/engine.js';
import type { GenerationRequest, Provider } from '../../src/core/nl2sql/provider.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';
import { buildSnapshot } from '../../src/core/snapshot/build.js';
import { MANIFEST_FILE } from '../../src/core/snapshot/layout.js';
import { defaultSnapshotDir, SAMPLE_SCALE, SAMPLE_SEED } from '../../src/core/snapshot/paths.js';
import { answerScope, conjuncts } from '../../src/core/words/filters.js';
import { formatFigure } from '../../src/core/words/summary.js';

/** A provider that answers with fixed SQL: the sentence under test comes from the SQL and the rows. */
function fixed(sql: string): Provider {
  return { id: 'claude', generate: async (_r: GenerationRequest) => ({ sql, explanation: 'fixed', chart: null }) };
}

describe('the answer sentence names its measure, filters and window (sample snapshot, real DuckDB)', () => {
  let engine: Engine;
  let offline: OfflineProvider;
  /** One number by independent SQL, to check the figure the sentence quotes. */
  const figure = async (sql: string) => formatFigure((await engine.query(sql)).rows[0][0]);
  before(async () => {
    const dir = defaultSnapshotDir();
    if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) await buildSnapshot({ outDir: dir, scale: SAMPLE_SCALE, seed: SAMPLE_SEED });
    engine = await Engine.open(dir);
    offline = await OfflineProvider.forEngine(engine);
  });
  after(() => engine.close());

  it('a count with a filter: "Failed transactions in the last 7 days: N"', async () => {
    const a = await ask(engine, 'how many failed transactions in the last 7 days', { provider: offline });
    const n = await figure('select count(*) from ethereum.transactions where not success and block_time > snapshot_time() - interval 7 day');
    assert.equal(a.summary, `Failed transactions in the last 7 days: ${n}.`);
    const usdc = await ask(engine, 'how many USDC transfers over 1000 today', { provider: offline });
    const m = await figure("select count(*) from tokens.transfers where symbol = 'USDC' and amount > 1000 and block_time >= date_trunc('day', snapshot_time())");
    assert.equal(usdc.summary, `USDC transfers with amount over 1,000 today: ${m}.`);
  });

  it('a sum names its measure, what it sums and the filters', async () => {
    const a = await ask(engine, 'how much USDC was transferred yesterday', { provider: offline });
    const n = await figure("select sum(amount) from tokens.transfers where symbol = 'USDC' and block_time >= date_trunc('day', snapshot_time()) - interval 1 day and block_time < date_trunc('day', snapshot_time())");
    assert.equal(a.summary, `Total amount of USDC transfers yesterday: ${n}.`);
    const eth = await ask(engine, 'total ETH sent to Binance', { provider: offline });
    assert.match(eth.summary ?? '', /^Total value \(ETH\) of successful transactions to Binance 14, Binance 15, Binance 16 in the snapshot: [\d,.]+\.$/);
  });

  it('a top-N names its leader with the filter of the ranking', async () => {
    const a = await ask(engine, 'top 3 uniswap pools by volume', { provider: offline });
    assert.equal(a.rowCount, 3);
    assert.equal(a.summary, `${a.rows[0][0]} had the highest total amount (USD) of trades on uniswap in the snapshot: ${formatFigure(a.rows[0][1])} (first of 3 rows).`);
    const failed = await ask(engine, 'top senders of failed transactions', { provider: fixed('select from_address, count(*) as transactions from ethereum.transactions where not success group by 1 order by 2 desc, 1 limit 5') });
    assert.equal(failed.summary, `${failed.rows[0][0]} had the most failed transactions in the snapshot: ${formatFigure(failed.rows[0][1])} (first of 5 rows).`);
  });

  it('a time series names the measure, the filter and the window with its range', async () => {
    const a = await ask(engine, 'daily uniswap volume in the last 7 days', { provider: offline });
    const values = a.rows.map((r) => Number(r[1]));
    const lo = a.rows[values.indexOf(Math.min(...values))];
    assert.match(a.summary ?? '', new RegExp(`^Total amount \\(USD\\) of trades on uniswap in the last 7 days ranged from ${formatFigure(lo[1]).replace(/[.,]/g, '\\$&')} \\(${String(lo[0]).slice(0, 10)}\\) to [\\d,]+ \\(\\d{4}-\\d\\d-\\d\\d\\) over ${a.rowCount} periods\\.$`));
  });

  it('a share names what it is a share of: one figure, or the largest part of a whole', async () => {
    const a = await ask(engine, 'what percentage of transactions failed in the last day', { provider: offline });
    assert.match(a.summary ?? '', /^Percent of transactions that failed in the last day: \d+(\.\d+)?\.$/);
    const parts = await ask(engine, 'share of USDC and USDT transfers', { provider: fixed("select symbol, count(*) / sum(count(*)) over () as share from tokens.transfers where symbol in ('USDC', 'USDT') group by 1 order by 1") });
    const lead = parts.rows.reduce((b, r) => (Number(r[1]) > Number(b[1]) ? r : b));
    assert.equal(parts.summary, `${lead[0]} had the largest share of USDC, USDT transfers in the snapshot: ${formatFigure(lead[1])} (largest of 2 rows).`);
  });

  it('an empty result says what had none; a listing how many rows of what', async () => {
    const none = await ask(engine, 'NOPE transfers today', { provider: fixed("select count(*) as n, 1 as k from tokens.transfers where symbol = 'NOPE' and block_time >= date_trunc('day', snapshot_time()) group by 2") });
    assert.equal(none.summary, 'No NOPE transfers today.');
    const list = await ask(engine, 'failed transactions', { provider: fixed('select tx_hash from ethereum.transactions where not success limit 7') });
    assert.equal(list.summary, '7 rows of failed transactions in the snapshot.');
  });

  it('reads top-level conditions only; joins and windows say nothing; an unknown condition is quoted', async () => {
    const scopeOf = async (sql: string) => answerScope(await engine.describeStatement(sql), sql);
    assert.deepEqual(conjuncts("a = 'x and y' and (b or c and d) and e between 1 and 2 and f"), ["a = 'x and y'", '(b or c and d)', 'e between 1 and 2', 'f']);
    const s = await scopeOf("select count(*) from ethereum.transactions t join ethereum.blocks b on t.block_number = b.block_number where t.to_address = b.miner and t.gas_used <= 21000 and t.block_time > snapshot_time() - interval 1 day and t.nonce % 2 = 1");
    assert.deepEqual(s, { noun: 'transactions', before: [], after: ['with gas used at most 21,000', 'where t.nonce % 2 = 1'] });
    assert.deepEqual(await scopeOf('select count(*) from some_view where x is null'), { noun: undefined, before: [], after: ['with no x'] });
  });
});

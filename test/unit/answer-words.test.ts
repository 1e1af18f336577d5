import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ask } from '../../src/core/ask.js';
import type { Engine } from '../../src/core/engine/engine.js';
import type { GenerationRequest, Provider } from '../../src/core/nl2sql/provider.js';
import { buildHistory, HISTORY_TURNS } from '../../src/core/nl2sql/history.js';
import { answerAssumptions } from '../../src/core/words/assumptions.js';
import { answerNotes, snapshotRange } from '../../src/core/words/notes.js';
import { measureWords, summarize } from '../../src/core/words/summary.js';
import { windowOf } from '../../src/core/words/window.js';
import { closeChainEngine, openChainEngine } from './ask-snapshot.js';

/** A provider that answers with fixed SQL: the words under test come from the rows, not from it. */
function fixed(sql: string): Provider {
  return { id: 'claude', generate: async (_r: GenerationRequest) => ({ sql, explanation: 'fixed', chart: null }) };
}

describe('answer words: summary, assumptions, notes, history', () => {
  let dir: string;
  let engine: Engine;
  before(async () => { ({ dir, engine } = await openChainEngine()); });
  after(() => closeChainEngine(dir, engine));

  it('reads the window from the SQL', () => {
    assert.deepEqual(windowOf("select 1 from t where block_time > snapshot_time() - interval 7 day"), { kind: 'last', n: 7, unit: 'day' });
    assert.deepEqual(windowOf("where block_time >= date_trunc('day', snapshot_time()) - interval 1 day and block_time < date_trunc('day', snapshot_time())"), { kind: 'yesterday' });
    assert.deepEqual(windowOf("where block_time >= date_trunc('day', snapshot_time())"), { kind: 'today' });
    assert.deepEqual(windowOf("where block_time >= date_trunc('day', snapshot_time()) - interval 2 day and block_time < date_trunc('day', snapshot_time()) - interval 1 day"), { kind: 'daysAgo', n: 2 });
    assert.equal(windowOf('select count(*) from ethereum.blocks'), undefined);
  });

  it('summarises a ranking by its leader, a figure by itself and a series by its range', async () => {
    const ranked = await ask(engine, 'top senders', { provider: fixed("select from_address, count(*) as transfers from tokens.transfers where block_time > snapshot_time() - interval 1 day group by 1 order by 2 desc, 1 limit 3") });
    const leader = ranked.rows[0];
    assert.equal(ranked.summary, `${leader[0]} had the most transfers in the last day: ${Number(leader[1]).toLocaleString('en-US')} (first of 3 rows).`);
    const single = await ask(engine, 'how many', { provider: fixed('select count(*) as transactions from ethereum.transactions') });
    assert.equal(single.summary, 'Transactions in the snapshot: 1,000.');
    const series = summarize("select date_trunc('hour', block_time) as hour, count(*) as n from x group by 1 order by 1",
      [{ name: 'hour', type: 'TIMESTAMP' }, { name: 'n', type: 'BIGINT' }], [['2026-01-01 00:00:00', 5], ['2026-01-01 01:00:00', 9], ['2026-01-01 02:00:00', 2]]);
    assert.equal(series, 'N in the snapshot ranged from 2 (2026-01-01 02:00) to 9 (2026-01-01 01:00) over 3 periods.');
    assert.equal(measureWords('sum_value_eth'), 'total value (ETH)');
  });

  it('names each statistic of a one-row answer, and leads a ranking with the column it orders by', () => {
    const stats = summarize('select min(gas_price_gwei) as min_gas_price_gwei, max(gas_price_gwei) as max_gas_price_gwei from x',
      [{ name: 'min_gas_price_gwei', type: 'DOUBLE' }, { name: 'max_gas_price_gwei', type: 'DOUBLE' }], [[2.5, 57.25]]);
    assert.equal(stats, 'Lowest gas price (gwei) in the snapshot: 2.5; highest gas price (gwei): 57.25.');
    const withShare = summarize('select symbol, count(*) as transfers, count(*) / sum(count(*)) over () as share from x group by 1 order by 2 desc, 1 limit 2',
      [{ name: 'symbol', type: 'VARCHAR' }, { name: 'transfers', type: 'BIGINT' }, { name: 'share', type: 'DOUBLE' }], [['WETH', 30, 0.6], ['USDC', 20, 0.4]]);
    assert.equal(withShare, 'WETH had the most transfers in the snapshot: 30 (first of 2 rows).');
  });

  it('notes a period longer than the snapshot, with the range used', async () => {
    const a = await ask(engine, 'transactions in the last 30 days', { provider: fixed('select count(*) from ethereum.transactions where block_time > snapshot_time() - interval 30 day') });
    const range = await snapshotRange(engine);
    assert.ok(range);
    assert.deepEqual(a.notes, [`The snapshot holds 1 hour of data (${range.first} to ${range.last} UTC); "the last 30 days" covers more than that, so the answer uses the whole snapshot.`]);
    const inside = await ask(engine, 'blocks in the last 10 minutes', { provider: fixed('select count(*) from ethereum.blocks where block_time > snapshot_time() - interval 10 minute') });
    assert.equal(inside.notes, undefined);
  });

  it('says which filter or which empty table emptied a result', async () => {
    const sym = await ask(engine, 'NOPE transfers', { provider: fixed("select count(*) as n, 1 as k from tokens.transfers where symbol = 'NOPE' group by 2") });
    assert.equal(sym.rowCount, 0);
    assert.deepEqual(sym.notes, ["No row of tokens.transfers has symbol = 'NOPE': that filter alone empties the result."]);
    assert.equal(sym.summary, 'No NOPE transfers in this snapshot.');
    const trades = await ask(engine, 'uniswap trades', { provider: fixed("select * from dex.trades where project = 'uniswap'") });
    assert.deepEqual(trades.notes, ['dex.trades is empty in this snapshot, so nothing can match.']);
    const q = "select * from tokens.transfers where symbol = 'USDC' and block_time > snapshot_time() - interval 1 minute and amount > 1e12";
    const notes = await answerNotes(engine, q, (await engine.describeStatement(q)).tables, 0);
    assert.deepEqual(notes, ['Nothing matches in the last minute.']);
  });

  it('passes on what the snapshot\'s manifest says about the tables read: why one is empty, what is approximate', async () => {
    const manifest = {
      rowCounts: { 'dex.trades': 0, 'tokens.transfers': 10 },
      notes: ['dex.trades: the export held no Uniswap V2 or V3 Swap events.', 'tokens.transfers: amount_usd is NULL where a token has no on-chain price.'],
    };
    const empty = await answerNotes(engine, "select * from dex.trades where project = 'uniswap'", ['dex.trades'], 0, undefined, manifest);
    assert.equal(empty.length, 1);
    assert.match(empty[0], /^dex\.trades is empty in this snapshot: .*no Uniswap V2 or V3 Swap events/);
    const partial = await answerNotes(engine, 'select symbol, sum(amount_usd) from tokens.transfers group by 1', ['tokens.transfers'], 3, undefined, manifest);
    assert.deepEqual(partial.length, 1);
    assert.match(partial[0], /amount_usd is NULL where a token has no on-chain price/);
  });

  it('states the reading of "gas price" and of "this week" with the other as a question', async () => {
    const paid = await answerAssumptions(engine, 'Average gas price this week', "select avg(gas_price_gwei) from ethereum.transactions where block_time >= date_trunc('week', snapshot_time())");
    assert.deepEqual(paid.map((x) => x.alternative?.question), ['Average base fee this week', 'Average gas price in the last 7 days']);
    const base = await answerAssumptions(engine, 'gas price this week', 'select avg(base_fee_per_gas_gwei) from ethereum.blocks where block_time > snapshot_time() - interval 7 day');
    assert.deepEqual(base.map((x) => x.alternative?.label), ['Use the price transactions paid', 'Use the calendar week (since Monday)']);
    assert.deepEqual(await answerAssumptions(engine, 'how many blocks', 'select count(*) from ethereum.blocks'), []);
  });

  it('one history builder: answered turns only, the last HISTORY_TURNS, compact results', () => {
    const turns = Array.from({ length: 9 }, (_, i) => ({ question: `q${i}`, sql: i === 8 ? undefined : `select ${i}`, columns: [{ name: 'x' }], rows: [[i]], rowCount: 1 }));
    const h = buildHistory(turns);
    assert.equal(h.length, HISTORY_TURNS);
    assert.deepEqual(h.map((t) => t.question), ['q2', 'q3', 'q4', 'q5', 'q6', 'q7']);
    assert.equal(h.at(-1)!.resultSummary, '1 row; columns: x\n7');
    assert.deepEqual(buildHistory([{ question: 'a', sql: 'select 1', resultSummary: 'kept' }]), [{ question: 'a', sql: 'select 1', resultSummary: 'kept' }]);
  });
});

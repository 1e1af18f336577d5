import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../src/core/engine/engine.js';
import { buildContext, rankTables } from '../../src/core/nl2sql/context.js';
import { CONTEXT_SPLIT, renderUserMessage, splitContext } from '../../src/core/nl2sql/prompt.js';
import { HOSTILE_TOKEN, USDC, closeChainEngine, openChainEngine } from './ask-snapshot.js';

describe('context selection', () => {
  let dir: string;
  let engine: Engine;
  before(async () => ({ dir, engine } = await openChainEngine()));
  after(() => closeChainEngine(dir, engine));

  it('ranks the table a question is about first, synonyms included', () => {
    const first = (q: string) => rankTables(q)[0].name;
    assert.equal(first('How many swaps on uniswap yesterday?'), 'dex.trades');
    assert.equal(first('What was the price of WETH at noon?'), 'prices.hourly');
    assert.equal(first('Which exchanges received the most USDC?'), 'labels.addresses');
    assert.equal(first('Share of failed transactions in the last 7 days'), 'ethereum.transactions');
    assert.equal(first('Average base fee per block today'), 'ethereum.blocks');
    assert.equal(first('How many USDC transfers were mints?'), 'tokens.transfers');
    assert.equal(first('Which event topics were emitted most?'), 'ethereum.logs');
  });

  it('always carries the units, relative-time, address and dialect rules and the snapshot facts', async () => {
    const ctx = await buildContext(engine, 'How many blocks are there?');
    for (const needle of ['snapshot_time()', "date_trunc('day', snapshot_time())", '_wei (HUGEINT, raw)', 'amount (DOUBLE, decimal-adjusted)', 'Meaning: ETH that moves',
      'lowercase 0x-prefixed', 'quoted lowercase literals', 'DuckDB SQL', "TIMESTAMP '2026-01-01 00:19:48'", 'blocks 1000 to 1099']) {
      assert.ok(ctx.text.includes(needle), `missing: ${needle}`);
    }
    // Even with almost no budget the rules and facts stay.
    const tight = await buildContext(engine, 'How many blocks are there?', { budgetChars: 10 });
    assert.ok(tight.text.includes('snapshot_time()') && tight.text.includes('_wei (HUGEINT, raw)'));
    assert.ok(tight.text.includes("TIMESTAMP '2026-01-01 00:19:48'"));
  });

  it('with a tight budget keeps the relevant tables and drops the others', async () => {
    const q = 'Top 5 uniswap pools by swap volume in USD, and the WETH price';
    const tight = await buildContext(engine, q, { budgetChars: 1 });
    assert.ok(tight.staticPart.includes('### dex.trades'));
    assert.ok(tight.staticPart.includes('token_pair'), 'the most relevant table is listed with its columns');
    assert.deepEqual(tight.staticPart.match(/^### \S+?(?=[ (\n—]|$)/gm), ['### dex.trades'], 'nothing else fits');
    assert.ok(!tight.staticPart.includes('### ethereum.logs') && !tight.staticPart.includes('### tokens.erc20'));
    const loose = await buildContext(engine, q);
    assert.deepEqual(loose.tables.slice(0, 2), ['dex.trades', 'prices.hourly'], 'most relevant first');
    assert.ok(loose.staticPart.includes('### ethereum.logs'), 'with the default budget every table fits');
    assert.ok(loose.dynamicPart.includes('Most relevant tables for this question: dex.trades, prices.hourly'));
    assert.ok(!/Most relevant tables[^\n]*ethereum\.logs/.test(loose.dynamicPart));
  });

  it('keeps the static part byte-identical across questions (prompt caching) and splits cleanly', async () => {
    const a = await buildContext(engine, 'How many transactions failed today?');
    const b = await buildContext(engine, 'Top traders on sushiswap this week');
    assert.equal(a.staticPart, b.staticPart);
    assert.notEqual(a.dynamicPart, b.dynamicPart);
    assert.equal(a.text, `${a.staticPart}${CONTEXT_SPLIT}${a.dynamicPart}`);
    assert.deepEqual(splitContext(a.text), { staticPart: a.staticPart, dynamicPart: a.dynamicPart });
  });

  it('puts token symbols in only as quoted, bounded, stripped data inside a delimited block', async () => {
    const ctx = await buildContext(engine, 'How many USDC token transfers were there?');
    const m = /<data kind="tokens">\n([\s\S]*?)\n<\/data>/.exec(ctx.dynamicPart);
    assert.ok(m, 'a tokens data block is present');
    const lines = m[1].split('\n');
    assert.ok(lines.some((l) => l.includes('"USDC"') && l.includes(USDC)));
    const hostile = lines.find((l) => l.includes(HOSTILE_TOKEN));
    assert.ok(hostile, 'the hostile token is listed as data');
    const parsed = JSON.parse(hostile) as { symbol: string };
    assert.ok(parsed.symbol.length <= 24, `symbol bounded, got ${parsed.symbol.length}`);
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    assert.ok(!/[\u0000-\u001f\u202e]/.test(parsed.symbol), 'control and bidi characters stripped');
    assert.ok(!hostile.includes('</data>') && !hostile.includes('<'), 'cannot close the data block');
    // Outside the block, the attacker's text appears nowhere.
    const outside = ctx.text.replace(m[0], '');
    assert.ok(!outside.includes('IGNORE ALL PREVIOUS'), 'hostile text only inside the data block');
    assert.equal(ctx.dynamicPart.split('</data>').length - 1, ctx.dynamicPart.split('<data kind=').length - 1, 'blocks balanced');
  });

  it('lists labels matching the question as data for exchange questions', async () => {
    const ctx = await buildContext(engine, 'How much did Binance receive?');
    assert.ok(ctx.tables[0] === 'labels.addresses' || ctx.dynamicPart.includes('labels.addresses'));
    assert.match(ctx.dynamicPart, /<data kind="labels">[\s\S]*"Binance 14"[\s\S]*"cex"[\s\S]*<\/data>/);
  });

  it('a follow-up keeps the previous turn\'s tables and the user message carries the earlier turn', async () => {
    const history = [{ question: 'Daily swap volume by project', sql: 'SELECT date_trunc(\'day\', block_time) AS day, project, sum(amount_usd) FROM dex.trades GROUP BY ALL', resultSummary: '7 rows; columns: day, project, sum' }];
    const ctx = await buildContext(engine, 'now only USDC', { history });
    assert.ok(ctx.dynamicPart.includes('Most relevant tables for this question: ') && ctx.dynamicPart.includes('dex.trades'));
    const user = renderUserMessage({ question: 'now only USDC', history });
    assert.match(user, /Q1: Daily swap volume by project/);
    assert.match(user, /FROM dex\.trades/);
    assert.match(user, /<data kind="result">\n"7 rows; columns: day, project, sum"\n<\/data>/);
    assert.match(user, /Question: now only USDC$/);
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(buildContext(engine, 'How many USDC transfers?', { signal: ac.signal }));
  });
});

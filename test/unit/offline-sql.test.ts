import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ask } from '../../src/core/ask.js';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';
import { sqlString } from '../../src/core/sql/literal.js';
import { suggestionsFor } from '../../src/core/nl2sql/offline/suggest.js';
import { lexQuestion } from '../../src/core/nl2sql/offline/frame.js';
import { buildLexicon } from '../../src/core/nl2sql/offline/lexicon.js';
import { HOSTILE_SYMBOL, makeChainSnapshot } from './ask-snapshot.js';

/** A spread over every family: each must produce SQL that DuckDB binds and runs. */
const SPREAD = [
  'How many transactions happened today?',
  'Transactions per hour over the last 24 hours',
  'What fraction of transactions failed in the last 7 days?',
  'Percentage of EIP-1559 transactions per day',
  'Top 10 addresses by ETH received yesterday',
  'Show the 5 largest ETH transfers in the last 24 hours',
  'Most expensive transaction this week',
  'Daily average gas price in gwei',
  'Median gas price per hour today',
  'Total transaction fees in ETH per day',
  'Which block had the highest base fee?',
  'Average block gas utilization per day',
  'Top 5 block builders by blocks produced',
  'Average number of transactions per block',
  'Number of contract deployments per day',
  'How many unique senders were active in the last 24 hours?',
  'Which day had the most transactions?',
  'Average daily number of transactions',
  'Top 5 tokens by number of transfers in the last 7 days',
  'How much USDT was transferred in the last 24 hours?',
  'Daily WETH transfer volume',
  'How much DAI was burned yesterday?',
  'How much wrapped bitcoin was minted since Monday?',
  'Top 10 USDC senders over the last week',
  'USDC transfers above 1 million',
  'How many different tokens were transferred today?',
  'DEX volume in USD yesterday',
  'Daily DEX volume by project',
  'Top 10 token pairs by trade count in the last 7 days',
  'How many trades were made on Curve in the last 24 hours?',
  'Uniswap v2 versus v3 volume over the last week',
  'Which pool had the highest volume yesterday?',
  'Share of DEX volume by project',
  'What share of DEX volume is on Uniswap?',
  'ETH/stETH volume on Curve',
  'Number of unique traders on Balancer this week',
  'Average daily DEX volume',
  'Hourly ETH price over the last 24 hours',
  'What was the lowest LINK price in the last 7 days?',
  'What is the current price of WBTC?',
  'Latest prices for all tokens',
  'When was the ETH price highest?',
  'Average UNI price per day',
  'How much ETH did bridges receive in the last 24 hours?',
  'USDC volume withdrawn from centralized exchanges per day',
  'Which exchange received the most USDT this week?',
  'ETH received per label category',
  'How many exchange addresses are labelled?',
  'How many tokens are in the token list?',
  'How many transactions were there on 2026-01-01?',
  'Count blocks between June 25 and June 27',
  'How many unique traders used Uniswap v2 since Wednesday?',
  'Transactions by type',
];

describe('offline SQL on a real snapshot', () => {
  let dir: string;
  let engine: Engine;
  let offline: OfflineProvider;
  before(async () => {
    dir = await makeChainSnapshot();
    engine = await Engine.open(dir);
    offline = await OfflineProvider.forEngine(engine);
  });
  after(() => {
    engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every family yields SQL that validates and runs', async () => {
    for (const q of SPREAD) {
      const g = await offline.generate({ question: q, history: [], context: '' });
      try {
        await engine.validate(g.sql).then((v) => v.prepared.destroySync());
        const r = await engine.query(g.sql);
        assert.ok(r.columns.length >= 1, q);
        if (g.chart) {
          const names = r.columns.map((c) => c.name);
          assert.ok(names.includes(g.chart.x) && g.chart.y.every((y) => names.includes(y)), `chart hint names real columns: ${q}`);
        }
      } catch (e) {
        assert.fail(`${q}\n${g.sql}\n${(e as Error).message}`);
      }
      assert.ok(g.explanation.length > 20 && !g.explanation.includes('undefined'), `explanation for ${q}: ${g.explanation}`);
    }
  });

  test('results are real: counts on the test snapshot agree with direct SQL', async () => {
    const g = await offline.generate({ question: 'How many USDC transfers are there?', history: [], context: '' });
    const got = await engine.query(g.sql);
    const want = await engine.query("select count(*) from tokens.transfers where symbol = 'USDC'");
    assert.equal(got.rows[0][0], want.rows[0][0]);
    assert.equal(got.rows[0][0], 40);
  });

  test('through ask(), the explanation names the snapshot day even for a provider built without it', async () => {
    const a = await ask(engine, 'How many transactions happened today?', { provider: new OfflineProvider() });
    assert.equal(a.explanation, "Counts transactions since the start of the snapshot's last day (2026-01-01 UTC).");
    assert.deepEqual(a.rows, [[1000]]);
    assert.equal(a.chart, null);
  });

  test('the snapshot’s hostile symbol is never matchable, and questions quoting it are refused', async () => {
    const lex = buildLexicon([HOSTILE_SYMBOL, "O'REILLY", '<img src=x onerror=alert(1)>']);
    assert.equal([...lex.symbols.values()].some((s) => /['<>\s]/.test(s)), false);
    for (const q of [`How much ${HOSTILE_SYMBOL} was transferred?`, "How much O'REILLY was transferred today?", 'Volume of <img src=x onerror=alert(1)>']) {
      assert.throws(() => offline.translate(q), (e: unknown) => e instanceof OnchainSqlError && e.code === 'cannot_answer', q.slice(0, 60));
    }
  });
});

describe('offline refusals and suggestions', () => {
  const offline = new OfflineProvider();
  const refuse = (q: string) => {
    try {
      offline.translate(q);
    } catch (e) {
      assert.ok(e instanceof OnchainSqlError, q);
      assert.equal(e.code, 'cannot_answer', q);
      assert.match(e.message, /^I can't answer that offline: /);
      return e;
    }
    return assert.fail(`expected cannot_answer for: ${q}`);
  };

  test('unknown questions are refused with 3–5 suggestions', () => {
    for (const q of ["What's the weather in Paris?", 'Who will win the election?', 'Show NFT floor prices', 'Predict tomorrow\'s ETH price', 'What is the total value locked in Aave?', 'asdf qwer']) {
      const e = refuse(q);
      assert.ok(e.suggestions.length >= 3 && e.suggestions.length <= 5, `${q}: ${e.suggestions.length} suggestions`);
    }
  });

  test('an unknown word anywhere means no silent guess', () => {
    for (const q of [
      'Which tokens had no transfers yesterday?',
      'Transactions excluding contract deployments',
      'USDC transfers except on weekends',
      'How many transactions in block 123?',
      'Daily volume',
      'ETH price in euros',
      'How many transactions per second?',
      'how many',
      'Uniswap yesterday',
    ]) refuse(q);
    const token = refuse('USDC');
    assert.match(token.message, /what do you want to know about USDC/);
    assert.ok(token.suggestions.every((s) => s.includes('USDC')));
  });

  test('suggestions are tailored to what was recognised', () => {
    const token = refuse('USDC velocity over the last week');
    assert.ok(token.suggestions.every((s) => s.includes('USDC')), token.suggestions.join(' | '));
    const project = refuse('Curve impermanent loss');
    assert.ok(project.suggestions.some((s) => s.includes('Curve')), project.suggestions.join(' | '));
    const bridge = refuse('bridges risk score');
    assert.ok(bridge.suggestions.some((s) => /bridges/.test(s)), bridge.suggestions.join(' | '));
  });

  test('every suggestion the translator can make is itself answerable', () => {
    const lex = buildLexicon();
    const probes = ['USDC', 'LINK price', 'ether', 'Curve', 'Uniswap', 'Balancer', 'Sushiswap', 'bridges', 'exchanges', 'lending', 'mev bots', 'DEX pools', 'blocks base fee', 'gas price fees', 'volume', 'price', ''];
    for (const p of probes) {
      for (const s of suggestionsFor(lexQuestion(`${p} zzz`, lex))) {
        assert.doesNotThrow(() => offline.translate(s), `suggestion "${s}" (for "${p}")`);
      }
    }
  });

  test('SQL injection attempts are refused or become escaped literals', () => {
    refuse("top tokens'; drop table x; --");
    refuse('How many transactions; DELETE FROM ethereum.transactions');
    refuse("USDC' OR '1'='1 transfers");
    assert.equal(sqlString("O'Brien"), "'O''Brien'");
    // A long-tail symbol from the snapshot (schemas/tokens.json has "$ZKP") is only ever a quoted literal.
    const dollar = offline.translate('How much $ZKP was transferred today?').sql;
    assert.match(dollar, /upper\(symbol\) = '\$ZKP'/);
    const withQuote = new OfflineProvider({ symbols: ["AB'C"] });
    refuse.call(null, "How much AB'C was transferred?");
    assert.throws(() => withQuote.translate("How much AB'C was transferred?"), (e: unknown) => e instanceof OnchainSqlError && e.code === 'cannot_answer');
  });

  test('empty and oversized questions', () => {
    assert.throws(() => offline.translate('   '), (e: unknown) => e instanceof OnchainSqlError && e.code === 'empty_question');
    refuse(`How many transactions ${'really '.repeat(400)}today?`);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OnchainSqlError } from '../../src/core/errors.js';
import type { Engine } from '../../src/core/engine/engine.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';
import { closeChainEngine, openChainEngine } from './ask-snapshot.js';

// Follow-up classes of the fourth blind conversation set, each checked on wordings of our own:
// interjections and politeness, phrasal verbs with a pronoun, measure changes that keep the
// grouping and window, corrections earlier in a chain, and shares of "that day".
const p = new OfflineProvider({ labels: [{ name: 'Binance 14', category: 'cex' }, { name: 'Coinbase 3', category: 'cex' }] });
const sql = (q: string, history: string[] = []) => p.translate(q, history.map((question) => ({ question }))).sql;
const refused = (q: string, history: string[] = []) => {
  assert.throws(() => sql(q, history), (e: unknown) => e instanceof OnchainSqlError && e.code === 'cannot_answer', q);
};
const TODAY = "block_time >= date_trunc('day', snapshot_time())";
const YESTERDAY = "block_time >= date_trunc('day', snapshot_time()) - interval 1 day and block_time < date_trunc('day', snapshot_time())";

describe('interjections and politeness in a follow-up', () => {
  test('discourse markers and dashes before, inside or after a follow-up are filler', () => {
    assert.equal(sql('uh, and today?', ['how many blocks yesterday']), `select count(*) as blocks from ethereum.blocks where ${TODAY}`);
    assert.match(sql('oh ok \u2014 what about the last 3 days', ['how many blocks yesterday']), /from ethereum\.blocks where block_time > snapshot_time\(\) - interval 3 day$/);
    assert.match(sql('umm thank you, only the top 2 plz', ['Top 5 tokens by transfers']), /^select symbol, count\(\*\) as transfers .* limit 2$/);
    assert.match(sql('perfect; now for DAI', ['total USDC volume today']), /upper\(symbol\) = 'DAI'/);
    assert.match(sql('great, show me 12 of them thx', ['largest ETH transfers today']), /order by value_eth desc, tx_hash limit 12$/);
  });

  test('an unknown content word after an interjection is still refused', () => {
    refused('hmm, and the weather today?', ['how many blocks yesterday']);
    refused('thanks \u2013 what about my cat?', ['how many blocks yesterday']);
  });

  test('a correction marker ("actually", "no wait", "my bad") makes a bare role a follow-up', () => {
    for (const q of ['actually, receivers', 'no wait, receivers', 'my bad — the receivers', 'oops, I meant receivers']) {
      assert.match(sql(q, ['top ETH senders last week']), /^select to_address, sum\(value_eth\) .* interval 7 day group by 1 order by 2 desc, 1 limit 10$/, q);
    }
    assert.match(sql('show 20 of them', ['top ETH senders last week', 'actually receivers']), /^select to_address, .* limit 20$/);
    assert.match(sql('all but curve', ['DEX volume in USD per project']), /where project <> 'curve' group by 1/);
  });

  test('"I meant" corrects the previous turn, and the correction survives the next follow-up', () => {
    assert.match(sql('wait, I meant senders', ['top ETH receivers yesterday']), /^select from_address, sum\(value_eth\)/);
    const s = sql('give me 15 of them', ['top ETH receivers yesterday', 'ah sorry, I mean senders']);
    assert.match(s, /^select from_address, sum\(value_eth\) .* limit 15$/);
    assert.ok(s.includes(YESTERDAY), s);
  });
});

describe('phrasal verbs with a pronoun: "break those down", "split it out"', () => {
  test('the pronoun between the verb and its particle regroups the previous answer', () => {
    for (const q of ['split those up by hour', 'break it out by hour', 'break these down hourly']) {
      assert.match(sql(q, ['USDC transfers today']), /^select date_trunc\('hour', block_time\) as hour, count\(\*\) as transfers from tokens\.transfers where upper\(symbol\) = 'USDC'/, q);
    }
    assert.match(sql('break that out per project', ['DEX volume in USD yesterday']), new RegExp(`^select project, sum\\(amount_usd\\).*${YESTERDAY.replace(/[()]/g, '\\$&')} group by 1`));
    refused('break the weather out per project', ['DEX volume in USD yesterday']);
  });
});

describe('a new measure keeps the grouping and the window', () => {
  test('"make that/it the average …" after a grouped count', () => {
    for (const q of ['make that the average trade size in USD', 'make it the average trade size']) {
      assert.equal(sql(q, ['count of DEX trades per project yesterday']),
        `select project, avg(amount_usd) as avg_amount_usd from dex.trades where ${YESTERDAY} group by 1 order by 1`, q);
    }
  });

  test('"average per transaction" after a fee total is the average fee over the same window', () => {
    for (const q of ['average per transaction instead', 'and per transaction on average?', 'hm, the average per tx then']) {
      assert.equal(sql(q, ['sum of gas fees in ETH yesterday']), `select avg(fee_eth) as avg_fee_eth from ethereum.transactions where ${YESTERDAY}`, q);
    }
  });
});

describe('"as a share of all transactions that day"', () => {
  test('"that day" names the window already asked about, not a daily grouping', () => {
    for (const q of ['ty! as a share of all transactions that day?', 'as a share of all transactions on the same day', 'what fraction of all transactions on that day?']) {
      assert.equal(sql(q, ['how many failed transactions yesterday']),
        `select avg(case when not success then 1.0 else 0.0 end) as share_failed from ethereum.transactions where ${YESTERDAY}`, q);
    }
  });
});

describe('exclusions: "without curve", "except USDT", "not counting Binance"', () => {
  test('a project or token left out is a negated filter that keeps the grouping and window', () => {
    assert.equal(sql('leave curve out of it', ['DEX volume in USD per project']), "select project, sum(amount_usd) as sum_amount_usd from dex.trades where project <> 'curve' group by 1 order by 1");
    assert.match(sql('minus balancer and curve', ['DEX volume in USD per project yesterday']), new RegExp(`where project not in \\('balancer', 'curve'\\) and ${YESTERDAY.replace(/[()]/g, '\\$&')} group by 1`));
    assert.match(sql('ignoring USDC', ['top 5 tokens by transfers today']), /^select symbol, count\(\*\) as transfers from tokens\.transfers where upper\(symbol\) <> 'USDC' and .* limit 5$/);
    assert.match(sql('excluding WETH trades', ['DEX volume in USD today']), /coalesce\(upper\(token_bought_symbol\), ''\) <> 'WETH' and coalesce\(upper\(token_sold_symbol\), ''\) <> 'WETH' and block_time >=/);
    assert.match(sql('drop uniswap', ['DEX volume in USD per project']), /where project <> 'uniswap' group by 1/);
    // exclusions stay through later follow-ups until the value is named again
    assert.match(sql('and yesterday?', ['DEX volume in USD per project', 'without curve']), /where project <> 'curve' and block_time >= /);
    assert.match(sql('now only curve', ['DEX volume in USD per project', 'without curve']), /where project = 'curve' group by 1/);
    // a question that opens with a negated condition and names its own subject starts afresh
    assert.equal(sql('without a method call, how many transactions today?', ['USDC volume yesterday']),
      `select count(*) as transactions from ethereum.transactions where method_id = '0x' and ${TODAY}`);
    // a standalone question may exclude too
    assert.match(sql('DEX volume by project other than uniswap last week'), /^select project, sum\(amount_usd\) .* where project <> 'uniswap' and block_time > /);
  });

  test('an organisation left out is an anti-join on the side being ranked', () => {
    assert.match(sql('not including coinbase', ['top ETH receivers yesterday']), /^select to_address, .* to_address not in \(select address from labels\.addresses where name in \('Coinbase 3'\)\)/);
    assert.match(sql('leaving out binance', ['top ETH senders yesterday']), /from_address not in \(select address from labels\.addresses where name in \('Binance 14'\)\)/);
  });

  test('a negated condition still flips it; a negation of nothing we can leave out is refused', () => {
    assert.match(sql('not counting the failed ones', ['how many transactions today']), /where success and block_time >= /);
    refused('without the weather', ['DEX volume in USD per project']);
    refused('not counting curve', ['how many blocks today']);
    refused('no transfers');
  });
});

describe('exclusions on a real snapshot', () => {
  let dir: string | undefined;
  let engine: Engine | undefined;
  before(async () => ({ dir, engine } = await openChainEngine()));
  after(() => closeChainEngine(dir, engine));

  test('"not counting Binance" drops its labelled address from the ranked receivers and keeps the others', async () => {
    const real = await OfflineProvider.forEngine(engine!);
    const history = [{ question: 'top 10 USDC receivers' }];
    const receivers = async (q: string, h = history) => (await engine!.query(real.translate(q, h).sql)).rows.map((r) => String(r[0]));
    const binance = '0x' + '1'.padStart(40, '0');
    const all = await receivers('top 10 USDC receivers', []);
    assert.ok(all.includes(binance), 'the labelled address receives USDC in the snapshot');
    const rest = await receivers('thanks, not counting binance');
    assert.deepEqual(rest, all.filter((a) => a !== binance));
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';
import { closeChainEngine, openChainEngine } from './ask-snapshot.js';

// Grammar classes measured by the blind held-out sets (time windows, measure words, verbs of
// movement, counts vs sums, weekdays, follow-ups), each checked on paraphrases of our own.
const p = new OfflineProvider({
  labels: [{ name: 'Binance 14', category: 'cex' }, { name: 'Coinbase 3', category: 'cex' }],
});
const sql = (q: string, history: string[] = []) => p.translate(q, history.map((question) => ({ question }))).sql;
const refused = (q: string, history: string[] = []) => {
  assert.throws(() => sql(q, history), (e: unknown) => e instanceof OnchainSqlError && e.code === 'cannot_answer', q);
};
const START_OF_LAST_DAY = "date_trunc('day', snapshot_time())";

describe('time windows anchored on a day', () => {
  test('"since yesterday" runs from the start of yesterday to the newest block (no upper bound)', () => {
    for (const q of ['failed txs since yesterday', 'How many blocks were mined since yesterday?', 'top 5 tokens by transfers since yesterday']) {
      const s = sql(q);
      assert.match(s, /block_time >= date_trunc\('day', snapshot_time\(\)\) - interval 1 day( |$)/, q);
      assert.doesNotMatch(s, /block_time </, q);
    }
    assert.match(sql('trades since the day before yesterday'), /block_time >= date_trunc\('day', snapshot_time\(\)\) - interval 2 day$/);
    assert.match(sql('trades the day before yesterday'), /- interval 2 day and block_time < date_trunc\('day', snapshot_time\(\)\) - interval 1 day$/);
  });

  test('since a weekday, a day of the month, or the start of a period', () => {
    assert.match(sql('USDC transfers since last Tuesday'), /isodow\(snapshot_time\(\)\) - 2 \+ 7/);
    assert.match(sql('how many trades since the 25th'), /block_time >= \(date_trunc\('month', snapshot_time\(\)\) - \(CASE WHEN day\(snapshot_time\(\)\) >= 25 THEN interval 0 month ELSE interval 1 month END\) \+ interval 24 day\)$/);
    assert.match(sql('blocks on the 3rd'), /interval 2 day\) and block_time < \(.*\) \+ interval 1 day$/);
    assert.match(sql('dex volume since the start of the week'), /block_time >= date_trunc\('week', snapshot_time\(\)\)$/);
    assert.match(sql('transactions since the beginning of the month'), /block_time >= date_trunc\('month', snapshot_time\(\)\)$/);
    assert.match(sql('top senders since this morning'), new RegExp(`block_time >= ${START_OF_LAST_DAY.replace(/[()]/g, '\\$&')} group by`));
  });

  test('hour and day counts, couples, so far today', () => {
    assert.match(sql('avg gas price over the past 48 hours'), /interval 48 hour$/);
    assert.match(sql('gas price over the last couple of days'), /interval 2 day$/);
    assert.match(sql('tx count in the last two days'), /interval 2 day$/);
    assert.match(sql('failed transactions so far today'), /not success and block_time >= date_trunc\('day', snapshot_time\(\)\)$/);
  });

  test('a number after "the" is not a day unless a window word anchors it', () => {
    assert.match(sql('the 10 largest USDC transfers'), /limit 10$/);
  });
});

describe('measure words and abbreviations', () => {
  test('fees route to the transactions fee column, however they are written', () => {
    for (const q of ['how much did people spend on tx fees last week', 'total gas fees in the past 7 days', 'how much was spent on transaction fees over the last week', 'sum of txn fees, past week']) {
      assert.match(sql(q), /^select sum\(fee_eth\) as sum_fee_eth from ethereum\.transactions where block_time > snapshot_time\(\) - interval 7 day$/, q);
    }
    assert.match(sql('daily fee spend'), /date_trunc\('day', block_time\) as day, sum\(fee_eth\)/);
    assert.match(sql('median txn fee yesterday'), /median\(fee_eth\)/);
  });

  test('abbreviations: vol, txs, tx count, xfers, avg, # of', () => {
    assert.match(sql('total dex vol last 48h'), /^select sum\(amount_usd\) as sum_amount_usd from dex\.trades where block_time > snapshot_time\(\) - interval 48 hour$/);
    assert.match(sql('uniswap vol yesterday'), /sum\(amount_usd\).*project = 'uniswap'/);
    assert.match(sql('txs per hour'), /date_trunc\('hour', block_time\) as hour, count\(\*\) as transactions from ethereum\.transactions/);
    assert.match(sql('txn count per day'), /count\(\*\) as transactions/);
    assert.match(sql('usdc xfers today'), /count\(\*\) as transfers from tokens\.transfers where upper\(symbol\) = 'USDC'/);
    assert.match(sql('# of swaps on curve today'), /count\(\*\) as trades from dex\.trades where project = 'curve'/);
    assert.match(sql('no. of blocks yesterday'), /count\(\*\) as blocks/);
  });

  test('a long-tail ticker that is an English word is a token only in capitals', () => {
    assert.doesNotMatch(sql('how much did people pay in fees today'), /symbol/);
    assert.match(sql('PEOPLE transfers today'), /upper\(symbol\) = 'PEOPLE'/);
  });
});

describe('verbs of movement: the preposition gives the side', () => {
  test('into/to/in → receivers; out of/from → senders', () => {
    for (const q of ['How much ETH went into Binance this week?', 'how much ETH came in to Binance this week', 'how much ETH landed in Binance this week', 'how much ETH flowed to Binance this week', 'how much ETH arrived at Binance this week']) {
      assert.match(sql(q), /join labels\.addresses l on t\.to_address = l\.address where t\.success and l\.name in \('Binance 14'\)/, q);
    }
    for (const q of ['how much ETH went out of Binance this week', 'how much ETH left Binance this week', 'how much ETH came out of Binance this week', 'how much ETH flowed out of Binance this week']) {
      assert.match(sql(q), /on t\.from_address = l\.address where t\.success/, q);
    }
    assert.match(sql('how much USDC flowed into exchanges today'), /upper\(t\.symbol\) = 'USDC' and l\.category = 'cex'/);
  });

  test('"went through" a DEX is the project\'s part of the volume', () => {
    assert.match(sql('what % of DEX volume went through Curve this week'), /^select 100\.0 \* sum\(case when project = 'curve' then amount_usd else 0 end\) \/ sum\(amount_usd\)/);
    assert.match(sql('what share of dex volume went via uniswap yesterday'), /^select sum\(case when project = 'uniswap' then amount_usd else 0 end\) \/ sum\(amount_usd\)/);
  });

  test('a movement verb with words it cannot read is still refused', () => {
    refused('what went wrong with the merge?');
  });
});

describe('counts of events vs amounts of a token', () => {
  test('"number of / how many <events>" counts rows', () => {
    assert.match(sql('Number of USDT burns per day'), /^select date_trunc\('day', block_time\) as day, count\(\*\) as transfers from tokens\.transfers where upper\(symbol\) = 'USDT' and to_address = '0x0{40}'/);
    assert.match(sql('how many LINK mints this week'), /^select count\(\*\) as transfers .* from_address = '0x0{40}'/);
    assert.match(sql('how many USDT deposits into exchanges today'), /^select count\(\*\) as transfers from tokens\.transfers t join labels\.addresses l on t\.to_address/);
    assert.match(sql('how many withdrawals from Binance today'), /^select count\(\*\).* on t\.from_address/);
  });

  test('"how much/how many <token> were minted" sums amounts', () => {
    assert.match(sql('how many USDC were minted yesterday'), /^select sum\(amount\)/);
    assert.match(sql('total USDC burned per day'), /sum\(amount\)/);
    assert.match(sql('how many ETH were sent yesterday'), /^select sum\(value_eth\)/);
  });

  test('a pair or pool named by its tokens is a filter: count the swaps, not the pairs', () => {
    for (const q of ['how many swaps on the USDC-WETH pair yesterday', 'number of trades in the WETH/USDC pool yesterday', 'how many trades on the USDC WETH pair yesterday']) {
      assert.match(sql(q), /^select count\(\*\) as trades from dex\.trades where token_pair in \('USDC-WETH', 'ETH-USDC'\)/, q);
    }
    assert.match(sql('how many pairs traded today'), /count\(distinct token_pair\)/);
    assert.match(sql('top pairs by volume'), /^select token_pair, sum\(amount_usd\)/);
  });
});

describe('day of the week', () => {
  test('weekday names, ordered Monday..Sunday by the ISO day number', () => {
    assert.equal(sql('DEX trades by day of the week'), 'select dayname(block_time) as weekday, isodow(block_time) as day_of_week, count(*) as trades from dex.trades group by 1, 2 order by 2');
    assert.match(sql('average gas price by weekday'), /dayname\(block_time\) as weekday, isodow\(block_time\) as day_of_week, avg\(gas_price_gwei\)/);
    assert.match(sql('which weekday had the lowest DEX volume'), /^select dayname\(block_time\) as weekday, isodow\(block_time\) as day_of_week, sum\(amount_usd\) as sum_amount_usd from dex\.trades group by 1, 2 order by 3 asc, 2 limit 1$/);
    assert.match(sql('what day of the week is busiest for transfers'), /order by 3 desc, 2 limit 1$/);
  });

  test('the chart shows the names, not the sort key', () => {
    const t = p.translate('transactions per day of the week');
    assert.deepEqual(t.chart, { type: 'bar', x: 'weekday', y: ['transactions'] });
  });
});

describe('follow-ups', () => {
  test('the measure changes with "instead"', () => {
    assert.match(sql('rank them by USD volume instead', ['Top 5 pairs by trade count this week']), /^select token_pair, sum\(amount_usd\) .* limit 5$/);
    assert.match(sql('order them by volume', ['Top 5 projects by trade count today']), /^select project, sum\(amount_usd\) .* limit 5$/);
    assert.match(sql('show the amount transferred instead of the count', ['Daily number of DAI transfers']), /^select date_trunc\('day', block_time\) as day, sum\(amount\) as sum_amount from tokens\.transfers where upper\(symbol\) = 'DAI'/);
    assert.match(sql('show the volume instead of the count', ['Daily count of USDC transfers']), /sum\(amount\)/);
    assert.match(sql('show the fees instead', ['Number of failed transactions per day']), /sum\(fee_eth\) .* where not success/);
  });

  test('a bare number is the new limit of a ranking, and refused otherwise', () => {
    for (const q of ['show 20', 'give me 20', '20 please', 'show 20 rows', 'expand to 20']) {
      assert.match(sql(q, ['Top 5 DAI receivers today']), /^select to_address, sum\(amount\) .* limit 20$/, q);
    }
    refused('show 20');
    refused('show 20', ['Daily DEX volume']);
  });

  test('"break it down by X" groups by X', () => {
    assert.match(sql('break it down by project', ['Total DEX volume this week']), /^select project, sum\(amount_usd\) .* group by 1/);
    assert.match(sql('split it by version', ['Number of trades today']), /^select version, count\(\*\)/);
    assert.match(sql('break that down by hour', ['How much ETH was transferred yesterday']), /^select date_trunc\('hour', block_time\) as hour, sum\(value_eth\)/);
  });

  test('"as percentages" is the share × 100; "what share of all … is that" the share of the condition', () => {
    assert.match(sql('as percentages', ['Number of transfers per token today']), /^select symbol, 100\.0 \* count\(\*\) \/ sum\(count\(\*\)\) over \(\) as percent/);
    assert.match(sql('in percent', ['Trades per project this week']), /100\.0 \* count\(\*\) \/ sum\(count\(\*\)\) over \(\)/);
    assert.match(sql('as shares', ['Trades per project this week']), /^select project, count\(\*\) \/ sum\(count\(\*\)\) over \(\) as share/);
    assert.match(sql('what share of all transactions is that?', ['How many transactions failed yesterday?']), /^select avg\(case when not success then 1\.0 else 0\.0 end\) as share_failed from ethereum\.transactions where block_time >= /);
    assert.match(sql('what percentage of trades is that', ['How many trades on curve today?']), /^select 100\.0 \* avg\(case when project = 'curve' then 1\.0 else 0\.0 end\)/);
  });

  test('in a series, each group\'s share is of its own time bucket', () => {
    assert.match(sql('as percentages', ['Daily DEX volume by project']), /over \(partition by date_trunc\('day', block_time\)\)/);
  });
});

describe('on a real snapshot', () => {
  let dir: string | undefined;
  let engine: Engine | undefined;
  before(async () => ({ dir, engine } = await openChainEngine()));
  after(() => closeChainEngine(dir, engine));

  test('day-of-month windows and weekday names run, weekdays in calendar order', async () => {
    const real = await OfflineProvider.forEngine(engine!);
    for (const q of ['transactions since the 1st', 'transactions between the 2nd and the 28th', 'transactions since yesterday']) {
      await engine!.query(real.translate(q).sql);
    }
    const days = await engine!.query(real.translate('transactions by day of the week').sql);
    const order = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
    const names = days.rows.map((r) => String(r[0]));
    assert.ok(names.length > 0);
    assert.deepEqual(names, [...names].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    assert.ok(days.rows.every((r) => order.indexOf(String(r[0])) + 1 === Number(r[1])), 'the ISO number is the name\'s day');
  });
});

test('an all-caps question does not read its filler words as tickers', () => {
  assert.equal(sql('HOW MANY TRANSACTIONS IN ALL TIME'), sql('how many transactions in all time'));
});

test('follow-ups: a time grouping replaces the other kind; "the count" counts the transfers of an amount question', () => {
  assert.match(sql('by weekday instead', ['Daily transaction count']), /^select dayname\(block_time\) as weekday, isodow\(block_time\) as day_of_week, count\(\*\)/);
  assert.match(sql('per hour instead', ['Transactions by day of week']), /^select date_trunc\('hour', block_time\) as hour, count\(\*\) as transactions from ethereum\.transactions group by 1 order by 1$/);
  assert.match(sql('what about the count?', ['How much USDT was transferred today']), /^select count\(\*\) as transfers from tokens\.transfers where upper\(symbol\) = 'USDT'/);
  assert.match(sql('rank by amount in USD', ['Top 5 tokens by transfers today']), /^select symbol, sum\(amount_usd\) .* limit 5$/);
});

test('"what share … went to <label>": the labelled side is the share\'s condition; the token and ETH rules stay filters', () => {
  assert.equal(sql('what share of ETH transferred today went to Binance'),
    "select sum(case when to_address in (select address from labels.addresses where name in ('Binance 14')) then value_eth else 0 end) / sum(value_eth) as share from ethereum.transactions where success and block_time >= date_trunc('day', snapshot_time())");
  assert.match(sql('what fraction of USDC volume flowed into exchanges this week'), /^select sum\(case when to_address in \(select address from labels\.addresses where category = 'cex'\) then amount else 0 end\) \/ sum\(amount\) as share from tokens\.transfers where upper\(symbol\) = 'USDC'/);
  assert.match(sql('what % of USDT transfers came out of Binance yesterday'), /^select 100\.0 \* avg\(case when from_address in \(select address from labels\.addresses where name in \('Binance 14'\)\) then 1\.0 else 0\.0 end\) as percent from tokens\.transfers where upper\(symbol\) = 'USDT'/);
  assert.match(sql('what share of it went to exchanges?', ['Total ETH sent yesterday']), /then value_eth else 0 end\) \/ sum\(value_eth\) as share from ethereum\.transactions where success and /);
});

test('follow-ups: a count replaces the measured field; row nouns keep the ranked dimension; "ones" points back', () => {
  assert.match(sql('how about the number of transfers', ['Daily USDC volume']), /^select date_trunc\('day', block_time\) as day, count\(\*\) as transfers from tokens\.transfers where upper\(symbol\) = 'USDC'/);
  assert.match(sql('by number of transactions instead', ['Top 10 ETH senders today']), /^select from_address, count\(\*\) as transactions .* limit 10$/);
  assert.match(sql('by transfer count instead', ['Top 10 USDC receivers']), /^select to_address, count\(\*\) as transfers/);
  assert.match(sql('excluding failed ones', ['Daily transaction count this week']), /^select date_trunc\('day', block_time\) as day, count\(\*\) as transactions from ethereum\.transactions where success and block_time >= date_trunc\('week'/);
});

test('a named weekday is the most recent such day: "on Monday", "last Tuesday", "between Monday and Wednesday"', () => {
  const monday = "(date_trunc('day', snapshot_time()) - to_days(CAST((isodow(snapshot_time()) - 1 + 7) % 7 AS INTEGER)))";
  assert.ok(sql('transactions on Monday').endsWith(`where block_time >= ${monday} and block_time < ${monday} + interval 1 day`));
  assert.match(sql('DEX volume last Tuesday'), /isodow\(snapshot_time\(\)\) - 2 \+ 7\) % 7 AS INTEGER\)\)\) \+ interval 1 day$/);
  assert.match(sql('USDC transfers between Monday and Wednesday'), /- 1 \+ 7\) .* < .* - 3 \+ 7\) % 7 AS INTEGER\)\)\) \+ interval 1 day$/);
  assert.ok(sql('and on Monday?', ['How many blocks today?']).startsWith(`select count(*) as blocks from ethereum.blocks where block_time >= ${monday}`));
});

test('a pronoun in a question that names its own rows does not inherit the previous question', () => {
  assert.match(sql('Which tokens were transferred the most today, and rank them by count', ['Daily DEX volume']), /^select symbol, count\(\*\) as transfers from tokens\.transfers/);
});

describe('conversational follow-ups (blind set 2)', () => {
  test('discourse openers ("okay", "alright", "cool", "same again") keep the previous question and change only what follows', () => {
    const top = ['Top 10 USDT senders yesterday'];
    assert.match(sql('okay, same again for the past 2 days', top), /^select from_address, sum\(amount\) .* upper\(symbol\) = 'USDT' and block_time > snapshot_time\(\) - interval 2 day group by 1 .* limit 10$/);
    assert.match(sql('alright, now DAI', top), /^select from_address, sum\(amount\) .* upper\(symbol\) = 'DAI' and block_time >= date_trunc\('day', snapshot_time\(\)\) - interval 1 day .* limit 10$/);
    assert.match(sql('cool thanks, the same thing for today', top), /upper\(symbol\) = 'USDT' and block_time >= date_trunc\('day', snapshot_time\(\)\) group by 1/);
    assert.match(sql('right, and only failed ones', ['Hourly transaction count today']), /^select date_trunc\('hour', block_time\) as hour, count\(\*\) .* where not success and block_time >= /);
    assert.match(sql('great, same but per hour', ['Curve volume this week']), /^select date_trunc\('hour', block_time\) as hour, sum\(amount_usd\) .* project = 'curve'/);
    // A filler opener before a question with its own subject starts afresh.
    assert.equal(sql('so how many blocks were there yesterday?', top), sql('how many blocks were there yesterday?'));
  });

  test('whole-snapshot windows: no time filter; as a follow-up they remove the previous window', () => {
    for (const q of ['total fees over the whole period', 'sum of fees across the entire dataset', 'total fees, everything we have', 'overall fee total']) {
      assert.equal(sql(q), 'select sum(fee_eth) as sum_fee_eth from ethereum.transactions', q);
    }
    const prev = ['How much USDC went to Binance in the last 6 hours?'];
    for (const q of ['ok and over the whole snapshot', 'now for all time', 'and overall?', 'okay, across the full dataset']) {
      const s = sql(q, prev);
      assert.match(s, /name in \('Binance 14'\)/, q);
      assert.doesNotMatch(s, /block_time|interval/, q);
    }
    // A named window wins over a whole-snapshot word in the same question.
    assert.match(sql('overall gas price today'), /block_time >= date_trunc\('day', snapshot_time\(\)\)$/);
  });

  test('"the single biggest", "only the top one": one row of the ranking, the row columns kept', () => {
    const rows = ['10 largest USDC transfers this week'];
    for (const q of ['only the single largest', 'just the top one', 'and just the biggest one']) {
      assert.match(sql(q, rows), /^select tx_hash, .* from tokens\.transfers where upper\(symbol\) = 'USDC' .* order by amount desc, tx_hash limit 1$/, q);
    }
    assert.match(sql('only the top one', ['Top 5 pools by trades today']), /^select pool_address, count\(\*\) .* limit 1$/);
    assert.match(sql('the top 2 only', ['Top 5 pools by trades today']), /limit 2$/);
    // "one" away from a ranking word is filler, not a limit.
    assert.doesNotMatch(sql('top 5 tokens by transfers in a single day today'), /limit 1$/);
  });

  test('"as a share of all <measure>": the previous filter becomes the numerator, the total keeps table and window', () => {
    assert.equal(sql('as a share of all DEX volume', ['Curve volume yesterday']),
      "select sum(case when project = 'curve' then amount_usd else 0 end) / sum(amount_usd) as share from dex.trades where block_time >= date_trunc('day', snapshot_time()) - interval 1 day and block_time < date_trunc('day', snapshot_time())");
    assert.match(sql('ok, as a percentage of total DEX volume', ['Balancer volume this week']), /^select 100\.0 \* sum\(case when project = 'balancer' then amount_usd else 0 end\) \/ sum\(amount_usd\) as percent from dex\.trades where block_time >= date_trunc\('week'/);
    assert.match(sql('as a fraction of all transfer volume', ['LINK volume today']), /^select sum\(case when upper\(symbol\) = 'LINK' then amount_usd else 0 end\) \/ sum\(amount_usd\) as share from tokens\.transfers where block_time >= /);
    assert.match(sql('what share of all token transfer volume is that', ['DAI volume yesterday']), /^select sum\(case when upper\(symbol\) = 'DAI' then amount_usd else 0 end\) \/ sum\(amount_usd\)/);
    assert.match(sql('as a proportion of all swaps', ['How many trades on sushiswap in the last 3 days?']), /^select avg\(case when project = 'sushiswap' then 1\.0 else 0\.0 end\) .* interval 3 day$/);
    // The words after "of all" name the total: the labelled side of the first question stays the condition.
    assert.match(sql('as a share of all ETH sent', ['How much ETH went to Binance yesterday?']), /^select sum\(case when to_address in \(select address from labels\.addresses where name in \('Binance 14'\)\) then value_eth else 0 end\) \/ sum\(value_eth\)/);
    refused('as a share of all DEX volume');
  });

  test('more openers, whole-snapshot phrasings and one-row selections', () => {
    const top = ['Top 10 WBTC receivers this week'];
    assert.match(sql('same question but for LINK', top), /upper\(symbol\) = 'LINK' and block_time >= date_trunc\('week'.* limit 10$/);
    assert.match(sql('repeat that for yesterday', top), /upper\(symbol\) = 'WBTC' and block_time >= date_trunc\('day', snapshot_time\(\)\) - interval 1 day and .* limit 10$/);
    for (const q of ['remove the time filter', 'without a date filter', 'since the beginning', 'across all available data']) {
      assert.doesNotMatch(sql(q, ['Daily Uniswap volume over the last 3 days']), /interval 3 day/, q);
    }
    const rows = ['Top 5 largest USDT transfers yesterday'];
    for (const q of ['just the first one', 'only the largest', 'just the top transfer', 'only one']) assert.match(sql(q, rows), /order by amount desc, tx_hash limit 1$/, q);
    assert.match(sql('just the top token', ['Top 10 tokens by trades today']), /limit 1$/);
    // The other end of the same list keeps its length; a new measure keeps the ranking's length.
    assert.match(sql('and the smallest?', rows), /order by amount asc, tx_hash limit 5$/);
    assert.match(sql('rank them by USD volume instead', ['Top 5 pools by trades']), /limit 5$/);
  });

  test('words the translator cannot read are still refused with suggestions', () => {
    for (const q of ['ok, now the weather forecast', 'same thing but for my grandmother', 'cool, overall vibes', 'as a share of the weather']) {
      refused(q, ['Top 5 tokens by transfers']);
      assert.throws(() => sql(q, ['Top 5 tokens by transfers']), (e: unknown) => e instanceof OnchainSqlError && e.suggestions.length > 0, q);
    }
  });
});

describe('single questions (blind set 2)', () => {
  test('column mentions ("the tx hash", "with sender and receiver") keep a row listing; elsewhere they are not understood', () => {
    assert.match(sql('largest USDT transfer this week, I need the transaction hash and amount'), /^select tx_hash, .* from tokens\.transfers where upper\(symbol\) = 'USDT' .* order by amount desc, tx_hash limit 1$/);
    assert.match(sql('the 3 biggest curve swaps today with tx hashes'), /^select tx_hash, .* from dex\.trades where project = 'curve' .* limit 3$/);
    assert.match(sql('top 5 ETH transfers yesterday with sender and receiver'), /^select tx_hash, block_time, from_address, to_address, value_eth from ethereum\.transactions where success .* limit 5$/);
    assert.match(sql('show me the hash and value of the biggest ETH transfer this week'), /^select tx_hash, .* order by value_eth desc, tx_hash limit 1$/);
    assert.match(sql('largest USDC transfer yesterday with its block number'), /^select tx_hash, .* from tokens\.transfers .* limit 1$/);
    refused('hashes of failed transactions today');
  });

  test('"how big/large/much was the largest/smallest X" is the max/min of the measure; "in dollars" the USD measure', () => {
    assert.equal(sql('how large was the biggest trade on curve today in USD'),
      "select max(amount_usd) as max_amount_usd from dex.trades where project = 'curve' and block_time >= date_trunc('day', snapshot_time())");
    assert.match(sql('how big was the smallest ETH transfer this week'), /^select min\(value_eth\) as min_value_eth from ethereum\.transactions where success and /);
    assert.match(sql('how much was the largest DAI transfer yesterday'), /^select max\(amount\) as max_amount from tokens\.transfers where upper\(symbol\) = 'DAI'/);
    // A superlative on a dimension still ranks it; "how big" without a superlative is the plain measure.
    assert.match(sql('how much ETH did the largest sender send today'), /^select from_address, sum\(value_eth\) .* limit 1$/);
    assert.match(sql('how big was USDC volume today'), /^select sum\(amount\) as sum_amount from tokens\.transfers/);
    refused('how big is the moon');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';

// Follow-up classes of the sixth to eighth blind conversation sets, each checked on wordings of our own
// (never the sets' sentences): conditions that combine, measures named by what they replace, verbs that
// only lead in a new limit or window, relative limits, filters dropped, and shares of what came before.
const p = new OfflineProvider({ labels: [{ name: 'Binance 14', category: 'cex' }] });
const sql = (q: string, history: string[] = []) => p.translate(q, history.map((question) => ({ question }))).sql;
const ZERO = "'0x0000000000000000000000000000000000000000'";
const TODAY = "block_time >= date_trunc('day', snapshot_time())";
const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('what a follow-up keeps and what it replaces', () => {
  test('a condition of another kind is added; one of the same kind replaces', () => {
    assert.equal(sql('only type 2 ones', ['failure rate last week']),
      'select avg(case when not success then 1.0 else 0.0 end) as share_failed from ethereum.transactions where tx_type = 2 and block_time > snapshot_time() - interval 7 day');
    assert.match(sql('just failed ones', ['type 2 transactions today']), /where tx_type = 2 and not success and /);
    assert.match(sql('successful ones instead', ['failed type 2 transactions today']), /where tx_type = 2 and success and /);
  });

  test('a superlative after an average is the max or min of the same measure; "not the mean" names what it replaces', () => {
    assert.match(sql('and the lowest', ['average base fee yesterday']), /^select min\(base_fee_per_gas_gwei\) /);
    assert.match(sql('the peak instead', ['average gas used per block today']), /^select max\(gas_used\) /);
    assert.match(sql('gimme the peak value, not the mean', ['average gas used per block today']), /^select max\(gas_used\) as max_gas_used from ethereum\.blocks where block_time >= /);
  });

  test('"for those", "of those", "who received it", "… tho" refer to the previous answer and keep its filters and window', () => {
    assert.match(sql('median trade size for those', ['trades on curve yesterday']), /^select median\(amount_usd\) .* where project = 'curve' and block_time >= date_trunc\('day', snapshot_time\(\)\) - interval 1 day/);
    assert.equal(sql('how many of those were burns', ['DAI transfers today']),
      `select count(*) as transfers from tokens.transfers where upper(symbol) = 'DAI' and to_address = ${ZERO} and ${TODAY}`);
    assert.match(sql('who received it', ['how much USDT moved in the last 2 days']), /^select to_address, sum\(amount\) .* upper\(symbol\) = 'USDT' and block_time > snapshot_time\(\) - interval 2 day group by 1/);
    assert.match(sql('how many unique traders tho', ['trades on balancer today']), /^select count\(distinct taker\) .* where project = 'balancer' and /);
  });

  test('"group by sender" after "who sent it" lists every sender, not the top one', () => {
    assert.match(sql('who sent it? group by sender', ['how much DAI was transferred today']), /^select from_address, sum\(amount\) as sum_amount from tokens\.transfers .* group by 1 order by 1$/);
  });

  test('"rather than", like "instead of", ends what the follow-up asks', () => {
    assert.match(sql('by fees rather than count', ['top 5 senders by number of transactions today']), /^select from_address, sum\(fee_eth\) .* limit 5$/);
  });
});

describe('verbs that lead in a new limit or window', () => {
  test('"cut that down to 3", "bump the list up to 12", "expand it to 15" set the limit', () => {
    const base = ['top 10 ETH receivers yesterday'];
    assert.match(sql('cut that down to 3', base), /group by 1 order by 2 desc, 1 limit 3$/);
    assert.match(sql('bump the list up to 12', base), /limit 12$/);
    assert.match(sql('hmm expand it to 15', ['list the 5 largest USDC transfers today']), /order by amount desc, tx_hash limit 15$/);
  });

  test('"stretch it to 72 hours", "make it 2d" are the last that long; "not just yesterday" is the window replaced', () => {
    assert.match(sql('stretch it to 72 hours', ['DEX volume in the last 24 hours']), /where block_time > snapshot_time\(\) - interval 72 hour$/);
    assert.match(sql('make it 2d', ['DEX volume in the last 24 hours']), /interval 2 day$/);
    assert.equal(sql('over everything, not just yesterday', ['failed transactions yesterday']), 'select count(*) as transactions from ethereum.transactions where not success');
  });

  test('"N more" and "N fewer" change the ranking by that many', () => {
    assert.match(sql('3 more', ['top 5 tokens by transfers']), /limit 8$/);
    assert.match(sql('give me 2 fewer', ['top 5 tokens by transfers']), /limit 3$/);
    assert.match(sql('5 more please', ['top ETH senders today']), /limit 15$/, 'a plural ranking with no number shows 10');
  });
});

describe('filters dropped', () => {
  test('dropping a value the answer filters on removes the filter; "all tokens" does too', () => {
    assert.equal(sql('forget USDT, all tokens', ['USDT transfers per day']), "select date_trunc('day', block_time) as day, count(*) as transfers from tokens.transfers group by 1 order by 1");
    assert.match(sql('drop curve', ['uniswap and curve volume today']), /where project = 'uniswap' and /);
    assert.match(sql('leave out curve', ['DEX volume per project today']), /where project <> 'curve' and /, 'a value not filtered on is left out');
  });

  test('"leave out the zero address" drops mints or burns on the side being ranked', () => {
    assert.match(sql('drop the zero address', ['top 5 DAI senders this week']), new RegExp(`where upper\\(symbol\\) = 'DAI' and from_address <> ${ZERO} and `));
    assert.match(sql('leave out the zero address', ['top 10 USDC receivers yesterday']), new RegExp(`to_address <> ${ZERO}`));
  });

  test('a category after a listing of the largest rows filters them; it ranks the category\'s members otherwise', () => {
    assert.match(sql('only ones to exchanges', ['5 biggest ETH transfers yesterday']), /^select t\.tx_hash, .* l\.category = 'cex' .* order by t\.value_eth desc, t\.tx_hash limit 5$/);
    assert.match(sql('top 5 exchanges by ETH received yesterday'), /^select l\.name as label, sum\(t\.value_eth\) /);
  });
});

describe('shares of what came before', () => {
  test('"as percentages" of a grouped sum is each group\'s part of that sum', () => {
    assert.equal(sql('as percentages', ['gas used by miner today']),
      `select miner, 100.0 * sum(gas_used) / sum(sum(gas_used)) over () as percent from ethereum.blocks where ${TODAY} group by 1 order by 1`);
    assert.match(sql('each hour\'s share', ['transactions per hour today']), /^select date_trunc\('hour', block_time\) as hour, count\(\*\) \/ sum\(count\(\*\)\) over \(\) as share /);
    assert.match(sql('each project\'s share of trades this week'), /^select project, count\(\*\) \/ sum\(count\(\*\)\) over \(\) as share from dex\.trades /);
  });

  test('a share after a bound or an event measures that bound or event within the rest', () => {
    assert.equal(sql('what share of all blocks is that', ['blocks with base fee over 5 gwei today']),
      `select avg(case when base_fee_per_gas_gwei > 5 then 1.0 else 0.0 end) as share_over_5_gwei_of_base_fee from ethereum.blocks where ${TODAY}`);
    assert.equal(sql('and what percent is that', ['LINK transfers this week', 'how many of those were mints']),
      `select 100.0 * avg(case when from_address = ${ZERO} then 1.0 else 0.0 end) as percent_mints from tokens.transfers where upper(symbol) = 'LINK' and block_time >= date_trunc('week', snapshot_time())`);
  });

  test('a share of an average is refused, not computed', () => {
    assert.throws(() => sql('as percentages', ['average fee per day this week']), /share of average/);
  });
});

describe('sorting and cycles', () => {
  test('"the peak hour" after hours of the day keeps the hour of the day', () => {
    assert.match(sql('and the peak hour?', ['busiest hours of the day by transactions']), /^select hour\(block_time\) as hour_of_day, count\(\*\) .* limit 1$/);
  });
});

describe('more ways to say a refinement', () => {
  const senders = ['top 5 ETH senders today'];

  test('"flip it", "reverse the order", "the other way round" rank from the other end', () => {
    for (const q of ['flip it', 'reverse the order', 'hmm the other way round']) assert.match(sql(q, senders), /order by 2 asc, 1 limit 5$/, q);
    assert.match(sql('flip it', ['gas used per day this week', 'sort it biggest first']), /group by 1 order by 2 asc, 1$/);
  });

  test('"replace X with Y" keeps the second value; "the winner", "p50", "over the whole week", "fortnight"', () => {
    assert.match(sql('replace usdc with dai', ['USDC transfers today']), /where upper\(symbol\) = 'DAI' and /);
    assert.match(sql('only the winner', senders), /limit 1$/);
    assert.match(sql('p50 instead', ['average gas price today']), /^select median\(gas_price_gwei\) /);
    assert.match(sql('for the whole week', ['DEX volume today']), /where block_time > snapshot_time\(\) - interval 7 day$/);
    assert.match(sql('over the past fortnight', ['DEX volume today']), /interval 14 day$/);
  });

  test('"as a rate", "as a ratio of all txs" ask for the share; a category in place of an organisation replaces it', () => {
    assert.match(sql('as a rate', ['failed transactions today']), /^select avg\(case when not success then 1\.0 else 0\.0 end\) /);
    assert.match(sql('as a ratio of all txs', ['failed transactions today']), /^select avg\(case when not success /);
    const all = sql('and to all exchanges', ['ETH sent to binance today']);
    assert.match(all, /l\.category = 'cex'/);
    assert.doesNotMatch(all, /Binance/);
  });
});

describe('named addresses, dropped kinds and bounds measured', () => {
  const labelled = new OfflineProvider({ labels: [{ name: 'Aave: Pool V3', category: 'lending' }, { name: 'Binance 14', category: 'cex' }, { name: 'Uniswap: Universal Router', category: 'dex' }] });
  const ask = (q: string, history: string[] = []) => labelled.translate(q, history.map((question) => ({ question }))).sql;

  test('a label\'s whole name names that address, over a project or organisation word inside it', () => {
    assert.match(ask('how many transactions went to the Aave Pool V3 today'), /l\.name in \('Aave: Pool V3'\)/);
    assert.match(ask('only the failed ones', ['how many transactions went to the uniswap universal router yesterday']), /where l\.name in \('Uniswap: Universal Router'\) and not t\.success and /);
  });

  test('"which exchanges" lists every one, most first; "leave out binance" keeps the rest', () => {
    const rest = ask('leave out binance', ['which exchanges received the most ETH today']);
    assert.match(rest, /to_address not in \(select address from labels\.addresses where name in \('Binance 14'\)\) .* group by 1 order by 2 desc, 1$/);
  });

  test('grouping by the kind a filter names drops that filter; "drop the version" keeps the project', () => {
    assert.match(sql('actually for every tx type side by side', ['fees per tx type today', 'only type 2']), /^select tx_type, sum\(fee_eth\) .* where block_time >= date_trunc\('day', snapshot_time\(\)\) group by 1 order by 1$/);
    assert.equal(sql('drop the version', ['uniswap v2 trades today']), `select count(*) as trades from dex.trades where project = 'uniswap' and ${TODAY}`);
  });

  test('a bound added in the conversation is what "what percent is that" measures', () => {
    assert.match(sql('what percent is that', ['LINK transfers yesterday', 'how many of those were over 100 LINK']),
      /^select 100\.0 \* avg\(case when amount > 100 then 1\.0 else 0\.0 end\) .* where upper\(symbol\) = 'LINK' and /);
  });

  test('each one\'s share of ETH received keeps the meaning rule (successful transactions only)', () => {
    assert.match(sql('each one\'s share', ['ETH received per bridge today']), /sum\(t\.value_eth\) \/ sum\(sum\(t\.value_eth\)\) over \(\) as share .* where t\.success and l\.category = 'bridge'/);
  });

  test('"rank them by ETH sent" re-ranks the same number of senders by amount', () => {
    assert.match(sql('rank them by ETH sent', ['top 5 senders by transactions today']), /^select from_address, sum\(value_eth\) .* limit 5$/);
  });
});

describe('measures side by side', () => {
  test('two statistics named together are two columns of the same measure', () => {
    assert.equal(sql('min and max gas price today'), `select min(gas_price_gwei) as min_gas_price_gwei, max(gas_price_gwei) as max_gas_price_gwei from ethereum.transactions where ${TODAY}`);
    assert.match(sql('ETH price high and low over the past 3 days'), /^select max\(price_usd\) as max_price_usd, min\(price_usd\) as min_price_usd from prices\.hourly /);
  });

  test('"and the max too", "add the median" keep the measure shown and add one; "also for USDT" only refines', () => {
    for (const q of ['and the max too', 'also show the max', 'with the max as well']) {
      assert.match(sql(q, ['average gas price per day this week']), /avg\(gas_price_gwei\) as avg_gas_price_gwei, max\(gas_price_gwei\) as max_gas_price_gwei /, q);
    }
    assert.match(sql('add the median', ['average fee today']), /^select avg\(fee_eth\) as avg_fee_eth, median\(fee_eth\) as median_fee_eth /);
    assert.match(sql('also for USDT', ['USDC transfers today']), /^select count\(\*\) as transfers from tokens\.transfers where upper\(symbol\) = 'USDT'/);
  });

  test('"add each one\'s share" keeps the ranking by its measure and adds each row\'s share of the total', () => {
    assert.equal(sql('add each one\'s share', ['top 5 tokens by transfer count today']),
      `select symbol, count(*) as transfers, count(*) / sum(count(*)) over () as share from tokens.transfers where ${TODAY} group by 1 order by 2 desc, 1 limit 5`);
  });
});

describe('the conversation carries on the same rows', () => {
  test('a new measure of the same rows, with no window or filter of its own, keeps the conversation\'s', () => {
    assert.match(sql('what is the average trade size in usd', ['number of uniswap swaps today']), new RegExp(`^select avg\\(amount_usd\\) .* where project = 'uniswap' and ${reEscape(TODAY)}$`));
    assert.match(sql('how many blocks over the whole snapshot', ['how many blocks today']), /^select count\(\*\) as blocks from ethereum\.blocks$/, 'a window of its own is kept');
    assert.match(sql('how many USDC transfers', ['how many blocks today']), /^select count\(\*\) as transfers from tokens\.transfers where upper\(symbol\) = 'USDC'$/, 'other rows start afresh');
  });

  test('"they", "them", "there" stand for the previous rows when the question is about the same table', () => {
    assert.match(sql('how much did they pay in fees', ['how many failed transactions today']), new RegExp(`^select sum\\(fee_eth\\) .* where not success and ${reEscape(TODAY)}$`));
    assert.match(sql('the average trade size there', ['largest trade on curve in usd today']), /^select avg\(amount_usd\) .* where project = 'curve' and /);
    assert.match(sql('how many different addresses deployed them', ['contract deployments in the last 3 days', 'who deployed the most']),
      /^select count\(distinct from_address\) .* where created_contract_address is not null and block_time > snapshot_time\(\) - interval 3 day$/);
    assert.match(sql('Which tokens were transferred the most today, and rank them by count', ['Daily DEX volume']), /^select symbol, count\(\*\) as transfers from tokens\.transfers/);
  });

  test('"leave out the ones going to bridges" leaves out a category on the side the direction names', () => {
    assert.match(sql('leave out the ones going to bridges', ['count of ETH transfers above 5 ETH today']), /to_address not in \(select address from labels\.addresses where category in \('bridge'\)\)/);
  });

  test('"the ones where DAI was bought" filters the side; "token burns" are burn transfers, not tokens', () => {
    assert.match(sql('only the ones where DAI was bought', ['number of dex trades per project yesterday']), /where upper\(token_bought_symbol\) = 'DAI' and /);
    assert.match(sql('how many token burns in the last 7 days'), new RegExp(`^select count\\(\\*\\) as transfers from tokens\\.transfers where to_address = ${ZERO} and `));
  });

  test('after "how much ETH was that", a share is of the amount, not of the count', () => {
    assert.match(sql('what fraction of all eth moved is it', ['how many eth transfers went to exchanges today', 'and how much eth was that']),
      /^select sum\(case when to_address in \(select address from labels\.addresses where category = 'cex'\) then value_eth else 0 end\) \/ sum\(value_eth\) /);
  });
});

describe('values added, events left out, and the previous answer measured another way', () => {
  const labelled = new OfflineProvider({ labels: [{ name: 'Coinbase 10', category: 'cex' }, { name: 'Kraken 13', category: 'cex' }] });
  const ask = (q: string, history: string[] = []) => labelled.translate(q, history.map((question) => ({ question }))).sql;

  test('"add kraken too" joins the organisation to the answer\'s; "and kraken" replaces it', () => {
    const base = ['how much ETH went to Coinbase in the last 7 days'];
    assert.match(ask('add kraken too', base), /l\.name in \('Coinbase 10', 'Kraken 13'\)/);
    assert.match(ask('and kraken', base), /l\.name in \('Kraken 13'\)/);
  });

  test('"leave out mints and burns" drops transfers from and to the zero address', () => {
    assert.equal(sql('leave out mints and burns', ['number of DAI transfers']),
      `select count(*) as transfers from tokens.transfers where upper(symbol) = 'DAI' and from_address <> ${ZERO} and to_address <> ${ZERO}`);
    assert.match(sql('excluding burns', ['number of DAI transfers']), new RegExp(`to_address <> ${ZERO}$`));
  });

  test('"what\'s that in usd volume" measures the previous rows in USD; "convert to each one\'s share" keeps them', () => {
    assert.equal(sql('what\'s that in usd volume', ['how many trades did uniswap v2 have']), "select sum(amount_usd) as sum_amount_usd from dex.trades where project = 'uniswap' and version = '2'");
    assert.match(sql('convert to each one\'s share of the total', ['how much eth did each cex label receive', 'only last 3 days']), /sum\(t\.value_eth\) \/ sum\(sum\(t\.value_eth\)\) over \(\) as share /);
  });

  test('"which 5 hours of the day" are hours of the day, not a 5-hour window; "show just the one who paid most" is one row', () => {
    assert.match(sql('give me 2 more', ['which 5 hours of the day have the most failed transactions?']), /^select hour\(block_time\) as hour_of_day, count\(\*\) .* where not success group by 1 order by 2 desc, 1 limit 7$/);
    assert.match(sql('hmm show just the one who paid most', ['top 10 senders by fees paid', 'last 3 days only']), /limit 1$/);
  });

  test('tokens that move are transfers; "mint events" are mints; a singular largest row filtered by a category stays a row', () => {
    assert.match(ask('now by token please', ['total usd value of tokens sent to coinbase']), /^select t\.symbol as symbol, sum\(t\.amount_usd\) .* l\.name in \('Coinbase 10'\) /);
    assert.match(sql('only the biggest one', ['tokens with the most mint events']), new RegExp(`^select symbol, count\\(\\*\\) .* where from_address = ${ZERO} group by 1 order by 2 desc, 1 limit 1$`));
    assert.match(sql('only ones going to a bridge', ['largest single WETH transfer', 'in usd?']), /l\.category = 'bridge'/);
    assert.doesNotMatch(sql('only ones going to a bridge', ['largest single WETH transfer', 'in usd?']), /l\.name as label/);
  });
});

describe('limits said loosely, verbs that restrict, and re-ranking by a distinct count', () => {
  test('"a few more, like 15" and "a couple more, say 7" take the number said last', () => {
    assert.match(sql('a few more, like 15', ['biggest usdc transfers yesterday', 'show 10 of them']), /order by amount desc, tx_hash limit 15$/);
    assert.match(sql('a couple more, say 7', ['top 5 token pairs by usd volume on uniswap']), /limit 7$/);
  });

  test('"restrict to today", "keep it to yesterday" change the window, not the direction', () => {
    assert.match(sql('restrict to today', ['top 20 addresses by fees paid on failed txs']), new RegExp(`^select from_address, sum\\(fee_eth\\) .* where not success and ${reEscape(TODAY)} group by 1`));
    assert.match(sql('keep it to yesterday', ['top 20 addresses by fees paid on failed txs']), /^select from_address, .* interval 1 day and block_time < /);
  });

  test('"by number of distinct senders" re-ranks the same tokens by a distinct count', () => {
    assert.match(sql('make it by number of distinct senders', ['top 5 tokens by transfer count']), /^select symbol, count\(distinct from_address\) as distinct_from_address from tokens\.transfers group by 1 order by 2 desc, 1 limit 5$/);
  });

  test('"swap the count for the total amount moved", "only ones selling WETH", "whats that in dollar volume"', () => {
    assert.match(sql('swap the count for the total amount moved', ['daily count of USDC transfers', 'only the last 5 days']), /^select date_trunc\('day', block_time\) as day, sum\(amount\) .* upper\(symbol\) = 'USDC' and block_time > snapshot_time\(\) - interval 5 day group by 1/);
    assert.match(sql('only ones selling WETH', ['number of swaps per project in the last 3 days']), /where upper\(token_sold_symbol\) = 'WETH' and /);
    assert.match(sql('whats that in dollar volume', ['how many swaps on balancer yesterday']), /^select sum\(amount_usd\) .* where project = 'balancer' and /);
    assert.match(sql('as a percent of all dex volume', ['uniswap volume in usd over the last 7 days']), /^select 100\.0 \* sum\(case when project = 'uniswap' then amount_usd else 0 end\) \/ sum\(amount_usd\) /);
  });

  test('"which exchange got how much" splits by every exchange; "binance wallets" are binance\'s own addresses', () => {
    const labelled = new OfflineProvider({ labels: [{ name: 'Binance 14', category: 'cex' }, { name: 'Coinbase 10', category: 'cex' }] });
    const ask = (q: string, history: string[] = []) => labelled.translate(q, history.map((question) => ({ question }))).sql;
    assert.match(ask('which exchange got how much', ['total USDC received by exchanges in the last 7 days']), /^select l\.name as label, sum\(t\.amount\) .* group by 1 order by 2 desc, 1$/);
    assert.match(ask('and over the last 48 hours', ['how much ETH went into binance wallets yesterday', 'and how many deposits was that']), /^select count\(\*\) /);
  });

  test('"show each one\'s share of all blocks too" keeps the count beside the share', () => {
    assert.match(sql('show each one\'s share of all blocks too', ['blocks mined per miner', 'just the top 3']), /^select miner, count\(\*\) as blocks, count\(\*\) \/ sum\(count\(\*\)\) over \(\) as share .* limit 3$/);
  });
});

describe('turns that cannot stand alone, windows joined and moved, values brought back', () => {
  test('a question that cannot stand alone ("what was the usd volume") is read as a refinement', () => {
    assert.match(sql('what was the usd volume', ['how many trades on balancer yesterday']), /^select sum\(amount_usd\) .* where project = 'balancer' and /);
  });

  test('"include yesterday too" after today joins the days; "the day before that" moves a dated day', () => {
    assert.match(sql('include yesterday too', ['usd volume of WETH-USDC trades today']), /block_time >= date_trunc\('day', snapshot_time\(\)\) - interval 1 day$/);
    assert.match(sql('and the day before that', ['average ETH price on 2025-06-27']), /hour >= TIMESTAMP '2025-06-26' and hour < TIMESTAMP '2025-06-26' \+ interval 1 day$/);
  });

  test('"put curve back but leave out balancer" restores one exclusion and adds another', () => {
    assert.match(sql('actually put curve back but leave out balancer', ['dex volume in usd by project over the last 24 hours', 'drop curve from that']), /where project <> 'balancer' and block_time/);
  });

  test('after "how much USDC was minted", "what % of all usdc transferred is that" is a share of the amount', () => {
    assert.match(sql('cool, what % of all usdc transferred is that', ['how much USDC was minted in the last 7 days']), new RegExp(`^select 100\\.0 \\* sum\\(case when from_address = ${ZERO} then amount else 0 end\\) / sum\\(amount\\) as percent `));
  });

  test('"per exchange label name" groups by the labelled addresses', () => {
    assert.match(sql('usdc received per exchange label name in the last 7 days'), /^select l\.name as label, sum\(t\.amount\) /);
  });
});

describe('known prices, project switches, shares within the answer', () => {
  test('"only the ones with a known USD value" keeps transfers that have one; "per token" then counts them', () => {
    assert.match(sql('per token please', ['how many DAI transfers yesterday', 'only the ones with a known USD value']), /^select symbol, count\(\*\) .* amount_usd is not null .* group by 1/);
  });

  test('switching project drops the version asked of the old one', () => {
    assert.match(sql('actually forget uniswap, do it for curve', ['top 3 token pairs by trade count on uniswap', 'v3 only']), /where project = 'curve' group by 1 order by 2 desc, 1 limit 3$/);
  });

  test('"swap that for the number of trades" after distinct takers per hour counts trades per hour', () => {
    assert.match(sql('swap that for the number of trades', ['number of distinct takers on uniswap today', 'per hour']), /^select date_trunc\('hour', block_time\) as hour, count\(\*\) as trades /);
  });

  test('"the 3 hours with the highest eth price" then "make it 6"', () => {
    assert.match(sql('make it 6', ['the 3 hours with the highest eth price in the last 7 days']), /price_usd\) as avg_price_usd from prices\.hourly .* group by 1 order by 2 desc, 1 limit 6$/);
  });

  test('"each day\'s share" after deployments per day keeps the deployments as a filter', () => {
    assert.match(sql('each day\'s share of the total', ['number of contract deployments per day']), /count\(\*\) \/ sum\(count\(\*\)\) over \(\) as share from ethereum\.transactions where created_contract_address is not null group by 1/);
  });

  test('"as percentages of those three combined" is each token\'s part of the three; "over that week" keeps the window', () => {
    assert.match(sql('as percentages of those three combined', ['how many DAI, USDC and USDT transfers were there today?', 'per token']), /upper\(symbol\) in \('DAI', 'USDC', 'USDT'\)/);
    assert.doesNotMatch(sql('so what % of it went to exchanges', ['usdc sent to centralized exchanges in the last 7 days', 'and usdc transferred in total over that week']), /date_trunc\('week'/);
  });
});

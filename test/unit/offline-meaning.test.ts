import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OnchainSqlError } from '../../src/core/errors.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';

// The contract's meaning rules and the grammar classes the held-out set measured, one assertion per class.
const p = new OfflineProvider({
  labels: [
    { name: 'Binance 14', category: 'cex' }, { name: 'Binance 15', category: 'cex' },
    { name: 'Arbitrum: Bridge', category: 'bridge' }, { name: 'Wrapped Ether', category: 'token' },
  ],
});
const sql = (q: string, history: string[] = []) => p.translate(q, history.map((question) => ({ question }))).sql;
const refusal = (q: string): OnchainSqlError => {
  try {
    p.translate(q);
  } catch (e) {
    assert.ok(e instanceof OnchainSqlError && e.code === 'cannot_answer', String(e));
    return e;
  }
  assert.fail(`expected a refusal for: ${q}`);
};

describe('offline meaning rules and grammar classes', () => {
  test('ETH that moves counts successful transactions; counts of transactions and fees do not', () => {
    assert.match(sql('Total ETH transferred yesterday'), /where success and /);
    assert.match(sql('largest ETH transfers today'), /where success and /);
    assert.doesNotMatch(sql('How many transactions yesterday?'), /success/);
    assert.doesNotMatch(sql('Total fees in ETH today'), /success/);
    assert.doesNotMatch(sql('Average transaction value in ETH'), /success/);
  });

  test('direction words: receivers rank to_address, senders from_address', () => {
    assert.match(sql('Who were the top 3 receivers of ETH?'), /^select to_address,/);
    assert.match(sql('Who were the top 3 senders of USDC?'), /^select from_address,/);
    assert.match(sql('The 4 addresses that sent the most DAI'), /^select from_address, .* limit 4$/);
  });

  test('negation flips a condition, leaves out a category of labelled addresses; a negation of something else is refused', () => {
    assert.match(sql('transactions that did not fail'), /where success$/);
    assert.match(sql("transactions that weren't successful"), /where not success$/);
    assert.match(sql('transactions with no method call'), /method_id = '0x'/);
    assert.match(sql('USDC transfers not to exchanges'), /to_address not in \(select address from labels\.addresses where category in \('cex'\)\)/);
    assert.match(refusal('USDC transfers not in blocks').message, /"not"/);
  });

  test('ratio phrasing and "break down X by Y"', () => {
    for (const q of ['average gas used divided by gas limit', 'ratio of gas used to gas limit', 'gas used relative to gas limit']) {
      assert.match(sql(q), /avg\(gas_used::DOUBLE \/ gas_limit\).* from ethereum\.blocks/, q);
    }
    assert.match(sql('break down DEX trades by project'), /^select project, count\(\*\) .* group by 1/);
  });

  test('distinct tokens count contracts; "how many USDC" sums amounts; chain gas comes from blocks; "time of day" is the hour', () => {
    assert.match(sql('how many distinct tokens were transferred'), /count\(distinct contract_address\)/);
    assert.match(sql('how many USDC were minted'), /^select sum\(amount\)/);
    assert.match(sql('total gas used per day'), /from ethereum\.blocks/);
    assert.match(sql('average gas used per transaction'), /from ethereum\.transactions/);
    assert.match(sql('what time of day is gas cheapest'), /^select hour\(block_time\) as hour_of_day, avg\(gas_price_gwei\).* order by 2 asc, 1 limit 1$/);
  });

  test('organisations by name resolve through labels.addresses, on the side the verb says', () => {
    assert.match(sql('How much ETH did Binance withdraw yesterday'), /on t\.from_address = l\.address where t\.success and l\.name in \('Binance 14', 'Binance 15'\)/);
    assert.match(sql('USDC received by Arbitrum'), /on t\.to_address = l\.address where .*l\.name in \('Arbitrum: Bridge'\)/);
    // A token's label does not turn its name into an organisation.
    assert.match(refusal('wrapped transfers').message, /wrapped/i);
  });

  test('an absurd window is refused with a message, not turned into SQL that cannot parse', () => {
    assert.match(refusal('transactions in the last 999999999999 days').message, /longer than any snapshot/);
    assert.match(sql('transactions in the last 3650 days'), /interval 3650 day/);
  });

  test('follow-ups move the window, keep the ranked noun, change the form and bound, and say what they resolved to', () => {
    assert.match(sql('and the day before?', ['How many transactions yesterday?']), /interval 2 day and block_time < date_trunc\('day', snapshot_time\(\)\) - interval 1 day$/);
    assert.match(sql('and the day before?', ['How many transactions today?']), /- interval 1 day and block_time < date_trunc/);
    assert.match(refusal('and the day before?').message, /the day before" what/);
    assert.match(sql('now only for USDC', ['Top 5 tokens by transfers']), /^select symbol, count\(\*\) .*where upper\(symbol\) = 'USDC' group by 1 order by 2 desc, 1 limit 5$/);
    assert.match(sql('as a share of the total', ['Transactions by type']), /count\(\*\) \/ sum\(count\(\*\)\) over \(\)/);
    assert.match(sql('by transaction type', ['Total fees yesterday']), /^select tx_type, sum\(fee_eth\)/);
    assert.match(sql('only the ones over 1000 USDC', ['USDC transfers today']), /amount > 1000/);
    const t = p.translate('only uniswap', [{ question: 'DEX volume yesterday' }]);
    assert.equal(t.resolved, true);
    assert.equal(p.translate('DEX volume yesterday').resolved, false);
  });
});

import type { Frame } from './frame.js';
import type { Measure, Table } from './intent.js';
import { sqlString } from '../../sql/literal.js';

/**
 * "What share of ETH sent today went to Binance", "what % of USDC transfers came out of exchanges":
 * a share whose condition is the labelled side of the movement, not a filter on it.
 */
export function labelShareWanted(f: Frame): boolean {
  return (f.aggs.includes('share') || f.aggs.includes('percent')) && (f.entities.length > 0 || f.categories.length > 0)
    && f.dirs.length > 0 && !f.groupBy.includes('category') && !f.groupBy.includes('entity');
}

/** The share measure of a labelled side, or undefined when the question asks for another share. */
export function labelShare(table: Table, f: Frame): Measure | undefined {
  if (!labelShareWanted(f) || (table !== 'transactions' && table !== 'transfers')) return undefined;
  const side = f.dirs.includes('from') && !f.dirs.includes('to') ? 'from_address' : 'to_address';
  const labelled = f.entities.length
    ? `name in (${f.entities.map(sqlString).join(', ')})`
    : f.categories.length === 1 ? `category = ${sqlString(f.categories[0])}` : `category in (${f.categories.map(sqlString).join(', ')})`;
  const who = f.entities.length ? f.entities.join(', ') : `${f.categories.join('/')}-labelled addresses`;
  const amountAsked = f.fields.some((x) => x === 'value' || x === 'volume') || f.verbs.includes('transfer') || f.tokens.length > 0;
  // "and how much ETH was that" after "how many transfers": the amount, not the count
  const counted = f.nouns.some((n) => n === 'transfer' || n === 'transaction') && !f.fields.length && !f.aggs.includes('sum');
  let column: string | undefined;
  if (amountAsked && !counted) {
    const tokens = f.tokens.filter((t) => t !== 'ETH');
    column = table === 'transactions' ? '{c}value_eth' : tokens.length === 1 && !f.units.includes('usd') ? '{c}amount' : '{c}amount_usd';
  }
  const percent = f.aggs.includes('percent');
  return {
    agg: 'share',
    column,
    shareCondition: `{c}${side} in (select address from labels.addresses where ${labelled})`,
    percent,
    alias: percent ? 'percent' : 'share',
    words: `${percent ? 'percentage' : 'share'} of ${column ? 'the amount' : table === 'transactions' ? 'transactions' : 'token transfers'} ${side === 'to_address' ? 'received by' : 'sent from'} ${who}`,
  };
}

import type { Assumption } from '../answer.js';
import { equalityFilters, probeNumber, type Probe } from './probe.js';
import { sqlString } from '../sql/literal.js';

/**
 * Where a question can be read two ways, the reading the SQL took, with the
 * other reading as a question to ask instead (surfaces show it as a button).
 * Decided from the question's words and the SQL's columns, never by a model.
 */

interface Reading {
  /** The question's words that are ambiguous. */
  words: RegExp;
  /** The SQL took this reading when it matches. */
  took: RegExp;
  text: string;
  alternative: { label: string; replace: string };
}

const READINGS: Reading[] = [
  {
    words: /\bgas (price|cost)s?\b|\bgas\b(?=.*\b(cheap|expensive|cheapest|priciest)\b)/i,
    took: /\bgas_price_gwei\b/i,
    text: 'Gas price is read as the price transactions paid (effective gas price, base fee plus tip), not the block base fee.',
    alternative: { label: 'Use the block base fee', replace: 'base fee' },
  },
  {
    words: /\bgas (price|cost)s?\b/i,
    took: /\bbase_fee_per_gas_gwei\b/i,
    text: 'Gas price is read as the block base fee, not the price transactions paid (which adds the tip).',
    alternative: { label: 'Use the price transactions paid', replace: 'gas price paid by transactions' },
  },
  {
    words: /\bthis week\b/i,
    took: /date_trunc\('week'/i,
    text: '"This week" is read as the calendar week (since Monday 00:00 UTC of the snapshot\'s last week).',
    alternative: { label: 'Use the last 7 days', replace: 'in the last 7 days' },
  },
  {
    words: /\bthis week\b/i,
    took: /interval '?7'? ?days?\b/i,
    text: '"This week" is read as the last 7 days before the snapshot\'s newest block.',
    alternative: { label: 'Use the calendar week (since Monday)', replace: 'since Monday' },
  },
];

export async function answerAssumptions(probe: Probe, question: string, sql: string): Promise<Assumption[]> {
  const out: Assumption[] = [];
  for (const r of READINGS) {
    const m = r.words.exec(question);
    if (!m || !r.took.test(sql)) continue;
    const alt = question.replace(r.words, r.alternative.replace);
    out.push({ text: r.text, ...(alt !== question ? { alternative: { label: r.alternative.label, question: alt } } : {}) });
  }
  // A symbol several token contracts share: the answer counts all of them.
  for (const f of equalityFilters(sql)) {
    if (f.column !== 'symbol' || !/\bfrom\s+tokens\.(transfers|erc20)\b/i.test(sql)) continue;
    const n = await probeNumber(probe, `select count(distinct contract_address) from tokens.erc20 where upper(symbol) = upper(${sqlString(f.value)})`);
    if (n !== undefined && n > 1) {
      const top = await topContract(probe, f.value);
      out.push({
        text: `The symbol ${f.value} belongs to ${n} token contracts; the answer counts all of them.`,
        ...(top ? { alternative: { label: `Only contract ${top.slice(0, 10)}…`, question: `${question.replace(/[?.!\s]+$/, '')} for token contract ${top}` } } : {}),
      });
    }
  }
  return out;
}

async function topContract(probe: Probe, symbol: string): Promise<string | undefined> {
  try {
    const r = await probe.query(`select contract_address from tokens.transfers where upper(symbol) = upper(${sqlString(symbol)}) group by 1 order by count(*) desc, 1 limit 1`, { maxRows: 1 });
    const v = r.rows[0]?.[0];
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

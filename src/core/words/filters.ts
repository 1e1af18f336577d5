import type { SqlStructure } from '../sql/structure.js';
import words from './filter-words.json';

/**
 * What a statement counts and how it narrowed the rows, in words, read from its
 * SQL (never from a model): the noun of the table it reads ("transactions") and
 * its top-level WHERE conditions as words before ("failed") or after ("on
 * uniswap") the noun. The table of patterns is data (filter-words.json).
 */

export interface AnswerScope {
  /** The noun for the main table read, when it is a table of the contract. */
  noun?: string;
  before: string[];
  after: string[];
}

interface ConditionWords {
  pattern: string;
  before?: string;
  after?: string;
}

const ENTITIES = (words as { entities: Record<string, string> }).entities;
const CONDITIONS = (words as { conditions: ConditionWords[] }).conditions.map((c) => ({ ...c, re: new RegExp(c.pattern, 'i') }));
/** Longest condition text said as it is when no pattern reads it. */
const MAX_RAW = 60;

/** Top-level AND conjuncts of a WHERE body (not inside parentheses, strings or a BETWEEN). */
export function conjuncts(where: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  let between = false;
  for (let i = 0; i < where.length; i++) {
    const c = where[i];
    if (quote) {
      if (c === quote) quote = where[i + 1] === quote ? (i++, quote) : '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && /\s/.test(c)) {
      const word = /^\s(between|and)\s/i.exec(where.slice(i, i + 9))?.[1]?.toLowerCase();
      if (word === 'between') between = true;
      else if (word === 'and') {
        if (between) between = false;
        else {
          out.push(where.slice(start, i).trim());
          start = i + 5;
        }
      }
    }
  }
  out.push(where.slice(start).trim());
  return out.filter(Boolean);
}

function quotedList(list: string): string {
  return [...list.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'")).join(', ');
}

function valueWords(v: string): string {
  if (/^-?[0-9][0-9_]*(\.[0-9]+)?(e[0-9]+)?$/i.test(v)) return Number(v.replace(/_/g, '')).toLocaleString('en-US', { maximumFractionDigits: 8 });
  return v.replace(/''/g, "'");
}

function columnWords(c: string): string {
  return c.toLowerCase().replace(/_eth$/, ' (ETH)').replace(/_gwei$/, ' (gwei)').replace(/_usd$/, ' (USD)').replace(/_/g, ' ');
}

/** How labels are joined: "to" or "from" by the address column the join uses. */
function labelDirection(sql: string): string {
  if (/\bto_address\s*=\s*(?:\w+\.)?address\b|\baddress\s*=\s*(?:\w+\.)?to_address\b/i.test(sql)) return 'to';
  if (/\bfrom_address\s*=\s*(?:\w+\.)?address\b|\baddress\s*=\s*(?:\w+\.)?from_address\b/i.test(sql)) return 'from';
  return 'involving';
}

/** A condition on the time window (said by window.ts) or between two columns (a join): no words. */
function unsaid(condition: string): boolean {
  if (/snapshot_time\(\)|\bblock_time\b/i.test(condition)) return true;
  return !/'|\b\d/.test(condition) && !/\b(null|true|false|not)\b/i.test(condition) && /[<>=]/.test(condition);
}

/** `structure` is DuckDB's reading of `sql` (engine.describeStatement); without it nothing is said. */
export function answerScope(structure: Pick<SqlStructure, 'tables' | 'filters'> | undefined, sql: string): AnswerScope {
  if (!structure) return { before: [], after: [] };
  const s = structure;
  const noun = s.tables.length ? ENTITIES[s.tables[0]] : undefined;
  const before: string[] = [];
  const after: string[] = [];
  for (const condition of s.filters ? conjuncts(s.filters) : []) {
    if (unsaid(condition)) continue;
    const rule = CONDITIONS.find((c) => c.re.test(condition));
    if (!rule) {
      after.push(`where ${condition.length > MAX_RAW ? `${condition.slice(0, MAX_RAW - 1)}…` : condition}`);
      continue;
    }
    const m = rule.re.exec(condition)!;
    const fill = (template: string) => template
      .replace(/\$list(\d)/g, (_, i: string) => quotedList(m[Number(i)] ?? ''))
      .replace(/\$dir/g, () => labelDirection(sql))
      .replace(/\$(\d)/g, (_, i: string) => {
        const g = m[Number(i)] ?? '';
        // A column name (the first group of a "with <column> …" rule) reads as words; values as values.
        return i === '1' && /^with \$1/.test(template) ? columnWords(g) : valueWords(g);
      });
    if (rule.before) before.push(fill(rule.before));
    if (rule.after) after.push(fill(rule.after));
  }
  return { noun, before, after };
}

/** "failed transactions", "USDC transfers with amount over 1,000", "trades on uniswap". */
export function scopeWords(scope: AnswerScope, noun = scope.noun ?? 'rows'): string {
  return [...scope.before, noun, ...scope.after].join(' ');
}

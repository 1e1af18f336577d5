import { cellToText } from '../text/cell.js';
import type { ColumnInfo } from '../engine/engine.js';
import type { Cell } from '../engine/values.js';
import { answerScope, scopeWords, type AnswerScope } from './filters.js';
import type { SqlStructure } from '../sql/structure.js';
import { windowOf, windowWords } from './window.js';

/**
 * One sentence that says the answer in words, built only from the result rows
 * and the SQL's shape (never by a model): a single figure, the leader of a
 * ranking, the range of a series, or how many rows a listing has, naming the
 * measure, what it counts and the filters and time window the SQL used
 * ("Failed transactions in the last 7 days: 5,422").
 */

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/i;
const TEMPORAL = /^(TIMESTAMP.*|DATE)$/i;

export function formatFigure(v: Cell): string {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    const abs = Math.abs(v);
    const digits = abs >= 1000 ? 0 : abs >= 1 ? 2 : abs === 0 ? 0 : Math.min(8, 2 - Math.floor(Math.log10(abs)) + 1);
    return v.toLocaleString('en-US', { maximumFractionDigits: digits });
  }
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v).toLocaleString('en-US');
  if (v === null) return 'no value';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A column name as words: "sum_value_eth" → "total value (ETH)", "count_star()" → "rows". */
export function measureWords(name: string): string {
  const n = name.toLowerCase();
  if (/^count_star\(\)$|^count\(\*\)$/.test(n)) return 'rows';
  const m = /^(sum|avg|median|min|max|count_distinct|distinct|count|percent|share)_(.+)$/.exec(n);
  const prefix = m ? { sum: 'total ', avg: 'average ', median: 'median ', min: 'lowest ', max: 'highest ', count_distinct: 'distinct ', distinct: 'distinct ', count: 'number of ', percent: 'percent ', share: 'share ' }[m[1] as 'sum'] : '';
  const base = (m ? m[2] : n)
    .replace(/\(([^)]*)\)/g, ' $1 ')
    .replace(/_eth$/, ' (ETH)').replace(/_gwei$/, ' (gwei)').replace(/_usd$/, ' (USD)')
    .replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  return `${prefix}${base}`;
}

function timeText(v: Cell): string {
  const s = cellToText(v);
  return s.endsWith(' 00:00:00') ? s.slice(0, 10) : s.replace(/:00$/, '');
}

/** Whether column `name` holds a count of rows (count(*) as name). */
function isRowCount(sql: string, name: string): boolean {
  if (/^count_star\(\)$|^count\(\*\)$/i.test(name)) return true;
  const alias = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\bcount\\s*\\(\\s*\\*?\\s*\\)\\s+(?:as\\s+)?"?${alias}"?(?![\\w])`, 'i').test(sql);
}

/**
 * What a measure column says, with what it counts and the filters: "failed
 * transactions", "total amount of USDC transfers", "share of transactions that failed".
 * `counted` is the plural alone for "had the most …" sentences.
 */
function measurePhrase(sql: string, name: string, scope: AnswerScope): { phrase: string; counted: boolean } {
  const m = measureWords(name);
  const narrowed = scope.before.length > 0 || scope.after.length > 0;
  if (isRowCount(sql, name)) {
    if (scope.noun) return { phrase: scopeWords(scope), counted: true };
    return { phrase: narrowed ? `${m} (${scopeWords(scope)})` : m, counted: true };
  }
  if (!scope.noun) return { phrase: narrowed ? `${m} (${scopeWords(scope)})` : m, counted: false };
  const part = /^(percent|share) (\w+ed)$/.exec(m);
  if (part) return { phrase: `${part[1]} of ${scopeWords(scope)} that ${part[2]}`, counted: false };
  return { phrase: `${m} of ${scopeWords(scope)}`, counted: false };
}

export function summarize(sql: string, columns: ReadonlyArray<Pick<ColumnInfo, 'name' | 'type'>>, rows: ReadonlyArray<ReadonlyArray<Cell>>, truncated = false,
  structure?: Pick<SqlStructure, 'tables' | 'filters'>): string {
  const when = windowWords(windowOf(sql));
  const scope = answerScope(structure, sql);
  if (rows.length === 0) {
    const what = scope.noun ? `No ${scopeWords(scope)}` : 'No rows match';
    return `${what} ${when === 'in the snapshot' ? 'in this snapshot' : when}.`;
  }
  const numeric = columns.map((c) => NUMERIC.test(c.type));
  const measureIdx = numeric.lastIndexOf(true);
  const single = rows.length === 1;
  if (single && columns.length === 1) {
    return `${capital(measurePhrase(sql, columns[0].name, scope).phrase)} ${when}: ${formatFigure(rows[0][0])}.`;
  }
  if (single && numeric.every(Boolean)) {
    // Several statistics of one thing ("min and max gas price"): each by name, the first with what it measures.
    const rest = columns.slice(1).map((c, i) => `; ${measureWords(c.name)}: ${formatFigure(rows[0][i + 1])}`).join('');
    return `${capital(measurePhrase(sql, columns[0].name, scope).phrase)} ${when}: ${formatFigure(rows[0][0])}${rest}.`;
  }
  const descRank = /order by\s+(\S+)\s+desc/i.test(sql);
  const ascRank = /order by\s+(\S+)\s+asc/i.test(sql);
  const limited = /\blimit\s+\d+\s*$/i.test(sql.trim());
  const firstTemporal = TEMPORAL.test(columns[0]?.type ?? '');
  if (firstTemporal && measureIdx > 0 && !limited && columns.length === 2) {
    // A series: its range.
    let lo = 0;
    let hi = 0;
    rows.forEach((r, i) => {
      if (Number(r[measureIdx]) < Number(rows[lo][measureIdx])) lo = i;
      if (Number(r[measureIdx]) > Number(rows[hi][measureIdx])) hi = i;
    });
    const m = measurePhrase(sql, columns[measureIdx].name, scope).phrase;
    return `${capital(m)} ${when} ranged from ${formatFigure(rows[lo][measureIdx])} (${timeText(rows[lo][0])}) to ${formatFigure(rows[hi][measureIdx])} (${timeText(rows[hi][0])}) over ${rows.length} periods.`;
  }
  const shareIdx = columns.findIndex((c, i) => numeric[i] && /^(share|percent)(_|$)/i.test(c.name));
  const ranked = (descRank || ascRank) && limited;
  if ((ranked || shareIdx > 0) && measureIdx > 0 && !numeric[0]) {
    // A ranking: its leader. Shares of a whole: the largest, whatever the order.
    // A ranking leads with the column it orders by ("order by 2 desc"), which need not be the last one.
    const orderedIdx = Number(/order by\s+(\d+)\s+(?:desc|asc)/i.exec(sql)?.[1] ?? 0) - 1;
    const at = ranked ? (numeric[orderedIdx] ? orderedIdx : measureIdx) : shareIdx;
    const lead = ranked ? 0 : rows.reduce((best, r, i) => (Number(r[at]) > Number(rows[best][at]) ? i : best), 0);
    const label = rows[lead].slice(0, at).filter((_, i) => !numeric[i]).map((c) => (c === null ? 'NULL' : cellToText(c))).join(' / ');
    const name = columns[at].name;
    const { phrase, counted } = measurePhrase(sql, name, scope);
    const m = measureWords(name);
    const desc = !ranked || descRank;
    const most = counted ? (desc ? 'the most' : 'the fewest')
      : !/^(total|average|median|lowest|highest|distinct|percent|share)\b/.test(m) && desc ? 'the most'
        : /^(percent|share)\b/.test(m) ? (desc ? 'the largest' : 'the smallest') : (desc ? 'the highest' : 'the lowest');
    const tail = rows.length > 1 ? ` (${ranked ? 'first' : 'largest'} of ${rows.length} rows)` : '';
    return `${label} had ${most} ${phrase} ${when}: ${formatFigure(rows[lead][at])}${tail}.`;
  }
  const n = `${rows.length.toLocaleString('en-US')}${truncated ? '+' : ''}`;
  const of = scope.noun ? ` of ${scopeWords(scope)}` : '';
  return `${n} row${rows.length === 1 ? '' : 's'}${of} ${when}.`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

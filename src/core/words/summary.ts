import { cellToText } from '../text/cell.js';
import type { ColumnInfo } from '../engine/engine.js';
import type { Cell } from '../engine/values.js';
import { windowOf, windowWords } from './window.js';

/**
 * One sentence that says the answer in words, built only from the result rows
 * and the SQL's shape (never by a model): a single figure, the leader of a
 * ranking, the range of a series, or how many rows a listing has.
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

export function summarize(sql: string, columns: ReadonlyArray<Pick<ColumnInfo, 'name' | 'type'>>, rows: ReadonlyArray<ReadonlyArray<Cell>>, truncated = false): string {
  const when = windowWords(windowOf(sql));
  if (rows.length === 0) return `No rows match ${when === 'in the snapshot' ? 'in this snapshot' : when}.`;
  const numeric = columns.map((c) => NUMERIC.test(c.type));
  const measureIdx = numeric.lastIndexOf(true);
  const single = rows.length === 1;
  if (single && columns.length === 1) {
    return `${capital(measureWords(columns[0].name))} ${when}: ${formatFigure(rows[0][0])}.`;
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
    const m = measureWords(columns[measureIdx].name);
    return `${capital(m)} ${when} ranged from ${formatFigure(rows[lo][measureIdx])} (${timeText(rows[lo][0])}) to ${formatFigure(rows[hi][measureIdx])} (${timeText(rows[hi][0])}) over ${rows.length} periods.`;
  }
  if ((descRank || ascRank) && limited && measureIdx > 0 && !numeric[0]) {
    const label = rows[0].slice(0, measureIdx).filter((_, i) => !numeric[i]).map((c) => (c === null ? 'NULL' : cellToText(c))).join(' / ');
    const m = measureWords(columns[measureIdx].name);
    const most = descRank ? (m.startsWith('number of ') || !/^(total|average|median|lowest|highest|distinct|percent|share)\b/.test(m) ? 'the most' : 'the highest') : (m.startsWith('number of ') ? 'the fewest' : 'the lowest');
    const what = most === 'the most' || most === 'the fewest' ? m.replace(/^number of /, '') : m;
    const tail = rows.length > 1 ? ` (first of ${rows.length} rows)` : '';
    return `${label} had ${most} ${what} ${when}: ${formatFigure(rows[0][measureIdx])}${tail}.`;
  }
  const n = `${rows.length.toLocaleString('en-US')}${truncated ? '+' : ''}`;
  return `${n} row${rows.length === 1 ? '' : 's'} ${when}.`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

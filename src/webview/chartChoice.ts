// Chooses how to chart a result from its shape and the answer's hint, and shapes
// the rows into chart data. DOM-free, so the choice is unit-tested in plain Node;
// media/shared/chart.ts draws what this returns.
import type { ChartHint } from '../core/answer.js';
import type { ColumnInfo } from '../core/engine/engine.js';
import type { Cell } from '../core/engine/values.js';
import { displayLabel, isNumericType, isTimeType, cellToText } from './format.js';

export type ChartType = 'line' | 'bar' | 'area' | 'scatter';
export type ViewType = ChartType | 'table';

/** Rows a chart uses at most: Chart.js stays fluid well past this, people cannot read more. */
export const MAX_CHART_ROWS = 5000;
/** Series drawn at most when the hint pivots by a `series` column. */
export const MAX_SERIES = 8;

export type ChartChoice =
  | { kind: 'chart'; type: ChartType; x: number; y: number[]; series: number | null }
  | { kind: 'single'; label: string; value: Cell; column: ColumnInfo }
  | { kind: 'none'; reason: string };

type Role = 'time' | 'number' | 'category';

/** Numeric columns that identify rather than measure (same rule as the grid's digit grouping). */
const IDENTIFIER_LIKE = /(^|_)(number|block|id|index|nonce|year|type|decimals|chain_id|log_index|tx_index)$/i;

function roleOf(c: ColumnInfo): Role {
  if (isTimeType(c.type)) return 'time';
  if (isNumericType(c.type)) return 'number';
  return 'category';
}

/**
 * time + number ⇒ line, category + number ⇒ bar, two numbers ⇒ scatter, a single
 * value ⇒ a big-number card. A valid hint from the model wins over the shape.
 */
export function chooseChart(columns: ColumnInfo[], rows: Cell[][], hint: ChartHint | null | undefined): ChartChoice {
  if (columns.length === 0 || rows.length === 0) return { kind: 'none', reason: 'No rows to chart.' };
  if (rows.length === 1 && columns.length === 1) {
    return { kind: 'single', label: columns[0].name, value: rows[0][0], column: columns[0] };
  }
  const index = (name: string) => columns.findIndex((c) => c.name === name);
  if (hint) {
    if (hint.type === 'table') return { kind: 'none', reason: 'The answer is best read as a table.' };
    const x = index(hint.x);
    const y = hint.y.map(index).filter((i) => i >= 0 && i !== x);
    const series = hint.series ? index(hint.series) : -1;
    if (x >= 0 && y.length > 0) return { kind: 'chart', type: hint.type, x, y, series: series >= 0 ? series : null };
  }
  const roles = columns.map(roleOf);
  // Heights, ids and counters are numbers but not measures: never the y of a chart (block_number over time is a diagonal line).
  const numbers = roles.flatMap((r, i) => (r === 'number' && !IDENTIFIER_LIKE.test(columns[i].name) ? [i] : []));
  const time = roles.indexOf('time');
  const category = roles.indexOf('category');
  if (time >= 0 && numbers.length > 0) {
    // A category column next to time and one number is the long form of several series, if the
    // times repeat (one row per time and series) and the series are few; else it is just a label.
    const series = category >= 0 && numbers.length === 1 && isLongForm(rows, time, category) ? category : null;
    return { kind: 'chart', type: 'line', x: time, y: numbers.slice(0, 1), series };
  }
  if (category >= 0 && numbers.length > 0) return { kind: 'chart', type: 'bar', x: category, y: numbers.slice(0, 1), series: null };
  if (rows.length === 1) return { kind: 'none', reason: 'One row reads best as a table.' };
  if (numbers.length >= 2) return { kind: 'chart', type: 'scatter', x: numbers[0], y: [numbers[1]], series: null };
  const ids = roles.flatMap((r, i) => (r === 'number' && IDENTIFIER_LIKE.test(columns[i].name) ? [i] : []));
  // e.g. gas used per block: the identifier is the x axis.
  if (numbers.length === 1 && ids.length > 0) return { kind: 'chart', type: 'line', x: ids[0], y: numbers, series: null };
  return { kind: 'none', reason: 'No numeric column to chart.' };
}

function isLongForm(rows: Cell[][], x: number, series: number): boolean {
  const sample = rows.slice(0, MAX_CHART_ROWS);
  const xs = new Set(sample.map((r) => cellToText(r[x])));
  const ss = new Set(sample.map((r) => cellToText(r[series])));
  return xs.size < sample.length && ss.size > 1 && ss.size <= MAX_SERIES;
}

export interface ChartDataset {
  label: string;
  /** For line/bar/area: one value per label. For scatter: points. */
  values: Array<number | null>;
  points?: Array<{ x: number; y: number }>;
}

export interface ChartData {
  type: ChartType;
  xLabel: string;
  yLabel: string;
  labels: string[];
  datasets: ChartDataset[];
  /** Rows used (≤ MAX_CHART_ROWS). */
  rowsUsed: number;
}

export function toNumber(c: Cell): number | null {
  if (typeof c === 'number') return Number.isFinite(c) ? c : null;
  if (typeof c === 'string' && c.trim() !== '') {
    const n = Number(c);
    return Number.isFinite(n) ? n : null;
  }
  if (typeof c === 'boolean') return c ? 1 : 0;
  return null;
}

/** Shapes rows for the chosen chart; `type` may differ from the choice (the user switched it). */
export function buildChartData(
  columns: ColumnInfo[], rows: Cell[][], choice: Extract<ChartChoice, { kind: 'chart' }>, type: ChartType = choice.type,
): ChartData {
  const xCol = columns[choice.x];
  let used = rows.slice(0, MAX_CHART_ROWS);
  // A line over time reads left to right whatever the SQL's ORDER BY was (ISO text sorts as time).
  if (type !== 'scatter' && type !== 'bar' && isTimeType(xCol.type)) {
    used = [...used].sort((a, b) => cellToText(a[choice.x]).localeCompare(cellToText(b[choice.x])));
  }
  const yCols = choice.y.map((i) => columns[i]);
  const base = {
    type, rowsUsed: used.length, xLabel: displayLabel(xCol.name, 80),
    yLabel: displayLabel(yCols.map((c) => c.name).join(', '), 80),
  };
  if (type === 'scatter') {
    const datasets = choice.y.map((yi, k) => ({
      label: displayLabel(yCols[k].name, 80),
      values: [],
      points: used.flatMap((r) => {
        const x = toNumber(r[choice.x]);
        const y = toNumber(r[yi]);
        return x === null || y === null ? [] : [{ x, y }];
      }),
    }));
    return { ...base, labels: [], datasets };
  }
  if (choice.series !== null) {
    // Long form (x, series, y) pivoted to one dataset per series value, labels in first-seen order.
    const yi = choice.y[0];
    const labels: string[] = [];
    const labelIndex = new Map<string, number>();
    const bySeries = new Map<string, Map<number, number | null>>();
    for (const r of used) {
      const label = displayLabel(cellToText(r[choice.x]), 80);
      let li = labelIndex.get(label);
      if (li === undefined) { li = labels.length; labels.push(label); labelIndex.set(label, li); }
      const s = displayLabel(cellToText(r[choice.series]), 40) || 'NULL';
      if (!bySeries.has(s)) {
        if (bySeries.size >= MAX_SERIES) continue;
        bySeries.set(s, new Map());
      }
      bySeries.get(s)!.set(li, toNumber(r[yi]));
    }
    const datasets = [...bySeries].map(([label, m]) => ({ label, values: labels.map((_, i) => m.get(i) ?? null) }));
    return { ...base, labels, datasets };
  }
  // Several category columns (project, version) name a bar together: "uniswap 3", not "uniswap" twice.
  const labelCols = roleOf(xCol) === 'category'
    ? [choice.x, ...columns.flatMap((c, i) => (i !== choice.x && roleOf(c) === 'category' ? [i] : []))].slice(0, 3)
    : [choice.x];
  const labels = used.map((r) => displayLabel(labelCols.map((i) => cellToText(r[i])).join(' '), 80));
  const datasets = choice.y.map((yi, k) => ({ label: displayLabel(yCols[k].name, 80), values: used.map((r) => toNumber(r[yi])) }));
  return { ...base, labels, datasets };
}

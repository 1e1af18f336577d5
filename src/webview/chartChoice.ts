// Chooses how to chart a result from its shape and the answer's hint, and shapes
// the rows into chart data. DOM-free, so the choice is unit-tested in plain Node;
// media/common/chart.ts draws what this returns.
import type { ChartHint } from '../core/answer.js';
import type { ColumnInfo } from '../core/engine/engine.js';
import type { Cell } from '../core/engine/values.js';
import { displayLabel, isNumericType, isTimeType, cellToText, shortenHex } from './format.js';

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
/** Amounts in base units (5E27 wei): meaningless on an axis; the scaled column (amount, value_eth) is the measure. */
const RAW_UNITS = /(^|_)(raw|wei)$/i;
/** `SELECT * FROM t [LIMIT n]`: rows as stored, read as a table (Preview Table). */
const RAW_PREVIEW = /^\s*select\s+\*\s+from\s+[\w."]+(\s+(as\s+)?\w+)?(\s+limit\s+\d+)?\s*;?\s*$/i;

function roleOf(c: ColumnInfo): Role {
  if (isTimeType(c.type)) return 'time';
  if (isNumericType(c.type)) return 'number';
  return 'category';
}

function isMeasure(c: ColumnInfo): boolean {
  return roleOf(c) === 'number' && !IDENTIFIER_LIKE.test(c.name) && !RAW_UNITS.test(c.name);
}

/** The SQL without comments and string literals, so a column name in a comment or a token name is not read as ORDER BY. */
function sqlCode(sql: string): string {
  return sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/'(?:[^']|'')*'/g, "''");
}

/**
 * The column the outermost ORDER BY sorts by first ("order by usd desc",
 * "order by 2 desc"), when it is a column of the result; -1 otherwise.
 */
export function orderedColumn(sql: string | undefined, columns: ColumnInfo[]): number {
  if (!sql) return -1;
  const code = sqlCode(sql);
  const all = [...code.matchAll(/\border\s+by\s+("(?:[^"]|"")+"|[\w.]+)/gi)];
  // The last ORDER BY at the outermost level: inner ones sit inside parentheses that close after them.
  for (let i = all.length - 1; i >= 0; i--) {
    const m = all[i];
    const after = code.slice(m.index + m[0].length);
    let depth = 0;
    for (const ch of after) { if (ch === '(') depth++; else if (ch === ')') depth--; if (depth < 0) break; }
    if (depth < 0) continue;
    const term = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1].split('.').pop()!;
    if (/^\d+$/.test(term)) {
      const n = Number(term) - 1;
      return n >= 0 && n < columns.length ? n : -1;
    }
    return columns.findIndex((c) => c.name.toLowerCase() === term.toLowerCase());
  }
  return -1;
}

/** Whether the SQL is a raw look at a table (no chart: its numbers are not a measure over anything). */
export function isRawPreview(sql: string | undefined): boolean {
  return !!sql && RAW_PREVIEW.test(sqlCode(sql));
}

/**
 * time + number ⇒ line, category + number ⇒ bar, two numbers ⇒ scatter, a single
 * value ⇒ a big-number card. A valid hint from the model wins over the shape;
 * the measure the SQL orders by wins over the first one; raw previews and
 * base-unit amounts are never charted.
 */
export function chooseChart(columns: ColumnInfo[], rows: Cell[][], hint: ChartHint | null | undefined, sql?: string): ChartChoice {
  if (columns.length === 0 || rows.length === 0) return { kind: 'none', reason: 'No rows to chart.' };
  if (rows.length === 1 && columns.length === 1) {
    return { kind: 'single', label: columns[0].name, value: rows[0][0], column: columns[0] };
  }
  if (isRawPreview(sql)) return { kind: 'none', reason: 'A preview of stored rows reads best as a table.' };
  const index = (name: string) => columns.findIndex((c) => c.name === name);
  if (hint) {
    if (hint.type === 'table') return { kind: 'none', reason: 'The answer is best read as a table.' };
    const x = index(hint.x);
    const y = hint.y.map(index).filter((i) => i >= 0 && i !== x && !RAW_UNITS.test(columns[i].name));
    const series = hint.series ? index(hint.series) : -1;
    if (x >= 0 && y.length > 0) return { kind: 'chart', type: hint.type, x, y, series: series >= 0 ? series : null };
  }
  const roles = columns.map(roleOf);
  // Heights, ids, counters and base-unit amounts are numbers but not measures: never the y of a chart.
  let numbers = columns.flatMap((c, i) => (isMeasure(c) ? [i] : []));
  // "order by usd desc": the measure the question ranks by is the one to draw.
  const ordered = orderedColumn(sql, columns);
  if (ordered >= 0 && numbers.includes(ordered)) numbers = [ordered, ...numbers.filter((i) => i !== ordered)];
  const time = roles.indexOf('time');
  const category = roles.indexOf('category');
  if (time >= 0 && numbers.length > 0) {
    // A category column next to time and one number is the long form of several series, if the
    // times repeat (one row per time and series) and the series are few; else it is just a label.
    const series = category >= 0 && isLongForm(rows, time, category) ? category : null;
    return { kind: 'chart', type: 'line', x: time, y: numbers.slice(0, 1), series };
  }
  if (category >= 0 && numbers.length > 0) return { kind: 'chart', type: 'bar', x: category, y: numbers.slice(0, 1), series: null };
  if (rows.length === 1) return { kind: 'none', reason: 'One row reads best as a table.' };
  if (numbers.length >= 2) return { kind: 'chart', type: 'scatter', x: numbers[0], y: [numbers[1]], series: null };
  const ids = roles.flatMap((r, i) => (r === 'number' && IDENTIFIER_LIKE.test(columns[i].name) ? [i] : []));
  // e.g. gas used per block: the identifier is the x axis.
  if (numbers.length === 1 && ids.length > 0) return { kind: 'chart', type: 'line', x: ids[0], y: numbers, series: null };
  return { kind: 'none', reason: 'No measure to chart.' };
}

/** The columns a user may pick for each axis of a chart (the picker's choices). */
export function axisChoices(columns: ColumnInfo[]): { x: number[]; y: number[]; series: number[] } {
  const all = columns.map((_, i) => i);
  return {
    x: all.filter((i) => !RAW_UNITS.test(columns[i].name)),
    y: all.filter((i) => isMeasure(columns[i])),
    series: all.filter((i) => roleOf(columns[i]) === 'category'),
  };
}

export type ChartAxes = Extract<ChartChoice, { kind: 'chart' }>;

/**
 * What each picker (X, Y, Series) offers for a drawn chart: the columns that can
 * play the part, with the current pick first where the rules would leave it out
 * (a hint from the model may name any column), so the picker always shows it.
 */
export function axisPickerOptions(columns: ColumnInfo[], chosen: ChartAxes): { x: number[]; y: number[]; series: number[] } {
  const choices = axisChoices(columns);
  const withPick = (list: number[], pick: number | null | undefined) => (pick === null || pick === undefined || list.includes(pick) ? list : [pick, ...list]);
  return { x: withPick(choices.x, chosen.x), y: withPick(choices.y, chosen.y[0]), series: withPick(choices.series, chosen.series) };
}

/**
 * The chart after the user picks an axis: picking y draws that one measure;
 * a series that is now the x or the measure is dropped (it would split the
 * chart by its own axis).
 */
export function repickAxes(chosen: ChartAxes, change: { x?: number; y?: number; series?: number | null }): ChartAxes {
  const next: ChartAxes = {
    ...chosen,
    ...(change.x !== undefined ? { x: change.x } : {}),
    ...(change.y !== undefined ? { y: [change.y] } : {}),
    ...(change.series !== undefined ? { series: change.series } : {}),
  };
  if (next.series !== null && (next.series === next.x || next.y.includes(next.series))) next.series = null;
  return next;
}

/** The chart in words, for screen readers: "bar chart of usd by project, one series per symbol". */
export function chartDescription(data: ChartData): string {
  const series = data.seriesLabel ? `, one series per ${data.seriesLabel}` : '';
  return `${data.type} chart of ${data.yLabel} by ${data.xLabel}${series}`;
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
  /** Axis labels, short: `0x1234…abcd`, `06-24` or `13:00` (full text in `fullLabels`). */
  labels: string[];
  /** The same labels in full, for tooltips. */
  fullLabels: string[];
  datasets: ChartDataset[];
  /** The column the datasets are split by, when there is one. */
  seriesLabel?: string;
  /** Rows used (≤ MAX_CHART_ROWS). */
  rowsUsed: number;
}

const TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?/;

/**
 * Short labels for a run of timestamps: the date alone when every time is
 * midnight (day buckets), the time alone when every date is the same day, else
 * date and time, the date without its year when all share one.
 */
export function shortTimeLabels(texts: string[]): string[] {
  const parts = texts.map((t) => TIME_TEXT.exec(t));
  if (parts.some((p) => !p)) return texts;
  const ps = parts as RegExpExecArray[];
  const midnight = ps.every((p) => !p[4] || (p[4] === '00' && p[5] === '00' && (!p[6] || p[6] === '00')));
  const oneYear = new Set(ps.map((p) => p[1])).size === 1;
  const oneDay = new Set(ps.map((p) => p[0].slice(0, 10))).size === 1;
  return ps.map((p) => {
    const date = oneYear ? `${p[2]}-${p[3]}` : `${p[1]}-${p[2]}-${p[3]}`;
    if (midnight) return `${p[1]}-${p[2]}-${p[3]}`;
    const time = `${p[4]}:${p[5]}`;
    return oneDay ? time : `${date} ${time}`;
  });
}

/** A category label for an axis: addresses and hashes shortened, long text cut. */
function shortLabel(text: string): string {
  return displayLabel(text.split(' ').map(shortenHex).join(' '), 24);
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
    return { ...base, labels: [], fullLabels: [], datasets };
  }
  if (choice.series !== null) {
    // Long form (x, series, y) pivoted to one dataset per series value, labels in first-seen order.
    const yi = choice.y[0];
    const labels: string[] = [];
    const labelIndex = new Map<string, number>();
    const bySeries = new Map<string, Map<number, number | null>>();
    for (const r of used) {
      const label = displayLabel(cellToText(r[choice.x]), 200);
      let li = labelIndex.get(label);
      if (li === undefined) { li = labels.length; labels.push(label); labelIndex.set(label, li); }
      const s = displayLabel(cellToText(r[choice.series]), 40) || 'NULL';
      if (!bySeries.has(s)) {
        if (bySeries.size >= MAX_SERIES) continue;
        bySeries.set(s, new Map());
      }
      bySeries.get(s)!.set(li, toNumber(r[yi]));
    }
    const datasets = [...bySeries].map(([label, m]) => ({ label: shortenHex(label), values: labels.map((_, i) => m.get(i) ?? null) }));
    return { ...base, seriesLabel: displayLabel(columns[choice.series].name, 80), ...axisLabels(labels, xCol), datasets };
  }
  // Several category columns (project, version) name a bar together: "uniswap 3", not "uniswap" twice.
  const labelCols = roleOf(xCol) === 'category'
    ? [choice.x, ...columns.flatMap((c, i) => (i !== choice.x && roleOf(c) === 'category' ? [i] : []))].slice(0, 3)
    : [choice.x];
  const labels = used.map((r) => displayLabel(labelCols.map((i) => cellToText(r[i])).join(' '), 200));
  const datasets = choice.y.map((yi, k) => ({ label: displayLabel(yCols[k].name, 80), values: used.map((r) => toNumber(r[yi])) }));
  return { ...base, ...axisLabels(labels, xCol), datasets };
}

function axisLabels(full: string[], xCol: ColumnInfo): { labels: string[]; fullLabels: string[] } {
  return { labels: isTimeType(xCol.type) ? shortTimeLabels(full) : full.map(shortLabel), fullLabels: full };
}

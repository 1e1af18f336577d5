// The chart area of a result: picks a chart from the result's shape, its SQL and
// the hint, lets the user switch the type (Line / Bar / Area / Scatter / Table)
// and pick x, y and series, or shows a big number card for a single value.
// Shared by the panel, the chat and notebooks.
import type { ChartHint } from '../../src/core/answer.js';
import type { ColumnInfo } from '../../src/core/engine/engine.js';
import type { Cell } from '../../src/core/engine/values.js';
import { chooseChart, buildChartData, axisChoices, MAX_CHART_ROWS, type ChartChoice, type ViewType } from '../../src/webview/chartChoice.js';
import { displayCell, displayLabel, formatCount } from '../../src/webview/format.js';
import { ChartHandle } from './chart.js';
import { h, clear } from './dom.js';

export interface ChartViewOptions {
  columns: ColumnInfo[];
  rows: Cell[][];
  hint: ChartHint | null | undefined;
  /** The answer's SQL: its ORDER BY names the measure; a raw preview gets no chart. */
  sql?: string;
  /** Rows in the whole result, when more than `rows` (the chart then says it covers part). */
  totalRows?: number;
  compact?: boolean;
  /** Called when the user switches the view (e.g. to persist it). */
  onViewChange?: (view: ViewType) => void;
}

type Chosen = Extract<ChartChoice, { kind: 'chart' }>;

export class ChartView {
  readonly element: HTMLElement;
  private handle: ChartHandle | undefined;
  private readonly choice: ChartChoice;
  private chosen: Chosen | undefined;
  private view: ViewType = 'line';
  private readonly body: HTMLElement;

  constructor(private readonly options: ChartViewOptions) {
    this.choice = chooseChart(options.columns, options.rows, options.hint, options.sql);
    this.body = h('div', { class: 'chart-body' });
    this.element = h('section', { class: `chart-view${options.compact ? ' compact' : ''}`, 'aria-label': 'Chart' });
    if (this.choice.kind === 'single') {
      const d = displayCell(this.choice.value, this.choice.column);
      const value = h('div', { class: 'big-number-value' }, d.text);
      if (d.title) value.title = d.title;
      this.element.append(h('div', { class: 'big-number', role: 'figure', 'aria-label': displayLabel(this.choice.label) },
        value, h('div', { class: 'big-number-label' }, displayLabel(this.choice.label))));
      return;
    }
    if (this.choice.kind === 'none') {
      this.element.classList.add('empty');
      this.element.dataset.reason = this.choice.reason;
      return;
    }
    this.chosen = this.choice;
    this.view = this.choice.type;
    const select = h('select', { class: 'chart-type', 'aria-label': 'Chart type' });
    for (const v of ['line', 'bar', 'area', 'scatter', 'table'] as const) {
      const o = h('option', { value: v }, v[0].toUpperCase() + v.slice(1));
      if (v === this.choice.type) o.selected = true;
      select.append(o);
    }
    select.addEventListener('change', () => {
      const v = select.value as ViewType;
      this.show(v);
      options.onViewChange?.(v);
    });
    const toolbar = h('div', { class: 'chart-toolbar' });
    if (!options.compact) toolbar.append(...this.axisPickers());
    toolbar.append(h('label', {}, 'Chart ', select));
    this.element.append(toolbar, this.body);
    this.show(this.choice.type);
  }

  /** X, Y and Series pickers over the columns that can play each part. */
  private axisPickers(): HTMLElement[] {
    const cols = this.options.columns;
    const choices = axisChoices(cols);
    const picker = (label: string, cls: string, indices: number[], selected: number | null, none: boolean, onPick: (i: number | null) => void): HTMLElement => {
      const sel = h('select', { class: `chart-${cls}`, 'aria-label': `Chart ${label}` });
      if (none) sel.append(h('option', { value: '' }, '(none)'));
      for (const i of indices) {
        const o = h('option', { value: String(i) }, displayLabel(cols[i].name, 40));
        if (i === selected) o.selected = true;
        sel.append(o);
      }
      if (selected === null && none) sel.value = '';
      sel.addEventListener('change', () => onPick(sel.value === '' ? null : Number(sel.value)));
      return h('label', {}, `${label} `, sel);
    };
    const c = this.chosen!;
    const ys = choices.y.includes(c.y[0]) ? choices.y : [c.y[0], ...choices.y];
    return [
      picker('X', 'x', choices.x.includes(c.x) ? choices.x : [c.x, ...choices.x], c.x, false, (i) => this.repick({ x: i ?? c.x })),
      picker('Y', 'y', ys, c.y[0], false, (i) => this.repick({ y: i === null ? this.chosen!.y : [i] })),
      picker('Series', 'series', choices.series, c.series, true, (i) => this.repick({ series: i })),
    ];
  }

  private repick(change: Partial<Pick<Chosen, 'x' | 'y' | 'series'>>): void {
    if (!this.chosen) return;
    const next = { ...this.chosen, ...change };
    if (next.series === next.x) next.series = null;
    this.chosen = next;
    this.show(this.view);
  }

  /** Draws the chart as `view`, or hides it for 'table'. */
  show(view: ViewType): void {
    if (!this.chosen) return;
    this.view = view;
    this.handle?.destroy();
    this.handle = undefined;
    clear(this.body);
    if (view === 'table') {
      this.body.classList.add('hidden');
      return;
    }
    this.body.classList.remove('hidden');
    const data = buildChartData(this.options.columns, this.options.rows, this.chosen, view);
    const canvas = h('canvas', { role: 'img', 'aria-label': `${view} chart of ${data.yLabel} by ${data.xLabel}` });
    this.body.append(h('div', { class: 'chart-canvas' }, canvas));
    const total = Math.max(this.options.totalRows ?? 0, this.options.rows.length);
    if (data.rowsUsed < total) {
      const why = data.rowsUsed === MAX_CHART_ROWS ? '' : ' (the rows loaded with the answer)';
      this.body.append(h('p', { class: 'chart-note muted small', role: 'note' },
        `The chart shows the first ${formatCount(data.rowsUsed)} of ${formatCount(total)} rows${why}; the table and Export have them all.`));
    }
    this.handle = new ChartHandle(canvas, data, this.options.compact);
  }

  destroy(): void {
    this.handle?.destroy();
  }
}

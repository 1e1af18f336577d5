// The chart area of a result: picks a chart from the result's shape, its SQL and
// the hint, lets the user switch the type (Line / Bar / Area / Scatter / Table)
// and pick x, y and series, or shows a big number card for a single value.
// Shared by the panel, the chat and notebooks.
import type { ChartHint } from '../../src/core/answer.js';
import type { ColumnInfo } from '../../src/core/engine/engine.js';
import type { Cell } from '../../src/core/engine/values.js';
import { chooseChart, buildChartData, axisPickerOptions, repickAxes, chartDescription, MAX_CHART_ROWS, type ChartAxes, type ChartChoice, type ViewType } from '../../src/webview/chartChoice.js';
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

export class ChartView {
  readonly element: HTMLElement;
  private handle: ChartHandle | undefined;
  private readonly choice: ChartChoice;
  private chosen: ChartAxes | undefined;
  private readonly pickers: Partial<Record<'x' | 'y' | 'series', HTMLSelectElement>> = {};
  /** Says what the chart shows after the user changes it (the canvas is an image to screen readers). */
  private readonly caption = h('p', { class: 'visually-hidden chart-caption', 'aria-live': 'polite' });
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
      this.show(v, true);
      options.onViewChange?.(v);
    });
    const toolbar = h('div', { class: 'chart-toolbar', role: 'group', 'aria-label': 'Chart options' });
    toolbar.append(...this.axisPickers(), h('label', {}, 'Chart ', select));
    this.element.append(toolbar, this.body, this.caption);
    this.show(this.choice.type);
  }

  /**
   * X, Y and Series pickers over the columns that can play each part (the panel,
   * the sidebar chat and notebooks alike). Native selects: keyboard and screen
   * readers work as everywhere in the editor; each has its own accessible name.
   */
  private axisPickers(): HTMLElement[] {
    const cols = this.options.columns;
    const c = this.chosen!;
    const options = axisPickerOptions(cols, c);
    const picker = (label: string, part: 'x' | 'y' | 'series', name: string, selected: number | null, onPick: (i: number | null) => void): HTMLElement => {
      const sel = h('select', { class: `chart-${part}`, 'aria-label': `Chart ${name}` });
      if (part === 'series') sel.append(h('option', { value: '' }, '(none)'));
      for (const i of options[part]) {
        const o = h('option', { value: String(i) }, displayLabel(cols[i].name, 40));
        if (i === selected) o.selected = true;
        sel.append(o);
      }
      if (selected === null) sel.value = '';
      sel.addEventListener('change', () => onPick(sel.value === '' ? null : Number(sel.value)));
      this.pickers[part] = sel;
      return h('label', { title: `Chart ${name}` }, `${label} `, sel);
    };
    return [
      picker('X', 'x', 'x axis', c.x, (i) => { if (i !== null) this.repick({ x: i }); }),
      picker('Y', 'y', 'measure (y axis)', c.y[0], (i) => { if (i !== null) this.repick({ y: i }); }),
      picker('Series', 'series', 'series (one line or bar per value)', c.series, (i) => this.repick({ series: i })),
    ];
  }

  private repick(change: Parameters<typeof repickAxes>[1]): void {
    if (!this.chosen) return;
    this.chosen = repickAxes(this.chosen, change);
    // A series dropped because it now repeats an axis shows as "(none)".
    if (this.pickers.series && this.chosen.series === null) this.pickers.series.value = '';
    this.show(this.view, true);
  }

  /** Draws the chart as `view`, or hides it for 'table'; `announce` when the user changed it. */
  show(view: ViewType, announce = false): void {
    if (!this.chosen) return;
    this.view = view;
    this.handle?.destroy();
    this.handle = undefined;
    clear(this.body);
    if (view === 'table') {
      this.body.classList.add('hidden');
      if (announce) this.caption.textContent = 'Chart hidden; the table shows the rows.';
      return;
    }
    this.body.classList.remove('hidden');
    const data = buildChartData(this.options.columns, this.options.rows, this.chosen, view);
    const description = chartDescription(data);
    const canvas = h('canvas', { role: 'img', 'aria-label': description });
    if (announce) this.caption.textContent = `Showing a ${description}.`;
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

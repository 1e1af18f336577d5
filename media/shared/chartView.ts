// The chart area of a result: picks a chart from the result's shape and hint,
// lets the user switch it (Line / Bar / Area / Scatter / Table), or shows a big
// number card for a single value. Shared by the panel, the chat and notebooks.
import type { ChartHint } from '../../src/core/answer.js';
import type { ColumnInfo } from '../../src/core/engine/engine.js';
import type { Cell } from '../../src/core/engine/values.js';
import { chooseChart, buildChartData, type ChartChoice, type ViewType } from '../../src/webview/chartChoice.js';
import { displayCell, displayLabel } from '../../src/webview/format.js';
import { ChartHandle } from './chart.js';
import { h, clear } from './dom.js';

export interface ChartViewOptions {
  columns: ColumnInfo[];
  rows: Cell[][];
  hint: ChartHint | null | undefined;
  compact?: boolean;
  /** Called when the user switches the view (e.g. to persist it). */
  onViewChange?: (view: ViewType) => void;
}

export class ChartView {
  readonly element: HTMLElement;
  private handle: ChartHandle | undefined;
  private readonly choice: ChartChoice;
  private readonly body: HTMLElement;

  constructor(private readonly options: ChartViewOptions) {
    this.choice = chooseChart(options.columns, options.rows, options.hint);
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
      return;
    }
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
    this.element.append(h('div', { class: 'chart-toolbar' }, h('label', {}, 'Chart ', select)), this.body);
    this.show(this.choice.type);
  }

  /** Draws the chart as `view`, or hides it for 'table'. */
  show(view: ViewType): void {
    if (this.choice.kind !== 'chart') return;
    this.handle?.destroy();
    this.handle = undefined;
    clear(this.body);
    if (view === 'table') {
      this.body.classList.add('hidden');
      return;
    }
    this.body.classList.remove('hidden');
    const data = buildChartData(this.options.columns, this.options.rows, this.choice, view);
    const canvas = h('canvas', { role: 'img', 'aria-label': `${view} chart of ${data.yLabel} by ${data.xLabel}` });
    this.body.append(h('div', { class: 'chart-canvas' }, canvas));
    if (data.rowsUsed < this.options.rows.length) {
      this.body.append(h('p', { class: 'muted small' }, `Chart shows the first ${data.rowsUsed.toLocaleString('en-US')} rows.`));
    }
    this.handle = new ChartHandle(canvas, data, this.options.compact);
  }

  destroy(): void {
    this.handle?.destroy();
  }
}

// Draws ChartData with Chart.js. Only the controllers and elements used are
// registered (tree-shaken bundle). Chart.js draws on a canvas and needs neither
// eval nor inline styles, so it works under the webviews' strict CSP; labels are
// canvas text, never markup.
import {
  Chart, LineController, BarController, ScatterController, LineElement, BarElement, PointElement,
  CategoryScale, LinearScale, Filler, Tooltip, Legend, type ChartConfiguration, type ChartDataset as CJSDataset,
} from 'chart.js';
import type { ChartData } from '../../src/webview/chartChoice.js';
import { readTheme, onThemeChange, type ThemeColors } from './theme.js';

Chart.register(LineController, BarController, ScatterController, LineElement, BarElement, PointElement, CategoryScale, LinearScale, Filler, Tooltip, Legend);

function alpha(color: string, a: number): string {
  // #rrggbb → rgba; other colour syntaxes are used as they are.
  const m = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

function config(data: ChartData, theme: ThemeColors, compact: boolean): ChartConfiguration {
  const many = data.labels.length > 200 || data.datasets.some((d) => (d.points?.length ?? 0) > 500);
  const datasets: CJSDataset[] = data.datasets.map((d, i) => {
    const color = theme.series[i % theme.series.length];
    if (data.type === 'scatter') {
      return { type: 'scatter', label: d.label, data: d.points ?? [], backgroundColor: alpha(color, 0.7), borderColor: color, pointRadius: many ? 1.5 : 3 };
    }
    if (data.type === 'bar') {
      return { type: 'bar', label: d.label, data: d.values, backgroundColor: alpha(color, 0.75), borderColor: color, borderWidth: theme.highContrast ? 1 : 0 };
    }
    return {
      type: 'line', label: d.label, data: d.values, borderColor: color, backgroundColor: alpha(color, data.type === 'area' ? 0.25 : 0.8),
      fill: data.type === 'area', pointRadius: many ? 0 : 2, borderWidth: 2, tension: 0, spanGaps: true,
    };
  });
  const axis = (title: string, isX: boolean) => ({
    // 'inner' keeps the first and last x labels inside the canvas (the last one was clipped).
    ticks: { color: theme.muted, maxRotation: 0, autoSkip: true, autoSkipPadding: 12, font: { family: theme.fontFamily }, ...(isX && data.type !== 'scatter' ? { align: 'inner' as const } : {}) },
    grid: { color: alpha(theme.grid, 0.5) },
    border: { color: theme.grid },
    title: { display: !compact && !!title, text: title, color: theme.muted, font: { family: theme.fontFamily } },
  });
  return {
    type: data.type === 'area' ? 'line' : data.type,
    data: { labels: data.type === 'scatter' ? undefined : data.labels, datasets },
    options: {
      animation: false,
      // Not Chart.js's own responsiveness: it watches the whole document with a MutationObserver
      // (subtree), which would run on every row the grid recycles. ChartHandle resizes instead.
      responsive: false,
      maintainAspectRatio: false,
      layout: { padding: { right: 8 } },
      interaction: { mode: data.type === 'scatter' ? 'nearest' : 'index', intersect: false },
      scales: {
        x: { type: data.type === 'scatter' ? 'linear' : 'category', ...axis(data.xLabel, true) },
        y: { type: 'linear', ...axis(data.yLabel, false) },
      },
      plugins: {
        legend: { display: datasets.length > 1, labels: { color: theme.foreground, font: { family: theme.fontFamily }, boxWidth: 12 } },
        // Axis labels are short (0x1234…abcd, 13:00); the tooltip names the full value.
        tooltip: { enabled: true, callbacks: { title: (items: Array<{ dataIndex: number }>) => (items[0] ? data.fullLabels[items[0].dataIndex] ?? '' : '') } },
      },
    },
  };
}

/** A drawn chart that follows theme changes until destroyed. */
export class ChartHandle {
  private chart: Chart;
  private readonly unsubscribe: () => void;

  private readonly resizeObserver: ResizeObserver;
  private size = { width: 0, height: 0 };

  /** `canvas` must sit alone in a sized container (its size follows the container's). */
  constructor(readonly canvas: HTMLCanvasElement, private data: ChartData, private readonly compact = false) {
    this.chart = new Chart(canvas, config(data, readTheme(), compact));
    this.unsubscribe = onThemeChange(() => this.redraw());
    this.resizeObserver = new ResizeObserver(() => this.fit());
    if (canvas.parentElement) this.resizeObserver.observe(canvas.parentElement);
  }

  private fit(): void {
    const box = this.canvas.parentElement;
    if (!box) return;
    const width = box.clientWidth;
    const height = box.clientHeight;
    if (!width || !height || (width === this.size.width && height === this.size.height)) return;
    this.size = { width, height };
    this.chart.resize(width, height);
  }

  /** Re-reads the theme colours and rebuilds the chart. */
  redraw(data: ChartData = this.data): void {
    this.data = data;
    this.chart.destroy();
    this.chart = new Chart(this.canvas, config(data, readTheme(), this.compact));
    this.size = { width: 0, height: 0 };
    this.fit();
  }

  destroy(): void {
    this.unsubscribe();
    this.resizeObserver.disconnect();
    this.chart.destroy();
  }
}

// Notebook renderer for Onchain SQL result outputs.
//
// Contribution (package.json, owned by the extension-host engineer):
//   "notebookRenderer": [{ "id": "onchain-sql-renderer", "displayName": "Onchain SQL result",
//     "entrypoint": "./dist/media/renderer.js", "mimeTypes": ["application/vnd.onchain-sql.result+json"] }]
//
// Renders the payload (NotebookResultPayload: columns, first ≤ 500 rows, chart
// hint, explanation) as a chart plus a table inside a shadow root, so our styles
// neither leak into nor inherit from other outputs; VS Code's theme variables
// still cascade in. All values are text nodes (inert), shortened for display.
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import baseCss from '../styles/base.css';
import rendererCss from '../styles/renderer.css';
import type { NotebookResultPayload } from '../../src/webview/protocol.js';
import { displayLabel, formatCount, formatMs } from '../../src/webview/format.js';
import { h } from '../common/dom.js';
import { compactTable } from '../common/compactTable.js';
import { answerContextSection } from '../common/wayForward.js';
import { ChartView } from '../common/chartView.js';
import { highlightSql } from '../common/sqlHighlight.js';

const ROWS_SHOWN = 500;
let sheet: CSSStyleSheet | undefined;

function styles(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    // Constructed sheets are CSSOM (no inline <style> needed); :root rules become :host rules.
    sheet.replaceSync(baseCss.replace(/:root\b/g, ':host').replace(/(^|\})\s*body\s*\{[^}]*\}/g, '$1') + '\n' + rendererCss);
  }
  return sheet;
}

function isPayload(v: unknown): v is NotebookResultPayload {
  const p = v as NotebookResultPayload;
  return !!p && typeof p === 'object' && typeof p.sql === 'string' && Array.isArray(p.columns) && Array.isArray(p.rows);
}

export const activate: ActivationFunction = () => {
  const charts = new Map<string, ChartView>();
  return {
    renderOutputItem(item: OutputItem, element: HTMLElement) {
      charts.get(item.id)?.destroy();
      charts.delete(item.id);
      const shadow = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
      shadow.adoptedStyleSheets = [styles()];
      while (shadow.firstChild) shadow.removeChild(shadow.firstChild);
      let payload: unknown;
      try {
        payload = item.json();
      } catch {
        payload = undefined;
      }
      if (!isPayload(payload)) {
        shadow.append(h('div', { class: 'onchain-output error-text' }, 'This output is not an Onchain SQL result.'));
        return;
      }
      const p = payload;
      const out = h('div', { class: 'onchain-output' });
      if (p.explanation) out.append(h('p', { class: 'explanation' }, h('bdi', {}, displayLabel(p.explanation, 1500))));
      const context = answerContextSection(p, undefined);
      if (context) out.append(context);
      const shown = Math.min(p.rows.length, ROWS_SHOWN);
      const t = p.timings;
      const bits = [
        `${formatCount(p.rowCount)}${p.truncated ? '+' : ''} row${p.rowCount === 1 ? '' : 's'}`,
        shown < p.rowCount ? `first ${formatCount(shown)} shown` : '',
        t?.totalMs !== undefined ? formatMs(t.totalMs) : '',
      ].filter(Boolean);
      out.append(h('div', { class: 'meta' }, bits.join(' · ')));
      if (p.question) {
        const code = h('code');
        highlightSql(code, p.sql);
        out.append(h('details', { class: 'sql' }, h('summary', {}, 'SQL'), h('pre', {}, code)));
      }
      if (p.columns.length) {
        const chart = new ChartView({ columns: p.columns, rows: p.rows.slice(0, ROWS_SHOWN), hint: p.chart, sql: p.sql, totalRows: p.rowCount, compact: false });
        charts.set(item.id, chart);
        out.append(chart.element);
        out.append(h('div', { class: 'table-scroll' }, compactTable(p.columns, p.rows, ROWS_SHOWN, 80)));
      }
      shadow.append(out);
    },
    disposeOutputItem(id?: string) {
      if (id === undefined) {
        for (const c of charts.values()) c.destroy();
        charts.clear();
        return;
      }
      charts.get(id)?.destroy();
      charts.delete(id);
    },
  };
};

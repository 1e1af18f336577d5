// A result as a static, escaped HTML table: the `text/html` fallback output of
// notebook cells (readable wherever the custom renderer is missing) and reusable
// by any surface that must emit HTML. No vscode import; no DOM needed.
import type { ColumnInfo } from '../core/engine/engine.js';
import type { Cell } from '../core/engine/values.js';
import { displayCell, displayLabel, formatCount } from './format.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (ch) => HTML_ESCAPES[ch]);
}

export interface HtmlTableOptions {
  /** Rows rendered at most (default 100); a note says how many there are. */
  maxRows?: number;
  /** Total rows of the result, when more exist than `rows` holds. */
  rowCount?: number;
  truncated?: boolean;
}

/**
 * Renders columns and rows as `<table>` markup. Every value passes through
 * `displayCell` (bidi/control characters stripped, long text cut, hex shortened
 * with the full value in `title`) and `escapeHtml`; values sit in `<bdi>` so an
 * RTL name cannot reorder its neighbours. No value ever becomes a tag, attribute
 * name, URL or style.
 */
export function renderHtmlTable(columns: ColumnInfo[], rows: Cell[][], options: HtmlTableOptions = {}): string {
  const maxRows = options.maxRows ?? 100;
  const shown = rows.slice(0, maxRows);
  const head = columns
    .map((c) => `<th title="${escapeHtml(displayLabel(c.type, 100))}">${escapeHtml(displayLabel(c.name))}</th>`)
    .join('');
  const body = shown
    .map((r) => {
      const cells = columns.map((c, i) => {
        const d = displayCell(r[i] ?? null, c);
        const title = d.title ? ` title="${escapeHtml(d.title)}"` : '';
        const align = d.numeric ? ' align="right"' : '';
        return `<td${align}${title}><bdi>${escapeHtml(d.text)}</bdi></td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const total = options.rowCount ?? rows.length;
  const note = total > shown.length || options.truncated
    ? `<p>Showing ${formatCount(shown.length)} of ${formatCount(total)}${options.truncated ? '+' : ''} rows.</p>`
    : '';
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>${note ? '\n' + note : ''}`;
}

/**
 * Text shaping for hostile values (token names, labels, error text) shown in
 * Markdown and HTML. No `vscode` import: unit-tested in plain Node.
 */
import type { Cell } from '../core/engine/values.js';
import { codePointLabel, replaceInvisible } from '../core/text/invisible.js';
import { cellToText } from '../core/text/cell.js';

/** Shows invisible controls as visible code points instead of letting them act. */
export function neutraliseInvisible(s: string): string {
  return replaceInvisible(s, (c) => `<${codePointLabel(c)}>`);
}

export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, Math.max(0, max - 1))}…` : s;
}

/** A cell as display text (JSON-safe values from the engine). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'bigint') return String(v);
  return cellToText(v as Cell);
}

/**
 * Escapes text so Markdown shows it literally, on one line, inside a table
 * cell: no emphasis, links, images, HTML, code spans, autolinks or table breaks.
 */
export function escapeMarkdownInline(raw: string, max = 120): string {
  const s = truncate(neutraliseInvisible(raw).replace(/\r\n|\r|\n/g, ' ').replace(/\t/g, ' '), max);
  return s
    // Only what can start markup inside a table cell: code, emphasis, links/images, pipes, strike.
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Break autolink detection of URLs and www. hosts; the entity still reads as ":".
    .replace(/:(?=\/|\\\/)/g, '&#58;')
    .replace(/\b(www)\./gi, '$1&#46;');
}

/** A fenced code block whose fence cannot be closed by the content. */
export function fencedCode(code: string, language = ''): string {
  let longest = 0;
  for (const m of code.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${neutraliseInvisible(code)}\n${fence}`;
}

export interface TableLike {
  columns: { name: string; type?: string }[];
  rows: unknown[][];
}

/** A Markdown table of the first `limit` rows, every cell escaped. */
export function markdownTable(result: TableLike, limit = 20, cellMax = 80): string {
  if (result.columns.length === 0) return '_No columns._';
  const header = `| ${result.columns.map((c) => escapeMarkdownInline(c.name, cellMax)).join(' | ')} |`;
  const rule = `| ${result.columns.map(() => '---').join(' | ')} |`;
  const body = result.rows.slice(0, limit).map((r) => `| ${result.columns.map((_, i) => escapeMarkdownInline(cellText(r[i]), cellMax)).join(' | ')} |`);
  return [header, rule, ...body].join('\n');
}

/** A fixed-width text table for `text/plain` outputs. */
export function plainTable(result: TableLike, limit = 50, cellMax = 40): string {
  const cols = result.columns.map((c) => neutraliseInvisible(c.name));
  const rows = result.rows.slice(0, limit).map((r) => result.columns.map((_, i) => truncate(neutraliseInvisible(cellText(r[i])).replace(/\s+/g, ' '), cellMax)));
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

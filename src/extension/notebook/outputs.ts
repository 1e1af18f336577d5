/**
 * What a notebook cell's output holds, as plain data (no `vscode` import):
 * the custom-renderer payload plus `text/html` and `text/plain` fallbacks, so
 * the result still reads where the renderer is missing. Every chain value is
 * escaped (HTML) or neutralised (text).
 */
import type { Answer, Attempt } from '../../core/answer.js';
import { renderHtmlTable, escapeHtml } from '../../webview/htmlTable.js';
import { answerContext, type NotebookResultPayload } from '../../webview/protocol.js';
import { neutraliseInvisible, plainTable, truncate } from '../text.js';

export const PAYLOAD_ROWS = 500;

export function resultPayload(answer: Answer): NotebookResultPayload {
  return {
    ...(answer.question ? { question: answer.question } : {}),
    sql: answer.sql,
    columns: answer.columns,
    rows: answer.rows.slice(0, PAYLOAD_ROWS),
    rowCount: answer.rowCount,
    truncated: answer.truncated,
    chart: answer.chart,
    explanation: answer.explanation,
    timings: answer.timings,
    ...answerContext(answer),
  };
}

/** A RESULT_MIME output item's payload, or undefined when it cannot be read (an output we did not write). */
export function readResultPayload(data: Uint8Array): NotebookResultPayload | undefined {
  try {
    const p = JSON.parse(new TextDecoder().decode(data)) as NotebookResultPayload;
    return p && typeof p === 'object' && typeof p.sql === 'string' ? p : undefined;
  } catch {
    return undefined;
  }
}

function rowsNote(answer: Answer): string {
  return `${answer.rowCount}${answer.truncated ? '+' : ''} row${answer.rowCount === 1 ? '' : 's'} in ${answer.timings.totalMs.toFixed(0)} ms`;
}

export function resultHtml(answer: Answer): string {
  const parts: string[] = [];
  if (answer.question) parts.push(`<pre><code class="language-sql">${escapeHtml(neutraliseInvisible(answer.sql))}</code></pre>`);
  if (answer.explanation) parts.push(`<p>${escapeHtml(neutraliseInvisible(answer.explanation))}</p>`);
  parts.push(renderHtmlTable(answer.columns, answer.rows, { maxRows: 100, rowCount: answer.rowCount, truncated: answer.truncated }));
  parts.push(`<p>${escapeHtml(rowsNote(answer))}</p>`);
  return parts.join('\n');
}

export function resultText(answer: Answer): string {
  const parts: string[] = [];
  if (answer.question) parts.push(neutraliseInvisible(answer.sql), '');
  if (answer.explanation) parts.push(neutraliseInvisible(answer.explanation), '');
  parts.push(plainTable(answer, 50), '', rowsNote(answer));
  return parts.join('\n');
}

export interface ErrorInfo {
  code: string;
  message: string;
  suggestions: string[];
  attempts: Attempt[];
}

/**
 * A failed cell's error text: the code, the message, what to try, and each SQL
 * attempt. `codeShown: false` leaves the code out of the first line, for the
 * notebook's error output, which shows the error's name (the code) before it.
 */
export function errorText(err: ErrorInfo, codeShown = true): string {
  const lines = [codeShown ? `${err.code}: ${neutraliseInvisible(err.message)}` : neutraliseInvisible(err.message)];
  for (const s of err.suggestions) lines.push(`  hint: ${neutraliseInvisible(s)}`);
  err.attempts.forEach((a, i) => {
    lines.push('', `Attempt ${i + 1}${a.error ? ` (${a.error.code})` : ''}:`, truncate(neutraliseInvisible(a.sql || '(no SQL)'), 2_000));
    if (a.error) lines.push(`  → ${neutraliseInvisible(a.error.message)}`);
  });
  return lines.join('\n');
}

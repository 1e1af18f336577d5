/**
 * Markdown for the `@onchain` chat participant. No `vscode` import. Values from
 * chain data are escaped cell by cell (text.ts); SQL goes into a fence that the
 * SQL itself cannot close.
 */
import type { Answer, Attempt } from '../core/answer.js';
import { catalog, qualifiedName } from '../core/schema/catalog.js';
import { escapeMarkdownInline, fencedCode, markdownTable } from './text.js';

export const CHAT_TABLE_ROWS = 20;

export function answerMarkdown(answer: Answer): string {
  const parts: string[] = [];
  if (answer.summary) parts.push(`**${escapeMarkdownInline(answer.summary, 600)}**`);
  if (answer.explanation) parts.push(escapeMarkdownInline(answer.explanation, 1_000));
  if (answer.resolvedQuestion) parts.push(`_Answered as: ${escapeMarkdownInline(answer.resolvedQuestion, 400)}_`);
  for (const a of answer.assumptions ?? []) parts.push(`_Read as: ${escapeMarkdownInline(a.text, 400)}_`);
  if (answer.notes?.length) parts.push(answer.notes.map((n) => `> ${escapeMarkdownInline(n, 500)}`).join('\n>\n'));
  parts.push(fencedCode(answer.sql, 'sql'));
  if (answer.columns.length) parts.push(markdownTable(answer, CHAT_TABLE_ROWS));
  const shown = Math.min(answer.rows.length, CHAT_TABLE_ROWS);
  const count = `${answer.rowCount}${answer.truncated ? '+' : ''} row${answer.rowCount === 1 ? '' : 's'}`;
  const more = answer.rowCount > shown || answer.truncated ? ` (showing the first ${shown}; open the panel for all)` : '';
  const by = answer.provider === 'vscode-lm' ? `the editor model${answer.model ? ` ${escapeMarkdownInline(answer.model, 60)}` : ''}` : answer.provider === 'claude' ? `Claude${answer.model ? ` (${escapeMarkdownInline(answer.model, 60)})` : ''}` : 'the offline translator';
  const repaired = answer.attempts.length > 1 ? `, after ${answer.attempts.length - 1} repair${answer.attempts.length > 2 ? 's' : ''}` : '';
  parts.push(`_${count}${more} · ${answer.timings.totalMs.toFixed(0)} ms · SQL by ${answer.question ? by : 'you'}${repaired}_`);
  return parts.join('\n\n');
}

export interface ErrorLike {
  code: string;
  message: string;
  suggestions: string[];
  attempts?: Attempt[];
}

export function errorMarkdown(err: ErrorLike): string {
  const parts = [`**Could not answer** (\`${err.code}\`): ${escapeMarkdownInline(err.message, 2_000)}`];
  if (err.suggestions.length) parts.push(err.suggestions.map((s) => `- ${escapeMarkdownInline(s, 500)}`).join('\n'));
  const tried = (err.attempts ?? []).filter((a) => a.sql);
  if (tried.length) {
    parts.push(`Tried ${tried.length} statement${tried.length > 1 ? 's' : ''}:`);
    for (const a of tried) parts.push(`${fencedCode(a.sql, 'sql')}${a.error ? `\n\n→ ${escapeMarkdownInline(a.error.message, 500)}` : ''}`);
  }
  if (err.code === 'cannot_answer' || err.code === 'empty_question') parts.push('Try `/schema` to see what the tables hold, or `/sql` to run SQL as written.');
  return parts.join('\n\n');
}

/** `/schema`: all tables with a one-line description, or one table's columns. */
export function schemaMarkdown(tableName?: string): string {
  const wanted = tableName?.trim().toLowerCase();
  if (wanted) {
    const t = catalog.tables.find((x) => qualifiedName(x) === wanted || x.name === wanted);
    if (!t) {
      return `No table named \`${escapeMarkdownInline(wanted, 100).replace(/`/g, '')}\`. Tables: ${catalog.tables.map((x) => `\`${qualifiedName(x)}\``).join(', ')}.`;
    }
    const rows = t.columns.map((c) => [c.name, c.type, `${c.description}${c.unit ? ` (${c.unit})` : ''}`]);
    return [`**${qualifiedName(t)}**: ${escapeMarkdownInline(t.description, 1_000)}`, markdownTable({ columns: [{ name: 'column' }, { name: 'type' }, { name: 'description' }], rows }, 200, 300)].join('\n\n');
  }
  const rows = catalog.tables.map((t) => [qualifiedName(t), t.columns.length, t.description.split(/(?<=\.)\s/)[0]]);
  return [
    'Tables in every snapshot (relative time is measured from `snapshot_time()`, the newest block):',
    markdownTable({ columns: [{ name: 'table' }, { name: 'columns' }, { name: 'description' }], rows }, 50, 300),
    'Ask `/schema <table>` for its columns.',
  ].join('\n\n');
}

/** Follow-up suggestions from an answer's shape. */
export function followupPrompts(meta: { question?: string; columns?: { name: string; type: string }[]; rowCount?: number }): string[] {
  const out: string[] = [];
  const cols = meta.columns ?? [];
  const hasTime = cols.some((c) => /TIMESTAMP|DATE/i.test(c.type));
  if (meta.question) {
    if (hasTime) out.push('Make it weekly');
    else out.push('Show it per day over the last 7 days');
    if ((meta.rowCount ?? 0) > 10) out.push('Only the top 10');
    if (cols.some((c) => /symbol|token/i.test(c.name))) out.push('Now only USDC');
    else out.push('Only the last 24 hours');
  }
  return out.slice(0, 3);
}

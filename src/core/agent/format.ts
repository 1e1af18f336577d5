/**
 * Text that agents read: one compact rendering of results, schema and errors,
 * shared by the MCP server and the editor's language-model tools. Cell values
 * are chain data written by strangers, so every one is made inert (no line
 * breaks, no control or bidi characters, no table breaks) and cut short.
 */
import { replaceInvisible } from '../text/invisible.js';
import type { ColumnInfo } from '../engine/engine.js';
import type { Cell } from '../engine/values.js';
import type { OnchainSqlError } from '../errors.js';
import { repairFeedback } from '../nl2sql/repair.js';
import type { ColumnSpec, TableSpec } from '../schema/catalog.js';
import { qualifiedName } from '../schema/catalog.js';

export const CELL_MAX_CHARS = 200;


/** One cell as inert single-line text. */
export function cellText(v: Cell): string {
  const raw = v === null ? 'NULL' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const flat = replaceInvisible(raw.replace(/\r\n|\r|\n|\t/g, ' '), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const cut = flat.length > CELL_MAX_CHARS ? `${flat.slice(0, CELL_MAX_CHARS - 1)}…` : flat;
  return cut.replace(/\|/g, '\\|');
}

/** A Markdown table preceded by the column types: what an agent needs to read and reuse a result. */
export function resultTable(columns: ColumnInfo[], rows: Cell[][]): string {
  if (columns.length === 0) return '(no columns)';
  const types = `columns: ${columns.map((c) => `${cellText(c.name)} ${c.type}`).join(', ')}`;
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    types,
    line(columns.map((c) => cellText(c.name))),
    line(columns.map(() => '---')),
    ...rows.map((r) => line(columns.map((_, i) => cellText(r[i] ?? null)))),
  ].join('\n');
}

/** "3 rows", "100 rows (cut at max_rows=100; more exist)". */
export function rowCountText(rowCount: number, truncated: boolean): string {
  const n = `${rowCount} row${rowCount === 1 ? '' : 's'}`;
  return truncated ? `${n} (cut at max_rows=${rowCount}; more rows exist: aggregate, filter or raise max_rows)` : n;
}

/**
 * A failure as the agent should see it: the stable code first, then the
 * message and, for SQL, the nearest real names and the real columns of the
 * tables it used (the same feedback the repair loop gives a model).
 */
export function errorText(err: OnchainSqlError, sql?: string): string {
  if (sql !== undefined) return `error ${repairFeedback(sql, err)}`;
  const hints = err.suggestions.length ? `\nhints: ${err.suggestions.join('; ')}` : '';
  return `error ${err.code}: ${err.message}${hints}`;
}

function columnLine(c: ColumnSpec): string {
  const examples = c.examples?.length ? ` (e.g. ${c.examples.slice(0, 2).map((e) => JSON.stringify(e)).join(', ')})` : '';
  return `- ${c.name} ${c.type}${c.unit ? ` [${c.unit}]` : ''}: ${c.description}${examples}`;
}

/** describe_table's text: columns with types, units and examples, then join hints and pitfalls. */
export function tableText(t: TableSpec): string {
  const parts = [`${qualifiedName(t)}: ${t.description}`, 'columns:', ...t.columns.map(columnLine)];
  if (t.joinHints?.length) parts.push('joins:', ...t.joinHints.map((h) => `- ${h}`));
  if (t.pitfalls?.length) parts.push('pitfalls:', ...t.pitfalls.map((p) => `- ${p}`));
  return parts.join('\n');
}

const PREVIEW_CHARS = 600;

export interface InvocationText {
  /** Shown while the tool runs. */
  progress: string;
  /** Asked before it runs (VS Code's tool confirmation); only run_sql asks, showing the statement. */
  confirmation?: { title: string; message: string };
}

/** What the editor shows for a call, from its checked arguments (defaults filled in). */
export function invocationText(tool: string, args: Record<string, unknown>): InvocationText {
  if (tool === 'run_sql') {
    const sql = (typeof args.sql === 'string' ? args.sql : '').trim();
    const shown = sql.length > PREVIEW_CHARS ? `${sql.slice(0, PREVIEW_CHARS - 1)}…` : sql;
    return {
      progress: 'Running SQL on the snapshot…',
      confirmation: {
        title: 'Run this SQL on the snapshot?',
        message: `Read-only DuckDB SQL on the local snapshot (at most ${String(args.max_rows)} rows, stopped after ${String(args.timeout_seconds)} s); the statement guard refuses anything else.\n\n${shown}`,
      },
    };
  }
  if (tool === 'describe_table') return { progress: `Reading the columns of ${(typeof args.table === 'string' ? args.table : '').slice(0, 100)}…` };
  return { progress: `Reading ${tool.replace('_', ' ')}…` };
}

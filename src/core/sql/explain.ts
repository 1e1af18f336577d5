import { isValidationCode, toOnchainSqlError } from '../errors.js';
import { catalog, qualifiedName } from '../schema/catalog.js';
import type { SqlStructure } from './structure.js';

/**
 * "Explain SQL" without a model: the structure DuckDB's parse tree gives
 * (structure.ts, read by the engine) in plain words. Values are quoted as code,
 * never as live Markdown: the SQL and the chain's names are untrusted text.
 */

export interface StructuralExplanation {
  markdown: string;
  /** Contract tables the statement reads (none when DuckDB could not read it). */
  tables: string[];
}

/**
 * Asks `describe` (the engine's `describeStatement`) for the statement's
 * structure. SQL that DuckDB does not read as one query is said to be so, with
 * the guard's reason, rather than guessed at; other failures are thrown.
 */
export async function explainSql(sql: string, describe: (sql: string) => Promise<SqlStructure>): Promise<StructuralExplanation> {
  try {
    const s = await describe(sql);
    return { markdown: explainStructure(s), tables: s.tables };
  } catch (e) {
    const err = toOnchainSqlError(e);
    if (!isValidationCode(err.code)) throw err;
    return { markdown: `- **Not explained**: DuckDB does not parse this as one SELECT query, so it would be refused if run: ${code(err.message)}`, tables: [] };
  }
}

function code(s: string): string {
  return `\`${s.replace(/\s+/g, ' ').replace(/`/g, "'")}\``;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A Markdown list of what the statement does. */
export function explainStructure(s: SqlStructure): string {
  const lines: string[] = [];
  const describe = (q: string) => {
    const t = catalog.tables.find((x) => qualifiedName(x) === q);
    const first = t?.description.split(/(?<=\.)\s/)[0] ?? '';
    return first ? `${code(q)}: ${first}` : code(q);
  };
  const joins = s.joins ? ` (${plural(s.joins, 'join')})` : '';
  if (s.tables.length) {
    lines.push(`- **Reads** ${s.tables.length === 1 ? 'one table' : `${s.tables.length} tables`}${joins}:`);
    for (const t of s.tables) lines.push(`  - ${describe(t)}`);
  } else {
    lines.push(`- **Reads** no table of the snapshot directly${joins}.`);
  }
  if (s.otherTables.length) lines.push(`- **Also names** ${s.otherTables.map(code).join(', ')}, which ${s.otherTables.length === 1 ? 'is not a table' : 'are not tables'} of the snapshot: running it would be refused.`);
  if (s.ctes.length) lines.push(`- **Builds intermediate results** first: ${s.ctes.map(code).join(', ')}.`);
  if (s.setOperation) lines.push(`- **Combines** the results of several queries with ${code(s.setOperation)}.`);
  if (s.columns) lines.push(`- **Returns** ${s.distinct ? 'distinct rows of ' : ''}${code(s.columns)}.`);
  if (s.aggregates.length) lines.push(`- **Aggregates** with ${s.aggregates.map(code).join(', ')}.`);
  if (s.windowFunctions.length) lines.push(`- **Computes over windows of rows** (OVER …) ${s.windowFunctions.map(code).join(', ')}.`);
  if (s.filters) lines.push(`- **Keeps rows where** ${code(s.filters)}.`);
  if (s.usesSnapshotTime) {
    const window = s.intervals.length ? ` (window: ${s.intervals.map(code).join(', ')})` : '';
    lines.push(`- **Time** is relative to ${code('snapshot_time()')}, the newest block in the snapshot, not the wall clock${window}.`);
  }
  if (s.groupBy) lines.push(`- **Groups by** ${code(s.groupBy)}.`);
  if (s.having) lines.push(`- **Keeps groups where** ${code(s.having)}.`);
  if (s.qualify) lines.push(`- **Keeps rows, after window functions, where** ${code(s.qualify)} (QUALIFY).`);
  if (s.orderBy) lines.push(`- **Orders by** ${code(s.orderBy)}.`);
  if (s.offset) lines.push(`- **Skips** the first ${code(s.offset)} rows.`);
  if (s.limit) lines.push(`- **Returns at most** ${code(s.limit)} rows.`);
  return lines.join('\n');
}

/** Compact schema text for the given tables (all tables when none): names, types, descriptions. */
export function schemaSummary(tables: string[]): string {
  const chosen = catalog.tables.filter((t) => tables.length === 0 || tables.includes(qualifiedName(t)));
  return chosen
    .map((t) => [`TABLE ${qualifiedName(t)}: ${t.description}`, ...t.columns.map((c) => `  ${c.name} ${c.type}: ${c.description}${c.unit ? ` [${c.unit}]` : ''}`)].join('\n'))
    .join('\n\n');
}

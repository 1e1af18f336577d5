/**
 * The tools agents call (MCP server, the editor's language-model tools): one
 * implementation behind every surface. Definitions are data (tools.json); this
 * module checks a call's arguments, runs it on the core, and renders the
 * answer as compact text plus structured JSON. No tool writes anything: data
 * is only read through the engine, whose guard admits one read-only statement.
 *
 * Only types are imported from the engine and `ask`, so that loading this
 * module (the extension registers its tools at activation) loads no DuckDB.
 */
import { cellToText } from '../text/cell.js';
import type { QueryEngine as Engine } from '../engine/protocol.js';
import { OnchainSqlError, toOnchainSqlError, type ErrorCode } from '../errors.js';
import type { Provider } from '../nl2sql/provider.js';
import { redactSecrets as redact } from '../text/redact.js';
import { catalog, findTable, qualifiedName, type TableSpec } from '../schema/catalog.js';
import { nearestTables } from '../sql/suggest.js';
import { checkInput, ToolInputError, type InputSchema, type ToolArgs } from './input.js';
import { errorText, resultTable, rowCountText, tableText } from './format.js';
import definitions from './tools.json';

export type AgentToolName = 'list_tables' | 'describe_table' | 'run_sql' | 'ask' | 'snapshot_info';

export interface AgentToolDefinition {
  name: AgentToolName;
  title: string;
  /** Written for a model: what the tool does, when to call it, what comes back. */
  description: string;
  inputSchema: InputSchema;
  outputSchema: { type: 'object'; properties: Record<string, unknown>; required: string[] };
}

// JSON imports widen literal types; the manifest test checks the shape and the keyword subset.
export const AGENT_TOOLS = definitions.tools as unknown as AgentToolDefinition[];

export interface ToolContext {
  /** The open snapshot; only tools that read data call it. */
  engine(): Promise<Engine>;
  /** Who writes SQL for `ask` (absent: `ask` answers with an error). */
  provider?(engine: Engine): Provider | Promise<Provider>;
  signal?: AbortSignal;
  /** Values that must never appear in an output (API keys). */
  secrets?: readonly string[];
}

export interface ToolOutput {
  /** What a model reads. */
  text: string;
  /** The same answer as JSON matching the tool's outputSchema (absent on errors). */
  structured?: Record<string, unknown>;
  isError: boolean;
  errorCode?: ErrorCode;
}

export { ToolInputError };

export function findAgentTool(name: string): AgentToolDefinition | undefined {
  return AGENT_TOOLS.find((t) => t.name === name);
}

/** A table by `namespace.table`, or by its bare name when only one table has it. */
export function resolveTable(name: string): TableSpec {
  const wanted = name.trim().toLowerCase();
  const exact = findTable(wanted);
  if (exact) return exact;
  const bare = catalog.tables.filter((t) => t.name === wanted);
  if (bare.length === 1) return bare[0];
  const near = nearestTables(wanted);
  throw new OnchainSqlError('unknown_table', `There is no table "${name.trim().slice(0, 100)}". Tables are named namespace.table.`,
    near.length ? [`nearest: ${near.join(', ')}`, `all tables: ${catalog.tables.map(qualifiedName).join(', ')}`] : [`all tables: ${catalog.tables.map(qualifiedName).join(', ')}`]);
}

type Runner = (args: ToolArgs, ctx: ToolContext) => Promise<Omit<ToolOutput, 'isError'>>;

const ms = (seconds: number) => Math.round(seconds * 1000);

const RUNNERS: Record<AgentToolName, Runner> = {
  async list_tables() {
    const tables = catalog.tables.map((t) => ({ table: qualifiedName(t), description: t.description, columns: t.columns.length }));
    const rules = catalog.rules ?? [];
    const text = [
      ...tables.map((t) => `- ${t.table} (${t.columns} columns): ${t.description}`),
      '',
      'rules:',
      ...rules.map((r) => `- ${r}`),
    ].join('\n');
    return { text, structured: { tables, rules } };
  },

  async describe_table(args) {
    const t = resolveTable(String(args.table));
    return {
      text: tableText(t),
      structured: {
        table: qualifiedName(t),
        description: t.description,
        columns: t.columns.map((c) => ({ name: c.name, type: c.type, ...(c.unit ? { unit: c.unit } : {}), description: c.description, ...(c.examples ? { examples: c.examples } : {}) })),
        joinHints: t.joinHints ?? [],
        pitfalls: t.pitfalls ?? [],
      },
    };
  },

  async run_sql(args, ctx) {
    const sql = String(args.sql);
    const engine = await ctx.engine();
    try {
      const r = await engine.query(sql, { maxRows: Number(args.max_rows), timeoutMs: ms(Number(args.timeout_seconds)), signal: ctx.signal });
      const elapsedMs = r.timings.totalMs;
      return {
        text: `${rowCountText(r.rowCount, r.truncated)} · ${elapsedMs.toFixed(0)} ms\n${resultTable(r.columns, r.rows)}`,
        structured: { sql: r.sql, columns: r.columns, rows: r.rows, rowCount: r.rowCount, truncated: r.truncated, elapsedMs },
      };
    } catch (e) {
      throw new SqlFailure(toOnchainSqlError(e), sql);
    }
  },

  async ask(args, ctx) {
    if (!ctx.provider) throw new OnchainSqlError('provider_error', 'No SQL writer is configured for ask here; write the SQL and call run_sql.');
    const engine = await ctx.engine();
    const provider = await ctx.provider(engine);
    const { ask } = await import('../ask.js');
    const a = await ask(engine, String(args.question), {
      provider, maxRows: Number(args.max_rows), timeoutMs: ms(Number(args.timeout_seconds)), signal: ctx.signal,
    });
    const text = [
      `sql (by ${a.provider}${a.attempts.length > 1 ? `, after ${a.attempts.length - 1} repair(s)` : ''}):`,
      a.sql,
      `explanation: ${a.explanation || '(none)'}`,
      `${rowCountText(a.rowCount, a.truncated)} · ${a.timings.totalMs.toFixed(0)} ms`,
      resultTable(a.columns, a.rows),
    ].join('\n');
    return {
      text,
      structured: { question: a.question, sql: a.sql, explanation: a.explanation, provider: a.provider, columns: a.columns, rows: a.rows, rowCount: a.rowCount, truncated: a.truncated },
    };
  },

  async snapshot_info(_args, ctx) {
    const engine = await ctx.engine();
    const m = engine.manifest;
    // Counted, not copied from the manifest: an imported or hand-edited folder may disagree with it.
    const counts = catalog.tables.map((t) => `SELECT '${qualifiedName(t)}' AS tbl, count(*) AS n FROM ${qualifiedName(t)}`).join(' UNION ALL ');
    const r = await engine.query(`SELECT tbl, n, snapshot_time()::VARCHAR AS st FROM (${counts})`, { signal: ctx.signal, maxRows: catalog.tables.length });
    const rowCounts: Record<string, number> = {};
    for (const [tbl, n] of r.rows) rowCounts[cellToText(tbl)] = Number(n);
    const snapshotTime = r.rows[0]?.[2] === null || r.rows[0]?.[2] === undefined ? null : cellToText(r.rows[0][2]);
    const emptyTables = Object.entries(rowCounts).filter(([, n]) => n === 0).map(([t]) => t);
    const text = [
      `chain: ${m.chain}${m.synthetic ? ' — SYNTHETIC sample: addresses, amounts and labels are generated, not real mainnet facts' : ''}`,
      `source: ${m.source}; schema v${m.schemaVersion}`,
      `blocks: ${m.blockRange.first} – ${m.blockRange.last}`,
      `time (UTC): ${m.timeRange.first} – ${m.timeRange.last}; snapshot_time() = ${snapshotTime ?? 'NULL (no blocks)'}`,
      'rows:',
      ...Object.entries(rowCounts).map(([t, n]) => `- ${t}: ${n}`),
      emptyTables.length ? `empty (queries on them return nothing): ${emptyTables.join(', ')}` : 'no table is empty',
    ].join('\n');
    return {
      text,
      structured: { chain: m.chain, synthetic: m.synthetic, source: m.source, schemaVersion: m.schemaVersion, blockRange: m.blockRange, timeRange: m.timeRange, snapshotTime, rowCounts, emptyTables },
    };
  },
};

/** A statement that failed or was refused: its error text carries the repair hints for that SQL. */
class SqlFailure extends Error {
  constructor(readonly error: OnchainSqlError, readonly sql: string) {
    super(error.message);
  }
}

function scrubbed(out: ToolOutput, secrets: readonly string[]): ToolOutput {
  return {
    ...out,
    text: redact(out.text, secrets),
    ...(out.structured ? { structured: JSON.parse(redact(JSON.stringify(out.structured), secrets)) as Record<string, unknown> } : {}),
  };
}

/**
 * Runs one tool call. Arguments the schema refuses throw ToolInputError (the
 * caller's protocol mistake); everything else, including refused SQL, comes
 * back as an error output the agent can read and act on.
 */
export async function runAgentTool(name: string, args: unknown, ctx: ToolContext): Promise<ToolOutput> {
  const def = findAgentTool(name);
  if (!def) throw new ToolInputError(`There is no tool "${String(name).slice(0, 60)}"; tools: ${AGENT_TOOLS.map((t) => t.name).join(', ')}.`);
  const checked = checkInput(def.name, def.inputSchema, args);
  let out: ToolOutput;
  try {
    out = { ...(await RUNNERS[def.name](checked, ctx)), isError: false };
  } catch (e) {
    const failure = e instanceof SqlFailure ? e : undefined;
    const err = failure?.error ?? (ctx.signal?.aborted ? new OnchainSqlError('cancelled', 'The call was cancelled.') : toOnchainSqlError(e));
    out = { text: errorText(err, failure?.sql), isError: true, errorCode: err.code };
  }
  return scrubbed(out, ctx.secrets ?? []);
}

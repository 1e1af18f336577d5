import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { CallPosition } from './function-policy.js';
import { asciiLower } from './sql-text.js';

/**
 * DuckDB's own parse tree of a statement, from `json_serialize_sql`, reduced
 * to what the guard needs: every table the statement reads that is not a CTE
 * in scope where it is named, and every function it calls, with the position
 * it is called in.
 */

export interface TableRef {
  catalog: string;
  schema: string;
  table: string;
}

export interface FunctionRef {
  schema: string;
  name: string;
  position: CallPosition;
}

export interface StatementRefs {
  /** Tables named where no CTE of that name is in scope: each must be a contract table. */
  tables: TableRef[];
  functions: FunctionRef[];
  /** DESCRIBE / SHOW / SUMMARIZE parse as a SELECT over a SHOW_REF. */
  hasShowRef: boolean;
}

export type SerializedSql =
  /** `node`: the first statement's tree as DuckDB serialized it (read by structure.ts). */
  | { kind: 'select'; statementCount: number; refs: StatementRefs; node: unknown }
  | { kind: 'not_select'; message: string }
  | { kind: 'parse_error'; message: string };

interface SerializeResult {
  error: boolean;
  error_type?: string;
  error_message?: string;
  statements?: Array<{ node: unknown }>;
}

export type JsonObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * Asks DuckDB for its parse tree. The SQL travels as a bound parameter, never
 * as SQL text, and serializing only parses: nothing is bound or run. DuckDB
 * serializes SELECT statements only, which is itself the first type check.
 */
export async function serializeSql(conn: DuckDBConnection, sql: string): Promise<SerializedSql> {
  const raw = await callWithText(conn, SERIALIZE, sql);
  const parsed = JSON.parse(String(raw)) as SerializeResult;
  if (parsed.error) {
    const message = parsed.error_message ?? 'unknown parser error';
    if (/only select statements/i.test(message)) return { kind: 'not_select', message };
    return { kind: 'parse_error', message };
  }
  const statements = parsed.statements ?? [];
  const refs: StatementRefs = { tables: [], functions: [], hasShowRef: false };
  for (const s of statements) walk(s.node, refs);
  return { kind: 'select', statementCount: statements.length, refs, node: statements[0]?.node };
}

const SERIALIZE = 'SELECT json_serialize_sql($1::VARCHAR)';

/**
 * Runs a fixed, trusted one-parameter query with `text` bound as its VARCHAR
 * parameter (never spliced into SQL) and returns the single value. One prepared
 * statement per connection and query: preparing it each time was half of the
 * validation cost of a new statement. A prepared statement holds one set of
 * bound values, so a call that overlaps another on the same connection runs
 * unprepared instead.
 */
const preparedCalls = new WeakMap<DuckDBConnection, Map<string, { statement: Promise<DuckDBPreparedStatement>; busy: boolean }>>();

export async function callWithText(conn: DuckDBConnection, query: string, text: string): Promise<unknown> {
  let byQuery = preparedCalls.get(conn);
  if (!byQuery) preparedCalls.set(conn, (byQuery = new Map<string, { statement: Promise<DuckDBPreparedStatement>; busy: boolean }>()));
  let entry = byQuery.get(query);
  if (!entry) byQuery.set(query, (entry = { statement: conn.prepare(query), busy: false }));
  if (entry.busy) return (await conn.runAndReadAll(query, [text])).getRows()[0]?.[0];
  entry.busy = true;
  try {
    const statement = await entry.statement;
    statement.bindVarchar(1, text);
    return (await statement.runAndReadAll()).getRows()[0]?.[0];
  } catch (e) {
    byQuery.delete(query);
    throw e;
  } finally {
    entry.busy = false;
  }
}

/** CTE names visible at a point of the tree (ASCII lower case: DuckDB compares identifiers case-insensitively, ASCII only). */
type Scope = ReadonlySet<string>;

function withNames(scope: Scope, names: string[]): Scope {
  return names.length ? new Set([...scope, ...names]) : scope;
}

function cteEntries(node: JsonObject): Array<{ name: string; query: unknown }> {
  const map = isObject(node.cte_map) && Array.isArray(node.cte_map.map) ? node.cte_map.map : [];
  return map.filter(isObject).map((e) => ({ name: asciiLower(str(e.key)), query: isObject(e.value) ? e.value.query : undefined }));
}

/**
 * Visits every node of the tree, depth first in source order, resolving each
 * table name by scope as DuckDB's binder does: a WITH's CTEs are visible in its
 * own query and each one in the CTEs after it (and in itself when recursive),
 * never outside the query that defines them. Iterative, so that deep trees
 * cannot overflow the stack.
 */
function walk(root: unknown, refs: StatementRefs): void {
  const stack: Array<[unknown, Scope]> = [[root, new Set()]];
  while (stack.length) {
    const [node, scope] = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], scope]);
      continue;
    }
    if (!isObject(node)) continue;
    const type = str(node.type);
    let inner = scope;
    const ctes = cteEntries(node);
    if (ctes.length) {
      // Each CTE sees the ones before it; the query itself sees them all.
      for (let i = ctes.length - 1; i >= 0; i--) stack.push([ctes[i].query, withNames(scope, ctes.slice(0, i).map((c) => c.name))]);
      inner = withNames(scope, ctes.map((c) => c.name));
    }
    if (type === 'RECURSIVE_CTE_NODE' || type === 'CTE_NODE') inner = withNames(inner, [asciiLower(str(node.cte_name))]);
    if (type === 'BASE_TABLE' && 'table_name' in node) {
      const ref = { catalog: str(node.catalog_name), schema: str(node.schema_name), table: str(node.table_name) };
      if (ref.catalog || ref.schema || !scope.has(asciiLower(ref.table))) refs.tables.push(ref);
    } else if (type === 'TABLE_FUNCTION' && isObject(node.function)) {
      const fn = node.function;
      refs.functions.push({ schema: str(fn.schema), name: str(fn.function_name), position: 'table' });
      // Its arguments may hold subqueries and functions of their own; the call itself is not a scalar function.
      stack.push([fn.children, inner]);
      continue;
    } else if (type === 'SHOW_REF') {
      refs.hasShowRef = true;
    } else if ((node.class === 'FUNCTION' || node.class === 'WINDOW') && 'function_name' in node) {
      refs.functions.push({ schema: str(node.schema), name: str(node.function_name), position: node.class === 'WINDOW' ? 'window' : 'scalar' });
    }
    // Children pushed in reverse so that they are visited in the order they are written.
    const children = Object.entries(node).filter(([k, v]) => k !== 'cte_map' && typeof v === 'object' && v !== null).map(([, v]) => v);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], inner]);
  }
}

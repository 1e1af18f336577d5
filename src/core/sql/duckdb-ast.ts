import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';

/**
 * DuckDB's own parse tree of a statement, from `json_serialize_sql`, reduced
 * to what the guard needs: every table, table function and scalar function
 * the statement references, and the names it defines itself (CTEs).
 */

export interface TableRef {
  catalog: string;
  schema: string;
  table: string;
}

export interface FunctionRef {
  schema: string;
  name: string;
}

export interface StatementRefs {
  tables: TableRef[];
  tableFunctions: FunctionRef[];
  functions: FunctionRef[];
  cteNames: Set<string>;
  /** DESCRIBE / SHOW / SUMMARIZE parse as a SELECT over a SHOW_REF. */
  hasShowRef: boolean;
}

export type SerializedSql =
  | { kind: 'select'; statementCount: number; refs: StatementRefs }
  | { kind: 'not_select'; message: string }
  | { kind: 'parse_error'; message: string };

interface SerializeResult {
  error: boolean;
  error_type?: string;
  error_message?: string;
  statements?: Array<{ node: unknown }>;
}

type JsonObject = { [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * Asks DuckDB for its parse tree. The SQL travels as a bound parameter, never
 * as SQL text, and serializing only parses: nothing is bound or run. DuckDB
 * serializes SELECT statements only, which is itself the first type check.
 */
export async function serializeSql(conn: DuckDBConnection, sql: string): Promise<SerializedSql> {
  const raw = await runSerialize(conn, sql);
  const parsed = JSON.parse(String(raw)) as SerializeResult;
  if (parsed.error) {
    const message = parsed.error_message ?? 'unknown parser error';
    if (/only select statements/i.test(message)) return { kind: 'not_select', message };
    return { kind: 'parse_error', message };
  }
  const statements = parsed.statements ?? [];
  const refs: StatementRefs = { tables: [], tableFunctions: [], functions: [], cteNames: new Set(), hasShowRef: false };
  for (const s of statements) walk(s.node, refs);
  return { kind: 'select', statementCount: statements.length, refs };
}

const SERIALIZE = 'SELECT json_serialize_sql($1::VARCHAR)';

/**
 * One prepared serializer per connection: preparing it each time was half of
 * the validation cost of a new statement. A prepared statement holds one set
 * of bound values, so a call that overlaps another on the same connection
 * runs unprepared instead.
 */
const serializers = new WeakMap<DuckDBConnection, { statement: Promise<DuckDBPreparedStatement>; busy: boolean }>();

async function runSerialize(conn: DuckDBConnection, sql: string): Promise<unknown> {
  let entry = serializers.get(conn);
  if (!entry) serializers.set(conn, (entry = { statement: conn.prepare(SERIALIZE), busy: false }));
  if (entry.busy) return (await conn.runAndReadAll(SERIALIZE, [sql])).getRows()[0]?.[0];
  entry.busy = true;
  try {
    const statement = await entry.statement;
    statement.bindVarchar(1, sql);
    return (await statement.runAndReadAll()).getRows()[0]?.[0];
  } catch (e) {
    serializers.delete(conn);
    throw e;
  } finally {
    entry.busy = false;
  }
}

/** Visits every node of the tree, depth first in source order; iterative so that deep trees cannot overflow the stack. */
function walk(root: unknown, refs: StatementRefs): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
      continue;
    }
    if (!isObject(node)) continue;
    const type = str(node.type);
    if (type === 'BASE_TABLE' && 'table_name' in node) {
      refs.tables.push({ catalog: str(node.catalog_name), schema: str(node.schema_name), table: str(node.table_name) });
    } else if (type === 'TABLE_FUNCTION' && isObject(node.function)) {
      const fn = node.function;
      refs.tableFunctions.push({ schema: str(fn.schema), name: str(fn.function_name) });
      // Its arguments may hold subqueries and functions of their own; the call itself is not a scalar function.
      stack.push(fn.children);
      continue;
    } else if (type === 'SHOW_REF') {
      refs.hasShowRef = true;
    } else if ((node.class === 'FUNCTION' || node.class === 'WINDOW') && 'function_name' in node) {
      refs.functions.push({ schema: str(node.schema), name: str(node.function_name) });
    }
    if (isObject(node.cte_map) && Array.isArray(node.cte_map.map)) {
      for (const entry of node.cte_map.map) if (isObject(entry)) refs.cteNames.add(str(entry.key).toLowerCase());
    }
    if (type === 'RECURSIVE_CTE_NODE' || type === 'CTE_NODE') refs.cteNames.add(str(node.cte_name).toLowerCase());
    // Children pushed in reverse so that they are visited in the order they are written.
    const children = Object.values(node).filter((v) => typeof v === 'object' && v !== null);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

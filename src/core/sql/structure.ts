import type { DuckDBConnection } from '@duckdb/node-api';
import { catalog, qualifiedName } from '../schema/catalog.js';
import { isObject, str, type JsonObject, type StatementRefs } from './duckdb-ast.js';
import { isAggregateFunction } from './function-policy.js';
import { asciiLower, blankNonCode } from './sql-text.js';
import { parseStatement, type ParsedStatement } from './validate.js';

/**
 * What a query does, read from DuckDB's own parse tree (the json_serialize_sql
 * tree the guard checks, see validate.ts `parseStatement`): the contract tables
 * it reads, its CTEs, joins, aggregates, and the clauses of the outermost query.
 * DuckDB rewrites expressions as it parses (INTERVAL 7 DAY becomes
 * to_days(CAST(trunc(…) AS INTEGER))), so a clause is shown as the user wrote it:
 * cut out of the original text at the offsets DuckDB reports, never rendered
 * back from the tree.
 */
export interface SqlStructure {
  /** Contract tables read (namespace.table), in the order they are named; CTEs excluded. */
  tables: string[];
  /** Other table names that are not CTEs in scope (the guard refuses them), as written. */
  otherTables: string[];
  /** CTE names, outermost first. */
  ctes: string[];
  /** 'UNION ALL', 'EXCEPT', …: the outermost query combines several; its own clauses are then not described. */
  setOperation?: string;
  distinct: boolean;
  columns?: string;
  filters?: string;
  groupBy?: string;
  having?: string;
  qualify?: string;
  orderBy?: string;
  limit?: string;
  offset?: string;
  /** Aggregate calls as `name()` (`count(*)` for count_star), in the order they are written. */
  aggregates: string[];
  /** Functions called with OVER (…), as `name()`. */
  windowFunctions: string[];
  joins: number;
  usesSnapshotTime: boolean;
  /** Interval lengths as written: `7 day`, `24 hours`. */
  intervals: string[];
}

type Clause = 'select' | 'from' | 'where' | 'group by' | 'having' | 'qualify' | 'window' | 'order by' | 'limit' | 'offset';

/** Where a clause of the outermost query is, per DuckDB: a location inside its body, or present without one (GROUP BY ALL). */
type Anchors = Partial<Record<Clause, number | 'present'>>;

const CONTRACT_TABLES = new Set(catalog.tables.map(qualifiedName));
/** DuckDB's rewrite of `INTERVAL n unit` (to_days(n) …). */
const INTERVAL_FUNCTIONS = new Set(['to_centuries', 'to_decades', 'to_years', 'to_quarters', 'to_months', 'to_weeks', 'to_days', 'to_hours', 'to_minutes', 'to_seconds', 'to_milliseconds', 'to_microseconds']);

/**
 * Parses `input` as the guard does (validate.ts `parseStatement`: text checks,
 * first word, json_serialize_sql; nothing bound or run) and reads its
 * structure. SQL that DuckDB does not read as one SELECT is refused with the
 * guard's error.
 */
export async function describeStatement(conn: DuckDBConnection, input: string): Promise<SqlStructure> {
  return readStructure(await parseStatement(conn, input));
}

export function readStructure({ sql, node, refs }: ParsedStatement): SqlStructure {
  const offsets = new TextOffsets(sql);
  const root = isObject(node) ? node : {};
  const modifiers = Array.isArray(root.modifiers) ? root.modifiers.filter(isObject) : [];
  const bodies = clauseBodies(sql, clauseAnchors(root, modifiers, offsets));
  return {
    ...tablesOf(refs),
    ...treeFacts(root, sql, offsets),
    setOperation: root.type === 'SET_OPERATION_NODE' ? `${str(root.setop_type).replace(/_/g, ' ')}${root.setop_all === true ? ' ALL' : ''}` : undefined,
    distinct: modifiers.some((m) => m.type === 'DISTINCT_MODIFIER'),
    columns: bodies.select,
    filters: bodies.where,
    groupBy: bodies['group by'],
    having: bodies.having,
    qualify: bodies.qualify,
    orderBy: bodies['order by'],
    limit: bodies.limit,
    offset: bodies.offset,
  };
}

type TreeFacts = Pick<SqlStructure, 'ctes' | 'aggregates' | 'windowFunctions' | 'joins' | 'usesSnapshotTime' | 'intervals'>;

/** What the whole tree holds, CTEs and subqueries included; lists in the order they are written. */
function treeFacts(root: JsonObject, sql: string, offsets: TextOffsets): TreeFacts {
  const ctes: Array<[number, string]> = [];
  const aggregates: Array<[number, string]> = [];
  const windows: Array<[number, string]> = [];
  const intervals: Array<[number, string]> = [];
  let joins = 0;
  let usesSnapshotTime = false;
  forEachNode(root, (n) => {
    const at = offsets.charIndex(n.query_location) ?? Infinity;
    if (isObject(n.cte_map) && Array.isArray(n.cte_map.map)) {
      for (const e of n.cte_map.map.filter(isObject)) ctes.push([firstLocation(e.value, offsets) ?? Infinity, str(e.key)]);
    }
    if (n.type === 'JOIN') joins++;
    const name = asciiLower(str(n.function_name));
    if (n.class === 'FUNCTION') {
      if (isAggregateFunction(name)) aggregates.push([at, name === 'count_star' ? 'count(*)' : `${name}()`]);
      if (name === 'snapshot_time') usesSnapshotTime = true;
      const written = INTERVAL_FUNCTIONS.has(name) ? intervalAt(sql, at) : undefined;
      if (written) intervals.push([at, written]);
    } else if (n.class === 'WINDOW' && name) {
      windows.push([at, `${name}()`]);
    } else if (n.class === 'CAST' && isObject(n.cast_type) && n.cast_type.id === 'INTERVAL' && isObject(n.child) && isObject(n.child.value)) {
      // INTERVAL '7 days': the literal's own text.
      const value = n.child.value.value;
      if (typeof value === 'string') intervals.push([at, value]);
    }
  });
  return { ctes: inTextOrder(ctes), aggregates: inTextOrder(aggregates), windowFunctions: inTextOrder(windows), joins, usesSnapshotTime, intervals: inTextOrder(intervals) };
}

/** The outermost query's clauses as DuckDB parsed them; a set operation's branches are not its own clauses. */
function clauseAnchors(root: JsonObject, modifiers: JsonObject[], offsets: TextOffsets): Anchors {
  const anchors: Anchors = {};
  if (root.type !== 'SET_OPERATION_NODE') {
    anchors.select = firstLocation(root.select_list, offsets);
    anchors.from = firstLocation(root.from_table, offsets);
    anchors.where = firstLocation(root.where_clause, offsets);
    const grouped = Array.isArray(root.group_expressions) && root.group_expressions.length > 0;
    anchors['group by'] = grouped ? firstLocation(root.group_expressions, offsets) : root.aggregate_handling === 'FORCE_AGGREGATES' ? 'present' : undefined;
    anchors.having = firstLocation(root.having, offsets);
    anchors.qualify = firstLocation(root.qualify, offsets);
  }
  for (const m of modifiers) {
    if (m.type === 'ORDER_MODIFIER') anchors['order by'] = firstLocation(m.orders, offsets);
    if (m.type === 'LIMIT_MODIFIER' || m.type === 'LIMIT_PERCENT_MODIFIER') {
      anchors.limit = firstLocation(m.limit, offsets);
      anchors.offset = firstLocation(m.offset, offsets);
    }
  }
  return anchors;
}

function tablesOf(refs: StatementRefs): Pick<SqlStructure, 'tables' | 'otherTables'> {
  const tables = new Set<string>();
  const otherTables = new Set<string>();
  for (const t of refs.tables) {
    const name = `${asciiLower(t.schema)}.${asciiLower(t.table)}`;
    if ((!t.catalog || asciiLower(t.catalog) === 'memory') && CONTRACT_TABLES.has(name)) tables.add(name);
    else otherTables.add([t.catalog, t.schema, t.table].filter(Boolean).join('.'));
  }
  return { tables: [...tables], otherTables: [...otherTables] };
}

function inTextOrder(found: Array<[number, string]>): string[] {
  return [...new Set(found.sort((a, b) => a[0] - b[0]).map(([, text]) => text))];
}

/** `7 day` from the text DuckDB points at for `INTERVAL 7 DAY` (the amount), when it reads that way. */
function intervalAt(sql: string, at: number): string | undefined {
  if (!Number.isFinite(at)) return undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?|'(?:[^']|'')*')\s+([A-Za-z]+)/.exec(sql.slice(at, at + 200));
  return m ? `${m[1].replace(/^'|'$/g, '')} ${m[2].toLowerCase()}` : undefined;
}

/** Every object of the tree, depth first; iterative, so that a deep tree cannot overflow the stack. */
function forEachNode(root: JsonObject, visit: (n: JsonObject) => void): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      for (const item of n as unknown[]) stack.push(item);
    } else if (isObject(n)) {
      visit(n);
      for (const v of Object.values(n)) if (typeof v === 'object' && v !== null) stack.push(v);
    }
  }
}

/** The smallest valid location in a subtree: a point inside the clause's body (its first expression). */
function firstLocation(subtree: unknown, offsets: TextOffsets): number | undefined {
  let first: number | undefined;
  if (!isObject(subtree) && !Array.isArray(subtree)) return undefined;
  forEachNode({ subtree }, (n) => {
    const at = offsets.charIndex(n.query_location);
    if (at !== undefined && (first === undefined || at < first)) first = at;
  });
  return first;
}

/**
 * DuckDB reports `query_location` in UTF-8 bytes (and 2^64-1 where it has
 * none); JavaScript strings index UTF-16 code units. Maps one to the other.
 */
class TextOffsets {
  private readonly byteToChar: Uint32Array;

  constructor(sql: string) {
    this.byteToChar = new Uint32Array(Buffer.byteLength(sql, 'utf8') + 1);
    let byte = 0;
    for (let i = 0; i < sql.length;) {
      const cp = sql.codePointAt(i)!;
      const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      this.byteToChar.fill(i, byte, byte + bytes);
      byte += bytes;
      i += cp > 0xffff ? 2 : 1;
    }
    this.byteToChar[byte] = sql.length;
  }

  charIndex(location: unknown): number | undefined {
    return typeof location === 'number' && location >= 0 && location < this.byteToChar.length ? this.byteToChar[location] : undefined;
  }
}

interface Keyword {
  clause: Clause;
  start: number;
  end: number;
  depth: number;
}

/** Clause keywords and brackets in the code view (strings, quoted names and comments blanked). */
const KEYWORD_OR_BRACKET = /(?<![\p{L}\p{N}_$])(select|from|where|group\s+by|having|qualify|window|order\s+by|limit|offset)(?![\p{L}\p{N}_$])|[()[\]{}]/giu;

/** Every clause keyword with its bracket depth, and the depth at each character. */
function scanKeywords(code: string): { keywords: Keyword[]; depthAt: Int32Array } {
  const keywords: Keyword[] = [];
  const depthAt = new Int32Array(code.length + 1);
  let depth = 0;
  let filled = 0;
  for (const m of code.matchAll(KEYWORD_OR_BRACKET)) {
    depthAt.fill(depth, filled, m.index);
    filled = m.index;
    const word = m[1];
    if (!word) {
      depth = Math.max(0, depth + ('([{'.includes(m[0]) ? 1 : -1));
      continue;
    }
    // `a IS [NOT] DISTINCT FROM b` is an operator, not a clause.
    if (/^from$/i.test(word) && /distinct\s+$/i.test(code.slice(Math.max(0, m.index - 40), m.index))) continue;
    keywords.push({ clause: word.toLowerCase().replace(/\s+/, ' ') as Clause, start: m.index, end: m.index + word.length, depth });
  }
  depthAt.fill(depth, filled);
  return { keywords, depthAt };
}

/**
 * The text of each clause of the outermost query. DuckDB's locations say which
 * clauses exist and point inside each body; the keyword before that point, at
 * a bracket depth no deeper than it, is the clause's own (a keyword inside a
 * subquery or FILTER (WHERE …) sits deeper). All of the query's clause
 * keywords are at that one depth, so a body runs to the next of them (or to
 * the end of the query), and a keyword nested deeper never cuts it short.
 */
function clauseBodies(sql: string, anchors: Anchors): Partial<Record<Clause, string>> {
  const code = blankNonCode(sql);
  const { keywords, depthAt } = scanKeywords(code);
  let level: { depth: number; start: number } | undefined;
  for (const [clause, at] of Object.entries(anchors) as Array<[Clause, number | 'present' | undefined]>) {
    if (typeof at !== 'number') continue;
    const own = keywords.filter((k) => k.clause === clause && k.end <= at && k.depth <= depthAt[at]).pop();
    if (own && (!level || own.depth < level.depth || (own.depth === level.depth && own.start < level.start))) level = { depth: own.depth, start: own.start };
  }
  if (!level) return {};
  const { depth, start } = level;
  let end = start;
  while (end < code.length && depthAt[end] >= depth) end++;
  const own = keywords.filter((k) => k.depth === depth && k.start >= start && k.start < end);
  const bodies: Partial<Record<Clause, string>> = {};
  own.forEach((k, i) => {
    const at = anchors[k.clause];
    if (at === undefined || bodies[k.clause] !== undefined) return;
    const bodyEnd = own[i + 1]?.start ?? end;
    // A location outside the body means the text was not read right: say nothing rather than guess.
    if (typeof at === 'number' && (at < k.end || at >= bodyEnd)) return;
    const text = trimmed(sql, code, k.end, bodyEnd);
    if (text) bodies[k.clause] = text;
  });
  return bodies;
}

/** sql[from, to) without surrounding whitespace, comments and semicolons, on one line, at most `max` characters. */
function trimmed(sql: string, code: string, from: number, to: number, max = 300): string {
  let a = from;
  let b = to;
  while (a < b && /\s/.test(code[a])) a++;
  while (b > a && /[\s;]/.test(code[b - 1])) b--;
  const one = sql.slice(a, b).replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

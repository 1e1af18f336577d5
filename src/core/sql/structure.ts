/**
 * A deterministic, model-free reading of a SELECT: which tables it reads, how
 * it filters, groups, aggregates, orders and limits. Used by "Explain SQL" when
 * no model is available. A light tokenizer, not a parser: it must never reject
 * valid DuckDB SQL, only describe what it can see.
 */
import { catalog, qualifiedName } from '../schema/catalog.js';

interface Token {
  text: string;
  kind: 'word' | 'string' | 'quoted' | 'punct' | 'open' | 'close';
  depth: number;
  start: number;
  end: number;
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') { while (i < sql.length && sql[i] !== '\n') i++; continue; }
    if (c === '/' && sql[i + 1] === '*') { const e = sql.indexOf('*/', i + 2); i = e < 0 ? sql.length : e + 2; continue; }
    const start = i;
    if (c === "'" || c === '"') {
      i++;
      while (i < sql.length) {
        if (sql[i] === c && sql[i + 1] === c) { i += 2; continue; }
        if (sql[i] === c) { i++; break; }
        i++;
      }
      tokens.push({ text: sql.slice(start, i), kind: c === "'" ? 'string' : 'quoted', depth, start, end: i });
      continue;
    }
    if (/[A-Za-z_0-9]/.test(c)) {
      while (i < sql.length && /[A-Za-z_0-9$]/.test(sql[i])) i++;
      tokens.push({ text: sql.slice(start, i), kind: 'word', depth, start, end: i });
      continue;
    }
    if (c === '(') { tokens.push({ text: c, kind: 'open', depth, start, end: i + 1 }); depth++; i++; continue; }
    if (c === ')') { depth = Math.max(0, depth - 1); tokens.push({ text: c, kind: 'close', depth, start, end: i + 1 }); i++; continue; }
    tokens.push({ text: c, kind: 'punct', depth, start, end: i + 1 });
    i++;
  }
  return tokens;
}

const CLAUSES = ['select', 'from', 'where', 'group by', 'having', 'qualify', 'order by', 'limit', 'window'] as const;
type Clause = (typeof CLAUSES)[number];

const AGGREGATES = new Set(['count', 'sum', 'avg', 'mean', 'median', 'min', 'max', 'quantile', 'quantile_cont', 'quantile_disc', 'approx_count_distinct', 'stddev', 'arg_max', 'arg_min', 'count_if', 'sum_no_overflow', 'list', 'string_agg', 'any_value', 'first', 'last', 'mode', 'variance']);

export interface SqlStructure {
  tables: string[];
  ctes: string[];
  columns: string;
  filters?: string;
  groupBy?: string;
  having?: string;
  orderBy?: string;
  limit?: string;
  aggregates: string[];
  joins: number;
  usesSnapshotTime: boolean;
  intervals: string[];
}

function squash(s: string, max = 300): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function analyseSql(sql: string): SqlStructure {
  const tokens = tokenize(sql);
  const lower = (t: Token | undefined) => t?.text.toLowerCase();
  const known = new Set(catalog.tables.map(qualifiedName));
  const tables: string[] = [];
  const ctes: string[] = [];
  let joins = 0;
  const aggregates = new Set<string>();
  const intervals: string[] = [];
  let usesSnapshotTime = false;

  // The outermost SELECT is the one at the lowest depth after any WITH list.
  const topDepth = Math.min(...tokens.filter((t) => lower(t) === 'select').map((t) => t.depth), Infinity);
  let lastTopSelect = -1;
  tokens.forEach((t, i) => { if (lower(t) === 'select' && t.depth === topDepth) lastTopSelect = i; });

  const clauseStarts: Array<{ clause: Clause; index: number; bodyStart: number }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const w = lower(t);
    if (t.kind !== 'word') continue;
    if ((w === 'from' || w === 'join') && tokens[i + 1]) {
      if (w === 'join') joins++;
      const a = tokens[i + 1], dot = tokens[i + 2], b = tokens[i + 3];
      if (a.kind === 'word' && dot?.text === '.' && b?.kind === 'word') {
        const name = `${a.text}.${b.text}`.toLowerCase();
        if (known.has(name) && !tables.includes(name)) tables.push(name);
      }
    }
    if (w === 'as' && tokens[i + 1]?.kind === 'open' && tokens[i - 1]?.kind === 'word' && t.depth === topDepth && i < lastTopSelect) {
      const name = tokens[i - 1].text;
      if (!ctes.includes(name)) ctes.push(name);
    }
    if (tokens[i + 1]?.kind === 'open' && w && AGGREGATES.has(w)) aggregates.add(w);
    if (w === 'snapshot_time') usesSnapshotTime = true;
    if (w === 'interval') {
      const next = tokens[i + 1], unit = tokens[i + 2];
      if (next?.kind === 'string') intervals.push(next.text.slice(1, -1));
      else if (next?.kind === 'word' && unit?.kind === 'word') intervals.push(`${next.text} ${unit.text.toLowerCase()}`);
    }
    if (t.depth !== topDepth || i < lastTopSelect) continue;
    const two = `${w} ${lower(tokens[i + 1])}`;
    if (two === 'group by' || two === 'order by') clauseStarts.push({ clause: two, index: i, bodyStart: i + 2 });
    else if ((CLAUSES as readonly string[]).includes(w!) && w !== 'group' && w !== 'order') clauseStarts.push({ clause: w as Clause, index: i, bodyStart: i + 1 });
  }

  const body = (clause: Clause): string | undefined => {
    const k = clauseStarts.findIndex((c) => c.clause === clause);
    if (k < 0) return undefined;
    const from = tokens[clauseStarts[k].bodyStart];
    if (!from) return undefined;
    // End at the last token before the next clause, so trailing comments are left out.
    let last = (clauseStarts[k + 1]?.index ?? tokens.length) - 1;
    if (tokens[last]?.text === ';') last--;
    if (last < clauseStarts[k].bodyStart) return undefined;
    return squash(sql.slice(from.start, tokens[last].end));
  };

  return {
    tables,
    ctes,
    columns: body('select') ?? '',
    filters: body('where'),
    groupBy: body('group by'),
    having: body('having'),
    orderBy: body('order by'),
    limit: body('limit'),
    aggregates: [...aggregates],
    joins,
    usesSnapshotTime,
    intervals,
  };
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

/** A Markdown explanation of a statement's structure (values quoted as code, never as live Markdown). */
export function explainStructure(sql: string): string {
  const s = analyseSql(sql);
  const lines: string[] = [];
  const describe = (q: string) => {
    const t = catalog.tables.find((x) => qualifiedName(x) === q);
    const first = t?.description.split(/(?<=\.)\s/)[0] ?? '';
    return first ? `${code(q)}: ${first}` : code(q);
  };
  if (s.tables.length) {
    lines.push(`- **Reads** ${s.tables.length === 1 ? 'one table' : `${s.tables.length} tables`}${s.joins ? ` (${s.joins} join${s.joins > 1 ? 's' : ''})` : ''}:`);
    for (const t of s.tables) lines.push(`  - ${describe(t)}`);
  } else {
    lines.push('- **Reads** no table of the snapshot directly.');
  }
  if (s.ctes.length) lines.push(`- **Builds intermediate results** first: ${s.ctes.map(code).join(', ')}.`);
  if (s.columns) lines.push(`- **Returns** ${code(s.columns)}.`);
  if (s.aggregates.length) lines.push(`- **Aggregates** with ${s.aggregates.map((a) => code(`${a}()`)).join(', ')}.`);
  if (s.filters) lines.push(`- **Keeps rows where** ${code(s.filters)}.`);
  if (s.usesSnapshotTime) {
    const window = s.intervals.length ? ` (window: ${s.intervals.map(code).join(', ')})` : '';
    lines.push(`- **Time** is relative to ${code('snapshot_time()')}, the newest block in the snapshot, not the wall clock${window}.`);
  }
  if (s.groupBy) lines.push(`- **Groups by** ${code(s.groupBy)}.`);
  if (s.having) lines.push(`- **Keeps groups where** ${code(s.having)}.`);
  if (s.orderBy) lines.push(`- **Orders by** ${code(s.orderBy)}.`);
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

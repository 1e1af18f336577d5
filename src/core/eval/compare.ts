/**
 * Execution comparison for question sets: a predicted result matches a
 * reference result when every reference column equals some distinct predicted
 * column (an assignment, found by backtracking), row counts are equal, and the
 * rows agree as a sequence when the reference orders its rows (top-level ORDER
 * BY) or as a multiset otherwise. Numbers agree within 1e-6 relative;
 * timestamps, strings and booleans exactly; NULL only with NULL.
 */

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export interface ResultSet {
  columns: Array<{ name: string }>;
  rows: Value[][];
}

export interface Comparison {
  match: boolean;
  /** Why it does not match (for the miss report). */
  reason?: string;
  /** For each reference column, the predicted column index it was matched to. */
  assignment?: number[];
}

export const RELATIVE_TOLERANCE = 1e-6;
/** Below this absolute difference two numbers are equal (sums of doubles in another order can differ by ~1e-17). */
const ABSOLUTE_FLOOR = 1e-12;
const MAX_ASSIGNMENTS_TRIED = 10_000;

function asNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  // Wide integers (HUGEINT sums) arrive as decimal strings.
  if (typeof v === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v)) return Number(v);
  return undefined;
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    if (x === undefined || y === undefined) return false;
    if (x === y) return true;
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
    const diff = Math.abs(x - y);
    return diff <= ABSOLUTE_FLOOR || diff <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return true;
    // Two wide integers as strings: compare numerically (e.g. "1e+30" vs "1000…0").
    const x = asNumber(a);
    const y = asNumber(b);
    return x !== undefined && y !== undefined && valuesEqual(x, y);
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A sort key that is equal for values `valuesEqual` treats as equal (numbers rounded to 9 significant digits). */
function sortKey(v: Value): string {
  if (v === null) return '\u0000null';
  const n = asNumber(v);
  if (n !== undefined) return `n:${Math.abs(n) < ABSOLUTE_FLOOR ? '0' : n.toPrecision(9)}`;
  if (typeof v === 'string') return `s:${v}`;
  return `j:${JSON.stringify(v)}`;
}

function column(rows: Value[][], i: number): Value[] {
  return rows.map((r) => r[i] ?? null);
}

function sequenceEqual(a: Value[], b: Value[]): boolean {
  return a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]));
}

/** Multiset equality with tolerance: sort by rounded keys, compare pairwise; fall back to matching when rounding splits a pair. */
function multisetEqual(a: Value[][], b: Value[][]): boolean {
  if (a.length !== b.length) return false;
  const key = (r: Value[]) => r.map(sortKey).join('\u0001');
  const sa = [...a].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  const sb = [...b].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  if (sa.every((r, i) => r.every((v, j) => valuesEqual(v, sb[i][j])))) return true;
  if (a.length > 5000) return false;
  const used = new Array<boolean>(b.length).fill(false);
  for (const r of a) {
    const k = b.findIndex((s, i) => !used[i] && r.every((v, j) => valuesEqual(v, s[j])));
    if (k < 0) return false;
    used[k] = true;
  }
  return true;
}

export function compareResults(reference: ResultSet, predicted: ResultSet, ordered: boolean): Comparison {
  const nRef = reference.columns.length;
  const nPred = predicted.columns.length;
  if (reference.rows.length !== predicted.rows.length) {
    return { match: false, reason: `row count: expected ${reference.rows.length}, got ${predicted.rows.length}` };
  }
  if (nPred < nRef) return { match: false, reason: `columns: expected at least ${nRef}, got ${nPred}` };
  const refRows = reference.rows;
  const predRows = predicted.rows;
  // Candidates per reference column: predicted columns whose values agree (in order, or as multisets).
  const candidates: number[][] = [];
  for (let i = 0; i < nRef; i++) {
    const rc = column(refRows, i);
    const list: number[] = [];
    for (let k = 0; k < nPred; k++) {
      const pc = column(predRows, k);
      if (ordered ? sequenceEqual(rc, pc) : multisetEqual(rc.map((v) => [v]), pc.map((v) => [v]))) list.push(k);
    }
    if (!list.length) return { match: false, reason: `no predicted column equals reference column ${i + 1} (${reference.columns[i]?.name ?? '?'})` };
    candidates.push(list);
  }
  // Distinct columns: backtrack over assignments; unordered results also need whole rows to agree.
  const assignment: number[] = [];
  const taken = new Set<number>();
  let tried = 0;
  const rowsAgree = () => {
    if (ordered) return true; // column-wise sequence equality already means row-wise equality
    const projected = predRows.map((r) => assignment.map((k) => r[k] ?? null));
    return multisetEqual(refRows.map((r) => r.slice(0, nRef)), projected);
  };
  const search = (i: number): boolean => {
    if (i === nRef) return ++tried <= MAX_ASSIGNMENTS_TRIED && rowsAgree();
    for (const k of candidates[i]) {
      if (taken.has(k)) continue;
      taken.add(k);
      assignment.push(k);
      if (search(i + 1)) return true;
      assignment.pop();
      taken.delete(k);
      if (tried > MAX_ASSIGNMENTS_TRIED) return false;
    }
    return false;
  };
  if (search(0)) return { match: true, assignment: [...assignment] };
  return { match: false, reason: 'columns match one by one, but no assignment to distinct predicted columns makes the rows agree' };
}

/** True when the statement has ORDER BY outside any parentheses (not in a subquery or window). */
export function hasTopLevelOrderBy(sql: string): boolean {
  const stripped = sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
  let depth = 0;
  let top = '';
  for (const ch of stripped) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) top += ch;
    else top += ' ';
  }
  return /\border\s+by\b/i.test(top);
}

import { catalog, qualifiedName, type TableSpec } from '../schema/catalog.js';
import hints from './name-hints.json';

const COLUMN_HINTS: Record<string, string[]> = hints.columns;
const TABLE_HINTS: Record<string, string[]> = hints.tables;

/** Levenshtein distance (insert/delete/substitute, each 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * How far `wanted` is from `candidate`, lower is nearer. A candidate that
 * contains the wanted word as a part (`hash` in `tx_hash`, `value` in
 * `value_eth`) counts as near even when the raw edit distance is large:
 * models usually drop the unit suffix or the prefix, not random letters.
 */
function nameScore(wanted: string, candidate: string): number {
  const w = wanted.toLowerCase();
  const c = candidate.toLowerCase();
  if (w === c) return 0;
  const parts = c.split(/[_.]/);
  const wantedParts = w.split(/[_.]/);
  if (parts.includes(w) || wantedParts.every((p) => p && parts.includes(p))) return 0.5;
  if (c.includes(w) || w.includes(c)) return 1;
  // `timestamp` holds `time` (block_time): a meaningful part of the real name inside the invented one.
  if (parts.some((p) => p.length >= 4 && w.includes(p))) return 1.5;
  return editDistance(w, c) / Math.max(1, Math.min(w.length, c.length)) * 3;
}

/** The nearest names to `wanted`, best first, within a loose threshold. */
export function nearest(wanted: string, candidates: Iterable<string>, limit = 3): string[] {
  const scored = [...new Set(candidates)]
    .map((c) => ({ c, s: nameScore(wanted, c) }))
    .filter((x) => x.s <= 2)
    .sort((a, b) => a.s - b.s || a.c.length - b.c.length || a.c.localeCompare(b.c));
  return scored.slice(0, limit).map((x) => x.c);
}

/**
 * Real tables nearest to a name that is not one: compared both as `ns.table`
 * and as the bare table name, so `transactions` finds `ethereum.transactions`
 * and `dex.swaps` finds `dex.trades`.
 */
export function nearestTables(wanted: string, limit = 3): string[] {
  const w = wanted.toLowerCase();
  const bare = w.includes('.') ? w.slice(w.lastIndexOf('.') + 1) : w;
  const hinted = TABLE_HINTS[bare] ?? [];
  const ns = w.includes('.') ? w.slice(0, w.lastIndexOf('.')).split('.').pop()! : '';
  const scored = catalog.tables.map((t) => {
    const q = qualifiedName(t);
    let s = Math.min(nameScore(w, q), nameScore(bare, t.name));
    // Same namespace, wrong table (`dex.swaps`): the namespace is the stronger clue.
    if (ns && ns === t.namespace) s = Math.min(s, 1.5);
    return { q, s };
  });
  const ranked = scored
    .filter((x) => x.s <= 2)
    .sort((a, b) => a.s - b.s || a.q.localeCompare(b.q))
    .map((x) => x.q);
  return [...new Set([...hinted, ...ranked])].slice(0, limit);
}

/** Real columns of the given tables nearest to `wanted`. */
export function nearestColumns(wanted: string, tables: TableSpec[], limit = 4): string[] {
  const names = tables.flatMap((t) => t.columns.map((c) => c.name));
  const hinted = (COLUMN_HINTS[wanted.toLowerCase()] ?? []).filter((h) => names.includes(h));
  return [...new Set([...hinted, ...nearest(wanted, names, limit)])].slice(0, limit);
}

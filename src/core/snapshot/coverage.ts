import { findTable, qualifiedName } from '../schema/catalog.js';
import type { Manifest } from './layout.js';

/** Longest manifest note passed on: manifests are files on disk, and a note is shown to the user as text. */
const MAX_NOTE = 600;

/**
 * What an answer must say about the snapshot tables its SQL read: for a table
 * with 0 rows, "<table> is empty in this snapshot: <why>" (the why from the
 * manifest's notes, or that nothing in the source filled it), so 0 rows is never
 * shown silently; for a table with rows, the manifest's notes about that table
 * (what is approximate or partial in it). `tables` are the validated SQL's
 * contract tables ('dex.trades', any case); unknown names are ignored. Notes
 * come back in the order of `tables`, each once.
 */
export function coverageNotes(tables: readonly string[], manifest: Pick<Manifest, 'rowCounts' | 'notes'>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const written of tables) {
    const spec = findTable(written.toLowerCase());
    if (!spec) continue;
    const name = qualifiedName(spec);
    if (seen.has(name)) continue;
    seen.add(name);
    const about = notesAbout(name, manifest.notes ?? []);
    const rows = manifest.rowCounts?.[name];
    if (rows === 0) {
      const why = about.length ? about.map((n) => stripSubject(name, n)).join(' ') : 'nothing in the source this snapshot was made from filled it.';
      out.push(clip(`${name} is empty in this snapshot: ${why}`));
    } else {
      for (const n of about) out.push(clip(n));
    }
  }
  return [...new Set(out)];
}

/** The manifest notes whose subject is `table` ("dex.trades: …", "dex.trades is empty: …", "dex.trades comes from …"). */
function notesAbout(table: string, notes: readonly string[]): string[] {
  return notes.filter((n) => typeof n === 'string' && n.startsWith(table) && /^[\s:]/.test(n.slice(table.length)));
}

/** "dex.trades is empty: X" or "dex.trades: X" → "X"; any other sentence as it is. */
function stripSubject(table: string, note: string): string {
  const rest = note.slice(table.length);
  const m = rest.match(/^(?:\s+is empty)?\s*:\s*/);
  return m ? rest.slice(m[0].length) : note;
}

function clip(s: string): string {
  return s.length > MAX_NOTE ? `${s.slice(0, MAX_NOTE - 1)}…` : s;
}

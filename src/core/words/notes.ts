import { equalityFilters, probeNumber, type Probe } from './probe.js';
import { sqlString } from '../sql/literal.js';
import { windowHours, windowOf, windowWords } from './window.js';
import { coverageNotes } from '../snapshot/coverage.js';
import type { Manifest } from '../snapshot/layout.js';

/**
 * Honest limits of an answer, found by looking at the snapshot: a period longer
 * than the snapshot holds, and for an empty result the filter or the empty
 * table that emptied it.
 */

export interface SnapshotRange {
  first: string;
  last: string;
}

export async function snapshotRange(probe: Probe): Promise<SnapshotRange | undefined> {
  try {
    const r = await probe.query("select min(block_time)::VARCHAR, max(block_time)::VARCHAR from ethereum.blocks", { maxRows: 1 });
    const [first, last] = r.rows[0] ?? [];
    return typeof first === 'string' && typeof last === 'string' ? { first, last } : undefined;
  } catch {
    return undefined;
  }
}

function hoursBetween(a: string, b: string): number {
  return (Date.parse(`${b.replace(' ', 'T')}Z`) - Date.parse(`${a.replace(' ', 'T')}Z`)) / 3_600_000;
}

function days(hours: number): string {
  if (hours < 24) {
    const h = Math.max(1, Math.round(hours));
    return `${h} hour${h === 1 ? '' : 's'}`;
  }
  const d = Math.round((hours / 24) * 10) / 10;
  return `${d.toLocaleString('en-US')} day${d === 1 ? '' : 's'}`;
}

/** Table a column belongs to (a filter is probed on the first table that has it). */
async function hasColumn(probe: Probe, table: string, column: string): Promise<boolean> {
  return (await probeNumber(probe, `select count(*) from (select ${column} from ${table} limit 0)`)) !== undefined;
}

/** `tables`: the contract tables the SQL reads, as DuckDB's parse tree names them (engine.describeStatement). */
export async function answerNotes(probe: Probe, sql: string, tables: readonly string[], rowCount: number, range?: SnapshotRange, manifest?: Pick<Manifest, 'rowCounts' | 'notes'>): Promise<string[]> {
  const notes: string[] = [];
  // What the snapshot's maker said about these tables (approximate, partial, or why one is empty).
  const coverage = manifest ? coverageNotes(tables, manifest) : [];
  const w = windowOf(sql);
  const hours = windowHours(w);
  const span = range ? hoursBetween(range.first, range.last) : undefined;
  if (range && hours !== undefined && span !== undefined && hours > span + 1) {
    notes.push(`The snapshot holds ${days(span)} of data (${range.first} to ${range.last} UTC); "${windowWords(w).replace(/^in /, '')}" covers more than that, so the answer uses the whole snapshot.`);
  }
  if (rowCount > 0) return [...notes, ...coverage];
  for (const t of tables) {
    const n = await probeNumber(probe, `select count(*) from ${t}`);
    if (n === 0) {
      notes.push(coverage.find((c) => c.startsWith(`${t} is empty`)) ?? `${t} is empty in this snapshot, so nothing can match.`);
      return notes;
    }
  }
  for (const f of equalityFilters(sql)) {
    for (const t of tables) {
      if (!(await hasColumn(probe, t, f.column))) continue;
      const n = await probeNumber(probe, `select count(*) from ${t} where upper(${f.column}::VARCHAR) = upper(${sqlString(f.value)})`);
      if (n === 0) {
        notes.push(`No row of ${t} has ${f.column} = ${sqlString(f.value)}: that filter alone empties the result.`);
        return notes;
      }
      break;
    }
  }
  if (w) notes.push(`Nothing matches ${windowWords(w)}${range ? ` (the snapshot ends ${range.last} UTC)` : ''}.`);
  else notes.push('No row matches all the filters together.');
  return notes;
}

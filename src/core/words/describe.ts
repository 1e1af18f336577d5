import type { Answer } from '../answer.js';
import type { ColumnInfo } from '../engine/engine.js';
import type { Cell } from '../engine/values.js';
import { answerAssumptions } from './assumptions.js';
import { answerNotes, snapshotRange } from './notes.js';
import type { Probe } from './probe.js';
import type { Manifest } from '../snapshot/layout.js';
import { summarize } from './summary.js';
import type { SqlStructure } from '../sql/structure.js';

export interface Described {
  question: string;
  sql: string;
  columns: ColumnInfo[];
  rows: Cell[][];
  truncated: boolean;
}

/** What the answer words read from the engine: probes, DuckDB's reading of the SQL, the manifest's counts. */
export type AnswerProbe = Probe & {
  describeStatement(sql: string): Promise<SqlStructure>;
  readonly manifest?: Pick<Manifest, 'rowCounts' | 'notes'>;
};

/** The answer in words: summary, assumptions and notes (the fields `ask` adds to an Answer). */
export async function describeAnswer(probe: AnswerProbe, a: Described): Promise<Pick<Answer, 'summary' | 'assumptions' | 'notes'>> {
  // The SQL already passed the guard, so this parse succeeds; if it does not, the sentence names no filter.
  const structure = await probe.describeStatement(a.sql).catch(() => undefined);
  const summary = summarize(a.sql, a.columns, a.rows, a.truncated, structure);
  const assumptions = await answerAssumptions(probe, a.question, a.sql);
  const notes = await answerNotes(probe, a.sql, structure?.tables ?? [], a.rows.length, await snapshotRange(probe), probe.manifest);
  return { summary, ...(assumptions.length ? { assumptions } : {}), ...(notes.length ? { notes } : {}) };
}

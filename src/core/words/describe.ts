import type { Answer } from '../answer.js';
import type { ColumnInfo } from '../engine/engine.js';
import type { Cell } from '../engine/values.js';
import { answerAssumptions } from './assumptions.js';
import { answerNotes, snapshotRange } from './notes.js';
import type { Probe } from './probe.js';
import type { Manifest } from '../snapshot/layout.js';
import { summarize } from './summary.js';

export interface Described {
  question: string;
  sql: string;
  columns: ColumnInfo[];
  rows: Cell[][];
  truncated: boolean;
}

/** The answer in words: summary, assumptions and notes (the fields `ask` adds to an Answer). */
export async function describeAnswer(probe: Probe & { readonly manifest?: Pick<Manifest, 'rowCounts' | 'notes'> }, a: Described): Promise<Pick<Answer, 'summary' | 'assumptions' | 'notes'>> {
  const summary = summarize(a.sql, a.columns, a.rows, a.truncated);
  const assumptions = await answerAssumptions(probe, a.question, a.sql);
  const notes = await answerNotes(probe, a.sql, a.rows.length, await snapshotRange(probe), probe.manifest);
  return { summary, ...(assumptions.length ? { assumptions } : {}), ...(notes.length ? { notes } : {}) };
}

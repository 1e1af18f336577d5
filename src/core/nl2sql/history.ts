import type { Turn } from '../answer.js';
import type { Cell } from '../engine/values.js';

/**
 * The one conversation history every surface gives `ask` (CLI `--then`, the
 * sidebar chat, @onchain, notebooks): the same turn limit and the same compact
 * form of an earlier answer, so a follow-up reads the same everywhere.
 */

/** Earlier answered turns a follow-up sees. */
export const HISTORY_TURNS = 6;
const SUMMARY_ROWS = 5;
const SUMMARY_CELL_CHARS = 60;

/** What a surface keeps of an earlier answer (all but the question optional: an output may be partial). */
export interface TurnSource {
  question: string;
  sql?: string;
  columns?: ReadonlyArray<{ name: string }>;
  rows?: ReadonlyArray<ReadonlyArray<Cell>>;
  rowCount?: number;
  truncated?: boolean;
  /** A summary a surface already holds (e.g. @onchain's metadata); used when there are no rows. */
  resultSummary?: string;
}

function cellText(v: Cell): string {
  const s = v === null ? 'NULL' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > SUMMARY_CELL_CHARS ? `${s.slice(0, SUMMARY_CELL_CHARS - 1)}…` : s;
}

/**
 * One earlier answer as the next question sees it: the question, the SQL and a
 * compact result (row count, column names, the first rows), so follow-ups like
 * "why is Tuesday so high?" have something to refer to.
 */
export function turnOf(source: TurnSource): Turn {
  const turn: Turn = { question: source.question };
  if (source.sql) turn.sql = source.sql;
  if (source.columns) {
    const n = source.rowCount ?? source.rows?.length ?? 0;
    const lines = [
      `${n}${source.truncated ? '+' : ''} row${n === 1 ? '' : 's'}; columns: ${source.columns.map((c) => c.name).join(', ')}`,
      ...(source.rows ?? []).slice(0, SUMMARY_ROWS).map((r) => r.map(cellText).join(' | ')),
    ];
    turn.resultSummary = lines.join('\n');
  } else if (source.resultSummary) turn.resultSummary = source.resultSummary;
  return turn;
}

/** The history for the next question: the last answered turns (with SQL), oldest first. */
export function buildHistory(sources: Iterable<TurnSource>): Turn[] {
  const answered = [...sources].filter((s) => s.question.trim() && s.sql);
  return answered.slice(-HISTORY_TURNS).map(turnOf);
}

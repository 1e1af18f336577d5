import type { Answer, Turn } from './answer.js';
import type { Cell } from './engine/values.js';

const SUMMARY_ROWS = 5;
const SUMMARY_CELL_CHARS = 60;

/**
 * A finished answer as the next question sees it: the question, the SQL and a
 * compact result (column names, the first rows, the row count), so follow-ups
 * like "why is Tuesday so high?" have something to refer to.
 */
export function answerToTurn(answer: Pick<Answer, 'question' | 'sql' | 'columns' | 'rows' | 'rowCount' | 'truncated'>): Turn {
  const cell = (v: Cell) => {
    const s = v === null ? 'NULL' : typeof v === 'string' ? v : JSON.stringify(v);
    return s.length > SUMMARY_CELL_CHARS ? `${s.slice(0, SUMMARY_CELL_CHARS - 1)}…` : s;
  };
  const lines = [
    `${answer.rowCount}${answer.truncated ? '+' : ''} row${answer.rowCount === 1 ? '' : 's'}; columns: ${answer.columns.map((c) => c.name).join(', ')}`,
    ...answer.rows.slice(0, SUMMARY_ROWS).map((r) => r.map(cell).join(' | ')),
  ];
  return { question: answer.question, sql: answer.sql, resultSummary: lines.join('\n') };
}

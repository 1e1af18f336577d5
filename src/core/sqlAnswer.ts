import type { Answer } from './answer.js';
import type { QueryResult } from './engine/engine.js';

/** SQL the user wrote, run as written: the same Answer shape `ask` returns, with no generation step. */
export function answerFromQuery(result: QueryResult): Answer {
  return {
    question: '',
    sql: result.sql,
    explanation: '',
    chart: null,
    provider: 'user',
    attempts: [{ sql: result.sql }],
    columns: result.columns,
    rows: result.rows,
    rowCount: result.rowCount,
    truncated: result.truncated,
    timings: { ...result.timings, generateMs: 0 },
  };
}

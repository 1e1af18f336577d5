import type { Cell } from './engine/values.js';
import type { QueryResult, Timings } from './engine/types.js';
import type { ColumnInfo } from './columnTypes.js';
import { OnchainSqlError } from './errors.js';

/** What reading a whole result needs of a cursor (the engine's Cursor). */
export interface PageReader {
  readonly truncated: boolean;
  next(n: number): Promise<Cell[][] | null>;
  finish(): void;
}

/**
 * Reads a cursor's pages until the result ends or `maxRows` rows are read (the
 * cursor then says `truncated`), checking `signal` between pages. The one
 * read-all loop: `ask` and `Engine.query` both collect a result this way.
 */
export async function readAllRows(cursor: PageReader, maxRows: number, signal?: AbortSignal): Promise<Cell[][]> {
  const rows: Cell[][] = [];
  for (;;) {
    if (signal?.aborted) throw new OnchainSqlError('cancelled', 'The query was cancelled.');
    const page = await cursor.next(Math.max(1, maxRows - rows.length));
    if (!page) break;
    for (const r of page) rows.push(r);
    if (cursor.truncated) break;
  }
  cursor.finish();
  return rows;
}

/** A cursor read whole into a QueryResult, then closed: what every engine's `query` is. */
export async function queryResult(cursor: PageReader & { readonly sql: string; readonly columns: ColumnInfo[]; timings(): Timings; close(): void }, maxRows: number, signal?: AbortSignal): Promise<QueryResult> {
  try {
    const rows = await readAllRows(cursor, maxRows, signal);
    return { sql: cursor.sql, columns: cursor.columns, rows, rowCount: rows.length, truncated: cursor.truncated, timings: cursor.timings() };
  } finally {
    cursor.close();
  }
}

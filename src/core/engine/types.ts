/**
 * The engine's public value types, shared by the facade (engine.ts, cursor.ts),
 * the worker process and the statement guard (src/core/sql), which must not
 * import the engine itself.
 */
import type { ColumnInfo } from '../columnTypes.js';
import type { Cell } from './values.js';

export type { ColumnInfo };

export interface EngineOptions {
  /** DuckDB threads per worker process; default: the machine's cores, at most 4. */
  threads?: number;
  /**
   * Memory the engine may use, in DuckDB's notation ('2GB', '512MiB'), shared
   * by its worker processes: each DuckDB gets memory_limit = limit /
   * connections, and once all workers together pass engineMemoryBound (the
   * limit, a margin, and each process's own size; see pool.ts) the busiest
   * one is killed (its statement fails with `resource_limit`).
   */
  memoryLimit?: string;
  /**
   * Statements that run at the same time: each runs in a worker process of its
   * own (started on demand, at most this many). Default: defaultConnections().
   */
  connections?: number;
}

export interface RunOptions {
  /** Rows to deliver at most; one more is read to set `truncated`. */
  maxRows?: number;
  /**
   * Milliseconds of engine work before the statement is stopped; 0 for none.
   * Counted while the engine works (validating, preparing, executing, fetching
   * pages), not while a cursor waits for its reader to ask for the next page.
   */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called once the statement has passed validation, just before it runs (progress displays). */
  onValidated?: (sql: string) => void;
}

export interface Timings {
  validateMs: number;
  executeMs: number;
  totalMs: number;
}

export interface QueryResult {
  sql: string;
  columns: ColumnInfo[];
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
  timings: Timings;
}

export const DEFAULT_MAX_ROWS = 10_000;
export const DEFAULT_TIMEOUT_MS = 30_000;

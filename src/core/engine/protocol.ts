import type { Manifest } from '../snapshot/layout.js';
import type { ColumnInfo, QueryResult, RunOptions, Timings } from './engine.js';
import type { Cell } from './values.js';

/**
 * What every surface (ask, export, CLI, extension session, eval, bench) needs
 * of an engine, taken from what they call today. Structural on purpose: the
 * local DuckDB `Engine` satisfies it unchanged, and so does a remote engine
 * (ClickHouse) or an engine behind a process boundary.
 */
export interface QueryEngine {
  /** What the data is: chain, block and time range, row counts (context, status bar, `snapshot info`). */
  readonly manifest: Manifest;
  /** Checks a statement without running it (the one validator: DuckDB's binder against the contract). */
  validate(sql: string): Promise<{ sql: string; columns: ColumnInfo[] }>;
  /** Validates and runs one statement, collecting at most `maxRows` rows. */
  query(sql: string, options?: RunOptions): Promise<QueryResult>;
  /** Validates and starts one statement; rows are read page by page. */
  openCursor(sql: string, options?: RunOptions): Promise<QueryCursor>;
  /** Stops every query and frees the engine's resources. */
  close(): void;
}

/** A running statement whose rows are read on demand; one result is never held whole. */
export interface QueryCursor {
  /** The statement as validated (what surfaces show). */
  readonly sql: string;
  readonly columns: ColumnInfo[];
  /** True once more rows than `maxRows` were seen. */
  readonly truncated: boolean;
  /** Up to `n` more rows, or null when the result (or the row cap) is exhausted. */
  next(n: number): Promise<Cell[][] | null>;
  /** Passes over up to `n` rows; resolves to the number passed over. */
  skip(n: number): Promise<number>;
  cancel(reason?: 'cancelled' | 'timeout'): void;
  /** Marks execution finished for timing purposes. */
  finish(): void;
  timings(): Timings;
  close(): void;
}

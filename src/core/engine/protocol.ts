/**
 * The boundary between the engine facade (Engine, Cursor: row caps, timeouts,
 * page queues, timings) and a backend that checks and runs statements. The
 * DuckDB backend (pool.ts) runs each statement in a worker process of its own;
 * a remote engine (e.g. ClickHouse over HTTP) can implement the same interface.
 *
 * Contract for implementations:
 * - Every statement passes the backend's own guard (validateSql for DuckDB)
 *   before it runs; `validate` checks without running.
 * - `stop` (an AbortSignal) may be aborted at any moment: while waiting for a
 *   free slot, validating, preparing, executing, or during a fetch/skip. Once
 *   it is aborted, the pending call rejects within STOP_BOUND_MS, whatever
 *   DuckDB (or the remote) is doing; the facade decides what to call it
 *   (cancelled or timeout).
 * - Errors are OnchainSqlError with a stable code; a backend that died says so
 *   (and is replaced for the next statement).
 * - Rows are JSON-safe cells (values.ts), converted on the backend's side.
 */
import type { Manifest } from '../snapshot/layout.js';
import type { SqlStructure } from '../sql/structure.js';
import type { ColumnInfo, QueryResult, RunOptions, Timings } from './types.js';
import type { Cell } from './values.js';

/** After `stop` aborts, a pending call settles within this many ms (a correctness bound). */
export const STOP_BOUND_MS = 1000;

/** A statement that passed the guard: the text as it runs and its result columns. */
export interface CheckedStatement {
  sql: string;
  columns: ColumnInfo[];
}

export interface Page {
  rows: Cell[][];
  /** No rows follow these. */
  done: boolean;
}

export interface SkipResult {
  skipped: number;
  done: boolean;
}

export interface StartRequest {
  sql: string;
  /** Rows to read along with the start, sparing a round trip for small results (0: none). */
  prefetch: number;
  /** Called once the statement passed the guard, before it executes. */
  onValidated?: (checked: CheckedStatement) => void;
}

/** A statement started on a backend; its rows are read with fetch/skip, one call at a time. */
export interface RunningStatement extends CheckedStatement {
  /** Time the backend spent on the guard (parse, checks, bind/prepare), ms. */
  validateMs: number;
  /** The prefetched rows. */
  first: Page;
  /** Up to `n` more rows; a backend may send fewer per call (to bound its messages): `done` says whether more follow. */
  fetch(n: number): Promise<Page>;
  /** Passes over up to `n` rows without converting them. */
  skip(n: number): Promise<SkipResult>;
  /** Frees the statement and its slot. Safe while a call is pending (the statement is then stopped). */
  close(): void;
}

/** A Parquet file the backend wrote in its own export folder (the caller moves it into place). */
export interface ParquetExport {
  /** The staged file, inside the backend's private export folder. */
  file: string;
  rows: number;
  truncated: boolean;
}

/**
 * `onSlot` is called once a slot is free and work on the statement begins: the
 * facade's timeout counts from there, not while waiting behind other statements.
 */
export interface EngineBackend {
  /** Waits for a free slot and checks a statement without running it. */
  validate(sql: string, stop: AbortSignal, onSlot?: () => void): Promise<CheckedStatement>;
  /**
   * Waits for a free slot and reads a statement's structure from DuckDB's parse
   * tree (the guard's parse layers only: nothing is bound or run); a statement
   * the parser refuses is refused with the guard's error.
   */
  describeStatement(sql: string, stop: AbortSignal, onSlot?: () => void): Promise<SqlStructure>;
  /** Waits for a free slot, checks the statement and starts it. */
  start(request: StartRequest, stop: AbortSignal, onSlot?: () => void): Promise<RunningStatement>;
  /** Waits for a free slot, checks the statement and writes at most `maxRows` of its rows as Parquet, types kept. */
  exportParquet(sql: string, maxRows: number, stop: AbortSignal, onSlot?: () => void): Promise<ParquetExport>;
  /** Stops everything; pending calls reject with `snapshot_missing` or as stopped. */
  close(): void;
}

// ---- The surface-level protocol: what callers hold, whatever runs behind it ----

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
  /** What a statement does, from DuckDB's parse tree ("Explain SQL"); refused with the guard's error where DuckDB does not read it as one query. */
  describeStatement(sql: string, options?: Pick<RunOptions, 'signal'>): Promise<SqlStructure>;
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

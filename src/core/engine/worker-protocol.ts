/**
 * Messages between the DuckDB worker process (worker.ts) and its parent
 * (worker-process.ts), over Node's IPC channel with structured-clone
 * serialization. One statement at a time per worker: the parent never sends a
 * request before the previous reply, except `interrupt` and `end`, which are
 * one-way and may come at any time.
 */
import type { ErrorCode } from '../errors.js';
import type { SqlStructure } from '../sql/structure.js';
import type { CheckedStatement, Page, ParquetExport, SkipResult } from './protocol.js';

export interface InitParams {
  snapshotDir: string;
  threads: number;
  memoryLimit: string;
  tempDir: string;
}

/** Each request kind and the value its reply carries. */
export interface Calls {
  init: { params: InitParams; reply: { pid: number } };
  validate: { params: { sql: string }; reply: CheckedStatement };
  describeStatement: { params: { sql: string }; reply: SqlStructure };
  start: { params: { sql: string; prefetch: number }; reply: CheckedStatement & { validateMs: number; first: Page } };
  fetch: { params: { n: number }; reply: Page };
  skip: { params: { n: number }; reply: SkipResult };
  exportParquet: { params: { sql: string; maxRows: number }; reply: ParquetExport };
}
export type Op = keyof Calls;

export type WorkerRequest =
  | { [K in Op]: { id: number; op: K; params: Calls[K]['params'] } }[Op]
  /** Stop the running statement (DuckDB interrupt, repeated until the call returns). */
  | { op: 'interrupt' }
  /** The statement is finished with: drop its result. */
  | { op: 'end' };

export interface WireError {
  code: ErrorCode;
  message: string;
  suggestions: string[];
}

export type WorkerMessage =
  | { id: number; ok: true; value: Calls[Op]['reply'] }
  | { id: number; ok: false; error: WireError }
  /** Sent during `start`, once the guard has passed and before execution. */
  | { id: number; event: 'validated'; statement: CheckedStatement };

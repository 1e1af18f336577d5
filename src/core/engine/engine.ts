import { queryResult } from '../readRows.js';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Manifest } from '../snapshot/layout.js';
import { OnchainSqlError } from '../errors.js';
import { Budget, Cursor, cancelledError } from './cursor.js';
import { checkTableFiles, readManifest } from './manifest.js';
import { ProcessPool, closedError, defaultMemoryLimit } from './pool.js';
import type { CheckedStatement, ParquetExport } from './protocol.js';
import type { SqlStructure } from '../sql/structure.js';
import { DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_MS, type EngineOptions, type QueryResult, type RunOptions } from './types.js';

export { Cursor } from './cursor.js';
export { readManifest } from './manifest.js';
export { DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_MS } from './types.js';
export type { ColumnInfo, EngineOptions, QueryResult, RunOptions, Timings } from './types.js';

/** What `validate` returns: the statement as it would run, and its columns. */
export interface ValidatedStatement extends CheckedStatement {
  /**
   * Kept for callers written for the in-process engine: the worker that
   * checked the statement has already freed its prepared form, so there is
   * nothing left to destroy.
   */
  prepared: { destroySync(): void };
}

/**
 * Statements that run at the same time, each in a worker process of its own
 * (an idle worker holds ~60–100 MB: Node and DuckDB). Started on demand.
 */
export function defaultConnections(): number {
  return 3;
}

/**
 * A snapshot opened for querying. Every statement passes `validateSql` and
 * runs inside a sandboxed DuckDB in a worker process (pool.ts), which is
 * killed when a statement overruns its time or memory or a cancel is not
 * obeyed; this side keeps the row caps, timeouts and pages (cursor.ts).
 */
export class Engine {
  private readonly cursors = new Set<Cursor>();
  private closed = false;

  private constructor(
    readonly snapshotDir: string,
    readonly manifest: Manifest,
    private readonly backend: ProcessPool,
  ) {}

  static async open(snapshotDir: string, options: EngineOptions = {}): Promise<Engine> {
    const dir = path.resolve(snapshotDir);
    const manifest = readManifest(dir);
    checkTableFiles(dir);
    const backend = await ProcessPool.open({
      snapshotDir: dir,
      threads: options.threads ?? Math.max(1, Math.min(4, os.cpus().length)),
      memoryLimit: options.memoryLimit ?? defaultMemoryLimit(),
      size: Math.max(1, options.connections ?? defaultConnections()),
    });
    return new Engine(dir, manifest, backend);
  }

  /**
   * Checks a statement without running it: one read-only query over the
   * contract's tables. Bounded like a query (DuckDB folds constants while it
   * binds): `timeoutMs` (default DEFAULT_TIMEOUT_MS) and `signal`.
   */
  async validate(sql: string, options: Pick<RunOptions, 'timeoutMs' | 'signal'> = {}): Promise<ValidatedStatement> {
    const checked = await this.bounded('Checking the statement', options, (stop, onSlot) => this.backend.validate(sql, stop, onSlot));
    return { ...checked, prepared: { destroySync: () => undefined } };
  }

  /**
   * What a statement does, from DuckDB's parse tree (structure.ts): parsed as
   * the guard parses it, never bound or run. SQL that DuckDB does not read as
   * one query is refused with the guard's error. Bounded like `validate`.
   */
  describeStatement(sql: string, options: Pick<RunOptions, 'timeoutMs' | 'signal'> = {}): Promise<SqlStructure> {
    return this.bounded('Reading the statement', options, (stop, onSlot) => this.backend.describeStatement(sql, stop, onSlot));
  }

  /**
   * Writes at most `maxRows` rows of a statement as Parquet with DuckDB's own
   * types, into the engine's private export folder (the caller moves the file
   * into place). The statement passes the guard first; bounded like a query.
   */
  exportParquet(sql: string, options: Pick<RunOptions, 'timeoutMs' | 'signal'> & { maxRows: number }): Promise<ParquetExport> {
    return this.bounded('The export', options, (stop, onSlot) => this.backend.exportParquet(sql, options.maxRows, stop, onSlot));
  }

  /** One backend call under `timeoutMs` (counted from when a slot is free) and `signal`. */
  private async bounded<T>(what: string, options: Pick<RunOptions, 'timeoutMs' | 'signal'>, call: (stop: AbortSignal, onSlot: () => void) => Promise<T>): Promise<T> {
    if (this.closed) throw closedError();
    if (options.signal?.aborted) throw cancelledError();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const stop = new AbortController();
    let reason: 'cancelled' | 'timeout' | null = null;
    const halt = (why: 'cancelled' | 'timeout') => { reason ??= why; stop.abort(); };
    const budget = new Budget(timeoutMs, () => halt('timeout'));
    const onAbort = () => halt('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await call(stop.signal, () => budget.run());
    } catch (e) {
      if (reason === 'timeout') throw new OnchainSqlError('timeout', `${what} took longer than ${timeoutMs} ms and was stopped.`);
      if (reason === 'cancelled') throw cancelledError();
      throw e;
    } finally {
      budget.stop();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Validates and runs one statement, collecting at most `maxRows` rows. */
  async query(sql: string, options: RunOptions = {}): Promise<QueryResult> {
    return queryResult(await this.openCursor(sql, options), options.maxRows ?? DEFAULT_MAX_ROWS);
  }


  /**
   * Validates and starts one statement, returning a cursor that reads pages on
   * demand: a result is never held in memory whole. The cursor holds a worker
   * until its result is read to the end or it is closed.
   */
  async openCursor(sql: string, options: RunOptions = {}): Promise<Cursor> {
    if (this.closed) throw closedError();
    const cursor = new Cursor(this.backend, options, performance.now(), (c) => this.cursors.delete(c));
    this.cursors.add(cursor);
    try {
      await cursor.start(sql);
      return cursor;
    } catch (e) {
      cursor.close();
      throw e;
    }
  }

  /** @internal For tests and the bench: the worker processes, their peak memory, and the memory kill line. */
  workerStats(): ReturnType<ProcessPool['workers']> & { memoryKillBytes: number } {
    return { ...this.backend.workers(), memoryKillBytes: this.backend.memoryKillBytes };
  }

  /** Stops every query and ends the worker processes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cursor of [...this.cursors]) cursor.abandon();
    this.backend.close();
  }
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBDataChunk, type DuckDBResult } from '@duckdb/node-api';
import { catalog, qualifiedName, type TableSpec } from '../schema/catalog.js';
import { tableFile, type Manifest } from '../snapshot/layout.js';
import { OnchainSqlError, toOnchainSqlError } from '../errors.js';
import { validateSql, type ValidatedSql } from '../sql/validate.js';
import { readManifest } from '../snapshot/manifest.js';
import { toCell, type Cell } from './values.js';
import { snapshotFileError } from './file-errors.js';

import type { ColumnInfo } from '../columnTypes.js';
export type { ColumnInfo };

export interface EngineOptions {
  /** DuckDB worker threads; default: the machine's cores, at most 4. */
  threads?: number;
  /** DuckDB memory limit, e.g. '2GB'. */
  memoryLimit?: string;
  /**
   * Connections in the pool, i.e. queries that run at the same time. Default:
   * one less than Node's libuv thread pool (UV_THREADPOOL_SIZE, 4 unless set),
   * at most 4: each running query holds a libuv thread for its whole run, and a
   * saturated pool stalls every file read of the host process (the VS Code
   * extension host is shared with all other extensions).
   */
  connections?: number;
}

export interface RunOptions {
  /** Rows to deliver at most; one more is read to set `truncated`. */
  maxRows?: number;
  /**
   * Milliseconds of execution before the query is interrupted; 0 for none.
   * Counted while DuckDB works (executing, fetching pages), not while a
   * cursor waits for its reader to ask for the next page.
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
/** Prepared statements kept per pooled connection (see Engine.validateCached). */
const PREPARED_CACHE_SIZE = 64;

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A snapshot opened for querying. DuckDB itself is sandboxed (only the snapshot
 * folder is readable, configuration locked); every statement additionally passes
 * `validateSql` before it runs. Queries run on a small pool of connections so
 * several can be in flight, each interruptible on its own.
 */
export class Engine {
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiters: Array<{ grant: (c: DuckDBConnection) => void; fail: (e: Error) => void }> = [];
  private readonly all: DuckDBConnection[] = [];
  /** Connections handed out and not yet back: never closed under a running call. */
  private readonly lent = new Set<DuckDBConnection>();
  private readonly cursors = new Set<Cursor>();
  /**
   * Statements already validated and prepared, per connection, keyed by the SQL
   * text as given. Validation is a pure function of the text (the views and
   * `snapshot_time()` never change while the engine is open), and a prepared
   * statement can run again: a re-run (paging, sorting, refresh, notebooks)
   * skips the three DuckDB round trips of validation. Only successes are kept.
   */
  private readonly preparedCache = new WeakMap<DuckDBConnection, Map<string, ValidatedSql>>();
  private closed = false;
  private finished = false;

  private constructor(
    readonly snapshotDir: string,
    readonly manifest: Manifest,
    private readonly instance: DuckDBInstance,
    private readonly tempDir: string,
  ) {}

  static async open(snapshotDir: string, options: EngineOptions = {}): Promise<Engine> {
    const dir = path.resolve(snapshotDir);
    const manifest = readManifest(dir);
    for (const t of catalog.tables) {
      if (!fs.existsSync(tableFile(dir, t))) {
        throw new OnchainSqlError('snapshot_corrupt', `Snapshot ${dir} has no file for ${qualifiedName(t)} (expected ${path.relative(dir, tableFile(dir, t))}). Rebuild or re-import the snapshot.`);
      }
    }
    const threads = options.threads ?? Math.max(1, Math.min(4, os.cpus().length));
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sql-duckdb-'));
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(threads),
      memory_limit: options.memoryLimit ?? defaultMemoryLimit(),
      temp_directory: tempDir,
    });
    const engine = new Engine(dir, manifest, instance, tempDir);
    try {
      const setup = await instance.connect();
      engine.all.push(setup);
      await defineContract(setup, dir, manifest);
      // Order matters: the allow-list first, then external access off, then lock.
      // The export folder is where `COPY (validated query) TO …` (core/export.ts) writes; the guard refuses COPY from users and models.
      fs.mkdirSync(engine.exportDir);
      await setup.run(`SET allowed_directories = [${sqlString(dir + path.sep)}, ${sqlString(engine.exportDir + path.sep)}]`);
      await setup.run('SET enable_external_access = false');
      await setup.run('SET autoinstall_known_extensions = false');
      await setup.run('SET autoload_known_extensions = false');
      await setup.run('SET lock_configuration = true');
      engine.idle.push(setup);
      const n = Math.max(1, options.connections ?? defaultConnections());
      for (let i = 1; i < n; i++) {
        const c = await instance.connect();
        engine.all.push(c);
        engine.idle.push(c);
      }
    } catch (e) {
      engine.close();
      throw e instanceof OnchainSqlError ? e : new OnchainSqlError('snapshot_corrupt', `Could not open snapshot ${dir}: ${(e as Error).message}`);
    }
    return engine;
  }

  /** Checks a statement without running it: one read-only query over the contract's tables. */
  async validate(sql: string): Promise<ValidatedSql> {
    try {
      return await this.withConnection((c) => validateSql(c, sql));
    } catch (e) {
      throw this.closed && !(e instanceof OnchainSqlError) ? closedError() : e;
    }
  }

  /** Validates and runs one statement, collecting at most `maxRows` rows. */
  async query(sql: string, options: RunOptions = {}): Promise<QueryResult> {
    const cursor = await this.openCursor(sql, options);
    try {
      const rows: Cell[][] = [];
      for (;;) {
        const page = await cursor.next(Math.max(1, (options.maxRows ?? DEFAULT_MAX_ROWS) - rows.length));
        if (!page) break;
        for (const r of page) rows.push(r);
        if (cursor.truncated) break;
      }
      cursor.finish();
      return { sql: cursor.sql, columns: cursor.columns, rows, rowCount: rows.length, truncated: cursor.truncated, timings: cursor.timings() };
    } finally {
      cursor.close();
    }
  }

  /**
   * Validates and starts one statement, returning a cursor that reads pages on
   * demand: a result is never held in memory whole. The cursor owns a pooled
   * connection until it is closed.
   */
  async openCursor(sql: string, options: RunOptions = {}): Promise<Cursor> {
    if (options.signal?.aborted) throw cancelledError();
    const started = performance.now();
    const conn = await this.acquire(options.signal);
    if (this.closed) {
      // Closed between the grant and this continuation: hand the connection back to be closed.
      this.release(conn);
      throw closedError();
    }
    const cursor = new Cursor(this, conn, options, started);
    this.cursors.add(cursor);
    try {
      await cursor.start(sql);
      return cursor;
    } catch (e) {
      cursor.close();
      throw e;
    }
  }

  /**
   * @internal used by Cursor: `validateSql` on `conn`, from the cache when this
   * connection has seen the same text. The cache owns the prepared statement:
   * callers must not destroy it. Only the connection's holder calls this, so an
   * evicted statement is never one with a result still being read.
   */
  async validateCached(conn: DuckDBConnection, sql: string): Promise<ValidatedSql> {
    let cache = this.preparedCache.get(conn);
    if (!cache) this.preparedCache.set(conn, (cache = new Map<string, ValidatedSql>()));
    const hit = cache.get(sql);
    if (hit) {
      // Most recently used last, so eviction drops the least recently used.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const validated = await validateSql(conn, sql);
    cache.set(sql, validated);
    if (cache.size > PREPARED_CACHE_SIZE) {
      const [oldestSql, oldest] = cache.entries().next().value as [string, ValidatedSql];
      cache.delete(oldestSql);
      try { oldest.prepared.destroySync(); } catch { /* already gone */ }
    }
    return validated;
  }

  private async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = await this.acquire();
    try {
      return await fn(c);
    } finally {
      this.release(c);
    }
  }

  /** A private folder inside the sandbox where the engine itself may write (Parquet export). */
  get exportDir(): string {
    return path.join(this.tempDir, 'export');
  }

  /**
   * Runs `fn` on a pooled connection WITHOUT validation: for the trusted side
   * only (Parquet export's COPY around an already validated statement), and for
   * tests that show DuckDB's own sandbox holds even if the guard were bypassed.
   */
  async withUncheckedConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.withConnection(fn);
  }

  /** A free connection; waits for one when all are busy (an abort stops the wait). */
  private acquire(signal?: AbortSignal): Promise<DuckDBConnection> {
    if (this.closed) return Promise.reject(closedError());
    const c = this.idle.pop();
    if (c) {
      this.lent.add(c);
      return Promise.resolve(c);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: (conn: DuckDBConnection) => {
          signal?.removeEventListener('abort', onAbort);
          this.lent.add(conn);
          resolve(conn);
        },
        fail: (e: Error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(cancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** @internal used by Cursor: a connection comes back once no call on it is in flight. */
  release(c: DuckDBConnection, cursor?: Cursor): void {
    if (cursor) this.cursors.delete(cursor);
    this.lent.delete(c);
    if (this.closed) {
      closeConnection(c);
      this.finishClose();
      return;
    }
    const w = this.waiters.shift();
    if (w) w.grant(c);
    else this.idle.push(c);
  }

  /**
   * Stops every query and frees DuckDB. Running calls are interrupted, and
   * their connections are closed only once those calls have returned: closing a
   * connection under a running call leaves the call hanging forever.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.fail(closedError());
    for (const cursor of [...this.cursors]) cursor.abandon();
    for (const c of this.lent) {
      try { c.interrupt(); } catch { /* already closed */ }
    }
    for (const c of this.all) if (!this.lent.has(c)) closeConnection(c);
    this.idle.length = 0;
    this.finishClose();
  }

  private finishClose(): void {
    if (this.finished || this.lent.size > 0) return;
    this.finished = true;
    try { this.instance.closeSync(); } catch { /* already closed */ }
    fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}

function closeConnection(c: DuckDBConnection): void {
  try { c.closeSync(); } catch { /* already closed */ }
}

function closedError(): OnchainSqlError {
  return new OnchainSqlError('snapshot_missing', 'The snapshot has been closed.');
}

/** A running statement whose rows are read page by page. */
export class Cursor {
  sql = '';
  columns: ColumnInfo[] = [];
  truncated = false;
  private result: DuckDBResult | null = null;
  private buffered: Cell[][] = [];
  private delivered = 0;
  private done = false;
  private released = false;
  private queue: Promise<unknown> = Promise.resolve();
  private cancelReason: 'cancelled' | 'timeout' | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** Execution time still allowed, in ms (Infinity: no timeout). */
  private budgetMs = Infinity;
  private nativeStarted = 0;
  private readonly onAbort = () => this.cancel();
  /** Native calls (execute, fetch) in flight; while any is, a cancel keeps interrupting. */
  private pending = 0;
  private reinterrupt: NodeJS.Timeout | undefined;
  private validateMs = 0;
  private executeStarted = 0;
  private executeMs = 0;

  constructor(
    private readonly engine: Engine,
    private readonly conn: DuckDBConnection,
    private readonly options: RunOptions,
    private readonly started: number,
  ) {}

  /** @internal */
  async start(sql: string): Promise<void> {
    const v0 = performance.now();
    // Counted as a native call too: the engine must not close this connection under it.
    let validated: ValidatedSql;
    try {
      validated = await this.native(() => this.engine.validateCached(this.conn, sql));
    } catch (e) {
      // Interrupted because the engine is closing: say so, not DuckDB's "Interrupted".
      throw this.cancelReason ? this.translate(e) : e;
    }
    this.sql = validated.sql;
    this.columns = validated.columns;
    this.validateMs = performance.now() - v0;
    // An abort that arrived while waiting for a connection or during validation counts too.
    // (The prepared statement stays in the engine's cache for a re-run.)
    if (this.options.signal?.aborted || this.cancelReason) throw cancelledError();
    try { this.options.onValidated?.(validated.sql); } catch { /* a progress callback never breaks a query */ }
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.budgetMs = timeoutMs > 0 ? timeoutMs : Infinity;
    this.executeStarted = performance.now();
    try {
      this.result = await this.native(() => validated.prepared.stream());
    } catch (e) {
      throw this.translate(e);
    }
    // The interrupt can land before DuckDB starts executing, which clears it: check ourselves.
    if (this.cancelReason) throw this.translate(new Error('interrupted'));
  }

  /**
   * Runs one native call, counted so that `cancel` can repeat its interrupt until
   * the call returns: DuckDB resets the interrupt flag when a query begins, so a
   * single interrupt sent just before that moment would be lost.
   */
  private async native<T>(call: () => Promise<T>): Promise<T> {
    if (this.pending++ === 0) {
      // The timeout budget runs only while DuckDB works.
      this.nativeStarted = performance.now();
      if (Number.isFinite(this.budgetMs)) this.timer = setTimeout(() => this.cancel('timeout'), Math.max(0, this.budgetMs));
    }
    try {
      return await call();
    } finally {
      this.pending--;
      if (this.pending === 0) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.budgetMs -= performance.now() - this.nativeStarted;
      }
      if (this.pending === 0 && this.reinterrupt) {
        clearInterval(this.reinterrupt);
        this.reinterrupt = undefined;
      }
      // A close() that came while this call ran left the connection for us to release.
      this.releaseWhenIdle();
    }
  }

  /** Stops the statement; a pending `next` rejects with `cancelled` (or `timeout`). */
  cancel(reason: 'cancelled' | 'timeout' = 'cancelled'): void {
    if (this.done || this.cancelReason) return;
    this.cancelReason = reason;
    this.conn.interrupt();
    if (this.pending > 0 && !this.reinterrupt) {
      this.reinterrupt = setInterval(() => this.conn.interrupt(), 50);
    }
  }

  /**
   * Up to `n` more rows, or null when the result (or the row cap) is exhausted.
   * Calls are served one after another (a DuckDB result must not be fetched
   * from twice at once), so overlapping pages from a UI arrive in order.
   */
  next(n: number): Promise<Cell[][] | null> {
    return this.inTurn(() => this.nextNow(n));
  }

  private async nextNow(n: number): Promise<Cell[][] | null> {
    const maxRows = this.options.maxRows ?? DEFAULT_MAX_ROWS;
    const want = Math.min(n, maxRows - this.delivered);
    if (want <= 0) {
      if (!this.truncated && !this.done) this.truncated = (await this.fill(1)) > 0;
      return null;
    }
    await this.fill(want + (this.delivered + want >= maxRows ? 1 : 0));
    if (this.buffered.length === 0) return null;
    const page = this.buffered.splice(0, want);
    this.delivered += page.length;
    if (this.delivered >= maxRows && this.buffered.length > 0) this.truncated = true;
    return page;
  }

  /**
   * Passes over up to `n` rows without converting them (a jump far ahead in a
   * big result); resolves to the number passed over, fewer at the end of the
   * result or the row cap. Served in turn with `next`.
   */
  skip(n: number): Promise<number> {
    return this.inTurn(() => this.skipNow(n));
  }

  /** Runs after every call queued before it (a DuckDB result must not be fetched from twice at once). */
  private inTurn<T>(call: () => Promise<T>): Promise<T> {
    const run = this.queue.then(call);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async skipNow(n: number): Promise<number> {
    const maxRows = this.options.maxRows ?? DEFAULT_MAX_ROWS;
    let left = Math.max(0, Math.min(n, maxRows - this.delivered));
    let skipped = Math.min(left, this.buffered.length);
    this.buffered.splice(0, skipped);
    left -= skipped;
    while (left > 0) {
      const chunk = await this.fetchChunk();
      if (!chunk) break;
      if (chunk.rowCount <= left) {
        skipped += chunk.rowCount;
        left -= chunk.rowCount;
      } else {
        for (const row of chunk.getRows().slice(left)) this.buffered.push(row.map(toCell));
        skipped += left;
        left = 0;
      }
    }
    this.delivered += skipped;
    return skipped;
  }

  /** Marks execution finished for timing purposes. */
  finish(): void {
    if (!this.executeMs && this.executeStarted) this.executeMs = performance.now() - this.executeStarted;
  }

  timings(): Timings {
    this.finish();
    return { validateMs: round(this.validateMs), executeMs: round(this.executeMs), totalMs: round(performance.now() - this.started) };
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (!this.done && this.result) {
      // Stop DuckDB's work on a result nobody will read.
      this.cancelReason ??= 'cancelled';
      this.conn.interrupt();
    }
    this.done = true;
    this.result = null;
    this.releaseWhenIdle();
  }

  /** The connection goes back to the pool only once no native call on it is in flight. */
  private releaseWhenIdle(): void {
    if (this.released || this.pending > 0 || !this.done) return;
    if (this.reinterrupt) {
      clearInterval(this.reinterrupt);
      this.reinterrupt = undefined;
    }
    this.released = true;
    this.engine.release(this.conn, this);
  }

  /** @internal The engine is closing: stop, and give the connection back as soon as DuckDB returns. */
  abandon(): void {
    this.cancel('cancelled');
    this.close();
  }

  private async fill(n: number): Promise<number> {
    while (this.buffered.length < n) {
      const chunk = await this.fetchChunk();
      if (!chunk) break;
      for (const row of chunk.getRows()) this.buffered.push(row.map(toCell));
    }
    return this.buffered.length;
  }

  /** DuckDB's next chunk, or null once the result is exhausted. */
  private async fetchChunk(): Promise<DuckDBDataChunk | null> {
    if (this.done || !this.result) return null;
    let chunk;
    try {
      const result = this.result;
      chunk = await this.native(() => result.fetchChunk());
    } catch (e) {
      throw this.translate(e);
    }
    if (this.cancelReason) throw this.translate(new Error('interrupted'));
    if (!chunk || chunk.rowCount === 0) {
      this.done = true;
      this.finish();
      return null;
    }
    return chunk;
  }

  private translate(e: unknown): OnchainSqlError {
    if (e instanceof OnchainSqlError && e.code === 'cancelled') return e;
    if (this.cancelReason === 'timeout') {
      return new OnchainSqlError('timeout', `The query ran longer than ${this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms and was stopped. Narrow the time window, add a LIMIT, or raise the query timeout setting.`);
    }
    if (this.cancelReason === 'cancelled') return cancelledError();
    const err = toOnchainSqlError(e);
    const fileError = snapshotFileError(err.message);
    if (fileError) return fileError;
    if (/Out of Memory|memory limit/i.test(err.message)) {
      return new OnchainSqlError('resource_limit', `The query needs more memory than allowed: ${err.message}. Aggregate more, or add a LIMIT.`);
    }
    return err;
  }
}

function cancelledError(): OnchainSqlError {
  return new OnchainSqlError('cancelled', 'The query was cancelled.');
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export function defaultConnections(): number {
  const uvThreads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(4, uvThreads - 1));
}

function defaultMemoryLimit(): string {
  const gb = Math.max(1, Math.floor(os.totalmem() / 2 ** 30 / 4));
  return `${Math.min(gb, 8)}GB`;
}

export { readManifest };

/** Schemas, one view per contract table, and `snapshot_time()` fixed to the newest block. */
async function defineContract(c: DuckDBConnection, dir: string, manifest: Manifest): Promise<void> {
  for (const ns of new Set(catalog.tables.map((t) => t.namespace))) await c.run(`CREATE SCHEMA ${ns}`);
  for (const t of catalog.tables) {
    try {
      await c.run(`CREATE VIEW ${qualifiedName(t)} AS SELECT ${columnList(t)} FROM read_parquet(${sqlString(tableFile(dir, t))})`);
    } catch (e) {
      throw new OnchainSqlError('snapshot_corrupt', `Snapshot file ${path.relative(dir, tableFile(dir, t))} cannot be read as ${qualifiedName(t)}: ${(e as Error).message.split('\n')[0]}. Rebuild or re-import the snapshot.`);
    }
  }
  const newest = await c.runAndReadAll('SELECT max(block_time)::VARCHAR FROM ethereum.blocks');
  const ts = (newest.getRows()[0]?.[0] as string | null) ?? manifest.timeRange?.last;
  const literal = ts ? `TIMESTAMP ${sqlString(ts)}` : 'NULL::TIMESTAMP';
  await c.run(`CREATE MACRO snapshot_time() AS ${literal}`);
}

/** Casts pin each column to the contract's type, so a wrong-schema file fails here, not later. */
function columnList(t: TableSpec): string {
  return t.columns.map((col) => `CAST(${col.name} AS ${col.type}) AS ${col.name}`).join(', ');
}

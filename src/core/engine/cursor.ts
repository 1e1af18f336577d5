import { TimedCursor } from './clock.js';
import { OnchainSqlError, toOnchainSqlError } from '../errors.js';
import type { EngineBackend, RunningStatement } from './protocol.js';
import { DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_MS, type ColumnInfo, type RunOptions } from './types.js';
import type { Cell } from './values.js';

/** Rows read along with the start of a statement (one DuckDB chunk): most results need no second round trip. */
const PREFETCH_ROWS = 2048;

export function cancelledError(): OnchainSqlError {
  return new OnchainSqlError('cancelled', 'The query was cancelled.');
}


/**
 * The time a statement may keep the engine working, spent only while a call
 * to the engine is in flight (not while a reader pauses between pages).
 */
export class Budget {
  private leftMs: number;
  private since = 0;
  private running = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number, private readonly onSpent: () => void) {
    this.leftMs = timeoutMs > 0 ? timeoutMs : Infinity;
  }

  run(): void {
    if (this.running++ > 0) return;
    this.since = performance.now();
    if (Number.isFinite(this.leftMs)) this.timer = setTimeout(this.onSpent, Math.max(0, this.leftMs));
  }

  pause(): void {
    if (this.running === 0 || --this.running > 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.leftMs -= performance.now() - this.since;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * A running statement whose rows are read page by page: the row cap, the
 * timeout and cancellation, page order and timings. The statement itself runs
 * on a backend (protocol.ts), which frees its slot as soon as the result is read.
 */
export class Cursor extends TimedCursor {
  sql = '';
  columns: ColumnInfo[] = [];
  truncated = false;
  private statement: RunningStatement | null = null;
  private buffered: Cell[][] = [];
  /** The backend has no rows beyond `buffered`. */
  private exhausted = false;
  private delivered = 0;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private cancelReason: 'cancelled' | 'timeout' | null = null;
  private readonly stop = new AbortController();
  private readonly budget: Budget;
  private readonly maxRows: number;
  private readonly onAbort = () => this.cancel();
  /** The backend has a slot for this statement (it is no longer waiting behind others). */
  private slotted = false;

  constructor(
    private readonly backend: EngineBackend,
    private readonly options: RunOptions,
    started: number,
    private readonly onClosed: (c: Cursor) => void,
  ) {
    super(started);
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    this.budget = new Budget(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => this.cancel('timeout'));
  }

  /** @internal Checks and starts `sql`; the budget runs from the moment the backend has a slot for it. */
  async start(sql: string): Promise<void> {
    if (this.options.signal?.aborted) throw cancelledError();
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    let statement: RunningStatement;
    try {
      statement = await this.backend.start({
        sql,
        prefetch: Math.min(this.maxRows + 1, PREFETCH_ROWS),
        onValidated: (checked) => {
          this.clock.startExecution();
          try { this.options.onValidated?.(checked.sql); } catch { /* a progress callback never breaks a query */ }
        },
      }, this.stop.signal, () => {
        this.slotted = true;
        this.budget.run();
      });
    } catch (e) {
      throw this.translate(e);
    } finally {
      this.budget.pause();
    }
    this.statement = statement;
    if (this.cancelReason || this.closed) {
      // Stopped or closed while the backend was starting it.
      this.release();
      throw this.translate(new Error('stopped'));
    }
    this.sql = statement.sql;
    this.columns = statement.columns;
    this.clock.validateMs = statement.validateMs;
    this.clock.startExecution();
    this.take(statement.first.rows, statement.first.done);
  }

  /** Stops the statement; a pending `next` rejects with `cancelled` (or `timeout`). */
  cancel(reason: 'cancelled' | 'timeout' = 'cancelled'): void {
    if (this.cancelReason || this.closed || this.exhausted) return;
    this.cancelReason = reason;
    this.budget.stop();
    this.stop.abort();
  }

  /**
   * Up to `n` more rows, or null when the result (or the row cap) is exhausted.
   * Calls are served one after another, so overlapping pages from a UI arrive in order.
   */
  next(n: number): Promise<Cell[][] | null> {
    return this.inTurn(() => this.nextNow(n));
  }

  /**
   * Passes over up to `n` rows without converting them (a jump far ahead in a
   * big result); resolves to the number passed over, fewer at the end of the
   * result or the row cap. Served in turn with `next`.
   */
  skip(n: number): Promise<number> {
    return this.inTurn(() => this.skipNow(n));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.budget.stop();
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.release();
    this.buffered = [];
    this.onClosed(this);
  }

  /**
   * @internal The engine is closing: a running statement is stopped (and
   * reports `cancelled`); one still waiting for a slot is refused by the
   * backend as closed.
   */
  abandon(): void {
    if (this.slotted) this.cancel('cancelled');
    this.close();
  }

  private inTurn<T>(call: () => Promise<T>): Promise<T> {
    const run = this.queue.then(call);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async nextNow(n: number): Promise<Cell[][] | null> {
    const want = Math.min(n, this.maxRows - this.delivered);
    if (want <= 0) {
      if (!this.truncated) this.truncated = (await this.fill(1)) > 0;
      return null;
    }
    await this.fill(want + (this.delivered + want >= this.maxRows ? 1 : 0));
    if (this.buffered.length === 0) return null;
    const page = this.buffered.splice(0, want);
    this.delivered += page.length;
    if (this.delivered >= this.maxRows && this.buffered.length > 0) this.truncated = true;
    return page;
  }

  private async skipNow(n: number): Promise<number> {
    let left = Math.max(0, Math.min(n, this.maxRows - this.delivered));
    let skipped = Math.min(left, this.buffered.length);
    this.buffered.splice(0, skipped);
    left -= skipped;
    if (left > 0 && !this.exhausted) {
      const r = await this.call((s) => s.skip(left));
      skipped += r.skipped;
      this.exhausted = r.done;
      if (r.done) this.release();
    }
    this.delivered += skipped;
    return skipped;
  }

  /** Reads until `n` rows are buffered or the result ends; returns what is buffered. */
  private async fill(n: number): Promise<number> {
    while (this.buffered.length < n && !this.exhausted) {
      const page = await this.call((s) => s.fetch(n - this.buffered.length));
      this.take(page.rows, page.done);
    }
    return this.buffered.length;
  }

  private take(rows: Cell[][], done: boolean): void {
    for (const r of rows) this.buffered.push(r);
    if (done) {
      this.exhausted = true;
      this.finish();
      // The whole result is here: the backend's slot is free for others now.
      this.release();
    }
  }

  /** One call to the backend, with the budget running. */
  private async call<T>(fn: (s: RunningStatement) => Promise<T>): Promise<T> {
    if (this.cancelReason || this.closed || !this.statement) throw this.translate(new Error('stopped'));
    this.budget.run();
    try {
      return await fn(this.statement);
    } catch (e) {
      throw this.translate(e);
    } finally {
      this.budget.pause();
    }
  }

  private release(): void {
    this.statement?.close();
    this.statement = null;
  }

  private translate(e: unknown): OnchainSqlError {
    if (this.cancelReason === 'timeout') {
      return new OnchainSqlError('timeout', `The query ran longer than ${this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms and was stopped. Narrow the time window, add a LIMIT, or raise the query timeout setting.`);
    }
    if (this.cancelReason === 'cancelled') return cancelledError();
    if (this.closed && !(e instanceof OnchainSqlError)) return cancelledError();
    return toOnchainSqlError(e);
  }
}

import * as os from 'node:os';
import { OnchainSqlError } from '../errors.js';
import type { CheckedStatement, EngineBackend, Page, ParquetExport, RunningStatement, SkipResult, StartRequest } from './protocol.js';
import { WorkerProcess } from './worker-process.js';
import type { Calls, Op } from './worker-protocol.js';

/**
 * The stated bound: a worker's resident memory stays within its DuckDB
 * memory_limit plus this margin. The margin holds the process itself (Node and
 * DuckDB's code, ~90 MB) and memory DuckDB does not count against its limit
 * (a string built while folding constants, for one).
 */
export const WORKER_MEMORY_MARGIN_BYTES = 512 * 2 ** 20;
/**
 * The process is killed this far below the bound: room for what it can
 * allocate between two reads of its memory (every 20 ms), so that the peak
 * stays within the bound.
 */
const MEMORY_POLL_SLACK_BYTES = 96 * 2 ** 20;
/**
 * After a stop, an interrupt has this long to end the call before the worker is
 * killed (ms); with the exit itself this keeps within protocol.ts's STOP_BOUND_MS.
 */
export const KILL_GRACE_MS = 250;
const RETIRED_KEPT = 32;

export interface PoolOptions {
  snapshotDir: string;
  threads: number;
  memoryLimit: string;
  /** Worker processes at most (statements at once). */
  size: number;
}

export function closedError(): OnchainSqlError {
  return new OnchainSqlError('snapshot_missing', 'The snapshot has been closed.');
}

function stoppedError(): OnchainSqlError {
  return new OnchainSqlError('cancelled', 'The query was cancelled.');
}

/** DuckDB's size notation in bytes: KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB of 1024. */
export function parseMemoryLimit(limit: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|bytes?|kb|mb|gb|tb|kib|mib|gib|tib)?\s*$/i.exec(limit);
  if (!m) throw new OnchainSqlError('usage', `Memory limit "${limit}" is not a size like 2GB or 512MiB.`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const power = { k: 1, m: 2, g: 3, t: 4 }[unit[0] as 'k' | 'm' | 'g' | 't'] ?? 0;
  return Number(m[1]) * (unit.includes('i') ? 1024 : 1000) ** power;
}

export function defaultMemoryLimit(): string {
  const gb = Math.max(1, Math.floor(os.totalmem() / 2 ** 30 / 4));
  return `${Math.min(gb, 8)}GB`;
}

interface Waiter {
  grant: (w: WorkerProcess) => void;
  fail: (e: Error) => void;
}

/**
 * The DuckDB backend: a pool of worker processes, each running one statement
 * at a time in a sandboxed DuckDB of its own, started on demand up to `size`.
 * A statement that does not stop when asked (an interrupt cannot reach
 * DuckDB's constant folding, for one) is stopped by killing its process; a
 * process that dies is replaced, and one spare process is kept started so
 * that the next statement does not wait for it. The caller's thread
 * never runs DuckDB, so it never blocks on it and never dies with it.
 */
export class ProcessPool implements EngineBackend {
  private readonly live = new Set<WorkerProcess>();
  /** Workers running a statement (handed out, not yet released). */
  private readonly lent = new Set<WorkerProcess>();
  private readonly idle: WorkerProcess[] = [];
  private readonly waiters: Waiter[] = [];
  private spawning = 0;
  private closed = false;
  /** Workers gone, newest last, with their peak memory (figures for tests and the bench). */
  private readonly retired: Array<{ pid: number | undefined; peakRssBytes: number }> = [];
  private readonly killAboveRssBytes: number;

  private constructor(private readonly options: PoolOptions) {
    this.killAboveRssBytes = parseMemoryLimit(options.memoryLimit) + WORKER_MEMORY_MARGIN_BYTES - MEMORY_POLL_SLACK_BYTES;
  }

  /** Starts the first worker, so that a snapshot that cannot be opened fails here. */
  static async open(options: PoolOptions): Promise<ProcessPool> {
    const pool = new ProcessPool(options);
    pool.adopt(await pool.spawn());
    return pool;
  }

  /** @internal For tests and the bench: worker processes alive and gone, with their peak memory. */
  workers(): { live: Array<{ pid: number | undefined; peakRssBytes: number; idle: boolean }>; retired: Array<{ pid: number | undefined; peakRssBytes: number }> } {
    return {
      live: [...this.live].map((w) => ({ pid: w.pid, peakRssBytes: w.peakRssBytes, idle: this.idle.includes(w) })),
      retired: [...this.retired],
    };
  }

  get memoryKillBytes(): number {
    return this.killAboveRssBytes;
  }

  async validate(sql: string, stop: AbortSignal, onSlot?: () => void): Promise<CheckedStatement> {
    const worker = await this.acquire(stop);
    try {
      onSlot?.();
      return await stoppable(worker, stop, () => worker.call('validate', { sql }));
    } finally {
      this.release(worker);
    }
  }

  async exportParquet(sql: string, maxRows: number, stop: AbortSignal, onSlot?: () => void): Promise<ParquetExport> {
    const worker = await this.acquire(stop);
    try {
      onSlot?.();
      return await stoppable(worker, stop, () => worker.call('exportParquet', { sql, maxRows }));
    } finally {
      this.release(worker);
    }
  }

  async start(request: StartRequest, stop: AbortSignal, onSlot?: () => void): Promise<RunningStatement> {
    const worker = await this.acquire(stop);
    try {
      onSlot?.();
      const opened = await stoppable(worker, stop, () => worker.call('start', { sql: request.sql, prefetch: request.prefetch }, request.onValidated));
      return new WorkerStatement(this, worker, stop, opened);
    } catch (e) {
      this.release(worker);
      throw e;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.fail(closedError());
    for (const w of this.live) w.kill(closedError());
    this.idle.length = 0;
  }

  /** A free worker: an idle one while fewer than `size` statements run, else the next one released or started. */
  private acquire(stop: AbortSignal): Promise<WorkerProcess> {
    if (this.closed) return Promise.reject(closedError());
    if (stop.aborted) return Promise.reject(stoppedError());
    const w = this.lent.size < this.options.size ? this.idle.pop() : undefined;
    if (w) {
      this.lend(w);
      return Promise.resolve(w);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (worker) => {
          stop.removeEventListener('abort', onAbort);
          resolve(worker);
        },
        fail: (e) => {
          stop.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(stoppedError());
      };
      stop.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.grow();
    });
  }

  private lend(w: WorkerProcess): void {
    this.lent.add(w);
    this.keepSpare();
  }

  /** @internal A worker comes back once no call on it is in flight; a dead one is dropped. */
  release(w: WorkerProcess): void {
    this.lent.delete(w);
    if (!w.alive) return;
    if (this.closed) {
      w.kill(closedError());
      return;
    }
    w.notify('end');
    this.offer(w);
  }

  /** An idle worker goes to the next waiter that may run now, else waits. */
  private offer(w: WorkerProcess): void {
    const waiter = this.lent.size < this.options.size ? this.waiters.shift() : undefined;
    if (waiter) {
      this.lend(w);
      waiter.grant(w);
    } else {
      this.idle.push(w);
    }
  }

  private spawn(): Promise<WorkerProcess> {
    const { snapshotDir, threads, memoryLimit } = this.options;
    return WorkerProcess.spawn({ snapshotDir, threads, memoryLimit }, { killAboveRssBytes: this.killAboveRssBytes });
  }

  private adopt(w: WorkerProcess): void {
    if (this.closed) {
      w.kill(closedError());
      return;
    }
    this.live.add(w);
    w.onGone(() => this.dropped(w));
    this.offer(w);
  }

  /** Starts workers for waiters that could run now. */
  private grow(): void {
    const { size } = this.options;
    while (!this.closed && this.waiters.length > this.spawning && this.lent.size + this.spawning < size && this.live.size + this.spawning <= size) {
      this.spawning++;
      this.spawn().then(
        (w) => {
          this.spawning--;
          this.adopt(w);
        },
        (e: Error) => {
          this.spawning--;
          this.waiters.shift()?.fail(e);
        },
      );
    }
  }

  /**
   * Keeps one started worker idle beyond those in use (at most `size` + 1
   * processes), on the next turn of the event loop: a statement that follows a
   * killed one, or a burst, does not wait for a process to start.
   */
  private keepSpare(): void {
    if (this.closed || this.idle.length > 0 || this.spawning > 0 || this.live.size > this.options.size) return;
    this.spawning++;
    setImmediate(() => {
      if (this.closed) return void this.spawning--;
      this.spawn().then(
        (fresh) => { this.spawning--; this.adopt(fresh); },
        () => { this.spawning--; /* the next statement tries again and reports why */ },
      );
    });
  }

  /** A worker died (killed on purpose or not): forget it; waiters and the spare get new ones. */
  private dropped(w: WorkerProcess): void {
    this.live.delete(w);
    this.lent.delete(w);
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    this.retired.push({ pid: w.pid, peakRssBytes: w.peakRssBytes });
    if (this.retired.length > RETIRED_KEPT) this.retired.shift();
    if (this.closed) return;
    // Next turn of the event loop: starting a process takes a while, and other stops may be due first.
    setImmediate(() => {
      if (this.closed) return;
      // Its slot is free: idle workers go to waiters first, then new ones start.
      while (this.waiters.length && this.idle.length && this.lent.size < this.options.size) this.offer(this.idle.pop()!);
      this.grow();
      this.keepSpare();
    });
  }
}

/**
 * Runs one call on `worker` so that aborting `stop` ends it within
 * STOP_BOUND_MS: an interrupt first (the worker stays warm), then, if DuckDB
 * has not returned after KILL_GRACE_MS, the process is killed.
 */
async function stoppable<T>(worker: WorkerProcess, stop: AbortSignal, call: () => Promise<T>): Promise<T> {
  if (stop.aborted) throw stoppedError();
  let grace: NodeJS.Timeout | undefined;
  const onAbort = () => {
    worker.notify('interrupt');
    grace = setTimeout(() => worker.kill(stoppedError()), KILL_GRACE_MS);
  };
  stop.addEventListener('abort', onAbort, { once: true });
  try {
    return await call();
  } finally {
    stop.removeEventListener('abort', onAbort);
    clearTimeout(grace);
  }
}

/** A statement running on one worker, which it holds until closed. */
class WorkerStatement implements RunningStatement {
  readonly sql: string;
  readonly columns: CheckedStatement['columns'];
  readonly validateMs: number;
  readonly first: Page;
  private pending: Promise<unknown> | null = null;
  private closed = false;

  constructor(private readonly pool: ProcessPool, private readonly worker: WorkerProcess, private readonly stop: AbortSignal, opened: Calls['start']['reply']) {
    this.sql = opened.sql;
    this.columns = opened.columns;
    this.validateMs = opened.validateMs;
    this.first = opened.first;
  }

  fetch(n: number): Promise<Page> {
    return this.call('fetch', { n });
  }

  skip(n: number): Promise<SkipResult> {
    return this.call('skip', { n });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const release = () => this.pool.release(this.worker);
    if (this.pending) {
      // Nobody will read this result: stop the work, and hand the worker back once it has answered (or died).
      this.worker.notify('interrupt');
      const grace = setTimeout(() => this.worker.kill(stoppedError()), KILL_GRACE_MS);
      const done = () => {
        clearTimeout(grace);
        release();
      };
      this.pending.then(done, done);
    } else {
      release();
    }
  }

  private call<K extends 'fetch' | 'skip'>(op: K, params: Calls[K]['params']): Promise<Calls[K]['reply']> {
    if (this.closed) return Promise.reject(closedError());
    const p = stoppable(this.worker, this.stop, () => this.worker.call(op as Op, params) as Promise<Calls[K]['reply']>);
    this.pending = p;
    const clear = () => { if (this.pending === p) this.pending = null; };
    p.then(clear, clear);
    return p;
  }
}

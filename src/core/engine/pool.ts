import * as os from 'node:os';
import { OnchainSqlError } from '../errors.js';
import type { CheckedStatement, EngineBackend, Page, ParquetExport, RunningStatement, SkipResult, StartRequest } from './protocol.js';
import { WorkerProcess } from './worker-process.js';
import type { Calls, Op } from './worker-protocol.js';
import type { SqlStructure } from '../sql/structure.js';

/**
 * The stated bound is for the engine as a whole: the resident memory of all
 * its worker processes together stays within the configured memory limit plus
 * this margin, plus PROCESS_MEMORY_BYTES for each process beyond the first.
 * The configured limit is shared: each worker's DuckDB gets memory_limit =
 * limit / size. The margin holds memory DuckDB does not count against its
 * limit (a string built while folding constants, for one).
 */
export const WORKER_MEMORY_MARGIN_BYTES = 512 * 2 ** 20;
/** What one more worker process holds before any query (Node and DuckDB's code, ~60–100 MB). */
export const PROCESS_MEMORY_BYTES = 128 * 2 ** 20;
/**
 * The busiest worker is killed this far below the bound: room for what it can
 * allocate between two reads of memory (every RSS_POLL_MS), so that the peak
 * stays within the bound.
 */
const MEMORY_POLL_SLACK_BYTES = 96 * 2 ** 20;
/** How often the workers' resident memory is read while any runs a statement (ms). */
const RSS_POLL_MS = 20;
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

/**
 * The resident memory that all of an engine's worker processes stay within
 * together: `size` statements at once and one spare, so size + 1 processes.
 */
export function engineMemoryBound(memoryLimit: string, size: number): number {
  return parseMemoryLimit(memoryLimit) + WORKER_MEMORY_MARGIN_BYTES + PROCESS_MEMORY_BYTES * size;
}

/** One worker's share of the engine's memory limit, as DuckDB's memory_limit (KiB: DuckDB takes no fractions). */
export function workerMemoryLimit(memoryLimit: string, size: number): string {
  return `${Math.max(1, Math.floor(parseMemoryLimit(memoryLimit) / size / 1024))}KiB`;
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
  /** Processes forked and not yet ready: a close kills them too (a starting one would hold the caller's process open). */
  private readonly starting = new Set<WorkerProcess>();
  private readonly waiters: Waiter[] = [];
  private spawning = 0;
  private closed = false;
  /** Workers gone, newest last, with their peak memory (figures for tests and the bench). */
  private readonly retired: Array<{ pid: number | undefined; peakRssBytes: number }> = [];
  private readonly killAboveRssBytes: number;
  private memoryWatch: NodeJS.Timeout | undefined;
  /** Highest sum of the workers' resident memory seen by the watch, bytes. */
  private peakTotalRssBytes = 0;

  private constructor(private readonly options: PoolOptions) {
    this.killAboveRssBytes = engineMemoryBound(options.memoryLimit, options.size) - MEMORY_POLL_SLACK_BYTES;
  }

  /** Starts the first worker, so that a snapshot that cannot be opened fails here. */
  static async open(options: PoolOptions): Promise<ProcessPool> {
    const pool = new ProcessPool(options);
    pool.adopt(await pool.spawn());
    return pool;
  }

  /** @internal For tests and the bench: worker processes alive and gone, their peak memory, and the peak of their sum. */
  workers(): { live: Array<{ pid: number | undefined; peakRssBytes: number; idle: boolean }>; starting: Array<number | undefined>; retired: Array<{ pid: number | undefined; peakRssBytes: number }>; peakTotalRssBytes: number } {
    return {
      live: [...this.live].map((w) => ({ pid: w.pid, peakRssBytes: w.peakRssBytes, idle: this.idle.includes(w) })),
      starting: [...this.starting].map((w) => w.pid),
      retired: [...this.retired],
      peakTotalRssBytes: this.peakTotalRssBytes,
    };
  }

  get memoryKillBytes(): number {
    return this.killAboveRssBytes;
  }

  validate(sql: string, stop: AbortSignal, onSlot?: () => void): Promise<CheckedStatement> {
    return this.callOnce('validate', { sql }, stop, onSlot);
  }

  describeStatement(sql: string, stop: AbortSignal, onSlot?: () => void): Promise<SqlStructure> {
    return this.callOnce('describeStatement', { sql }, stop, onSlot);
  }

  exportParquet(sql: string, maxRows: number, stop: AbortSignal, onSlot?: () => void): Promise<ParquetExport> {
    return this.callOnce('exportParquet', { sql, maxRows }, stop, onSlot);
  }

  /** One call on a free worker, which is handed back when the call settles. */
  private async callOnce<K extends 'validate' | 'describeStatement' | 'exportParquet'>(op: K, params: Calls[K]['params'], stop: AbortSignal, onSlot?: () => void): Promise<Calls[K]['reply']> {
    const worker = await this.acquire(stop);
    try {
      onSlot?.();
      return await stoppable(worker, stop, () => worker.call(op, params));
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
    for (const w of [...this.live, ...this.starting]) w.kill(closedError());
    this.idle.length = 0;
    this.watchMemory();
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
    this.watchMemory();
    this.keepSpare();
  }

  /** The memory watch runs while any worker runs a statement (an idle one does not grow). */
  private watchMemory(): void {
    const wanted = this.lent.size > 0 && !this.closed && Number.isFinite(this.killAboveRssBytes);
    if (wanted && !this.memoryWatch) {
      this.memoryWatch = setInterval(() => this.checkMemory(), RSS_POLL_MS);
    } else if (!wanted && this.memoryWatch) {
      clearInterval(this.memoryWatch);
      this.memoryWatch = undefined;
    }
  }

  /** Sums every worker's resident memory (idle ones hold DuckDB's caches too); over the line, the biggest busy one is killed. */
  private checkMemory(): void {
    let total = 0;
    let biggest: { worker: WorkerProcess; rss: number } | undefined;
    for (const w of this.live) {
      const rss = w.sampleRss();
      total += rss;
      if (this.lent.has(w) && (!biggest || rss > biggest.rss)) biggest = { worker: w, rss };
    }
    this.peakTotalRssBytes = Math.max(this.peakTotalRssBytes, total);
    if (total > this.killAboveRssBytes && biggest) {
      const mb = (b: number) => Math.round(b / 2 ** 20);
      biggest.worker.kill(new OnchainSqlError('resource_limit', `The query used ${mb(biggest.rss)} MB of memory, which took the engine's processes to ${mb(total)} MB, over their limit of ${mb(this.killAboveRssBytes)} MB, and was stopped. Aggregate more, add a LIMIT, or avoid building very large values.`));
    }
  }

  /** @internal A worker comes back once no call on it is in flight; a dead one is dropped. */
  release(w: WorkerProcess): void {
    this.lent.delete(w);
    this.watchMemory();
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
    let forked: WorkerProcess | undefined;
    const ready = WorkerProcess.spawn({ snapshotDir, threads, memoryLimit: workerMemoryLimit(memoryLimit, this.options.size) }, (w) => {
      forked = w;
      this.starting.add(w);
    });
    const done = () => { if (forked) this.starting.delete(forked); };
    ready.then(done, done);
    return ready;
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
   * Keeps started workers ready beyond those in use, so that a statement does
   * not wait for a process to start (~0.1 s idle, seconds on a loaded
   * machine): one idle worker at all times, and once all but one slot are in
   * use, one more, so that when the last slot is taken a spare is already up
   * (at most `size` + 1 processes). One that follows a killed statement finds
   * the spare.
   */
  private keepSpare(): void {
    const { size } = this.options;
    const wanted = Math.min(size + 1, this.lent.size + 1 + (this.lent.size >= size - 1 ? 1 : 0));
    while (!this.closed && this.live.size + this.spawning < wanted) {
      this.spawning++;
      this.spawn().then(
        (fresh) => { this.spawning--; this.adopt(fresh); },
        () => { this.spawning--; /* the next statement tries again and reports why */ },
      );
    }
  }

  /** A worker died (killed on purpose or not): forget it; waiters and the spare get new ones. */
  private dropped(w: WorkerProcess): void {
    this.live.delete(w);
    this.lent.delete(w);
    this.watchMemory();
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    this.retired.push({ pid: w.pid, peakRssBytes: w.peakRssBytes });
    if (this.retired.length > RETIRED_KEPT) this.retired.shift();
    if (this.closed) return;
    // Its slot is free: idle workers go to waiters first, then the replacement starts at once.
    while (this.waiters.length && this.idle.length && this.lent.size < this.options.size) this.offer(this.idle.pop()!);
    this.grow();
    this.keepSpare();
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

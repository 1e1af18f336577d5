import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnchainSqlError } from '../errors.js';
import { makeTempDir, removeTempDir, trackChild, trackFile } from './cleanup.js';
import type { CheckedStatement } from './protocol.js';
import type { Calls, InitParams, Op, WorkerMessage, WorkerRequest } from './worker-protocol.js';

/** The environment the worker gets: no API keys or tokens (it never needs them). */
const SECRET_ENV = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|^ANTHROPIC_/i;

/**
 * The worker script: the bundled dist/engine-worker.js next to the bundle that
 * loads this module. When the engine runs from TypeScript sources (unit tests,
 * bench, scripts) worker.ts is bundled once per process with esbuild (a dev
 * dependency) into node_modules/.cache, where its native dependency resolves:
 * a plain-JavaScript worker starts in ~0.1 s, a TypeScript loader costs seconds.
 */
let sourceBuild: Promise<string> | undefined;
function workerScript(): Promise<string> {
  const bundled = path.join(__dirname, 'engine-worker.js');
  if (fs.existsSync(bundled)) return Promise.resolve(bundled);
  const source = path.join(__dirname, 'worker.ts');
  if (!fs.existsSync(source)) {
    return Promise.reject(new OnchainSqlError('snapshot_missing', `The query engine's worker script is missing (looked for ${bundled}). Rebuild with \`npm run build\`.`));
  }
  sourceBuild ??= bundleFromSource(source);
  return sourceBuild;
}

async function bundleFromSource(source: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = path.resolve(__dirname, '../../../node_modules/.cache/onchain-sql', `engine-worker-${process.pid}.js`);
  await esbuild.build({
    entryPoints: [source], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error',
    external: ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'],
  });
  trackFile(outfile);
  return outfile;
}

interface Pending {
  resolve: (value: never) => void;
  reject: (e: Error) => void;
  onValidated?: (s: CheckedStatement) => void;
}

/** Resident memory now and at its peak, from /proc (Linux); null elsewhere or once the process is gone. */
function readRss(pid: number): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const rss = kb('VmRSS');
    return Number.isFinite(rss) ? { rss, peak: kb('VmHWM') || rss } : null;
  } catch {
    return null;
  }
}

/**
 * The parent's side of one DuckDB worker process: typed calls, one at a time;
 * its memory read on demand (the pool watches it); kill with a stated reason. Once the
 * process is gone, every pending call rejects with that reason (or with
 * "stopped unexpectedly" when nobody here killed it).
 */
export class WorkerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stderrTail = '';
  private readonly goneListeners: Array<() => void> = [];
  alive = true;
  /** Highest resident memory seen (VmHWM), bytes; 0 where /proc is not available. */
  peakRssBytes = 0;

  private constructor(private readonly child: ChildProcess, readonly tempDir: string) {
    child.on('message', (m: WorkerMessage) => this.onMessage(m));
    child.stderr?.on('data', (d: Buffer) => { this.stderrTail = (this.stderrTail + d.toString()).slice(-2000); });
    child.on('exit', (code, signal) => this.onExit(code, signal));
    // A failed spawn (no such executable) reports 'error' and may never report 'exit'.
    child.on('error', (e) => this.onExit(null, null, e));
    child.channel?.unref();
    child.unref();
  }

  /** `onForked` learns of the process before it is ready, so that a pool closing meanwhile can kill it. */
  static async spawn(init: Omit<InitParams, 'tempDir'>, onForked?: (w: WorkerProcess) => void): Promise<WorkerProcess> {
    const script = await workerScript();
    const tempDir = makeTempDir();
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SECRET_ENV.test(k)));
    // Structured clone ('advanced'), not JSON: as fast for a page of rows on this channel, and the
    // parent's memory while paging a 1,000,000-row result grew ~30 MB with it against ~55-68 MB with JSON.
    const child = fork(script, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env });
    trackChild(child);
    const worker = new WorkerProcess(child, tempDir);
    onForked?.(worker);
    try {
      await worker.call('init', { ...init, tempDir });
    } catch (e) {
      worker.kill(new OnchainSqlError('snapshot_missing', 'The query engine did not start.'));
      throw e;
    }
    return worker;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call<K extends Op>(op: K, params: Calls[K]['params'], onValidated?: (s: CheckedStatement) => void): Promise<Calls[K]['reply']> {
    if (!this.alive) return Promise.reject(this.goneError(null, null));
    const id = this.nextId++;
    return new Promise<Calls[K]['reply']>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve, reject, onValidated });
      if (this.pending.size === 1) this.busy(true);
      this.child.send({ id, op, params });
    });
  }

  /** One-way messages: `interrupt` the running call, `end` the statement. */
  notify(op: 'interrupt' | 'end'): void {
    if (this.alive && this.child.connected) this.child.send({ op } satisfies WorkerRequest);
  }

  /**
   * Kills the process (SIGKILL). Pending calls reject with `reason` at once: a
   * process with gigabytes to unmap can take seconds to be reaped.
   */
  kill(reason: OnchainSqlError): void {
    if (!this.alive) return;
    this.watchPeak();
    this.child.kill('SIGKILL');
    this.gone(reason);
  }

  onGone(listener: () => void): void {
    if (!this.alive) listener();
    else this.goneListeners.push(listener);
  }

  /**
   * Resident memory now, bytes (0 once gone or where /proc is not available);
   * the peak is kept. The pool reads every worker's to hold the engine's bound.
   */
  sampleRss(): number {
    const pid = this.child.pid;
    const m = pid === undefined || !this.alive ? null : readRss(pid);
    if (!m) return 0;
    this.peakRssBytes = Math.max(this.peakRssBytes, m.peak);
    return m.rss;
  }

  /** While a call runs: keep the parent alive for the reply. */
  private busy(on: boolean): void {
    if (on) {
      this.child.ref();
      this.child.channel?.ref();
    } else {
      this.child.channel?.unref();
      this.child.unref();
    }
  }

  private onMessage(m: WorkerMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if ('event' in m) {
      try { p.onValidated?.(m.statement); } catch { /* a progress callback never breaks a query */ }
      return;
    }
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.busy(false);
    if (m.ok) p.resolve(m.value as never);
    else p.reject(new OnchainSqlError(m.error.code, m.error.message, m.error.suggestions));
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void {
    removeTempDir(this.tempDir);
    this.gone(this.goneError(code, signal, spawnError));
  }

  /** The process is (or is about to be) gone: its calls fail with `error`, listeners learn of it once. */
  private gone(error: OnchainSqlError): void {
    if (!this.alive) return;
    this.alive = false;
    this.busy(false);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    for (const l of this.goneListeners.splice(0)) l();
  }

  private watchPeak(): void {
    const pid = this.child.pid;
    if (pid !== undefined) this.peakRssBytes = Math.max(this.peakRssBytes, readRss(pid)?.peak ?? 0);
  }

  private goneError(code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): OnchainSqlError {
    const how = spawnError ? `could not start (${spawnError.message})` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const detail = this.stderrTail.trim().split('\n').slice(-3).join(' ').slice(0, 500);
    return new OnchainSqlError('runtime_error', `The query engine process ${how} while running this statement; a new one starts for the next query.${detail ? ` Its last words: ${detail}` : ''}`);
  }
}

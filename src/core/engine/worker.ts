/**
 * The DuckDB worker process: one sandboxed DuckDB instance and one connection,
 * serving one statement at a time for its parent (worker-process.ts). It may be
 * killed at any moment (overrun, memory, cancel that an interrupt did not
 * stop); it holds nothing that outlives it but its spill folder, which it
 * removes when its parent goes away or a signal ends it.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import { OnchainSqlError, toOnchainSqlError } from '../errors.js';
import { validateSql, type ValidatedSql } from '../sql/validate.js';
import { describeStatement, type SqlStructure } from '../sql/structure.js';
import { snapshotFileError } from './file-errors.js';
import { readManifest } from './manifest.js';
import type { Page, ParquetExport, SkipResult } from './protocol.js';
import { parquetCopy } from './parquet-copy.js';
import { exportDirOf, openSandbox } from './sandbox.js';
import { toCell, type Cell } from './values.js';
import type { Calls, InitParams, Op, WorkerMessage, WorkerRequest } from './worker-protocol.js';

/** Prepared statements kept, keyed by SQL text (a re-run skips validation and binding). */
const PREPARED_CACHE_SIZE = 64;
/** Rows per reply at most: bounds the memory of one message on both sides (a caller asking for more loops). */
const MAX_PAGE_ROWS = 50_000;
/** While a native call runs after an interrupt, the interrupt is repeated this often (ms). */
const REINTERRUPT_MS = 50;

class Worker {
  private conn: DuckDBConnection | null = null;
  private tempDir = '';
  private readonly prepared = new Map<string, ValidatedSql>();
  private result: DuckDBResult | null = null;
  private buffered: Cell[][] = [];
  private exhausted = false;
  private interrupted = false;
  private nativeCalls = 0;
  private reinterrupt: NodeJS.Timeout | undefined;

  async init(p: InitParams): Promise<Calls['init']['reply']> {
    this.tempDir = p.tempDir;
    const manifest = readManifest(p.snapshotDir);
    const { connection } = await openSandbox(p.snapshotDir, manifest, { threads: p.threads, memoryLimit: p.memoryLimit, tempDir: p.tempDir });
    this.conn = connection;
    return { pid: process.pid };
  }

  async validate(sql: string): Promise<Calls['validate']['reply']> {
    const v = await this.native(() => validateSql(this.connection(), sql));
    try { v.prepared.destroySync(); } catch { /* already gone */ }
    return { sql: v.sql, columns: v.columns };
  }

  /** The statement's structure from DuckDB's parse tree: parsed as the guard parses it, never bound or run. */
  describeStatement(sql: string): Promise<SqlStructure> {
    return this.native(() => describeStatement(this.connection(), sql));
  }

  async start(sql: string, prefetch: number, onValidated: (v: ValidatedSql) => void): Promise<Calls['start']['reply']> {
    this.end();
    const v0 = performance.now();
    const validated = await this.native(() => this.validateCached(sql));
    const validateMs = performance.now() - v0;
    this.throwIfInterrupted();
    onValidated(validated);
    this.result = await this.native(() => validated.prepared.stream());
    // An interrupt that landed before DuckDB began executing was cleared by it: check ourselves.
    this.throwIfInterrupted();
    return { sql: validated.sql, columns: validated.columns, validateMs, first: await this.fetch(prefetch) };
  }

  async fetch(wanted: number): Promise<Page> {
    const n = Math.min(wanted, MAX_PAGE_ROWS);
    while (this.buffered.length < n && !this.exhausted) {
      const chunk = await this.nextChunk();
      if (chunk) appendCells(chunk, 0, this.buffered);
    }
    const rows = this.buffered.splice(0, n);
    return { rows, done: this.exhausted && this.buffered.length === 0 };
  }

  /**
   * Writes the validated statement's rows as Parquet into the export folder
   * (the one place the sandbox may write): DuckDB's own types, 128-bit integers
   * exact as DECIMAL(38,0), or as text where a value is wider.
   */
  async exportParquet(sql: string, maxRows: number): Promise<ParquetExport> {
    this.end();
    const validated = await this.native(() => this.validateCached(sql));
    this.throwIfInterrupted();
    const file = path.join(exportDirOf(this.tempDir), `${crypto.randomBytes(8).toString('hex')}.parquet`);
    const plan = parquetCopy(validated.sql, validated.columns, file, maxRows);
    const run = async (statement: string) => (await this.native(() => this.connection().runAndReadAll(statement))).getRows();
    let rows: number;
    try {
      rows = Number((await run(plan.copy(false)))[0]?.[0] ?? 0);
    } catch (e) {
      this.throwIfInterrupted();
      if (!/HUGEINT|DECIMAL|Conversion|out of range/i.test(e instanceof Error ? e.message : String(e))) throw e;
      rows = Number((await run(plan.copy(true)))[0]?.[0] ?? 0);
    }
    this.throwIfInterrupted();
    const truncated = rows >= maxRows && (await run(plan.beyondLimit)).length > 0;
    return { file, rows, truncated };
  }

  /** Passes over rows without converting them (a jump far ahead in a big result). */
  async skip(n: number): Promise<SkipResult> {
    let skipped = Math.min(n, this.buffered.length);
    this.buffered.splice(0, skipped);
    while (skipped < n && !this.exhausted) {
      const chunk = await this.nextChunk();
      if (!chunk) break;
      const left = n - skipped;
      if (chunk.rowCount <= left) {
        skipped += chunk.rowCount;
      } else {
        appendCells(chunk, left, this.buffered);
        skipped = n;
      }
    }
    return { skipped, done: this.exhausted && this.buffered.length === 0 };
  }

  interrupt(): void {
    this.interrupted = true;
    this.conn?.interrupt();
    if (this.nativeCalls > 0 && !this.reinterrupt) this.reinterrupt = setInterval(() => this.conn?.interrupt(), REINTERRUPT_MS);
  }

  /** The statement is over: its result is dropped; the prepared statement stays cached. */
  end(): void {
    this.result = null;
    this.buffered = [];
    this.exhausted = false;
    this.interrupted = false;
  }

  /** Leaves no spill folder behind. */
  removeTempDir(): void {
    if (this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
  }

  private connection(): DuckDBConnection {
    if (!this.conn) throw new OnchainSqlError('snapshot_missing', 'The query engine has not opened a snapshot.');
    return this.conn;
  }

  private throwIfInterrupted(): void {
    if (this.interrupted) throw new OnchainSqlError('cancelled', 'The query was cancelled.');
  }

  private async nextChunk(): Promise<DuckDBDataChunk | null> {
    const result = this.result;
    if (!result) {
      this.exhausted = true;
      return null;
    }
    const chunk = await this.native(() => result.fetchChunk());
    this.throwIfInterrupted();
    if (!chunk || chunk.rowCount === 0) {
      this.exhausted = true;
      this.result = null;
      return null;
    }
    return chunk;
  }

  /** One DuckDB call, counted so that an interrupt is repeated until it returns. */
  private async native<T>(call: () => Promise<T>): Promise<T> {
    this.nativeCalls++;
    try {
      return await call();
    } finally {
      if (--this.nativeCalls === 0 && this.reinterrupt) {
        clearInterval(this.reinterrupt);
        this.reinterrupt = undefined;
      }
    }
  }

  private async validateCached(sql: string): Promise<ValidatedSql> {
    const hit = this.prepared.get(sql);
    if (hit) {
      // Most recently used last, so eviction drops the least recently used.
      this.prepared.delete(sql);
      this.prepared.set(sql, hit);
      return hit;
    }
    const validated = await validateSql(this.connection(), sql);
    this.prepared.set(sql, validated);
    if (this.prepared.size > PREPARED_CACHE_SIZE) {
      const [oldestSql, oldest] = this.prepared.entries().next().value as [string, ValidatedSql];
      this.prepared.delete(oldestSql);
      try { oldest.prepared.destroySync(); } catch { /* already gone */ }
    }
    return validated;
  }
}

/**
 * Appends the chunk's rows from `from` on as cells, read column by column
 * from DuckDB's vectors: twice as fast or more as getRows() then a map per
 * row (no intermediate row of DuckDB values), the same cells.
 */
function appendCells(chunk: DuckDBDataChunk, from: number, out: Cell[][]): void {
  const start = out.length;
  const width = chunk.columnCount;
  for (let r = from; r < chunk.rowCount; r++) out.push(new Array<Cell>(width));
  for (let c = 0; c < width; c++) {
    const vector = chunk.getColumnVector(c);
    for (let r = from; r < chunk.rowCount; r++) out[start + r - from][c] = toCell(vector.getItem(r));
  }
}

/** DuckDB's failure as the core's error: damaged files and memory named as such. */
function wireError(e: unknown): OnchainSqlError {
  const err = toOnchainSqlError(e);
  if (e instanceof OnchainSqlError) return err;
  const fileError = snapshotFileError(err.message);
  if (fileError) return fileError;
  if (/Out of Memory|memory limit/i.test(err.message)) {
    return new OnchainSqlError('resource_limit', `The query needs more memory than allowed: ${err.message}. Aggregate more, or add a LIMIT.`);
  }
  return err;
}

function main(): void {
  const worker = new Worker();
  const send = (m: WorkerMessage) => process.send?.(m);
  const quit = () => {
    worker.removeTempDir();
    // Not process.exit(): static destructors could wait on DuckDB threads still at work.
    process.kill(process.pid, 'SIGKILL');
  };
  process.on('disconnect', quit);
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  // Requests are served in arrival order; `interrupt` and `end` act at once.
  let queue: Promise<void> = Promise.resolve();
  process.on('message', (m: WorkerRequest) => {
    if (m.op === 'interrupt') return worker.interrupt();
    if (m.op === 'end') return void (queue = queue.then(() => worker.end()));
    queue = queue.then(async () => {
      try {
        const value = await serve(worker, m, (v) => send({ id: m.id, event: 'validated', statement: { sql: v.sql, columns: v.columns } }));
        send({ id: m.id, ok: true, value });
      } catch (e) {
        const err = wireError(e);
        send({ id: m.id, ok: false, error: { code: err.code, message: err.message, suggestions: err.suggestions } });
      }
    });
  });
}

function serve(worker: Worker, m: Extract<WorkerRequest, { id: number }>, onValidated: (v: ValidatedSql) => void): Promise<Calls[Op]['reply']> {
  switch (m.op) {
    case 'init': return worker.init(m.params);
    case 'validate': return worker.validate(m.params.sql);
    case 'describeStatement': return worker.describeStatement(m.params.sql);
    case 'start': return worker.start(m.params.sql, m.params.prefetch, onValidated);
    case 'fetch': return worker.fetch(m.params.n);
    case 'skip': return worker.skip(m.params.n);
    case 'exportParquet': return worker.exportParquet(m.params.sql, m.params.maxRows);
  }
}

if (process.send) main();
else process.stderr.write(`${path.basename(__filename)} is the engine's worker process; it is started by the engine, not run by hand.\n`);

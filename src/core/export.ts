// Exports a result to a file the user chose: CSV (RFC 4180), JSON, or Parquet.
// CSV and JSON rows stream page by page from a cursor, so a result is never
// held whole; Parquet is written by the engine itself (COPY), types kept. Model
// SQL never writes: the guard refuses COPY, and the host writes the COPY around
// the validated statement.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ColumnInfo, RunOptions } from './engine/engine.js';
import type { ParquetExport } from './engine/protocol.js';
import type { Cell } from './engine/values.js';
import { errnoCode, errorMessage, OnchainSqlError, toOnchainSqlError } from './errors.js';
import { isNumericText, isNumericType, uniqueNames } from './columnTypes.js';

export { uniqueNames };

export type ExportFormat = 'csv' | 'json' | 'parquet';

/** What export needs of a cursor (the engine's Cursor, or any page source of the same shape). */
export interface ExportCursor {
  readonly columns: ColumnInfo[];
  readonly truncated: boolean;
  next(n: number): Promise<Cell[][] | null>;
  close(): void;
}

/** An Engine (or the extension's Session), or a plain function that opens a cursor. */
export type CursorSource =
  | { openCursor(sql: string, options?: RunOptions): Promise<ExportCursor> }
  | ((sql: string, options: RunOptions) => Promise<ExportCursor>);

export interface ExportOptions {
  format: ExportFormat;
  file: string;
  signal?: AbortSignal;
  /** Rows written at most (default 10,000,000); `truncated` in the summary says if more existed. */
  maxRows?: number;
  /** Query timeout in ms; default none (an export of a big result may take a while; cancel with `signal`). */
  timeoutMs?: number;
  /** Rows read per page (default 4,096). */
  pageSize?: number;
  /** Called after each page with the rows written so far. */
  onProgress?: (rowsWritten: number) => void;
}

export interface ExportSummary {
  file: string;
  format: ExportFormat;
  rows: number;
  bytes: number;
  truncated: boolean;
  ms: number;
}

export const DEFAULT_EXPORT_MAX_ROWS = 10_000_000;

// Kept here rather than shared with the webview formatting: the core sits below every surface.
// Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Streams the result of `sql` into `options.file`. The file appears only when
 * complete (written under a temporary name in the same folder, then renamed),
 * so a cancelled or failed export leaves nothing half-written behind.
 */
export async function exportResult(source: CursorSource, sql: string, options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const file = path.resolve(options.file);
  const maxRows = options.maxRows ?? DEFAULT_EXPORT_MAX_ROWS;
  const pageSize = options.pageSize ?? 4096;
  const runOptions: RunOptions = { maxRows, timeoutMs: options.timeoutMs ?? 0, signal: options.signal };
  checkTarget(file);
  const done = (r: { rows: number; truncated: boolean }): ExportSummary =>
    ({ file, format: options.format, rows: r.rows, bytes: fs.statSync(file).size, truncated: r.truncated, ms: Math.round(performance.now() - started) });
  if (options.format === 'parquet') {
    if (!isParquetEngine(source)) throw new OnchainSqlError('export_failed', 'A Parquet export is written by the engine itself: pass the Engine.');
    return done(await exportParquet(source, sql, file, options, maxRows));
  }
  const cursor = typeof source === 'function' ? await source(sql, runOptions) : await source.openCursor(sql, runOptions);
  try {
    const rows = await writeText(cursor, file, options.format, pageSize, options);
    return done({ rows, truncated: cursor.truncated });
  } finally {
    cursor.close();
  }
}

/** Fails early with a specific message if the folder is missing or the target is a folder. */
function checkTarget(file: string): void {
  const dir = path.dirname(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    throw writeError(file, e);
  }
  if (!st.isDirectory()) throw writeError(file, Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw writeError(file, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
}

/** A specific, actionable message for a file-system failure while writing `file`. */
export function writeError(file: string, e: unknown): OnchainSqlError {
  if (e instanceof OnchainSqlError) return e;
  const code = errnoCode(e);
  const message = errorMessage(e);
  const reason = (() => {
    switch (code) {
      case 'EACCES':
      case 'EPERM':
        return 'permission denied. Choose another folder.';
      case 'EROFS':
        return 'the location is read-only. Choose another folder.';
      case 'ENOSPC':
      case 'EDQUOT':
        return 'the disk is full. Free some space or choose another folder.';
      case 'ENOENT':
      case 'ENOTDIR':
        return 'the folder does not exist. Choose another folder.';
      case 'EISDIR':
        return 'that name is a folder. Choose a file name.';
      default:
    }
    if (/No space left|disk is full/i.test(message)) return 'the disk is full. Free some space or choose another folder.';
    if (/Permission denied/i.test(message)) return 'permission denied. Choose another folder.';
    if (/Read-only file system/i.test(message)) return 'the location is read-only. Choose another folder.';
    return `${message.split('\n')[0]}.`;
  })();
  return new OnchainSqlError('export_failed', `Cannot write ${file}: ${reason}`);
}

function partialName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(4).toString('hex')}.partial`);
}

/** Pumps pages from the cursor into `sink`, checking for cancellation between pages. */
async function pump(cursor: ExportCursor, pageSize: number, options: ExportOptions, sink: (page: Cell[][]) => Promise<void>): Promise<number> {
  let rows = 0;
  for (;;) {
    if (options.signal?.aborted) throw new OnchainSqlError('cancelled', 'The export was cancelled.');
    const page = await cursor.next(pageSize);
    if (!page || page.length === 0) break;
    await sink(page);
    rows += page.length;
    options.onProgress?.(rows);
  }
  return rows;
}

/**
 * Writes all of `text`. A single write may be short (a nearly full disk takes
 * what fits and reports no error), which would leave a silently cut file: keep
 * writing the rest until the disk says why it cannot.
 */
async function writeAll(handle: fs.promises.FileHandle, text: string): Promise<void> {
  let buf = Buffer.from(text, 'utf8');
  while (buf.length > 0) {
    const { bytesWritten } = await handle.write(buf, 0, buf.length);
    if (bytesWritten <= 0) throw Object.assign(new Error('No space left on device'), { code: 'ENOSPC' });
    buf = buf.subarray(bytesWritten);
  }
}

async function writeText(cursor: ExportCursor, file: string, format: ExportFormat, pageSize: number, options: ExportOptions): Promise<number> {
  const tmp = partialName(file);
  let handle: fs.promises.FileHandle | undefined;
  try {
    try {
      handle = await fs.promises.open(tmp, 'wx');
    } catch (e) {
      throw writeError(file, e);
    }
    const h = handle;
    const put = async (s: string) => {
      try {
        await writeAll(h, s);
      } catch (e) {
        throw writeError(file, e);
      }
    };
    let rows: number;
    if (format === 'csv') {
      const numeric = cursor.columns.map((c) => isNumericType(c.type));
      await put(csvLine(cursor.columns.map((c) => c.name), cursor.columns.map(() => false)));
      rows = await pump(cursor, pageSize, options, (page) => put(page.map((r) => csvLine(r, numeric)).join('')));
    } else {
      const keys = uniqueNames(cursor.columns.map((c) => c.name));
      let first = true;
      await put('[');
      rows = await pump(cursor, pageSize, options, (page) => {
        const text = page.map((r) => {
          const line = (first ? '\n' : ',\n') + jsonObject(keys, r);
          first = false;
          return line;
        }).join('');
        return put(text);
      });
      await put(rows ? '\n]\n' : ']\n');
    }
    try {
      await h.close();
      handle = undefined;
      await fs.promises.rename(tmp, file);
    } catch (e) {
      throw writeError(file, e);
    }
    return rows;
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw e instanceof OnchainSqlError ? e : toOnchainSqlError(e);
  }
}

/** One CSV record (RFC 4180: CRLF line ends, fields quoted when they hold `"`, `,`, CR or LF). */
export function csvLine(cells: Cell[], numericColumn: boolean[]): string {
  return cells.map((c, i) => csvField(c, numericColumn[i] ?? false)).join(',') + '\r\n';
}

/**
 * A text that a spreadsheet would run as a formula gets a leading `'`, which
 * spreadsheets show as text. Numbers in numeric columns (including negative
 * ones and 256-bit integers carried as strings) stay numbers.
 */
export function csvField(c: Cell, numericColumn: boolean): string {
  if (c === null) return '';
  let s: string;
  if (typeof c === 'number' || typeof c === 'boolean') s = String(c);
  else if (typeof c === 'string') s = numericColumn && isNumericText(c) ? c : neutralise(c);
  else s = neutralise(JSON.stringify(c));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function neutralise(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** Duplicate column names (a join's two `address` columns) get `_2`, `_3`… so no JSON key is lost. */

function jsonObject(keys: string[], row: Cell[]): string {
  const obj: Record<string, Cell> = {};
  keys.forEach((k, i) => { obj[k] = row[i] ?? null; });
  return JSON.stringify(obj);
}



/** What a Parquet export needs: the engine itself, which writes the file. */
export interface ParquetEngine {
  exportParquet(sql: string, options: { maxRows: number; timeoutMs?: number; signal?: AbortSignal }): Promise<ParquetExport>;
}

function isParquetEngine(source: CursorSource): source is CursorSource & ParquetEngine {
  return typeof source !== 'function' && 'exportParquet' in source;
}

/**
 * Parquet, written by the engine itself: the statement is validated by the
 * guard first, then the host (never the user or the model: the guard refuses
 * COPY) wraps the validated text as `COPY (SELECT … FROM (<query>)) TO …` into
 * the engine's private export folder, the one place its sandbox may write.
 * DuckDB's own types are kept. The finished file is copied next to the target
 * and renamed into place, so a failure leaves nothing half-written.
 */
async function exportParquet(engine: ParquetEngine, sql: string, file: string, options: ExportOptions, maxRows: number): Promise<{ rows: number; truncated: boolean }> {
  const tmp = partialName(file);
  let staged: string | undefined;
  try {
    const written = await engine.exportParquet(sql, { maxRows, timeoutMs: options.timeoutMs ?? 0, signal: options.signal });
    staged = written.file;
    try {
      await fs.promises.copyFile(written.file, tmp, fs.constants.COPYFILE_EXCL);
      await fs.promises.rename(tmp, file);
    } catch (e) {
      throw writeError(file, e);
    }
    options.onProgress?.(written.rows);
    return { rows: written.rows, truncated: written.truncated };
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    if (options.signal?.aborted) throw new OnchainSqlError('cancelled', 'The export was cancelled.');
    throw toOnchainSqlError(e);
  } finally {
    if (staged) fs.rmSync(staged, { force: true });
  }
}

// Exports a result to a file the user chose: CSV (RFC 4180), JSON, or Parquet.
// Rows stream page by page from a cursor, so a result is never held whole. The
// host writes the file; model SQL never does (the query engine is sandboxed and
// cannot write outside the snapshot, and the SQL only ever runs as a read).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ColumnInfo, RunOptions } from './engine/engine.js';
import type { Cell } from './engine/values.js';
import { errnoCode, errorMessage, OnchainSqlError, toOnchainSqlError } from './errors.js';
import { isNumericText, isNumericType } from './columnTypes.js';

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
  const cursor = typeof source === 'function' ? await source(sql, runOptions) : await source.openCursor(sql, runOptions);
  try {
    const write = options.format === 'parquet' ? writeParquet : writeText;
    const rows = await write(cursor, file, options.format, pageSize, options);
    return { file, format: options.format, rows, bytes: fs.statSync(file).size, truncated: cursor.truncated, ms: Math.round(performance.now() - started) };
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
export function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let k = 2; seen.has(name); k++) name = `${n}_${k}`;
    seen.add(name);
    return name;
  });
}

function jsonObject(keys: string[], row: Cell[]): string {
  const obj: Record<string, Cell> = {};
  keys.forEach((k, i) => { obj[k] = row[i] ?? null; });
  return JSON.stringify(obj);
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Types read_json can rebuild from what `toCell` produced; others are kept as JSON text. */
function jsonReadableType(type: string): string {
  if (/\b(MAP|UNION)\s*\(|^(BLOB|BIT|BITSTRING|VARINT|BIGNUM)\b/i.test(type) || !/^[A-Za-z0-9_(),\s[\]"'.:]+$/.test(type)) return 'VARCHAR';
  return type;
}

/**
 * Parquet has no 128-bit integer and DuckDB would write HUGEINT as DOUBLE,
 * rounding wei amounts; DECIMAL(38,0) keeps them exact (up to 10^38 - 1; a
 * larger value fails the cast and the export falls back to text columns).
 */
function parquetColumn(expr: string, type: string): string {
  return /^U?HUGEINT$/i.test(type.trim()) ? `CAST(${expr} AS DECIMAL(38,0))` : expr;
}

/**
 * Parquet: rows stream as NDJSON into a private temp file, then a separate,
 * unsandboxed in-memory DuckDB (not the query engine) converts it with a
 * statement this module writes itself, keeping the columns' DuckDB types.
 */
async function writeParquet(cursor: ExportCursor, file: string, _format: ExportFormat, pageSize: number, options: ExportOptions): Promise<number> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sql-export-'));
  const ndjson = path.join(work, 'rows.ndjson');
  const tmp = partialName(file);
  try {
    // Probe the target folder first, so a read-only place fails before the work is done.
    try {
      fs.closeSync(fs.openSync(tmp, 'wx'));
      fs.rmSync(tmp);
    } catch (e) {
      throw writeError(file, e);
    }
    const keys = cursor.columns.map((_, i) => `c${i}`);
    const handle = await fs.promises.open(ndjson, 'w');
    let rows: number;
    try {
      rows = await pump(cursor, pageSize, options, (page) => writeAll(handle, page.map((r) => jsonObject(keys, r) + '\n').join('')));
    } finally {
      await handle.close();
    }
    if (options.signal?.aborted) throw new OnchainSqlError('cancelled', 'The export was cancelled.');
    const names = uniqueNames(cursor.columns.map((c) => c.name));
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    try {
      const conn = await instance.connect();
      try {
        const copy = async (typed: boolean) => {
          const columns = cursor.columns.map((c, i) => `${sqlString(keys[i])}: ${sqlString(typed ? jsonReadableType(c.type) : 'VARCHAR')}`).join(', ');
          const select = rows === 0
            ? cursor.columns.map((c, i) => `CAST(NULL AS ${typed ? jsonReadableType(c.type) : 'VARCHAR'}) AS ${sqlIdent(names[i])}`).join(', ') + ' WHERE false'
            : `${keys.map((k, i) => `${parquetColumn(sqlIdent(k), typed ? cursor.columns[i].type : 'VARCHAR')} AS ${sqlIdent(names[i])}`).join(', ')} FROM read_json(${sqlString(ndjson)}, format = 'newline_delimited', columns = {${columns}})`;
          await conn.run(`COPY (SELECT ${select}) TO ${sqlString(tmp)} (FORMAT parquet)`);
        };
        try {
          await copy(true);
        } catch (e) {
          // A type read_json cannot rebuild from JSON text: keep every value, as text.
          if (isWriteFailure(e)) throw e;
          await fs.promises.rm(tmp, { force: true });
          await copy(false);
        }
      } finally {
        conn.closeSync();
      }
    } catch (e) {
      throw isWriteFailure(e) ? writeError(file, e) : e;
    } finally {
      instance.closeSync();
    }
    try {
      await fs.promises.rename(tmp, file);
    } catch (e) {
      throw writeError(file, e);
    }
    return rows;
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw e instanceof OnchainSqlError ? e : toOnchainSqlError(e);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function isWriteFailure(e: unknown): boolean {
  return /No space left|Permission denied|Read-only file system|Cannot open file .*for writing|IO Error/i.test(e instanceof Error ? e.message : String(e));
}

// Host side of the results grid's paging. No vscode import (unit-tested in plain
// Node with a real engine).
//
// Strategy (memory bounded, simple): one cursor reads the result sequentially;
// pages read are kept in an LRU cache of at most `maxCachedRows` rows. A request
// ahead of the cursor reads forward (caching pages on the way); a request behind
// the cursor that is no longer cached reopens the cursor and reads forward from
// the start. The cursor is closed after `idleMs` without requests (it holds a
// pooled engine connection) and reopened on demand; a cursor stopped by the
// query timeout is reopened the same way. Caveat: a query without ORDER BY may
// return rows in another order when re-run, so rows fetched after a reopen may
// not line up with rows cached before it; sort the grid (ORDER BY) to be exact.
import type { Cell } from '../../core/engine/values.js';
import type { SortState } from '../../webview/protocol.js';
import { blankNonCode } from '../../core/sql/sql-text.js';

export interface PageCursor {
  readonly truncated: boolean;
  next(n: number): Promise<Cell[][] | null>;
  /** Passes over up to n rows without reading them out; resolves to how many it passed. */
  skip?(n: number): Promise<number>;
  close(): void;
}

/** Pages read and cached just before a far page that was jumped to (for scrolling back a little). */
const PAGES_BEFORE_JUMP = 2;

export type OpenCursor = (sql: string, options: { maxRows: number; signal?: AbortSignal }) => Promise<PageCursor>;

export interface RowSourceOptions {
  /** Rows the grid may reach (the panel's cap). */
  maxRows: number;
  pageSize?: number;
  maxCachedRows?: number;
  idleMs?: number;
  /** The first rows of the result, already read (the answer's rows): a prefix served without a query. */
  seed?: Cell[][];
  /** True when `seed` is the whole result. */
  seedComplete?: boolean;
}

export interface RowCount {
  rowCount: number;
  exact: boolean;
  truncated: boolean;
}

export class RowSource {
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly pages = new Map<number, Cell[][]>();
  private cursor: PageCursor | undefined;
  private pos = 0;
  private end: number | undefined; // rows in the result (≤ maxRows), once the cursor ran out
  private moreThanCap = false;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** For tests and diagnostics. */
  readonly stats = { opens: 0, rowsRead: 0, rowsSkipped: 0 };

  constructor(private readonly open: OpenCursor, readonly sql: string, private readonly options: RowSourceOptions) {
    this.pageSize = options.pageSize ?? 1000;
    this.maxPages = Math.max(2, Math.ceil((options.maxCachedRows ?? 50_000) / this.pageSize));
    const seed = options.seed ?? [];
    for (let p = 0; p * this.pageSize < seed.length; p++) {
      const rows = seed.slice(p * this.pageSize, (p + 1) * this.pageSize);
      if (rows.length === this.pageSize || options.seedComplete) this.pages.set(p, rows);
    }
    if (options.seedComplete) this.end = Math.min(seed.length, options.maxRows);
  }

  /** Rows [start, start + count), fewer at the end of the result. Calls run one at a time. */
  rows(start: number, count: number): Promise<Cell[][]> {
    const run = this.queue.then(() => this.read(start, count));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** What is known about the size: exact once the cursor has run out. */
  known(): RowCount {
    if (this.end !== undefined) return { rowCount: this.end, exact: true, truncated: this.moreThanCap };
    return { rowCount: Math.max(this.pos, this.pages.size ? (Math.max(...this.pages.keys()) + 1) * this.pageSize : 0), exact: false, truncated: false };
  }

  /** Counts the rows with `count(*)` over the SQL (exact, capped at maxRows). */
  async count(signal?: AbortSignal): Promise<RowCount> {
    if (this.end !== undefined) return this.known();
    const c = await this.open(countSql(this.sql), { maxRows: 1, signal });
    try {
      const page = await c.next(1);
      const n = Number(page?.[0]?.[0] ?? 0);
      return { rowCount: Math.min(n, this.options.maxRows), exact: true, truncated: n > this.options.maxRows };
    } finally {
      c.close();
    }
  }

  close(): void {
    this.closed = true;
    this.closeCursor();
    this.pages.clear();
  }

  private closeCursor(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.cursor?.close();
    this.cursor = undefined;
  }

  private async read(start: number, count: number): Promise<Cell[][]> {
    if (this.closed) return [];
    const stop = Math.min(start + count, this.options.maxRows, this.end ?? Infinity);
    const out: Cell[][] = [];
    try {
      for (let p = Math.floor(start / this.pageSize); p * this.pageSize < stop; p++) {
        const page = await this.page(p);
        if (!page) break;
        const from = Math.max(start, p * this.pageSize) - p * this.pageSize;
        const to = Math.min(stop, p * this.pageSize + page.length) - p * this.pageSize;
        for (let i = from; i < to; i++) out.push(page[i]);
        if (page.length < this.pageSize) break;
      }
    } finally {
      this.armIdle();
    }
    return out;
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (!this.cursor) return;
    this.idleTimer = setTimeout(() => this.closeCursor(), this.options.idleMs ?? 15_000);
    this.idleTimer.unref?.();
  }

  /** One page, from the cache or by reading the cursor forward (reopening it if needed). */
  private async page(p: number): Promise<Cell[][] | undefined> {
    const cached = this.pages.get(p);
    if (cached) {
      this.pages.delete(p);
      this.pages.set(p, cached);
      return cached;
    }
    if (this.end !== undefined && p * this.pageSize >= this.end) return undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.readForwardTo(p);
      } catch (e) {
        // A cursor stopped by the timeout (or any transient failure): start over once.
        this.closeCursor();
        if (attempt >= 1 || this.closed) throw e;
      }
    }
  }

  private async readForwardTo(p: number): Promise<Cell[][] | undefined> {
    if (!this.cursor || this.pos > p * this.pageSize) {
      this.closeCursor();
      this.cursor = await this.open(this.sql, { maxRows: this.options.maxRows });
      this.stats.opens++;
      this.pos = 0;
    }
    const cursor = this.cursor;
    // A jump far ahead (a scrollbar drag towards the end): pass over the rows in between
    // instead of converting and caching pages that the cache would drop again anyway.
    const jumpTo = (p - PAGES_BEFORE_JUMP) * this.pageSize;
    if (cursor.skip && jumpTo - this.pos > this.maxPages * this.pageSize) {
      const wanted = jumpTo - this.pos;
      const skipped = await cursor.skip(wanted);
      this.stats.rowsSkipped += skipped;
      this.pos += skipped;
      if (skipped < wanted) {
        this.finish(cursor);
        return undefined;
      }
    }
    while (this.pos <= p * this.pageSize) {
      const rows = await cursor.next(this.pageSize);
      const k = this.pos / this.pageSize;
      if (!rows || rows.length === 0) {
        this.finish(cursor);
        return undefined;
      }
      this.stats.rowsRead += rows.length;
      this.store(k, rows);
      this.pos += rows.length;
      if (rows.length < this.pageSize || this.pos >= this.options.maxRows) {
        this.finish(cursor);
        break;
      }
    }
    return this.pages.get(p);
  }

  private finish(cursor: PageCursor): void {
    this.end = this.pos;
    this.moreThanCap = cursor.truncated;
    this.closeCursor();
  }

  private store(p: number, rows: Cell[][]): void {
    this.pages.set(p, rows);
    while (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value as number);
  }
}

/** Cuts trailing semicolons, comments and whitespace (found on the code-only view) so the SQL can sit in a subquery. */
export function subquerySql(sql: string): string {
  const code = blankNonCode(sql);
  let end = code.length;
  while (end > 0 && /[\s;]/.test(code[end - 1])) end--;
  return sql.slice(0, end);
}

/**
 * The grid's SQL re-sorted by a column. The column is referenced by position
 * (`ORDER BY 3`), which needs no identifier quoting at all and stays right when
 * two result columns share a name. The newline before `)` ends a trailing `--` comment.
 */
export function sortedSql(sql: string, sort: SortState | null): string {
  if (!sort) return sql;
  const column = Math.trunc(sort.column) + 1;
  if (!Number.isFinite(column) || column < 1) throw new Error(`invalid sort column ${sort.column}`);
  return `SELECT * FROM (\n${subquerySql(sql)}\n) AS onchain_sorted ORDER BY ${column} ${sort.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`;
}

export function countSql(sql: string): string {
  return `SELECT count(*) AS n FROM (\n${subquerySql(sql)}\n) AS onchain_counted`;
}

// The webview side of paging: rows live in fixed-size pages fetched from the
// host on demand, at most `maxPages` kept (least recently used dropped), so
// scrolling through a million rows keeps the webview's memory flat. Requests
// and their replies are matched by the panel's RequestCorrelator (requests.ts).
import type { Cell } from '../../src/core/engine/values.js';
import { PAGE_SIZE, type PanelToWebview } from '../../src/webview/protocol.js';
import type { Sent } from '../../src/webview/requests.js';

export interface RowRequest {
  generation: number;
  start: number;
  count: number;
}
export type RowReply = Extract<PanelToWebview, { type: 'rows' | 'rowsError' }>;

/** How the cache reaches the host: a row request with its pending reply, and its cancellation. */
export interface RowChannel {
  request(r: RowRequest): Sent<RowReply>;
  cancel(requestId: number): void;
  /** Rows arrived: redraw. */
  onRows(): void;
  /** A request failed with a message to show (a dropped request has none). */
  onError(message: string): void;
}

export class PageCache {
  private pages = new Map<number, Cell[][]>();
  private pending = new Map<number, number>(); // page → requestId
  generation = 0;

  constructor(
    private readonly channel: RowChannel,
    private rowCount: number,
    private readonly maxPages = 250,
    readonly pageSize = PAGE_SIZE,
  ) {}

  /** Starts over (new result or new sort order) with rows known up front. */
  reset(generation: number, rowCount: number, firstRows: Cell[][] = []): void {
    this.generation = generation;
    this.rowCount = rowCount;
    this.pages.clear();
    // What the waiting requests asked for is gone: their replies are not wanted.
    for (const id of new Set(this.pending.values())) this.channel.cancel(id);
    this.pending.clear();
    for (let p = 0; p * this.pageSize < firstRows.length; p++) {
      const rows = firstRows.slice(p * this.pageSize, (p + 1) * this.pageSize);
      // A partial page is only complete if it reaches the end of the result.
      if (rows.length === this.pageSize || p * this.pageSize + rows.length >= rowCount) this.pages.set(p, rows);
    }
  }

  setRowCount(n: number): void {
    this.rowCount = n;
  }

  get(index: number): Cell[] | undefined {
    const p = Math.floor(index / this.pageSize);
    const page = this.pages.get(p);
    if (!page) return undefined;
    // Touch: most recently used pages are the last in insertion order.
    this.pages.delete(p);
    this.pages.set(p, page);
    return page[index - p * this.pageSize];
  }

  /** Requests the missing pages covering rows [start, end), contiguous pages in one message. */
  ensure(start: number, end: number): void {
    const first = Math.floor(start / this.pageSize);
    const last = Math.floor((Math.min(end, this.rowCount) - 1) / this.pageSize);
    let runStart = -1;
    const flush = (upTo: number) => {
      if (runStart < 0) return;
      const s = runStart * this.pageSize;
      const { requestId, reply } = this.channel.request({ generation: this.generation, start: s, count: Math.min(upTo * this.pageSize, this.rowCount) - s });
      for (let p = runStart; p < upTo; p++) this.pending.set(p, requestId);
      reply.then((r) => this.answer(requestId, r), () => this.fail(requestId));
      runStart = -1;
    };
    for (let p = first; p <= last; p++) {
      const missing = !this.pages.has(p) && !this.pending.has(p);
      if (missing && runStart < 0) runStart = p;
      if (!missing) flush(p);
    }
    flush(last + 1);
  }

  /** Stores rows from the host; returns false for a stale generation. */
  receive(generation: number, start: number, rows: Cell[][]): boolean {
    if (generation !== this.generation) return false;
    for (let off = 0; off < rows.length; off += this.pageSize) {
      const p = Math.floor((start + off) / this.pageSize);
      this.pages.set(p, rows.slice(off, off + this.pageSize));
      this.pending.delete(p);
    }
    // A short reply means the result ended early: stop waiting for the pages beyond it.
    const endPage = Math.floor((start + rows.length) / this.pageSize);
    for (const [p] of this.pending) if (p > endPage && p * this.pageSize >= start) this.pending.delete(p);
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
    return true;
  }

  private answer(requestId: number, r: RowReply): void {
    if (r.type === 'rows') {
      if (this.receive(r.generation, r.start, r.rows)) this.channel.onRows();
      return;
    }
    // Forget the request so the next scroll asks again (no retry loop from here).
    this.fail(requestId);
    if (r.message && r.generation === this.generation) this.channel.onError(r.message);
  }

  /** A failed or ended request: forget it so the rows can be asked for again. */
  fail(requestId: number): void {
    for (const [p, id] of this.pending) if (id === requestId) this.pending.delete(p);
  }

  get cachedPages(): number {
    return this.pages.size;
  }
}

// The host's side of the grid's row requests, answered from the current
// RowSource: every request gets exactly one reply carrying its requestId (rows,
// or rowsError; an empty message for a dropped one), which the webview's
// RequestCorrelator (src/webview/requests.ts) matches to its pending request.
// Served only for the generation (row order) it was made for; newest first
// (while scrolling fast, what is on screen now matters most); at most
// MAX_QUEUED waiting, older ones dropped (the webview asks again when they come
// back into view). No `vscode` import.
import type { Cell } from '../../core/engine/values.js';
import type { PanelFromWebview, PanelToWebview } from '../../webview/protocol.js';
import type { RowCount, RowSource } from './rowSource.js';

export type RowRequest = Extract<PanelFromWebview, { type: 'requestRows' }>;
type RowReply = Extract<PanelToWebview, { type: 'rows' | 'rowsError' | 'rowCount' }>;

/** Requests waiting at most. */
export const MAX_QUEUED = 6;
/** Rows one reply carries at most. */
export const MAX_REPLY_ROWS = 5000;

/** What the queue reads: the current row order and its source, and the count the webview was last told. */
export interface RowRequestTarget {
  generation(): number;
  source(): RowSource | undefined;
  knownCount(): RowCount | undefined;
  setKnownCount(count: RowCount): void;
}

export class RowRequestQueue {
  private readonly waiting: RowRequest[] = [];
  private serving = false;

  constructor(private readonly target: RowRequestTarget, private readonly reply: (m: RowReply) => void) {}

  /** Forgets every waiting request (the row order changed). */
  clear(): void {
    this.waiting.length = 0;
  }

  add(r: RowRequest): void {
    if (r.generation !== this.target.generation()) return this.drop(r);
    this.waiting.push(r);
    while (this.waiting.length > MAX_QUEUED) this.drop(this.waiting.shift()!);
    void this.serve();
  }

  private drop(r: RowRequest): void {
    // An empty message tells the webview to forget the request silently.
    this.reply({ type: 'rowsError', requestId: r.requestId, generation: r.generation, message: '' });
  }

  private async serve(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      for (let r = this.waiting.pop(); r; r = this.waiting.pop()) {
        const source = this.target.source();
        if (r.generation !== this.target.generation() || !source) { this.drop(r); continue; }
        try {
          const rows: Cell[][] = await source.rows(r.start, Math.min(r.count, MAX_REPLY_ROWS));
          const current = r.generation === this.target.generation();
          if (current) this.reply({ type: 'rows', requestId: r.requestId, generation: r.generation, start: r.start, rows });
          const known = source.known();
          const told = this.target.knownCount();
          if (known.exact && current && (!told || told.rowCount !== known.rowCount)) {
            this.target.setKnownCount(known);
            this.reply({ type: 'rowCount', generation: r.generation, ...known });
          }
        } catch (e) {
          this.reply({ type: 'rowsError', requestId: r.requestId, generation: r.generation, message: `Could not read rows: ${(e as Error).message}` });
        }
      }
    } finally {
      this.serving = false;
    }
  }
}

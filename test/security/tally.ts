import * as fs from 'node:fs';

/**
 * The figures behind `npm run test:security`'s summary table. Each test file
 * runs in its own process under node:test, so a figure is appended as one JSON
 * line to the file named by SECURITY_TALLY_FILE (set by scripts/test-security.mjs);
 * without it (a file run on its own) figures are only printed.
 */

export type Category = 'guard corpus' | 'prompt injection' | 'hostile data in renderers' | 'bad input' | 'importer' | 'load and faults' | 'resource limits' | 'secrets';

export interface Tally {
  category: Category;
  /** What this figure is about, e.g. "API errors". */
  part: string;
  tried: number;
  /** Refused or handled as expected. */
  handled: number;
  /** Anything lost: files changed, crashes, leaked key (one line each; empty: nothing). */
  lost: string[];
  /** Extra figures worth showing (peak RSS, CPU after abort…). */
  notes?: string[];
  /** Resource limits: the worst time past a timeout or cancel, and the peak worker memory against its limit. */
  limits?: { worstOverrunMs: number; boundMs: number; peakRssMb: number; limitMb: number; marginMb: number };
}

export function record(t: Tally): void {
  const line = JSON.stringify(t);
  const file = process.env.SECURITY_TALLY_FILE;
  if (file) fs.appendFileSync(file, `${line}\n`);
  else console.log(`tally ${line}`);
}

/** Counts checks as they happen, so a failing assertion still leaves an honest figure behind. */
export class Counter {
  tried = 0;
  handled = 0;
  readonly lost: string[] = [];
  readonly notes: string[] = [];
  limits?: Tally['limits'];
  constructor(readonly category: Category, readonly part: string) {}

  /** One input tried; `ok` says whether it was refused/handled as expected. */
  check(ok: boolean, lost?: string): boolean {
    this.tried++;
    if (ok) this.handled++;
    if (lost) this.lost.push(lost);
    return ok;
  }

  flush(): void {
    record({ category: this.category, part: this.part, tried: this.tried, handled: this.handled, lost: this.lost, notes: this.notes, limits: this.limits });
  }
}

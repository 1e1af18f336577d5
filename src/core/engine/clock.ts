import type { Timings } from './types.js';

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** A statement's timings: checking, then execution until `finish` (or until now, if not finished). */
export class StatementClock {
  validateMs = 0;
  private executeStarted = 0;
  private executeMs = 0;

  constructor(private readonly started: number) {}

  /** Execution starts (the first call counts; later ones keep it). */
  startExecution(): void {
    this.executeStarted ||= performance.now();
  }

  finish(): void {
    if (!this.executeMs && this.executeStarted) this.executeMs = performance.now() - this.executeStarted;
  }

  timings(): Timings {
    this.finish();
    return { validateMs: round(this.validateMs), executeMs: round(this.executeMs), totalMs: round(performance.now() - this.started) };
  }
}

/** What every engine's cursor reports about time: the clock starts when the cursor is made. */
export abstract class TimedCursor {
  protected readonly clock: StatementClock;

  constructor(started: number) {
    this.clock = new StatementClock(started);
  }

  /** Marks execution finished for timing purposes. */
  finish(): void {
    this.clock.finish();
  }

  timings(): Timings {
    return this.clock.timings();
  }
}

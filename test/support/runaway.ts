import type { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';

/**
 * Statements that once ran far past their limits (issue 11): the first three
 * spend their time in DuckDB's constant folding while the statement is
 * prepared, where an interrupt does not reach; the last in execution.
 */
export const RUNAWAY_STATEMENTS = [
  "SELECT levenshtein(repeat('a',100000), repeat('b',100000))",
  'SELECT list_sort(range(50000000))[1]',
  "SELECT length(repeat('abcd',1000000000))",
  "SELECT max(levenshtein(repeat('a',20000), repeat('b',20000)||x::VARCHAR)) FROM range(30) t(x)",
] as const;

export interface LimitRun {
  sql: string;
  /** The error's code, or 'answered' if the statement finished. */
  outcome: string;
  /** From the call (or the cancel) to the rejection, ms. */
  elapsedMs: number;
  /** Time past the limit (the timeout, or the cancel) until the caller had its answer, ms. */
  overrunMs: number;
  /** Highest resident memory of any worker process the engine has had, bytes. */
  peakRssBytes: number;
}

/**
 * Waits until the engine has `n` started, idle workers (running `n` statements
 * at once to make it start them), so that a measurement does not include a process start.
 */
export async function warmWorker(engine: Engine, n = 1, withinMs = 60_000): Promise<void> {
  const idle = () => engine.workerStats().live.filter((w) => w.idle).length;
  if (idle() < n) await Promise.all(Array.from({ length: n }, () => engine.query('SELECT 1')));
  const until = performance.now() + withinMs;
  while (idle() < n) {
    if (performance.now() > until) throw new Error(`${n} idle worker processes did not come up`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The engine's peak memory: all its worker processes together (the bound holds for the engine as a whole). */
export function peakRss(engine: Engine): number {
  const { live, retired, peakTotalRssBytes } = engine.workerStats();
  return Math.max(peakTotalRssBytes, ...live.map((w) => w.peakRssBytes), ...retired.map((w) => w.peakRssBytes));
}

async function outcomeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'answered';
  } catch (e) {
    return e instanceof OnchainSqlError ? e.code : `crash: ${String(e)}`;
  }
}

/** Runs `sql` with a timeout on a warm worker; measures how long past the timeout it took to stop. */
export async function runToTimeout(engine: Engine, sql: string, timeoutMs: number): Promise<LimitRun> {
  await warmWorker(engine);
  const t0 = performance.now();
  const outcome = await outcomeOf(engine.query(sql, { timeoutMs }));
  const elapsedMs = performance.now() - t0;
  return { sql, outcome, elapsedMs, overrunMs: Math.max(0, elapsedMs - timeoutMs), peakRssBytes: peakRss(engine) };
}

/** Starts every statement at once, cancels them all after `cancelAtMs`; measures each from the cancel. */
export async function runAndCancel(engine: Engine, statements: readonly string[], cancelAtMs: number): Promise<LimitRun[]> {
  // One started worker per statement (the pool starts its spare once they are all in use).
  await warmWorker(engine, statements.length);
  const controllers = statements.map(() => new AbortController());
  let cancelledAt = Infinity;
  const runs = statements.map(async (sql, i) => {
    const outcome = await outcomeOf(engine.query(sql, { timeoutMs: 0, signal: controllers[i].signal }));
    const overrunMs = performance.now() - cancelledAt;
    return { sql, outcome, elapsedMs: overrunMs, overrunMs, peakRssBytes: 0 };
  });
  await new Promise((r) => setTimeout(r, cancelAtMs));
  cancelledAt = performance.now();
  for (const c of controllers) c.abort();
  const done = await Promise.all(runs);
  return done.map((r) => ({ ...r, peakRssBytes: peakRss(engine) }));
}

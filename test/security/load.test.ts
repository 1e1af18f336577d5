import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ask } from '../../src/core/ask.js';
import { Engine, type Cursor } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';
import { formatNotebook, parseNotebook } from '../../src/extension/notebook/format.js';
import { makeChainSnapshot } from '../unit/ask-snapshot.js';
import { NOTEBOOK_CELLS } from './kill-child.js';
import { changedFiles, fileHashes, ROOT } from './support.js';
import { Counter } from './tally.js';
import { engineMemoryBound, parseMemoryLimit } from '../../src/core/engine/pool.js';
import { RUNAWAY_STATEMENTS, peakRss, runAndCancel, runToTimeout, type LimitRun } from '../support/runaway.js';

// Category 5: load and faults. Concurrency through one engine, cancellation that frees
// the CPU, and a process killed mid-query.
const CONNECTIONS = 3;
const SLOW_SQL = 'SELECT count(*) FROM ethereum.transactions a, ethereum.transactions b, ethereum.transactions c, ethereum.transactions d WHERE a.nonce + b.nonce + c.nonce + d.nonce = -1';
const QUESTIONS = [
  'How many transactions happened today?',
  'How many blocks were there in the last hour?',
  'Top 5 senders by number of transactions',
  'Average gas price per minute',
  'How many transactions failed?',
  'Total ETH moved in the last 24 hours',
  'Which tokens were transferred most?',
  'What is the meaning of life?',
  '',
  'DROP TABLE ethereum.blocks',
];
const SQL = [
  'SELECT count(*) AS n FROM ethereum.transactions',
  'SELECT block_number, count(*) AS n FROM ethereum.transactions GROUP BY 1 ORDER BY 1',
  'SELECT * FROM ethereum.blocks ORDER BY block_number DESC LIMIT 20',
  "SELECT * FROM read_csv('/etc/passwd')",
  'DELETE FROM ethereum.blocks',
  'SELECT nope FROM ethereum.blocks',
  SLOW_SQL, // stopped by the timeout
];

/** CPU time a process has used, ms (Linux /proc); null once the process is gone. */
function processCpuMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime (fields 14 and 15 of stat, in clock ticks of 10 ms).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** CPU a process used between two readings; a process killed in between uses none. */
function cpuSince(pid: number, before: number | null): number {
  const now = processCpuMs(pid);
  return now === null || before === null ? 0 : now - before;
}

/** Samples RSS until stopped; returns the peak in MiB. */
function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  return () => {
    clearInterval(t);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20);
  };
}

describe('security 5: load and faults', () => {
  let dir: string;
  let engine: Engine;
  let scratch: string;
  const counters = {
    asks: new Counter('load and faults', '50 concurrent offline asks'),
    sql: new Counter('load and faults', '50 concurrent SQL runs'),
    cancel: new Counter('load and faults', 'cancel a long query'),
    kill: new Counter('load and faults', 'SIGKILL mid-query'),
  };

  before(async () => {
    dir = await makeChainSnapshot();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sec-load-'));
    engine = await Engine.open(dir, { connections: CONNECTIONS, threads: 2 });
  });
  after(() => {
    for (const c of Object.values(counters)) c.flush();
    engine?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** No connection leaked: as many cursors as the pool holds open at once, promptly. */
  async function poolIsWhole(e: Engine): Promise<number> {
    const t0 = performance.now();
    const cursors: Cursor[] = await Promise.all(Array.from({ length: CONNECTIONS }, () => e.openCursor('SELECT count(*) AS n FROM ethereum.blocks', { timeoutMs: 5_000 })));
    for (const c of cursors) {
      assert.deepEqual(await c.next(10), [[100]]);
      c.close();
    }
    return performance.now() - t0;
  }

  it('50 concurrent offline asks through one engine: all answered or refused cleanly; peak RSS reported', async () => {
    const offline = await OfflineProvider.forEngine(engine);
    const stop = rssSampler();
    const t0 = performance.now();
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => ask(engine, QUESTIONS[i % QUESTIONS.length], { provider: offline, timeoutMs: 10_000 })));
    const ms = performance.now() - t0;
    const peak = stop();
    let answered = 0;
    let refused = 0;
    for (const r of results) {
      const clean = r.status === 'fulfilled' || r.reason instanceof OnchainSqlError;
      if (r.status === 'fulfilled') answered++;
      else if (clean) refused++;
      counters.asks.check(clean, clean ? undefined : `crash: ${String((r).reason)}`);
    }
    counters.asks.notes.push(`${answered} answered, ${refused} refused, ${Math.round(ms)} ms, peak RSS ${peak} MiB`);
    assert.equal(answered + refused, 50);
    assert.ok(answered >= 30, `only ${answered} answered`);
    const poolMs = await poolIsWhole(engine);
    assert.ok(poolMs < 2_000, `pool check took ${poolMs.toFixed(0)} ms`);
    assert.ok(peak < 1_500, `peak RSS ${peak} MiB`);
  });

  it('50 concurrent SQL runs through one engine: answered, refused or stopped cleanly; no leaked connection', async () => {
    const stop = rssSampler();
    const t0 = performance.now();
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => {
      const sql = SQL[i % SQL.length];
      // The slow statement must be stopped by its timeout; the others get room on a busy machine.
      return engine.query(sql, { timeoutMs: sql === SLOW_SQL ? 300 : 15_000, maxRows: 1_000 });
    }));
    const ms = performance.now() - t0;
    const peak = stop();
    const byOutcome = new Map<string, number>();
    for (const [i, r] of results.entries()) {
      const sql = SQL[i % SQL.length];
      const outcome = r.status === 'fulfilled' ? 'ok' : r.reason instanceof OnchainSqlError ? r.reason.code : 'crash';
      byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
      const expected = sql === SLOW_SQL ? outcome === 'timeout' : /read_csv|DELETE|nope/.test(sql) ? outcome !== 'ok' && outcome !== 'crash' : outcome === 'ok';
      counters.sql.check(expected, outcome === 'crash' ? `crash: ${String((r as PromiseRejectedResult).reason)}` : undefined);
    }
    counters.sql.notes.push(`${[...byOutcome].map(([k, n]) => `${k} ${n}`).join(', ')}; ${Math.round(ms)} ms, peak RSS ${peak} MiB`);
    assert.equal(counters.sql.handled, counters.sql.tried, [...byOutcome].join(' '));
    const t1 = performance.now();
    assert.deepEqual((await engine.query('SELECT count(*) FROM ethereum.transactions')).rows, [[1000]]);
    const followMs = performance.now() - t1;
    const poolMs = await poolIsWhole(engine);
    counters.sql.notes.push(`follow-up ${Math.round(followMs)} ms, all ${CONNECTIONS} pooled connections free (${Math.round(poolMs)} ms)`);
    assert.ok(followMs < 2_000 && poolMs < 2_000);
    // close() returns, and a closed engine refuses cleanly.
    const e2 = await Engine.open(dir, { connections: CONNECTIONS, threads: 1 });
    const inFlight: Promise<unknown>[] = Array.from({ length: 10 }, () => e2.query(SLOW_SQL, { timeoutMs: 5_000 }));
    await Promise.allSettled([...inFlight, new Promise((r) => setTimeout(r, 200)).then(() => e2.close())]);
    const closed = await e2.query('SELECT 1').catch((e: unknown) => e);
    assert.ok(closed instanceof OnchainSqlError && closed.code === 'snapshot_missing');
  });

  it('cancelling a long query frees its CPU within a second', async () => {
    const ac = new AbortController();
    let started = false;
    const running = engine.query(SLOW_SQL, { timeoutMs: 60_000, signal: ac.signal, onValidated: () => { started = true; } });
    while (!started) await new Promise((r) => setTimeout(r, 10));
    // DuckDB runs in a worker process: its CPU is what the cancel must free.
    const pid = engine.workerStats().live.find((w) => !w.idle)?.pid;
    assert.ok(pid, 'no busy worker process');
    await new Promise((r) => setTimeout(r, 300));
    const busy0 = processCpuMs(pid);
    await new Promise((r) => setTimeout(r, 500));
    const busyMs = cpuSince(pid, busy0);
    const t0 = performance.now();
    ac.abort();
    const err = await running.catch((e: unknown) => e);
    const stoppedMs = performance.now() - t0;
    const idle0 = processCpuMs(pid);
    await new Promise((r) => setTimeout(r, 1_000));
    const idleMs = cpuSince(pid, idle0);
    const ok = err instanceof OnchainSqlError && err.code === 'cancelled' && stoppedMs < 1_000 && idleMs < 200;
    counters.cancel.check(ok);
    counters.cancel.notes.push(`worker CPU ${Math.round(busyMs)} ms per 500 ms while running; stopped ${Math.round(stoppedMs)} ms after abort; worker CPU ${Math.round(idleMs)} ms in the next second`);
    assert.ok(err instanceof OnchainSqlError && err.code === 'cancelled', String(err));
    // A loose floor: on a loaded machine the worker gets a small share of the cores.
    assert.ok(busyMs >= 10, `the query was not really running (${busyMs} ms CPU)`);
    assert.ok(stoppedMs < 1_000, `stopped after ${stoppedMs} ms`);
    assert.ok(idleMs < 200, `${idleMs} ms CPU in the second after the abort`);
  });

  it('SIGKILL mid-query leaves the snapshot byte-identical and readable, and the notebook readable', async () => {
    const source = fs.readFileSync(path.join(ROOT, 'src/extension/notebook/format.ts'), 'utf8');
    assert.ok(!/from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(source), 'the notebook format module has no vscode import');
    const copy = path.join(scratch, 'snapshot');
    fs.cpSync(dir, copy, { recursive: true });
    const notebook = path.join(scratch, 'killed.onchain-nb');
    const tmp = path.join(scratch, 'tmp');
    fs.mkdirSync(tmp);
    const before = fileHashes(copy);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'kill-child.ts'), copy, notebook], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stderr.on('data', (d: Buffer) => { errText += d.toString(); });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`child never said running: ${out} ${errText}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('running')) { clearTimeout(t); resolve(); }
      });
    });
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const changed = changedFiles(before, fileHashes(copy));
    for (const f of changed) counters.kill.lost.push(`snapshot file changed: ${f}`);
    counters.kill.check(changed.length === 0);
    assert.deepEqual(changed, []);
    const reopened = await Engine.open(copy, { connections: 1, threads: 1 });
    try {
      const r = await reopened.query('SELECT (SELECT count(*) FROM ethereum.transactions) AS t, (SELECT count(*) FROM tokens.transfers) AS x');
      counters.kill.check(r.rows[0][0] === 1000 && r.rows[0][1] === 60);
      assert.deepEqual(r.rows, [[1000, 60]]);
    } finally {
      reopened.close();
    }
    const text = fs.readFileSync(notebook, 'utf8');
    const cells = parseNotebook(text);
    counters.kill.check(formatNotebook(cells) === text);
    assert.deepEqual(cells, NOTEBOOK_CELLS);
    assert.equal(formatNotebook(cells), text);
    const leftovers = fs.readdirSync(tmp);
    counters.kill.notes.push(`the killed process left ${leftovers.length} temp entr${leftovers.length === 1 ? 'y' : 'ies'} in its TMPDIR (removed here)`);
  });
});

// Category: resource limits. The statements that once ran far past their limits (issue 11),
// each stopped within 1 s past its timeout or cancel, with the engine's memory (all workers) within its bound.
describe('security: resource limits', () => {
  const TIMEOUT_MS = 1000;
  const BOUND_MS = 1000;
  const LIMIT = '1GB';
  const CONNECTIONS = 3;
  const BOUND_BYTES = engineMemoryBound(LIMIT, CONNECTIONS);
  let dir: string;
  let engine: Engine;
  const counter = new Counter('resource limits', 'runaway statements (timeout 1 s; one over memory; 3 cancelled at 0.3 s)');
  let worstOverrunMs = 0;

  before(async () => {
    dir = await makeChainSnapshot();
    engine = await Engine.open(dir, { connections: CONNECTIONS, threads: 2, memoryLimit: LIMIT });
  });
  after(() => {
    const mb = (b: number) => Math.round(b / 2 ** 20);
    counter.limits = { worstOverrunMs: Math.round(worstOverrunMs), boundMs: BOUND_MS, peakRssMb: mb(peakRss(engine)), limitMb: mb(parseMemoryLimit(LIMIT)), marginMb: mb(BOUND_BYTES - parseMemoryLimit(LIMIT)) };
    counter.flush();
    engine?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const withinLimits = (r: LimitRun, expected: string[]) => {
    worstOverrunMs = Math.max(worstOverrunMs, r.overrunMs);
    const ok = expected.includes(r.outcome) && r.overrunMs < BOUND_MS && r.peakRssBytes <= BOUND_BYTES;
    counter.check(ok, r.outcome.startsWith('crash') ? `${r.sql}: ${r.outcome}` : undefined);
    if (!ok) counter.notes.push(`${r.sql}: ${r.outcome}, ${Math.round(r.overrunMs)} ms past the limit`);
    return ok;
  };

  for (const sql of RUNAWAY_STATEMENTS) {
    it(`${sql}: stopped within 1 s past a 1 s timeout`, async () => {
      const r = await runToTimeout(engine, sql, TIMEOUT_MS);
      assert.ok(withinLimits(r, ['timeout', 'resource_limit']), `${r.outcome} after ${Math.round(r.elapsedMs)} ms`);
    });
  }

  it("a statement over the memory limit is stopped as resource_limit, the workers' peak within the engine's bound", async () => {
    // A long timeout: memory, not time, must stop it.
    const r = await runToTimeout(engine, "SELECT length(repeat('abcd',1000000000))", 120_000);
    assert.ok(withinLimits(r, ['resource_limit']), `${r.outcome}, peak ${Math.round(r.peakRssBytes / 2 ** 20)} MB`);
  });

  it('three runaway statements cancelled at 0.3 s stop within 1 s; SELECT 1 then answers', async () => {
    const runs = await runAndCancel(engine, [RUNAWAY_STATEMENTS[0], RUNAWAY_STATEMENTS[1], RUNAWAY_STATEMENTS[3]], 300);
    const ok = runs.map((r) => withinLimits(r, ['cancelled']));
    const t0 = performance.now();
    const one = await engine.query('SELECT 1 AS one');
    counter.notes.push(`after the cancels SELECT 1 answered in ${Math.round(performance.now() - t0)} ms`);
    assert.deepEqual(ok, [true, true, true], runs.map((r) => `${r.outcome} ${Math.round(r.overrunMs)} ms`).join(', '));
    assert.deepEqual(one.rows, [[1]]);
  });
});

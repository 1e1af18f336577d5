import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { engineMemoryBound, parseMemoryLimit, workerMemoryLimit } from '../../src/core/engine/pool.js';
import { STOP_BOUND_MS } from '../../src/core/engine/protocol.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';
import { RUNAWAY_STATEMENTS, peakRss, runAndCancel, runToTimeout, warmWorker } from '../support/runaway.js';

// Every phase of a statement is bounded (issue 11): parse, bind and constant
// folding, execution and conversion. The bound is a correctness property: a
// statement stops within 1 s past its timeout or cancel, whatever DuckDB does.
const TIMEOUT_MS = 1000;
const MEMORY_LIMIT = '1GB';
const CONNECTIONS = 3;
const MB = 2 ** 20;
/** All worker processes together (3 statements and a spare) stay within this. */
const ENGINE_BOUND = engineMemoryBound(MEMORY_LIMIT, CONNECTIONS);
/** A statement that builds a 4 GB string: far past the limit, whatever DuckDB counts. */
const OVER_LIMIT = "SELECT length(repeat('abcd',1000000000))";

describe('Engine limits hold in every phase', () => {
  let snapshot: string;
  let engine: Engine;
  before(async () => {
    snapshot = await makeTinySnapshot();
    engine = await Engine.open(snapshot, { connections: CONNECTIONS, threads: 2, memoryLimit: MEMORY_LIMIT });
  });
  after(() => {
    engine?.close();
    fs.rmSync(snapshot, { recursive: true, force: true });
  });

  for (const sql of RUNAWAY_STATEMENTS) {
    it(`stops ${sql} within its timeout + 1 s, the engine's memory within its bound`, async () => {
      const r = await runToTimeout(engine, sql, TIMEOUT_MS);
      console.log(`${sql}: ${r.outcome} after ${Math.round(r.elapsedMs)} ms (overrun ${Math.round(r.overrunMs)} ms), worker peak ${Math.round(r.peakRssBytes / MB)} MB`);
      assert.ok(r.outcome === 'timeout' || r.outcome === 'resource_limit', r.outcome);
      assert.ok(r.overrunMs < STOP_BOUND_MS, `stopped ${Math.round(r.overrunMs)} ms past the timeout`);
      assert.ok(engine.workerStats().peakTotalRssBytes <= ENGINE_BOUND, `workers together peaked at ${Math.round(engine.workerStats().peakTotalRssBytes / MB)} MB`);
      assert.deepEqual((await engine.query('SELECT 1 AS one')).rows, [[1]]);
    });
  }

  it('three runaway statements cancelled at 0.3 s stop within 1 s, and SELECT 1 then answers', async () => {
    const runs = await runAndCancel(engine, [RUNAWAY_STATEMENTS[0], RUNAWAY_STATEMENTS[0], RUNAWAY_STATEMENTS[3]], 300);
    for (const r of runs) {
      assert.equal(r.outcome, 'cancelled');
      assert.ok(r.overrunMs < STOP_BOUND_MS, `${r.sql} stopped ${Math.round(r.overrunMs)} ms after the cancel`);
    }
    const spares = engine.workerStats().live.filter((w) => w.idle).length;
    const t0 = performance.now();
    assert.deepEqual((await engine.query('SELECT 1 AS one')).rows, [[1]]);
    const selectMs = performance.now() - t0;
    console.log(`cancel at 0.3 s: stopped after ${runs.map((r) => Math.round(r.overrunMs)).join(', ')} ms; ${spares} idle worker(s) at once; SELECT 1 then took ${Math.round(selectMs)} ms`);
    // A correctness bound, not a performance figure: the answer comes from the spare, not after a queue of restarts.
    assert.ok(selectMs < 5 * STOP_BOUND_MS, `SELECT 1 took ${Math.round(selectMs)} ms`);
  });

  it('keeps a spare started while every slot is busy, and no more than one', async () => {
    await warmWorker(engine, CONNECTIONS);
    const stop = new AbortController();
    const busy = Array.from({ length: CONNECTIONS }, () => engine.query(RUNAWAY_STATEMENTS[3], { timeoutMs: 0, signal: stop.signal }).catch((e: unknown) => e));
    const until = performance.now() + 60_000;
    const idle = () => engine.workerStats().live.filter((w) => w.idle).length;
    while (idle() < 1 && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.equal(idle(), 1, 'no spare came up while every slot was busy');
    assert.equal(engine.workerStats().live.length, CONNECTIONS + 1);
    stop.abort();
    for (const e of await Promise.all(busy)) assert.equal((e as OnchainSqlError).code, 'cancelled');
    // Once they end, still at most one process beyond the slots.
    assert.ok(engine.workerStats().live.length <= CONNECTIONS + 1);
    assert.deepEqual((await engine.query('SELECT 1 AS one')).rows, [[1]]);
  });

  it('memory over the limit is stopped as resource_limit, by DuckDB or by the watch', async () => {
    await warmWorker(engine);
    const err = await engine.query(OVER_LIMIT, { timeoutMs: 60_000 }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof OnchainSqlError, String(err));
    assert.equal(err.code, 'resource_limit');
    assert.match(err.message, /memory/i);
    const peak = peakRss(engine);
    console.log(`over-limit statement: worker peak ${Math.round(peak / MB)} MB, bound for all workers ${Math.round(ENGINE_BOUND / MB)} MB`);
    assert.ok(peak <= ENGINE_BOUND, `worker peaked at ${Math.round(peak / MB)} MB`);
  });

  it('the memory limit holds for all workers together: two over-limit statements at once stay within one bound', async () => {
    assert.equal(workerMemoryLimit(MEMORY_LIMIT, CONNECTIONS), `${Math.floor(parseMemoryLimit(MEMORY_LIMIT) / CONNECTIONS / 1024)}KiB`);
    await warmWorker(engine, 2);
    const errs = await Promise.all([0, 1].map(() => engine.query(OVER_LIMIT, { timeoutMs: 60_000 }).then(() => null, (e: unknown) => e)));
    for (const err of errs) {
      assert.ok(err instanceof OnchainSqlError, String(err));
      assert.equal(err.code, 'resource_limit');
    }
    const total = engine.workerStats().peakTotalRssBytes;
    console.log(`two over-limit statements at once: workers together peaked at ${Math.round(total / MB)} MB (sampled), bound ${Math.round(ENGINE_BOUND / MB)} MB; single worker peak ${Math.round(peakRss(engine) / MB)} MB`);
    assert.ok(total > 0, 'the memory watch never ran');
    assert.ok(total <= ENGINE_BOUND, `workers together peaked at ${Math.round(total / MB)} MB`);
  });

  it('a worker killed with SIGKILL mid-query gives a clear error, and the next query works', async () => {
    await warmWorker(engine);
    let started = false;
    const running = engine.query(RUNAWAY_STATEMENTS[3], { timeoutMs: 60_000, onValidated: () => { started = true; } });
    const outcome = running.then(() => null, (e: unknown) => e);
    while (!started) await new Promise((r) => setTimeout(r, 10));
    const busy = engine.workerStats().live.filter((w) => !w.idle);
    assert.equal(busy.length, 1);
    process.kill(busy[0].pid!, 'SIGKILL');
    const err = await outcome;
    assert.ok(err instanceof OnchainSqlError, String(err));
    assert.equal(err.code, 'runtime_error');
    assert.match(err.message, /query engine process was killed by SIGKILL.*new one starts/);
    assert.deepEqual((await engine.query('SELECT count(*) FROM ethereum.blocks')).rows, [[100]]);
  });

  it('a timeout still answers while other statements run', async () => {
    await warmWorker(engine);
    const runaway = engine.query(RUNAWAY_STATEMENTS[0], { timeoutMs: TIMEOUT_MS }).then(() => 'answered', (e: OnchainSqlError) => e.code);
    const quick = await engine.query('SELECT count(*) FROM ethereum.transactions');
    assert.deepEqual(quick.rows, [[1000]]);
    assert.equal(await runaway, 'timeout');
  });
});

describe('the CLI removes its spill folders when stopped by a signal', () => {
  let snapshot: string;
  before(async () => { snapshot = await makeTinySnapshot(); });
  after(() => fs.rmSync(snapshot, { recursive: true, force: true }));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} mid-query leaves no onchain-sql-duckdb-* folder and no worker process`, async () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-cli-signal-'));
      try {
        const cli = path.resolve(__dirname, '../../src/cli/main.ts');
        const child = spawn(process.execPath, ['--import', 'tsx', cli, 'sql', RUNAWAY_STATEMENTS[3], '--snapshot', snapshot, '--timeout-ms', '120000'], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        const spill = () => fs.readdirSync(tmp).filter((f) => f.startsWith('onchain-sql-duckdb-'));
        const until = performance.now() + 60_000;
        while (spill().length === 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
        assert.ok(spill().length > 0, 'the CLI never made its spill folder');
        await new Promise((r) => setTimeout(r, 500));
        child.kill(signal);
        assert.equal(await exited, signal === 'SIGINT' ? 130 : 143);
        assert.deepEqual(spill(), []);
        // The exit hook sends SIGKILL as the CLI exits; the kernel may take a moment to end the worker.
        const gone = performance.now() + 3000;
        while (processesWithTmpdir(tmp).length && performance.now() < gone) await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(processesWithTmpdir(tmp), [], 'a worker process outlived the CLI by 3 s');
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});

/** Pids of processes whose environment has TMPDIR=`dir` (Linux /proc; empty elsewhere). */
function processesWithTmpdir(dir: string): number[] {
  if (!fs.existsSync('/proc/self/environ')) return [];
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`TMPDIR=${dir}`)) found.push(Number(entry));
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}

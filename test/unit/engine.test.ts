import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, defaultConnections, readManifest } from '../../src/core/engine/engine.js';
import { openSandbox, type Sandbox } from '../../src/core/engine/sandbox.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import type { Cell } from '../../src/core/engine/values.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';

/** A query over `range` that runs for many seconds unless stopped (a blocking aggregate). */
const LONG_AGGREGATE = 'SELECT sum(r.range * 2) AS s FROM range(2000000000000) r';
/** A long query that streams: rows are rare, so every fetch runs for a long time. */
const LONG_STREAM = 'SELECT r.range AS i FROM range(2000000000000) r WHERE r.range % 1000000007 = 1000000006';

async function rejection(p: Promise<unknown>): Promise<OnchainSqlError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OnchainSqlError, `not an OnchainSqlError: ${String(e)}`);
    return e;
  }
  assert.fail('expected the promise to reject');
}

describe('Engine on a real snapshot', () => {
  let snapshot: string;
  let engine: Engine;

  before(async () => {
    snapshot = await makeTinySnapshot();
    engine = await Engine.open(snapshot, { connections: 4, threads: 2, memoryLimit: '1GB' });
  });

  after(() => {
    engine?.close();
    fs.rmSync(snapshot, { recursive: true, force: true });
  });

  it('answers a query over the contract views and snapshot_time()', async () => {
    const r = await engine.query('SELECT count(*) AS n, max(block_time) = snapshot_time() AS newest FROM ethereum.blocks');
    assert.deepEqual(r.columns, [{ name: 'n', type: 'BIGINT' }, { name: 'newest', type: 'BOOLEAN' }]);
    assert.deepEqual(r.rows, [[100, true]]);
    assert.equal(r.truncated, false);
  });

  describe('timeout', () => {
    for (const [label, sql] of [['blocking aggregate', LONG_AGGREGATE], ['streaming scan', LONG_STREAM]] as const) {
      it(`stops a ${label} with "timeout" in about timeoutMs`, async () => {
        // A worker ready first: the previous test's may have been killed, and starting its replacement is not the statement's time.
        await engine.query('SELECT 1');
        const t0 = performance.now();
        const err = await rejection(engine.query(sql, { timeoutMs: 300 }));
        const ms = performance.now() - t0;
        assert.equal(err.code, 'timeout');
        assert.match(err.message, /300 ms/);
        assert.ok(ms >= 290 && ms < 1300, `took ${Math.round(ms)} ms`);
      });
    }
  });

  it('serves overlapping next() calls one after another, in order', async () => {
    const cursor = await engine.openCursor('SELECT r.range AS i FROM range(20000) r', { maxRows: 20_000 });
    try {
      const pages = await Promise.all([cursor.next(3000), cursor.next(3000), cursor.next(3000), cursor.next(20000)]);
      const seen = pages.flatMap((p) => (p ?? []).map((row) => row[0]));
      assert.deepEqual(seen, Array.from({ length: 20000 }, (_, i) => i));
      assert.equal(await cursor.next(10), null);
    } finally {
      cursor.close();
    }
  });

  it('counts only execution against the timeout, not a reader pausing between pages', async () => {
    // The budget covers validation too (DuckDB folds constants while it binds); 1 s leaves room for a loaded machine.
    const cursor = await engine.openCursor('SELECT r.range AS i FROM range(10000) r', { maxRows: 10_000, timeoutMs: 1000 });
    try {
      assert.equal((await cursor.next(100))?.length, 100);
      await new Promise((r) => setTimeout(r, 1500));
      const page = await cursor.next(100);
      assert.equal(page?.[0]?.[0], 100);
    } finally {
      cursor.close();
    }
  });

  describe('cancellation', () => {
    for (const [label, sql] of [['blocking aggregate', LONG_AGGREGATE], ['streaming scan', LONG_STREAM]] as const) {
      it(`an abort stops a running ${label} within 1 s and the pool still answers`, async () => {
        const small = await Engine.open(snapshot, { connections: 1, threads: 1 });
        try {
          const ac = new AbortController();
          const running = rejection(small.query(sql, { signal: ac.signal, timeoutMs: 0 }));
          await new Promise((r) => setTimeout(r, 200));
          const aborted = performance.now();
          ac.abort();
          const err = await running;
          const ms = performance.now() - aborted;
          assert.equal(err.code, 'cancelled');
          assert.ok(ms < 1000, `stopped ${Math.round(ms)} ms after the abort`);
          // Same single connection: it must be usable again, not left interrupted.
          const r = await small.query('SELECT count(*) FROM ethereum.transactions');
          assert.deepEqual(r.rows, [[1000]]);
        } finally {
          small.close();
        }
      });
    }

    it('an already-aborted signal refuses at once', async () => {
      const err = await rejection(engine.query('SELECT 1', { signal: AbortSignal.abort() }));
      assert.equal(err.code, 'cancelled');
    });

    it('an abort while waiting for a busy pool rejects without waiting for the connection', async () => {
      const small = await Engine.open(snapshot, { connections: 1, threads: 1 });
      try {
        const busy = rejection(small.query(LONG_AGGREGATE, { timeoutMs: 1500 }));
        await new Promise((r) => setTimeout(r, 100));
        const ac = new AbortController();
        const waiting = rejection(small.query('SELECT 1', { signal: ac.signal }));
        await new Promise((r) => setTimeout(r, 100));
        const t0 = performance.now();
        ac.abort();
        const err = await waiting;
        assert.equal(err.code, 'cancelled');
        assert.ok(performance.now() - t0 < 200, 'the waiter was not released promptly');
        assert.equal((await busy).code, 'timeout');
        assert.deepEqual((await small.query('SELECT 42')).rows, [[42]]);
      } finally {
        small.close();
      }
    });

    it('closing the engine stops running and waiting queries, then refuses new ones', async () => {
      const doomed = await Engine.open(snapshot, { connections: 1, threads: 1 });
      const running = rejection(doomed.query(LONG_AGGREGATE, { timeoutMs: 0 }));
      await new Promise((r) => setTimeout(r, 150));
      const waiting = rejection(doomed.query('SELECT 1'));
      const t0 = performance.now();
      doomed.close();
      // Before the fix, closing a connection under a running call left that call pending forever.
      const [r, w] = await Promise.all([running, waiting]);
      assert.equal(r.code, 'cancelled');
      assert.equal(w.code, 'snapshot_missing');
      assert.ok(performance.now() - t0 < 1000, 'the running query did not stop within 1 s of close()');
      assert.equal((await rejection(doomed.query('SELECT 1'))).code, 'snapshot_missing');
    });

    it('closing the engine ends its workers, the spare still starting included', async () => {
      const short = await Engine.open(snapshot, { connections: 1, threads: 1 });
      // A statement takes the only worker: the spare starts at once.
      assert.deepEqual((await short.query('SELECT 1 AS one')).rows, [[1]]);
      const { live, starting } = short.workerStats();
      const pids = [...live.map((w) => w.pid), ...starting].filter((p): p is number => p !== undefined);
      assert.equal(pids.length, 2, 'the worker and its spare');
      short.close();
      const alive = () => pids.filter((pid) => { try { process.kill(pid, 0); return true; } catch { return false; } });
      const until = performance.now() + 2000;
      while (alive().length && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(alive(), [], 'a worker process outlived close()');
    });

    it('closing a cursor mid-result returns its connection in a usable state', async () => {
      const small = await Engine.open(snapshot, { connections: 1, threads: 1 });
      try {
        const cursor = await small.openCursor('SELECT r.range AS i FROM range(100000000) r', { maxRows: 100_000_000, timeoutMs: 0 });
        const page = await cursor.next(5000);
        assert.equal(page?.length, 5000);
        cursor.close();
        assert.deepEqual((await small.query('SELECT count(*) FROM ethereum.blocks')).rows, [[100]]);
      } finally {
        small.close();
      }
    });

    it('a runtime error mid-stream leaves the connection usable', async () => {
      const small = await Engine.open(snapshot, { connections: 1, threads: 1 });
      try {
        const err = await rejection(small.query("SELECT CASE WHEN r.range > 50000 THEN error('boom') ELSE r.range END AS x FROM range(100000) r", { maxRows: 1_000_000 }));
        assert.equal(err.code, 'runtime_error');
        assert.match(err.message, /boom/);
        assert.deepEqual((await small.query('SELECT 7')).rows, [[7]]);
      } finally {
        small.close();
      }
    });
  });

  describe('row cap', () => {
    for (const [rows, cap, truncated] of [[10, 10, false], [11, 10, true], [9, 10, false], [2048, 2048, false], [2049, 2048, true], [5000, 2049, true], [0, 5, false]] as const) {
      it(`${rows} rows under a cap of ${cap}: truncated=${truncated}`, async () => {
        const r = await engine.query(`SELECT r.range AS i FROM range(${rows}) r ORDER BY i`, { maxRows: cap });
        assert.equal(r.truncated, truncated);
        assert.equal(r.rowCount, Math.min(rows, cap));
        assert.deepEqual(r.rows.map((row) => row[0]), Array.from({ length: Math.min(rows, cap) }, (_, i) => i));
      });
    }
  });

  it('skip() passes over rows across chunk boundaries, in turn with next(), within the row cap', async () => {
    const cursor = await engine.openCursor('SELECT r.range AS i FROM range(10000) r ORDER BY i', { maxRows: 6000 });
    try {
      const first = (page: Cell[][] | null) => page?.map((row) => row[0]);
      assert.deepEqual(first(await cursor.next(10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // Queued like next(): both resolve in call order.
      const [skipped, after] = await Promise.all([cursor.skip(3000), cursor.next(3)]);
      assert.equal(skipped, 3000);
      assert.deepEqual(first(after), [3010, 3011, 3012]);
      // Past the cap: passes over only what the cap allows, then reports the truncation.
      assert.equal(await cursor.skip(10_000), 6000 - 3013);
      assert.equal(await cursor.next(1), null);
      assert.equal(cursor.truncated, true);
    } finally {
      cursor.close();
    }
    const short = await engine.openCursor('SELECT r.range AS i FROM range(100) r', { maxRows: 1000 });
    assert.equal(await short.skip(500), 100, 'a result shorter than the skip');
    assert.equal(await short.next(1), null);
    short.close();
  });

  it('pages a 1,000,000-row result in order, with bounded memory', async () => {
    const N = 1_000_000;
    const cursor = await engine.openCursor(`SELECT r.range AS i, r.range * 3 AS j, 'row-' || r.range::VARCHAR AS label FROM range(${N}) r`, { maxRows: N, timeoutMs: 60_000 });
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    let expected = 0;
    let pages = 0;
    try {
      for (let page = await cursor.next(10_000); page; page = await cursor.next(10_000)) {
        pages++;
        for (const row of page) {
          if (row[0] !== expected || row[1] !== expected * 3 || row[2] !== `row-${expected}`) assert.fail(`row ${expected} is ${JSON.stringify(row)}`);
          expected++;
        }
        if (pages % 10 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
    } finally {
      cursor.close();
    }
    assert.equal(expected, N, 'rows missing or duplicated');
    assert.equal(cursor.truncated, false);
    assert.equal(pages, 100);
    const growthMb = (peak - rss0) / 2 ** 20;
    // Materialised, 1M rows of [number, number, string] as JS arrays take roughly 150 MB or more.
    console.log(`paging 1M rows: peak RSS growth ${growthMb.toFixed(1)} MB over ${pages} pages`);
    assert.ok(growthMb < 60, `RSS grew ${growthMb.toFixed(1)} MB while paging`);
  });

  // A blocking engine runs each query to its end inside the call, so by the time the
  // loop reaches its next turn every query has settled. A free loop takes several turns
  // while all eight are still running (each scans 40M rows: tens of ms at the least).
  // No timing thresholds: the order of events is the check. The tick count is printed.
  it('runs 8 queries at once on a 4-connection pool without blocking the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 10);
    try {
      const t0 = performance.now();
      let settled = 0;
      const running = Promise.all(Array.from({ length: 8 }, (_, k) =>
        engine.query(`SELECT sum(r.range % ${k + 2}) AS s, ${k} AS k FROM range(40000000) r`).finally(() => { settled++; })));
      for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(settled, 0, 'queries settled before the event loop took five turns: the engine blocks it');
      const results = await running;
      const ms = performance.now() - t0;
      results.forEach((r, k) => {
        const m = k + 2;
        const n = 40_000_000;
        const full = Math.floor(n / m) * (m * (m - 1)) / 2;
        const rest = n % m;
        assert.deepEqual(r.rows, [[full + (rest * (rest - 1)) / 2, k]]);
      });
      console.log(`8 concurrent queries: ${Math.round(ms)} ms, ${ticks} ticks of a 10 ms timer meanwhile`);
    } finally {
      clearInterval(timer);
    }
  });

  it('by default leaves a libuv thread free: file reads do not wait for long queries', async () => {
    const dflt = await Engine.open(snapshot, { threads: 1 });
    try {
      const n = defaultConnections();
      const long = Array.from({ length: n }, () => rejection(dflt.query(LONG_AGGREGATE, { timeoutMs: 4000 })));
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      await fs.promises.readFile(__filename);
      const ms = performance.now() - t0;
      // With every libuv thread held by a query (the old default of 4), this read waited for the timeout (~4 s).
      assert.ok(ms < 1500, `fs.readFile waited ${Math.round(ms)} ms behind ${n} running queries`);
      for (const err of await Promise.all(long)) assert.equal(err.code, 'timeout');
    } finally {
      dflt.close();
    }
  });

  describe('values', () => {
    it('gives integers as numbers while exact and as strings beyond 2^53', async () => {
      const r = await engine.query(`SELECT 9007199254740991::BIGINT AS a, 9007199254740992::BIGINT AS b, -9007199254740993::BIGINT AS c,
        170141183460469231731687303715884105727::HUGEINT AS d, 5::HUGEINT AS e, (2::HUGEINT ** 70)::HUGEINT AS f,
        18446744073709551615::UBIGINT AS g, 12::UTINYINT AS h`);
      assert.deepEqual(r.rows[0], [9007199254740991, '9007199254740992', '-9007199254740993', '170141183460469231731687303715884105727', 5, '1180591620717411303424', '18446744073709551615', 12]);
    });

    it('keeps wei amounts from Parquet exact', async () => {
      const r = await engine.query('SELECT value_wei, sum(value_wei) OVER () AS total FROM ethereum.transactions ORDER BY value_wei DESC LIMIT 2');
      assert.deepEqual(r.rows[0], ['999000000000000000', '499500000000000000000']);
      assert.deepEqual(r.rows[1], ['998000000000000000', '499500000000000000000']);
      const small = await engine.query('SELECT value_wei FROM ethereum.transactions WHERE value_wei = 1000000000000000');
      assert.deepEqual(small.rows, [[1000000000000000]]);
    });

    it('gives decimals as numbers while exact and as strings when wider', async () => {
      const r = await engine.query('SELECT 1.25::DECIMAL(10,2) AS a, 123456789012345678901234567890::DECIMAL(38,0) AS b, 0.000000000000000001::DECIMAL(38,18) AS c');
      assert.deepEqual(r.rows[0], [1.25, '123456789012345678901234567890', 1e-18]);
    });

    it('gives NULL, booleans, timestamps, lists and structs as JSON-safe values', async () => {
      const r = await engine.query("SELECT NULL AS n, true AS t, TIMESTAMP '2026-01-01 00:00:12' AS ts, [1, 2] AS l, {'a': 9007199254740993::BIGINT} AS s, 'nan'::DOUBLE AS d");
      assert.deepEqual(r.rows[0], [null, true, '2026-01-01 00:00:12', [1, 2], { a: '9007199254740993' }, 'NaN']);
      JSON.stringify(r.rows);
    });

    it('carries a result of many pages across the process boundary with every cell intact', async () => {
      // 120,000 rows: more than one worker reply (MAX_PAGE_ROWS), every kind of cell on each row.
      const n = 120_000;
      const r = await engine.query(`SELECT range AS i, range::HUGEINT * 100000000000000000000 AS wide, 'row ' || range AS label, range % 3 = 0 AS third, CASE WHEN range % 5 = 0 THEN NULL ELSE range / 4 END AS quarter, [range, range + 1] AS pair, {'k': range} AS rec FROM range(${n})`, { maxRows: n, timeoutMs: 0 });
      assert.equal(r.rowCount, n);
      assert.equal(r.truncated, false);
      for (const i of [0, 1, 49_999, 50_000, 99_999, 100_001, n - 1]) {
        assert.deepEqual(r.rows[i], [i, i === 0 ? 0 : `${i}00000000000000000000`, `row ${i}`, i % 3 === 0, i % 5 === 0 ? null : i / 4, [i, i + 1], { k: i }], `row ${i}`);
      }
    });
  });

  describe('sandbox (below validation, straight on the worker\'s sandboxed connection)', () => {
    let sandbox: Sandbox;
    let spill: string;
    before(async () => {
      spill = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sandbox-spill-'));
      sandbox = await openSandbox(snapshot, readManifest(snapshot), { threads: 1, memoryLimit: '512MB', tempDir: spill });
    });
    after(() => {
      sandbox?.connection.closeSync();
      sandbox?.instance.closeSync();
      fs.rmSync(spill, { recursive: true, force: true });
    });
    const outside = [
      ["read_csv('/etc/passwd')", 'SELECT * FROM read_csv(\'/etc/passwd\')'],
      ['a ".." escape from the snapshot', "SELECT * FROM read_text('{{snapshot}}/../../../../etc/passwd')"],
      ['glob outside', "SELECT * FROM glob('/etc/*')"],
      ['a replacement scan', "SELECT * FROM '/etc/passwd'"],
      ['COPY outside', "COPY (SELECT 1) TO '{{tmp}}/sandbox-escape.csv'"],
      ['ATTACH outside', "ATTACH '{{tmp}}/sandbox-escape.duckdb' AS evil"],
      ['an http read', "SELECT * FROM read_text('http://127.0.0.1:9/x')"],
      ['INSTALL', 'INSTALL httpfs'],
      ['LOAD', 'LOAD httpfs'],
      ['getenv', "SELECT getenv('HOME')"],
    ] as const;
    for (const [label, template] of outside) {
      it(`refuses ${label}`, async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sandbox-'));
        try {
          const sql = template.replace('{{snapshot}}', snapshot).replace('{{tmp}}', tmp);
          await assert.rejects(sandbox.connection.run(sql), /Permission|disabled|not allowed|does not exist|external access/i);
          assert.deepEqual(fs.readdirSync(tmp), []);
        } finally {
          fs.rmSync(tmp, { recursive: true, force: true });
        }
      });
    }

    for (const setting of ['SET lock_configuration = false', 'SET enable_external_access = true', "SET allowed_directories = ['/']", 'RESET lock_configuration', "SET memory_limit = '100GB'"]) {
      it(`keeps the configuration locked: ${setting}`, async () => {
        await assert.rejects(sandbox.connection.run(setting), /lock|configuration|cannot/i);
        const r = await sandbox.connection.runAndReadAll("SELECT current_setting('lock_configuration'), current_setting('enable_external_access')");
        assert.deepEqual(r.getRows()[0], [true, false]);
      });
    }
  });
});

describe('Engine.open on broken snapshots', () => {
  it('refuses a corrupt Parquet file with snapshot_corrupt naming the file', async () => {
    const dir = await makeTinySnapshot();
    try {
      fs.writeFileSync(path.join(dir, 'ethereum', 'transactions.parquet'), Buffer.from('this is not parquet at all, just junk bytes '.repeat(50)));
      const err = await rejection(Engine.open(dir));
      assert.equal(err.code, 'snapshot_corrupt');
      assert.match(err.message, /ethereum[/\\]transactions\.parquet/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a truncated Parquet file', async () => {
    const dir = await makeTinySnapshot();
    try {
      const file = path.join(dir, 'ethereum', 'blocks.parquet');
      const bytes = fs.readFileSync(file);
      fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const err = await rejection(Engine.open(dir));
      assert.equal(err.code, 'snapshot_corrupt');
      assert.match(err.message, /ethereum[/\\]blocks\.parquet/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a table file with the wrong schema', async () => {
    const dir = await makeTinySnapshot();
    try {
      // A valid Parquet file of another table in the blocks slot: columns do not match the contract.
      fs.copyFileSync(path.join(dir, 'labels', 'addresses.parquet'), path.join(dir, 'ethereum', 'blocks.parquet'));
      const err = await rejection(Engine.open(dir));
      assert.equal(err.code, 'snapshot_corrupt');
      assert.match(err.message, /ethereum[/\\]blocks\.parquet/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing table file with snapshot_corrupt', async () => {
    const dir = await makeTinySnapshot();
    try {
      fs.rmSync(path.join(dir, 'dex', 'trades.parquet'));
      const err = await rejection(Engine.open(dir));
      assert.equal(err.code, 'snapshot_corrupt');
      assert.match(err.message, /dex\.trades/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a table file damaged or deleted after open as snapshot_corrupt, not as an SQL error', async () => {
    const dir = await makeTinySnapshot();
    const engine = await Engine.open(dir, { threads: 1 });
    try {
      assert.deepEqual((await engine.query('SELECT count(*) FROM ethereum.transactions')).rows, [[1000]]);
      fs.writeFileSync(path.join(dir, 'ethereum', 'transactions.parquet'), 'junk'.repeat(100));
      const damaged = await rejection(engine.query('SELECT count(*) FROM ethereum.transactions'));
      assert.equal(damaged.code, 'snapshot_corrupt');
      assert.match(damaged.message, /ethereum[/\\]transactions\.parquet/);
      fs.rmSync(path.join(dir, 'ethereum', 'blocks.parquet'));
      const deleted = await rejection(engine.query('SELECT count(*) FROM ethereum.blocks'));
      assert.equal(deleted.code, 'snapshot_corrupt');
      assert.match(deleted.message, /ethereum[/\\]blocks\.parquet/);
      // Tables whose files are intact still answer.
      assert.deepEqual((await engine.query('SELECT count(*) FROM labels.addresses')).rows, [[0]]);
    } finally {
      engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a folder without manifest with snapshot_missing', async () => {
    const dir = await makeTinySnapshot();
    try {
      fs.rmSync(path.join(dir, 'manifest.json'));
      const err = await rejection(Engine.open(dir));
      assert.equal(err.code, 'snapshot_missing');
      assert.match(err.message, /manifest\.json/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a folder that does not exist with snapshot_missing', async () => {
    const err = await rejection(Engine.open(path.join(os.tmpdir(), 'onchain-no-such-snapshot-' + process.pid)));
    assert.equal(err.code, 'snapshot_missing');
  });

  it('refuses a manifest that is not JSON with snapshot_corrupt', async () => {
    const dir = await makeTinySnapshot();
    try {
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{ not json');
      const err = await rejection(Engine.open(dir));
      assert.equal(err.code, 'snapshot_corrupt');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

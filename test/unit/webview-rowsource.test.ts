import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Engine } from '../../src/core/engine/engine.js';
import { RowSource, sortedSql, countSql, type OpenCursor } from '../../src/extension/webviews/rowSource.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';
import type { Cell } from '../../src/core/engine/values.js';

let engine: Engine;
let snapshot: string;
const SQL = 'SELECT tx_hash, value_wei, block_number FROM ethereum.transactions ORDER BY tx_hash';
let all: Cell[][];
const open: OpenCursor = (sql, o) => engine.openCursor(sql, { maxRows: o.maxRows, signal: o.signal });

before(async () => {
  snapshot = await makeTinySnapshot();
  engine = await Engine.open(snapshot, { threads: 1, connections: 2 });
  all = (await engine.query(SQL, { maxRows: 5000 })).rows;
  assert.equal(all.length, 1000);
});
after(() => {
  engine.close();
  fs.rmSync(snapshot, { recursive: true, force: true });
});

test('pages are read forward, cached within a bound, and re-read after a reopen', async () => {
  const src = new RowSource(open, SQL, { maxRows: 1_000_000, pageSize: 100, maxCachedRows: 300 });
  assert.deepEqual(await src.rows(0, 50), all.slice(0, 50));
  assert.deepEqual(await src.rows(120, 30), all.slice(120, 150));
  assert.equal(src.stats.opens, 1);
  // Jump far ahead: reads forward on the same cursor, reaches the end
  assert.deepEqual(await src.rows(950, 100), all.slice(950, 1000));
  assert.deepEqual(src.known(), { rowCount: 1000, exact: true, truncated: false });
  assert.equal(src.stats.opens, 1);
  // Page 0 was evicted (cache holds 3 pages): reopen and read it again
  assert.deepEqual(await src.rows(0, 10), all.slice(0, 10));
  assert.equal(src.stats.opens, 2);
  // Past the end
  assert.deepEqual(await src.rows(1000, 10), []);
  src.close();
});

test('a jump far ahead passes over the rows in between instead of reading them, and keeps a few pages before it', async () => {
  const big = 'SELECT r.range AS n FROM range(100000) r ORDER BY n';
  const src = new RowSource(open, big, { maxRows: 1_000_000, pageSize: 100, maxCachedRows: 1000 });
  const ns = (rows: Cell[][]) => rows.map((r) => r[0]);
  // Asks beyond the last row, so the end is found too.
  assert.deepEqual(ns(await src.rows(99_950, 100)), Array.from({ length: 50 }, (_, i) => 99_950 + i));
  assert.ok(src.stats.rowsRead <= 300, `read ${src.stats.rowsRead} rows for one page`);
  assert.equal(src.stats.rowsSkipped, 99_700);
  // Just before the jump target: cached, no new cursor.
  assert.deepEqual(ns(await src.rows(99_800, 3)), [99_800, 99_801, 99_802]);
  assert.equal(src.stats.opens, 1);
  assert.deepEqual(src.known(), { rowCount: 100_000, exact: true, truncated: false });
  // Back at the start: reopened and read from the top.
  assert.deepEqual(ns(await src.rows(0, 2)), [0, 1]);
  assert.equal(src.stats.opens, 2);
  src.close();

  // A jump past the end of a shorter result finds the end while passing over rows.
  const short = new RowSource(open, 'SELECT r.range AS n FROM range(5000) r ORDER BY n', { maxRows: 1_000_000, pageSize: 100, maxCachedRows: 500 });
  assert.deepEqual(await short.rows(90_000, 10), []);
  assert.deepEqual(short.known(), { rowCount: 5000, exact: true, truncated: false });
  assert.deepEqual(ns(await short.rows(4998, 10)), [4998, 4999]);
  short.close();
});

test('concurrent requests are served one at a time, each with its own rows', async () => {
  const src = new RowSource(open, SQL, { maxRows: 1_000_000, pageSize: 64 });
  const [a, b, c] = await Promise.all([src.rows(500, 10), src.rows(0, 10), src.rows(700, 5)]);
  assert.deepEqual([a, b, c], [all.slice(500, 510), all.slice(0, 10), all.slice(700, 705)]);
  src.close();
});

test('a complete seed needs no query; a partial seed is served, then the cursor takes over', async () => {
  const seeded = new RowSource(() => Promise.reject(new Error('must not open')), SQL, { maxRows: 1000, pageSize: 100, seed: all, seedComplete: true });
  assert.deepEqual(await seeded.rows(990, 20), all.slice(990));
  const partial = new RowSource(open, SQL, { maxRows: 1000, pageSize: 100, seed: all.slice(0, 250) });
  assert.deepEqual(await partial.rows(150, 100), all.slice(150, 250));
  assert.equal(partial.stats.opens, 1, 'page 2 was only half seeded, so the cursor read it');
  partial.close();
});

test('the row cap bounds the grid and count() reports it', async () => {
  const src = new RowSource(open, SQL, { maxRows: 300, pageSize: 100 });
  assert.deepEqual(await src.count(), { rowCount: 300, exact: true, truncated: true });
  assert.equal((await src.rows(250, 100)).length, 50);
  assert.deepEqual(src.known(), { rowCount: 300, exact: true, truncated: true });
  src.close();
  const uncapped = new RowSource(open, SQL, { maxRows: 5000 });
  assert.deepEqual(await uncapped.count(), { rowCount: 1000, exact: true, truncated: false });
});

test('sorting by a column position, also over SQL ending in a semicolon and a comment', async () => {
  const sql = 'SELECT from_address AS a, value_wei AS a FROM ethereum.transactions; -- two columns named a';
  const desc = await engine.query(sortedSql(sql, { column: 1, direction: 'desc' }), { maxRows: 3 });
  const ref = await engine.query('SELECT value_wei FROM ethereum.transactions ORDER BY value_wei DESC LIMIT 3');
  assert.deepEqual(desc.rows.map((r) => r[1]), ref.rows.map((r) => r[0]));
  const n = await engine.query(countSql(sql));
  assert.equal(n.rows[0][0], 1000);
  assert.equal(sortedSql(sql, null), sql);
});

test('an idle cursor is closed (its connection released) and reopened on demand', async () => {
  const src = new RowSource(open, SQL, { maxRows: 1_000_000, pageSize: 100, idleMs: 20 });
  await src.rows(0, 10);
  await new Promise((r) => setTimeout(r, 60));
  // Both pool connections are free again: two queries can hold one each.
  const c1 = await engine.openCursor(SQL);
  const c2 = await Promise.race([engine.openCursor(SQL), new Promise<null>((r) => setTimeout(() => r(null), 2000))]);
  assert.ok(c2, 'second connection was still held by the idle cursor');
  c1.close();
  c2.close();
  assert.deepEqual(await src.rows(100, 10), all.slice(100, 110));
  assert.equal(src.stats.opens, 2);
  src.close();
});

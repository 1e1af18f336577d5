import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClickHouseEngine } from '../../src/core/engine/clickhouse/engine.js';
import { loadSnapshot } from '../../src/core/engine/clickhouse/load.js';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { buildSnapshot } from '../../src/core/snapshot/build.js';
import { startClickHouseHttpServer, type ClickHouseHttpServer, type ReceivedQuery } from '../support/clickhouse-http-server.js';
import { freePort } from '../support/free-port.js';

/**
 * Limits, cancel and paging of the ClickHouse engine, through real HTTP to the
 * real engine (chdb behind the tests' own server) over a small snapshot.
 */

// Long enough to outlive every limit below on any machine: a three-way cross join
// (150M transaction pairs times every block), read in full. A two-way join alone
// finished in about a second on a fast CI machine, racing the 1 s timeout.
const SLOW = 'select count(*) from ethereum.transactions a, ethereum.transactions b, ethereum.blocks c where a.gas_used + b.gas_used + c.block_number = 7';

describe('ClickHouse engine: limits, cancel and paging over HTTP', { timeout: 5 * 60_000 }, () => {
  let server: ClickHouseHttpServer;
  let ch: ClickHouseEngine;
  let duck: Engine;
  let dir: string;
  let tmp: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sql-ch-http-'));
    dir = path.join(tmp, 'snap');
    await buildSnapshot({ outDir: dir, scale: 0.1, seed: 7 });
    server = await startClickHouseHttpServer();
    await loadSnapshot({ snapshotDir: dir, target: { url: server.url, database: 'small' } });
    ch = await ClickHouseEngine.open({ url: server.url, database: 'small' });
    duck = await Engine.open(dir);
  });
  after(async () => {
    ch?.close();
    duck?.close();
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const sentFor = (queryId: string): ReceivedQuery | undefined => server.received.find((r) => r.queryId === queryId);
  const statementsLike = (needle: string) => server.received.filter((r) => r.sql.includes(needle));

  test('every statement is sent read-only and bounded', async () => {
    const cursor = await ch.openCursor('select block_number from ethereum.blocks order by 1', { maxRows: 25, timeoutMs: 4_500 });
    await cursor.next(5);
    cursor.close();
    const sent = sentFor(cursor.queryId);
    assert.ok(sent, 'the server saw the statement under its query id');
    assert.equal(sent.settings.readonly, '1');
    assert.equal(sent.settings.max_execution_time, '5');
    assert.equal(sent.settings.max_result_rows, '26');
    assert.equal(sent.settings.result_overflow_mode, 'break');
    assert.ok(Number(sent.settings.max_memory_usage) > 0);
    assert.match(sent.sql, /`small`\.`ethereum_blocks`/);
  });

  test('the row cap holds and the server stops early (result_overflow_mode=break)', async () => {
    // 300M rows if read in full; with the cap the server stops after its first block.
    const t0 = performance.now();
    const r = await ch.query('select a.tx_hash, b.tx_hash from ethereum.transactions a, ethereum.transactions b', { maxRows: 10, timeoutMs: 20_000 });
    assert.equal(r.rowCount, 10);
    assert.equal(r.truncated, true);
    assert.ok(performance.now() - t0 < 10_000);
    const sent = statementsLike('select a.tx_hash, b.tx_hash from').at(-1)!;
    await waitFor(() => sent.outcome !== undefined);
    assert.ok(sent.bytesSent < 50_000_000, `server sent ${sent.bytesSent} bytes`);
  });

  test('pages are read from one running statement, never re-run, and match DuckDB page by page', async () => {
    const sql = 'select tx_hash, block_number from ethereum.transactions order by tx_hash';
    const before = statementsLike('select tx_hash, block_number from `small`').length;
    const cursor = await ch.openCursor(sql, { maxRows: 5_000 });
    const local = await duck.openCursor(sql, { maxRows: 5_000 });
    try {
      for (let page = 0; page < 4; page++) assert.deepEqual(await cursor.next(100), await local.next(100));
      assert.equal(await cursor.skip(1_000), await local.skip(1_000));
      assert.deepEqual(await cursor.next(50), await local.next(50));
    } finally {
      cursor.close();
      local.close();
    }
    assert.equal(statementsLike('select tx_hash, block_number from `small`').length - before, 1);
  });

  test('a timeout stops the statement on the server', async () => {
    const t0 = performance.now();
    const err = await ch.query(SLOW, { timeoutMs: 1_000 }).then(() => undefined, (e: unknown) => e);
    const ms = performance.now() - t0;
    assert.ok(err instanceof OnchainSqlError, String(err));
    assert.equal(err.code, 'timeout');
    assert.ok(ms < 5_000, `stopped after ${ms.toFixed(0)} ms`);
    const sent = statementsLike('a.gas_used + b.gas_used + c.block_number = 7').at(-1)!;
    await waitFor(() => sent.outcome !== undefined);
    assert.notEqual(sent.outcome, 'done');
  });

  test('the memory limit is the server’s, and reported as a resource limit', async () => {
    const tight = await ClickHouseEngine.open({ url: server.url, database: 'small' }, { maxMemoryBytes: 1_000_000 });
    try {
      const err = await tight.query('select tx_hash, count(*) from ethereum.logs group by 1 order by 2 desc', { maxRows: 5 }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof OnchainSqlError, String(err));
      assert.equal(err.code, 'resource_limit', err.message);
      assert.match(err.message, /memory/i);
    } finally {
      tight.close();
    }
  });

  test('cancel through the abort signal sends KILL QUERY for that query id', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    // The 5 s timeout only bounds the statement left behind on the test server:
    // chdb's stream cancel takes effect between blocks, and count(*) yields none
    // until it ends, so without it the orphan would hold the engine for a minute.
    const running = ch.query(SLOW, { timeoutMs: 5_000, signal: ac.signal }).then(() => undefined, (e: unknown) => e);
    setTimeout(() => ac.abort(), 300);
    const err = await running;
    assert.ok(err instanceof OnchainSqlError, String(err));
    assert.equal(err.code, 'cancelled');
    assert.ok(performance.now() - t0 < 3_000);
    const sent = statementsLike('a.gas_used + b.gas_used + c.block_number = 7').at(-1)!;
    await waitFor(() => server.received.some((r) => r.sql.includes(`KILL QUERY WHERE query_id = '${sent.queryId}'`)));
    await waitFor(() => sent.outcome !== undefined);
    assert.ok(sent.outcome === 'killed' || sent.outcome === 'cancelled', sent.outcome);
  });

  test('statements the contract refuses never reach the server', async () => {
    const count = server.received.length;
    for (const sql of ['select * from system.tables', "select * from url('http://127.0.0.1/x', CSV)", 'drop table ethereum.blocks']) {
      await assert.rejects(ch.query(sql), OnchainSqlError);
    }
    // A DuckDB function with no ClickHouse translation is refused by name, before sending.
    await assert.rejects(ch.query('select lag(block_number) over (order by block_number) from ethereum.blocks'), /lag\(\) has no ClickHouse translation/);
    // (A KILL QUERY sent for an earlier test's timeout may arrive meanwhile.)
    assert.deepEqual(server.received.slice(count).map((r) => r.sql).filter((s) => !s.startsWith('KILL QUERY')), []);
  });

  test('an unreachable server is a clear error that never shows the password', async () => {
    const port = await freePort();
    const err = await ClickHouseEngine.open({ url: `http://reader:s3cret-pw@127.0.0.1:${port}`, database: 'small', password: 'other-s3cret' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof OnchainSqlError, String(err));
    assert.equal(err.code, 'snapshot_missing');
    assert.match(err.message, new RegExp(`Cannot reach ClickHouse at http://127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(JSON.stringify(err.toJSON()), /s3cret/);
  });

  test('a database without the contract names the missing tables and how to load them', async () => {
    server.exec('CREATE DATABASE IF NOT EXISTS empty_db');
    const err = await ClickHouseEngine.open({ url: server.url, database: 'empty_db' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof OnchainSqlError);
    assert.equal(err.code, 'snapshot_corrupt');
    assert.match(err.message, /lacks the contract tables ethereum_blocks, ethereum_transactions/);
    assert.match(err.suggestions.join(' '), /onchain-sql clickhouse load --snapshot DIR/);
  });

  // Last: it adds a block to the server's table.
  test('relative time follows the server as it grows (snapshot_time() re-read)', async () => {
    const live = await ClickHouseEngine.open({ url: server.url, database: 'small' }, { snapshotTimeRefreshMs: 0 });
    try {
      const before = (await live.query('select snapshot_time()::VARCHAR as t')).rows[0][0];
      server.exec("INSERT INTO small.ethereum_blocks (block_number, block_time) SELECT max(block_number) + 1, max(block_time) + INTERVAL 1 HOUR FROM small.ethereum_blocks");
      const afterTime = (await live.query('select snapshot_time()::VARCHAR as t')).rows[0][0];
      assert.equal(Date.parse(`${String(afterTime).slice(0, 19)}Z`) - Date.parse(`${String(before).slice(0, 19)}Z`), 3_600_000);
      assert.equal((await live.query('select count(*) from ethereum.blocks where block_time > snapshot_time() - interval 1 second')).rows[0][0], 1);
    } finally {
      live.close();
    }
  });
});

async function waitFor(check: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

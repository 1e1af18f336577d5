import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { importSnapshot } from '../../src/core/snapshot/import.js';
import { MANIFEST_FILE, type Manifest } from '../../src/core/snapshot/layout.js';
import { syncSnapshot, type SyncOptions } from '../../src/core/snapshot/sync/sync.js';
import { etlCsvExport } from '../support/etl-export.js';
import { FixtureRpcServer, HOSTILE_NAME, HOSTILE_SYMBOL, ODD_TOKENS, type Faults } from '../support/rpc-server.js';

const WETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sync-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** The figures of fixtures/README.md plus derived-table counts, as one object to compare between import and sync. */
async function figures(dir: string): Promise<Record<string, unknown>> {
  const engine = await Engine.open(dir, { threads: 1, connections: 1 });
  try {
    const r = await engine.query(`SELECT
      (SELECT count(*) FROM ethereum.blocks) AS blocks,
      (SELECT count(*) FROM ethereum.transactions) AS txs,
      (SELECT count(*) FILTER (WHERE NOT success) FROM ethereum.transactions) AS failed,
      (SELECT count(*) FILTER (WHERE success IS NULL) FROM ethereum.transactions) AS unknown_success,
      (SELECT count(created_contract_address) FROM ethereum.transactions) AS created,
      (SELECT round(sum(value_eth), 4) FROM ethereum.transactions) AS value_eth,
      (SELECT round(sum(fee_eth), 4) FROM ethereum.transactions) AS fee_eth,
      (SELECT count(*) FROM ethereum.logs) AS logs,
      (SELECT count(*) FROM tokens.transfers) AS transfers,
      (SELECT round(sum(amount), 4) FROM tokens.transfers WHERE contract_address = '${WETH}') AS weth,
      (SELECT count(*) FROM dex.trades) AS trades,
      (SELECT sum(hash(tx_hash || log_index::VARCHAR)) FROM ethereum.logs)::VARCHAR AS logs_digest`);
    return Object.fromEntries(r.columns.map((c, i) => [c.name, r.rows[0][i]]));
  } finally {
    engine.close();
  }
}

const EXPECTED = { blocks: 2, txs: 298, failed: 9, unknown_success: 0, created: 1, value_eth: 82.692, fee_eth: 2.3629, logs: 681, transfers: 282, weth: 83.7029 };

describe('snapshot sync from a JSON-RPC node serving the real fixture', () => {
  const server = new FixtureRpcServer();
  let url = '';
  let imported: Record<string, unknown>;
  before(async () => {
    url = await server.start();
    const dir = path.join(tmpRoot, 'imported');
    await importSnapshot({ from: 'ethereum-etl', inDir: etlCsvExport(), outDir: dir });
    imported = await figures(dir);
  });
  after(() => server.stop());

  const sync = (outDir: string, extra: Partial<SyncOptions> = {}) => syncSnapshot({
    rpcUrl: url, outDir, fromBlock: server.firstBlock, toBlock: server.lastBlock, chunkSize: 1,
    rpc: { backoffMs: 5, timeoutMs: 2000, batchSize: 20, concurrency: 3 }, ...extra,
  });

  it('reproduces exactly the import figures of the same blocks', async () => {
    const out = path.join(tmpRoot, 'plain');
    const messages: string[] = [];
    const r = await sync(out, { onProgress: (p) => messages.push(p.message) });
    const got = await figures(out);
    assert.deepEqual({ ...got, trades: undefined, logs_digest: undefined }, { ...EXPECTED, trades: undefined, logs_digest: undefined });
    assert.deepEqual(got, imported, 'sync and import agree on every figure, derived trades included');
    assert.equal(r.blocksSynced, 2);
    const m = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as Manifest;
    assert.equal(m.source, 'rpc');
    assert.equal(m.chain, 'ethereum');
    assert.deepEqual(m.sync?.ranges, [{ first: 17173049, last: 17173050 }]);
    assert.equal(m.sync?.safeHead, 'finalized');
    const text = JSON.stringify(m) + messages.join('\n');
    assert.doesNotMatch(text, /SECRET-KEY/, 'the RPC URL key never appears in the manifest or progress');
  });

  it('keeps hostile and bytes32 token metadata from eth_call as data', async () => {
    const out = path.join(tmpRoot, 'plain');
    const engine = await Engine.open(out, { threads: 1, connections: 1 });
    try {
      const r = await engine.query(`SELECT contract_address, symbol, name, decimals FROM tokens.erc20 WHERE contract_address IN ('${ODD_TOKENS.bytes32}', '${ODD_TOKENS.hostile}') ORDER BY contract_address`);
      const rows = new Map(r.rows.map((x) => [x[0], x.slice(1)]));
      assert.deepEqual(rows.get(ODD_TOKENS.bytes32), ['BYTES32', null, 18]);
      assert.deepEqual(rows.get(ODD_TOKENS.hostile), [HOSTILE_SYMBOL, HOSTILE_NAME, 18]);
      const pools = await engine.query(`SELECT count(*) FILTER (WHERE token_bought_address IS NOT NULL), count(*) FROM dex.trades`);
      assert.equal(pools.rows[0][0], pools.rows[0][1], 'every pool\'s tokens known from token0()/token1()');
    } finally {
      engine.close();
    }
  });

  it('gives the same figures under faults: 429 + Retry-After, 500, slow answers, malformed JSON, "too many results", no eth_getBlockReceipts', async () => {
    const faulty = new FixtureRpcServer({ every429: 7, every500: 11, everyMalformed: 13, everySlow: 5, slowMs: 50, maxLogBlocks: 1, noBlockReceipts: true });
    const furl = await faulty.start();
    try {
      const out = path.join(tmpRoot, 'faults');
      await syncSnapshot({ rpcUrl: furl, outDir: out, fromBlock: faulty.firstBlock, toBlock: faulty.lastBlock, chunkSize: 2, rpc: { backoffMs: 5, timeoutMs: 2000, batchSize: 20, retries: 10 } });
      assert.ok(faulty.requests > 30, `faults were met: ${faulty.requests} requests`);
      assert.deepEqual(await figures(out), imported);
      assert.ok((faulty.calls.eth_getTransactionReceipt ?? 0) >= 298, 'receipts fetched one by one');
      assert.ok((faulty.calls.eth_getLogs ?? 0) >= 3, 'eth_getLogs split its range');
    } finally {
      await faulty.stop();
    }
  });

  it('is idempotent: a second sync of the same range fetches nothing and changes no figure', async () => {
    const out = path.join(tmpRoot, 'plain');
    const before = server.calls.eth_getBlockByNumber ?? 0;
    const r = await sync(out);
    assert.equal(r.blocksSynced, 0);
    assert.deepEqual(await figures(out), imported);
    assert.ok((server.calls.eth_getBlockByNumber ?? 0) - before <= 1, 'only the safe-head lookup');
  });

  it('after a kill mid-sync leaves a valid snapshot, and the rerun completes it', async () => {
    const out = path.join(tmpRoot, 'killed');
    const stalling = new FixtureRpcServer();
    const surl = await stalling.start();
    try {
      // Let the first block range through, then the node stops answering; the sync is aborted (a kill).
      const controller = new AbortController();
      const first = syncSnapshot({ rpcUrl: surl, outDir: out, fromBlock: stalling.firstBlock, toBlock: stalling.lastBlock, chunkSize: 1, signal: controller.signal, rpc: { timeoutMs: 60_000 },
        onProgress: (p) => { if (p.blocksDone === 1) stalling.faults.stallAfter = stalling.requests; } });
      const stop = setInterval(() => { if (stalling.faults.stallAfter !== undefined) controller.abort(); }, 20);
      await assert.rejects(first);
      clearInterval(stop);
      const partial = await figures(out);
      assert.equal(partial.blocks, 1, 'the snapshot holds the first range, whole');
      stalling.faults.stallAfter = undefined;
      const r = await syncSnapshot({ rpcUrl: surl, outDir: out, fromBlock: stalling.firstBlock, toBlock: stalling.lastBlock, chunkSize: 1 });
      assert.equal(r.blocksSynced, 1, 'only the missing range is fetched');
      assert.deepEqual(await figures(out), imported);
    } finally {
      await stalling.stop();
    }
  });
});

describe('snapshot sync refusals name the problem and never the URL', () => {
  async function refused(p: Promise<unknown>, re: RegExp): Promise<void> {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof OnchainSqlError, String(e));
      assert.match(e.message, re);
      assert.doesNotMatch(e.message, /SECRET-KEY/);
      return true;
    });
  }
  const withServer = async (faults: Faults, fn: (url: string, s: FixtureRpcServer) => Promise<void>) => {
    const s = new FixtureRpcServer(faults);
    const url = await s.start();
    try { await fn(url, s); } finally { await s.stop(); }
  };
  const opts = (url: string, s: FixtureRpcServer, outDir: string): SyncOptions => ({ rpcUrl: url, outDir, fromBlock: s.firstBlock, toBlock: s.lastBlock, rpc: { backoffMs: 1, retries: 2, timeoutMs: 2000 } });

  it('401 from the endpoint', () => withServer({ unauthorized: true }, (url, s) => refused(syncSnapshot(opts(url, s, path.join(tmpRoot, 'r401'))), /HTTP 401.*API key/)));
  it('--to-block beyond the safe head', () => withServer({}, (url, s) => refused(syncSnapshot({ ...opts(url, s, path.join(tmpRoot, 'rhead')), toBlock: s.lastBlock + 5 }), /beyond the safe head 17173050 \(finalized/)));
  it('a pruned node without receipts', () => withServer({ noBlockReceipts: true, prunedReceipts: true }, (url, s) => refused(syncSnapshot(opts(url, s, path.join(tmpRoot, 'rpruned'))), /pruned node/)));
  it('a connection refused', async () => {
    const s = new FixtureRpcServer();
    const url = await s.start();
    await s.stop();
    await refused(syncSnapshot(opts(url, s, path.join(tmpRoot, 'rrefused'))), /refused the connection/);
  });
  it('a snapshot of another chain', () => withServer({}, async (url, s) => {
    const out = path.join(tmpRoot, 'rchain');
    await syncSnapshot({ ...opts(url, s, out), fromBlock: s.firstBlock, toBlock: s.firstBlock });
    s.faults.chainId = 8453;
    await refused(syncSnapshot(opts(url, s, out)), /Wrong chain: .* holds ethereum \(chain id 1\) but the endpoint serves base \(chain id 8453\)/);
  }));
});

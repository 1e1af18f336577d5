/**
 * Sync and derive figures: RPC sync throughput against the tests' local node
 * (the real fixture's blocks) and the time to derive the curated tables per
 * million logs (the fixture's 681 logs replicated with shifted blocks and
 * transaction hashes). Run alone with `npx tsx bench/sync.ts`; bench/run.ts calls benchSync().
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { deriveCurated } from '../src/core/snapshot/derive/derive.js';
import { sqlFilePath } from '../src/core/snapshot/empty.js';
import { importSnapshot } from '../src/core/snapshot/import.js';
import { defineU256Macros } from '../src/core/snapshot/import/sql.js';
import { createBundledTokens } from '../src/core/snapshot/import/token-list.js';
import { syncSnapshot } from '../src/core/snapshot/sync/sync.js';
import { etlCsvExport } from '../test/support/etl-export.js';
import { FixtureRpcServer } from '../test/support/rpc-server.js';

export interface SyncFigures {
  sync: { runs: number; blocks: number; medianSeconds: number; blocksPerSecond: number; requestsPerBlock: number };
  derive: { logs: number; seconds: number; secondsPerMillionLogs: number; trades: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchSync(options: { runs?: number; logs?: number } = {}): Promise<SyncFigures> {
  const runs = options.runs ?? 3;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-bench-sync-'));
  const server = new FixtureRpcServer();
  const url = await server.start();
  try {
    const seconds: number[] = [];
    let requests = 0;
    for (let i = 0; i < runs; i++) {
      const r = await syncSnapshot({ rpcUrl: url, outDir: path.join(tmp, `sync-${i}`), fromBlock: server.firstBlock, toBlock: server.lastBlock });
      seconds.push(r.seconds);
      requests = r.requests;
    }
    const blocks = server.lastBlock - server.firstBlock + 1;
    const s = median(seconds);

    // Derive: the fixture's logs × copies, each copy in its own blocks and transactions.
    const snap = path.join(tmp, 'imported');
    await importSnapshot({ from: 'ethereum-etl', inDir: etlCsvExport(), outDir: snap });
    const copies = Math.max(1, Math.round((options.logs ?? 200_000) / 681));
    const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
    const c = await inst.connect();
    await defineU256Macros(c);
    await createBundledTokens(c);
    const logs = sqlFilePath(path.join(snap, 'ethereum', 'logs.parquet'));
    const blocksFile = sqlFilePath(path.join(snap, 'ethereum', 'blocks.parquet'));
    await c.run(`CREATE TEMP TABLE stg_logs AS SELECT block_number + 2 * k AS block_number, epoch(block_time)::BIGINT + 24 * k AS unix_time,
      tx_hash || '-' || k AS tx_hash, log_index, contract_address, topic0, topic1, topic2, topic3, data FROM read_parquet(${logs}), range(${copies}) r(k)`);
    await c.run(`CREATE TEMP TABLE stg_blocks AS SELECT block_number + 2 * k AS block_number, epoch(block_time)::BIGINT + 24 * k AS unix_time FROM read_parquet(${blocksFile}), range(${copies}) r(k)`);
    await c.run(`CREATE TEMP VIEW token_meta AS SELECT contract_address, symbol, name, decimals, false AS in_export FROM bundled_tokens`);
    const n = Number((await c.runAndReadAll('SELECT count(*) FROM stg_logs')).getRows()[0][0]);
    const t0 = performance.now();
    await deriveCurated(c, path.join(tmp, 'derived'), { blockchain: 'ethereum', logs: true, transfers: false, transfersErc20Only: false, pools: false }, () => {});
    const deriveSeconds = (performance.now() - t0) / 1000;
    const trades = Number((await c.runAndReadAll('SELECT count(*) FROM cur_trades')).getRows()[0][0]);
    c.closeSync();
    inst.closeSync();
    return {
      sync: { runs, blocks, medianSeconds: s, blocksPerSecond: blocks / s, requestsPerBlock: requests / blocks },
      derive: { logs: n, seconds: deriveSeconds, secondsPerMillionLogs: deriveSeconds * (1e6 / n), trades },
    };
  } finally {
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchSync().then((f) => process.stdout.write(`${JSON.stringify(f, null, 2)}\n`));
}

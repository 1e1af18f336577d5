import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeMissingTablesEmpty, writeTable } from '../../src/core/snapshot/empty.js';
import { findTable } from '../../src/core/schema/catalog.js';
import { MANIFEST_FILE, type Manifest } from '../../src/core/snapshot/layout.js';

/**
 * A very small snapshot for unit tests that need a real engine but not the
 * sample: 100 blocks, 1,000 transactions, every other table empty.
 */
export async function makeTinySnapshot(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-tiny-'))): Promise<string> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  await writeTable(c, dir, findTable('ethereum.blocks')!, `
    SELECT 1000 + i AS block_number, '0x' || lpad(to_hex(i), 64, '0') AS block_hash, '0x' || lpad(to_hex(i - 1), 64, '0') AS parent_hash,
      TIMESTAMP '2026-01-01 00:00:00' + to_seconds(12 * i) AS block_time, '0x' || lpad(to_hex(i % 5), 40, '0') AS miner,
      30000000 AS gas_limit, 15000000 AS gas_used, 10.0 + i % 7 AS base_fee_per_gas_gwei, 10 AS transaction_count
    FROM range(100) r(i)`);
  await writeTable(c, dir, findTable('ethereum.transactions')!, `
    SELECT 1000 + i // 10 AS block_number, TIMESTAMP '2026-01-01 00:00:00' + to_seconds(12 * (i // 10)) AS block_time,
      '0x' || lpad(to_hex(i), 64, '0') AS tx_hash, i % 10 AS tx_index, '0x' || lpad(to_hex(i % 37), 40, '0') AS from_address,
      CASE WHEN i % 50 = 0 THEN NULL ELSE '0x' || lpad(to_hex(i % 11), 40, '0') END AS to_address,
      (i * 1000000000000000)::HUGEINT AS value_wei, i * 0.001 AS value_eth, 21000 AS gas_limit, 21000 AS gas_used,
      12.5 AS gas_price_gwei, 21000 * 12.5e-9 AS fee_eth, i AS nonce, 2 AS tx_type, i % 33 <> 0 AS success, '0x' AS method_id,
      CASE WHEN i % 50 = 0 THEN '0x' || lpad(to_hex(i), 40, 'c') END AS created_contract_address
    FROM range(1000) r(i)`);
  await writeMissingTablesEmpty(c, dir);
  c.closeSync();
  inst.closeSync();
  const manifest: Manifest = {
    chain: 'ethereum', schemaVersion: 1, synthetic: true, source: 'test', blockRange: { first: 1000, last: 1099 },
    timeRange: { first: '2026-01-01 00:00:00', last: '2026-01-01 00:19:48' }, rowCounts: { 'ethereum.blocks': 100, 'ethereum.transactions': 1000 },
    createdAt: new Date(0).toISOString(),
  };
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return dir;
}

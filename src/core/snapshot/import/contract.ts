import type { DuckDBConnection } from '@duckdb/node-api';
import { findTable, type TableSpec } from '../../schema/catalog.js';
import { writeMissingTablesEmpty, writeTable } from '../empty.js';
import { deriveCurated, TOPIC } from '../derive/derive.js';

/**
 * What a format adapter (ethereum-etl.ts, cryo.ts) leaves behind: temp views
 * in one normalised shape, already lowercased, so the contract's derivations
 * live in one place. Always present:
 *   stg_blocks(block_number BIGINT, block_hash, parent_hash, unix_time BIGINT, miner,
 *              gas_limit BIGINT, gas_used BIGINT, base_fee_per_gas_wei DOUBLE, transaction_count INTEGER)
 *   stg_transactions(block_number BIGINT, unix_time BIGINT, tx_hash, tx_index INTEGER, from_address,
 *              to_address, value_wei HUGEINT, value_wei_approx DOUBLE, gas_limit BIGINT, gas_used BIGINT,
 *              gas_price_wei DOUBLE, effective_gas_price_wei DOUBLE, nonce BIGINT, tx_type INTEGER,
 *              success BOOLEAN, method_id VARCHAR, created_contract_address VARCHAR)
 * Present when the flag says so:
 *   stg_logs(block_number BIGINT, unix_time BIGINT, tx_hash, log_index INTEGER, contract_address,
 *              topic0, topic1, topic2, topic3, data)
 *   stg_transfers(block_number BIGINT, unix_time BIGINT, tx_hash, log_index INTEGER, contract_address,
 *              from_address, to_address, amount_raw HUGEINT, amount_raw_approx DOUBLE)
 *   stg_tokens(contract_address, symbol, name, decimals INTEGER)
 * `unix_time` may be NULL (the export lacks it); the block's time is used then.
 * `value_wei`/`amount_raw` are NULL when the value exceeds HUGEINT; the `_approx`
 * DOUBLE still carries it (see defineU256Macros).
 */
export interface Staged {
  logs: boolean;
  transfers: boolean;
  tokens: boolean;
  /** False when stg_blocks.transaction_count is NULL and must be counted from transactions. */
  blockTransactionCount: boolean;
  /** stg_transfers has ERC-20 transfers only (cryo's erc20_transfers). */
  transfersErc20Only?: boolean;
  /** stg_pools(pool_address, token0, token1, factory) exists (eth_call answers while syncing). */
  pools?: boolean;
  /** The curated tables' `blockchain`; default 'ethereum'. */
  blockchain?: string;
}

export const TRANSFER_TOPIC = TOPIC.transfer;

const BLOCK_TIME = `unix_to_timestamp(COALESCE(x.unix_time, b.unix_time))`;

function table(name: string): TableSpec {
  const t = findTable(name);
  if (!t) throw new Error(`contract table ${name} missing from schemas/chain.json`);
  return t;
}

/**
 * Writes every contract table into `dir` from the staging views: the raw tables here, the curated ones
 * by derive/derive.ts. Returns what is approximate or missing (for the manifest's notes).
 */
export async function writeContract(c: DuckDBConnection, dir: string, staged: Staged, progress: (m: string) => void): Promise<string[]> {
  progress('ethereum.blocks');
  const txCount = staged.blockTransactionCount
    ? 'x.transaction_count'
    : 'COALESCE(x.transaction_count, n.transaction_count, 0)';
  const txCountJoin = staged.blockTransactionCount
    ? ''
    : 'LEFT JOIN (SELECT block_number, count(*)::INTEGER AS transaction_count FROM stg_transactions GROUP BY block_number) n USING (block_number)';
  await writeTable(c, dir, table('ethereum.blocks'), `
    SELECT x.block_number, x.block_hash, x.parent_hash, unix_to_timestamp(x.unix_time) AS block_time, x.miner,
      x.gas_limit, x.gas_used, x.base_fee_per_gas_wei / 1e9 AS base_fee_per_gas_gwei, ${txCount} AS transaction_count
    FROM stg_blocks x ${txCountJoin}
    ORDER BY x.block_number`);

  progress('ethereum.transactions');
  // The receipt's effective gas price is what was paid; the transaction's gas_price is the fallback
  // (for mined transactions nodes report the effective price there too).
  await writeTable(c, dir, table('ethereum.transactions'), `
    SELECT x.block_number, ${BLOCK_TIME} AS block_time, x.tx_hash, x.tx_index, x.from_address, x.to_address,
      x.value_wei, COALESCE(x.value_wei::DOUBLE, x.value_wei_approx) / 1e18 AS value_eth,
      x.gas_limit, x.gas_used,
      COALESCE(x.effective_gas_price_wei, x.gas_price_wei) / 1e9 AS gas_price_gwei,
      x.gas_used * COALESCE(x.effective_gas_price_wei, x.gas_price_wei) / 1e18 AS fee_eth,
      x.nonce, x.tx_type, x.success, x.method_id, x.created_contract_address
    FROM stg_transactions x LEFT JOIN stg_blocks b USING (block_number)`);

  if (staged.logs) {
    progress('ethereum.logs');
    await writeTable(c, dir, table('ethereum.logs'), `
      SELECT x.block_number, ${BLOCK_TIME} AS block_time, x.tx_hash, x.log_index, x.contract_address,
        x.topic0, x.topic1, x.topic2, x.topic3, x.data
      FROM stg_logs x LEFT JOIN stg_blocks b USING (block_number)`);
  }

  // Token metadata: the export's tokens file first (what the contract itself reports), the bundled list second.
  const exportTokens = staged.tokens
    ? `(SELECT contract_address, max(symbol) AS symbol, max(name) AS name, max(decimals) AS decimals
         FROM stg_tokens WHERE contract_address IS NOT NULL GROUP BY contract_address)`
    : `(SELECT NULL::VARCHAR AS contract_address, NULL::VARCHAR AS symbol, NULL::VARCHAR AS name, NULL::INTEGER AS decimals WHERE false)`;
  await c.run(`CREATE OR REPLACE TEMP VIEW token_meta AS
    SELECT COALESCE(e.contract_address, k.contract_address) AS contract_address,
      COALESCE(e.symbol, k.symbol) AS symbol, COALESCE(e.name, k.name) AS name,
      COALESCE(e.decimals, k.decimals) AS decimals, e.contract_address IS NOT NULL AS in_export
    FROM ${exportTokens} e FULL OUTER JOIN bundled_tokens k ON e.contract_address = k.contract_address`);

  const notes = await deriveCurated(c, dir, { blockchain: staged.blockchain ?? 'ethereum', logs: staged.logs, transfers: staged.transfers, transfersErc20Only: staged.transfersErc20Only ?? false, pools: staged.pools ?? false }, progress);
  await writeMissingTablesEmpty(c, dir);
  return notes;
}

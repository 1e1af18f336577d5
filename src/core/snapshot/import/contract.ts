import type { DuckDBConnection } from '@duckdb/node-api';
import { findTable, type TableSpec } from '../../schema/catalog.js';
import { writeMissingTablesEmpty, writeTable } from '../empty.js';

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
}

export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

const BLOCK_TIME = `unix_to_timestamp(COALESCE(x.unix_time, b.unix_time))`;

function table(name: string): TableSpec {
  const t = findTable(name);
  if (!t) throw new Error(`contract table ${name} missing from schemas/chain.json`);
  return t;
}

/** Writes every contract table into `dir` from the staging views; curated tables the export cannot fill are written empty. */
export async function writeContract(c: DuckDBConnection, dir: string, staged: Staged, progress: (m: string) => void): Promise<void> {
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

  // Transfers: the export's own decoded transfers, else ERC-20 Transfer logs
  // (topic0 = Transfer, exactly 3 topics, one 32-byte data word: the ERC-20 shape;
  // ERC-721 puts the token id in a 4th topic and is left out).
  const transfers = staged.transfers ? 'stg_transfers' : staged.logs ? `(
      SELECT block_number, unix_time, tx_hash, log_index, contract_address,
        '0x' || right(topic1, 40) AS from_address, '0x' || right(topic2, 40) AS to_address,
        u256_hex_exact(data) AS amount_raw, u256_hex_double(data) AS amount_raw_approx
      FROM stg_logs
      WHERE topic0 = '${TRANSFER_TOPIC}' AND topic1 IS NOT NULL AND topic2 IS NOT NULL AND topic3 IS NULL
        AND length(data) = 66)` : null;

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

  if (transfers) {
    progress('tokens.transfers');
    // decimals are a uint8 on chain; anything else is junk metadata and gives no amount.
    await writeTable(c, dir, table('tokens.transfers'), `
      SELECT 'ethereum' AS blockchain, x.block_number, ${BLOCK_TIME} AS block_time, x.tx_hash, x.log_index,
        x.contract_address, m.symbol, x.from_address, x.to_address, x.amount_raw,
        CASE WHEN m.decimals BETWEEN 0 AND 255
             THEN COALESCE(x.amount_raw::DOUBLE, x.amount_raw_approx) / pow(10.0, m.decimals) END AS amount,
        NULL::DOUBLE AS amount_usd
      FROM ${transfers} x LEFT JOIN stg_blocks b USING (block_number)
        LEFT JOIN token_meta m ON m.contract_address = x.contract_address`);
  }

  // tokens.erc20: every token the export describes, plus bundled tokens that
  // appear in this snapshot's transfers (not the whole bundled list: the table
  // describes this data). Empty when neither is known.
  progress('tokens.erc20');
  const seen = transfers ? `OR m.contract_address IN (SELECT contract_address FROM ${transfers})` : '';
  await writeTable(c, dir, table('tokens.erc20'), `
    SELECT 'ethereum' AS blockchain, m.contract_address, m.symbol, m.name, m.decimals
    FROM token_meta m WHERE m.in_export ${seen}`);

  // dex.trades, prices.hourly, labels.addresses (and any table above the export could not fill).
  progress('empty curated tables');
  await writeMissingTablesEmpty(c, dir);
}

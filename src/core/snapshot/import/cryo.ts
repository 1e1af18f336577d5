import type { DuckDBConnection } from '@duckdb/node-api';
import { OnchainSqlError } from '../../errors.js';
import { DatasetColumns } from './columns.js';
import type { Staged } from './contract.js';
import type { CryoDataset, CryoLayout } from './files.js';
import { fileList, summarizeError } from './sql.js';

/*
 * cryo writes addresses, hashes and byte strings as raw bytes (BLOB) unless run
 * with --hex (then '0x…' strings), and each 256-bit integer as up to three
 * columns: <name>_binary (32-byte big-endian BLOB, or hex with --hex),
 * <name>_string (decimal text) and <name>_f64. The expressions below read
 * whichever form is present.
 */

/** Lowercase 0x-hex of a byte column, BLOB or hex text. */
function hexOf(cols: DatasetColumns, name: string): string {
  const type = cols.type(name);
  if (type === undefined) return 'NULL::VARCHAR';
  if (type === 'BLOB') return `('0x' || lower(hex("${name}")))`;
  return `(CASE WHEN "${name}" IS NULL THEN NULL WHEN lower("${name}") LIKE '0x%' THEN lower("${name}") ELSE '0x' || lower("${name}") END)`;
}

function isNumeric(type: string): boolean {
  return /INT|DECIMAL|DOUBLE|FLOAT|REAL|NUMERIC/.test(type);
}

/** A 256-bit integer exactly (HUGEINT; NULL above its range): prefer <name>_string, else decode <name>_binary. */
function u256Exact(cols: DatasetColumns, name: string): string {
  const str = cols.pick(`${name}_string`, `${name}_str`);
  if (str) return `u256_dec_exact(CAST("${str}" AS VARCHAR))`;
  const bin = cols.pick(`${name}_binary`, `${name}_u256binary`);
  if (bin) return `u256_hex_exact(${hexOf(cols, bin)})`;
  const type = cols.type(name);
  if (type === undefined) return 'NULL::HUGEINT';
  if (type === 'BLOB') return `u256_hex_exact(${hexOf(cols, name)})`;
  if (isNumeric(type)) return `u256_fit(TRY_CAST("${name}" AS HUGEINT))`;
  return `u256_dec_exact(CAST("${name}" AS VARCHAR))`;
}

/** The same integer as DOUBLE, for the decimal-adjusted columns and for values beyond HUGEINT. */
function u256Approx(cols: DatasetColumns, name: string): string {
  const f = cols.pick(`${name}_f64`, `${name}_float`, `${name}_f32`);
  if (f) return `CAST("${f}" AS DOUBLE)`;
  const str = cols.pick(`${name}_string`, `${name}_str`);
  if (str) return `TRY_CAST("${str}" AS DOUBLE)`;
  const bin = cols.pick(`${name}_binary`, `${name}_u256binary`);
  if (bin) return `u256_hex_double(${hexOf(cols, bin)})`;
  const type = cols.type(name);
  if (type === undefined) return 'NULL::DOUBLE';
  if (type === 'BLOB') return `u256_hex_double(${hexOf(cols, name)})`;
  return `TRY_CAST("${name}" AS DOUBLE)`;
}

/** A plain number column (block_number, gas_used, …) under any of its names, cast to `type`. */
function num(cols: DatasetColumns, type: string, ...names: string[]): string {
  const n = cols.pick(...names);
  return n ? `CAST("${n}" AS ${type})` : `NULL::${type}`;
}

/** Token text as the contract returned it; cryo may store it as bytes. */
function text(cols: DatasetColumns, name: string): string {
  const type = cols.type(name);
  if (type === undefined) return 'NULL::VARCHAR';
  return type === 'BLOB' ? `try(decode("${name}"))` : `NULLIF(CAST("${name}" AS VARCHAR), '')`;
}

/** First 4 bytes of the input as 0x-hex ('0x' for empty input). */
function methodId(cols: DatasetColumns): string {
  const type = cols.type('input');
  if (type === undefined) return 'NULL::VARCHAR';
  if (type === 'BLOB') return `('0x' || lower(hex("input"[1:4])))`;
  return `left(${hexOf(cols, 'input')}, 10)`;
}

/** Creates the staging views of contract.ts over a cryo Parquet export, reading the files in place. */
export async function stageCryo(c: DuckDBConnection, dir: string, layout: CryoLayout): Promise<Staged> {
  const F = 'cryo';
  const rel = (d: CryoDataset) => `read_parquet(${fileList(layout[d])}, union_by_name = true)`;
  const cols = async (d: CryoDataset): Promise<DatasetColumns | null> => {
    if (!layout[d].length) return null;
    try {
      return await DatasetColumns.read(c, `cryo ${d} (${layout[d].length} file${layout[d].length === 1 ? '' : 's'})`, rel(d));
    } catch (e) {
      throw new OnchainSqlError('import_format', `Could not read the cryo ${d} dataset in ${dir}: ${summarizeError(e)}`);
    }
  };

  // cryo's default block columns have no parent_hash or gas_limit (they are opt-in): NULL then.
  const b = (await cols('blocks'))!;
  b.require(F, ['block_number', 'number'], ['timestamp']);
  await c.run(`CREATE OR REPLACE TEMP VIEW stg_blocks AS SELECT
      ${num(b, 'BIGINT', 'block_number', 'number')} AS block_number, ${hexOf(b, b.pick('block_hash', 'hash') ?? 'block_hash')} AS block_hash,
      ${hexOf(b, 'parent_hash')} AS parent_hash, CAST("timestamp" AS BIGINT) AS unix_time,
      ${hexOf(b, b.pick('author', 'miner') ?? 'author')} AS miner,
      ${num(b, 'BIGINT', 'gas_limit')} AS gas_limit, ${num(b, 'BIGINT', 'gas_used')} AS gas_used,
      ${u256Approx(b, 'base_fee_per_gas')} AS base_fee_per_gas_wei, NULL::INTEGER AS transaction_count
    FROM ${rel('blocks')}`);

  // created_contract_address is not in cryo's transactions. With the optional contracts dataset (from
  // traces) it is the first contract a contract-creating transaction (no to_address) created: the
  // top-level CREATE precedes nested ones in trace order, and create_index counts in that order.
  // Without it: NULL.
  const k = await cols('contracts');
  let created = 'NULL::VARCHAR';
  let createdJoin = '';
  if (k) {
    k.require(F, ['transaction_hash'], ['contract_address'], ['create_index']);
    await c.run(`CREATE OR REPLACE TEMP VIEW stg_created AS
      SELECT ${hexOf(k, 'transaction_hash')} AS created_tx_hash, arg_min(${hexOf(k, 'contract_address')}, create_index) AS created_address
      FROM ${rel('contracts')} GROUP BY ALL`);
    created = `CASE WHEN to_address IS NULL THEN created_address END`;
    createdJoin = 'LEFT JOIN stg_created ON created_tx_hash = tx_hash';
  }

  // cryo transactions have no receipt: success and gas_used are cryo's own columns (from receipts it
  // fetched), its gas_price is the node's gasPrice, which for mined transactions is the effective price
  // paid, so fee_eth = gas_used × gas_price.
  // block_time comes from the blocks dataset (cryo's optional `timestamp` column is used when present).
  const t = (await cols('transactions'))!;
  t.require(F, ['transaction_hash'], ['block_number']);
  await c.run(`CREATE OR REPLACE TEMP VIEW stg_transactions_base AS SELECT
      CAST(block_number AS BIGINT) AS block_number, ${num(t, 'BIGINT', 'timestamp')} AS unix_time,
      ${hexOf(t, 'transaction_hash')} AS tx_hash, ${num(t, 'INTEGER', 'transaction_index')} AS tx_index,
      ${hexOf(t, 'from_address')} AS from_address, ${hexOf(t, 'to_address')} AS to_address,
      ${u256Exact(t, 'value')} AS value_wei, ${u256Approx(t, 'value')} AS value_wei_approx,
      ${num(t, 'BIGINT', 'gas_limit')} AS gas_limit, ${num(t, 'BIGINT', 'gas_used')} AS gas_used,
      ${u256Approx(t, 'gas_price')} AS gas_price_wei, ${u256Approx(t, 'effective_gas_price')} AS effective_gas_price_wei,
      ${num(t, 'BIGINT', 'nonce')} AS nonce, ${num(t, 'INTEGER', 'transaction_type')} AS tx_type,
      ${num(t, 'BOOLEAN', 'success')} AS success, ${methodId(t)} AS method_id
    FROM ${rel('transactions')}`);
  await c.run(`CREATE OR REPLACE TEMP VIEW stg_transactions AS
    SELECT stg_transactions_base.*, ${created} AS created_contract_address FROM stg_transactions_base ${createdJoin}`);

  const l = await cols('logs');
  if (l) {
    l.require(F, ['transaction_hash'], ['log_index'], ['block_number'], ['address']);
    await c.run(`CREATE OR REPLACE TEMP VIEW stg_logs AS SELECT
        CAST(block_number AS BIGINT) AS block_number, ${num(l, 'BIGINT', 'timestamp')} AS unix_time,
        ${hexOf(l, 'transaction_hash')} AS tx_hash, CAST(log_index AS INTEGER) AS log_index, ${hexOf(l, 'address')} AS contract_address,
        ${hexOf(l, 'topic0')} AS topic0, ${hexOf(l, 'topic1')} AS topic1, ${hexOf(l, 'topic2')} AS topic2, ${hexOf(l, 'topic3')} AS topic3,
        ${hexOf(l, 'data')} AS data
      FROM ${rel('logs')}`);
  }

  const x = await cols('erc20_transfers');
  if (x) {
    x.require(F, ['erc20'], ['transaction_hash'], ['log_index'], ['block_number'], ['value', 'value_string', 'value_binary', 'value_u256binary']);
    await c.run(`CREATE OR REPLACE TEMP VIEW stg_transfers AS SELECT
        CAST(block_number AS BIGINT) AS block_number, ${num(x, 'BIGINT', 'timestamp')} AS unix_time,
        ${hexOf(x, 'transaction_hash')} AS tx_hash, CAST(log_index AS INTEGER) AS log_index, ${hexOf(x, 'erc20')} AS contract_address,
        ${hexOf(x, 'from_address')} AS from_address, ${hexOf(x, 'to_address')} AS to_address,
        ${u256Exact(x, 'value')} AS amount_raw, ${u256Approx(x, 'value')} AS amount_raw_approx
      FROM ${rel('erc20_transfers')}`);
  }

  const m = await cols('erc20_metadata');
  if (m) {
    m.require(F, ['erc20']);
    await c.run(`CREATE OR REPLACE TEMP VIEW stg_tokens AS SELECT
        ${hexOf(m, 'erc20')} AS contract_address, ${text(m, 'symbol')} AS symbol, ${text(m, 'name')} AS name,
        TRY_CAST(${m.ref('decimals')} AS INTEGER) AS decimals
      FROM ${rel('erc20_metadata')}`);
  }

  return { logs: l !== null, transfers: x !== null, transfersErc20Only: true, tokens: m !== null, blockTransactionCount: false };
}

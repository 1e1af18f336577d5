import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** The real two-block mainnet export by ethereum-etl that the cryo exports are made from. */
export const ETL_FIXTURE = path.join(__dirname, '..', 'fixtures', 'ethereum-etl-mainnet-17173049');

export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** Token metadata written to erc20_metadata: WETH as the chain reports it, and a token absent from the bundled list. */
export const CRYO_METADATA = [
  { erc20: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 },
  // Synthetic metadata for a real token of these blocks that schemas/tokens.json does not list.
  { erc20: '0x1ce270557c1f68cfb577b856766310bf8b47fd9c', name: 'Test Metadata Token', symbol: 'TMT', decimals: 18 },
];

/** A transfer of 2^255 base units (above HUGEINT) of a made-up token, appended when `hugeTransfer` is set. */
export const HUGE_TRANSFER = {
  token: '0x' + 'ee'.repeat(20),
  valueHex: '8' + '0'.repeat(63),
  value: '57896044618658097711785492504343953926634992332820282019728792003956564819968',
  logIndex: 9999,
};

// The fixture's transfer values all fit in 128 bits; DuckDB parses '0x…' text only up to 64 bits, so two words.
const LOW_128_BITS_AS_TEXT = `CAST(('0x' || substr(data, 35, 16))::UBIGINT::UHUGEINT * 18446744073709551616::UHUGEINT + ('0x' || substr(data, 51, 16))::UBIGINT::UHUGEINT AS VARCHAR)`;

/** The fixture's contract creation, and synthetic nested CREATEs written to the contracts dataset. */
export const CREATION = { tx: '0xf9e4ca8a940bd7f192dd12e75b32938f187e8098a41817a8e611448e22cca9cc', contract: '0x303abf64fe75964565d2b44b9e4518e6126f1f0e' };
const NESTED_CREATES = {
  inCreation: { tx: CREATION.tx, contract: '0x' + 'dd'.repeat(20), deployer: '0x6cdeb3b685cdf7f2032040e9e8461a77bd9632a7', factory: CREATION.contract },
  inCall: { tx: '0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0', contract: '0x' + 'cc'.repeat(20), deployer: '0xae2fc483527b8ef99eb5d9b44875f005ba1fae13', factory: '0x6b75d8af000000e20b7a7ddf000ba900b4009a80' },
};

export interface CryoExportOptions {
  /** cryo --hex: bytes as '0x…' strings instead of BLOB. */
  hex?: boolean;
  /** cryo --u256-types: which of <name>_binary, <name>_string, <name>_f64 to write. Default: all three (cryo's default). */
  u256Types?: Array<'binary' | 'string' | 'f64'>;
  /** Datasets to write. Default: all six. */
  datasets?: Array<'blocks' | 'transactions' | 'logs' | 'erc20_transfers' | 'erc20_metadata' | 'contracts'>;
  /** Add cryo's opt-in block columns (parent_hash, gas_limit, …) besides the default ones. */
  allBlockColumns?: boolean;
  hugeTransfer?: boolean;
}

/**
 * Builds a small cryo export from the ethereum-etl fixture with DuckDB, in
 * cryo's real dataset names, file names, column names and Parquet types
 * (crates/freeze/src/datasets/*.rs): uint32/uint64 numbers, BLOB (or hex text
 * with --hex) for bytes, 256-bit values as value_binary/value_string/value_f64.
 * Transactions are split into one file per block, as cryo chunks do.
 * erc20_transfers is derived the way cryo does it: Transfer logs with three
 * topics and a 32-byte data word.
 */
export async function makeCryoExport(options: CryoExportOptions = {}, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-cryo-'))): Promise<string> {
  const hex = options.hex ?? false;
  const u256 = options.u256Types ?? ['binary', 'string', 'f64'];
  const datasets = new Set(options.datasets ?? ['blocks', 'transactions', 'logs', 'erc20_transfers', 'erc20_metadata', 'contracts']);
  // Bytes from '0x…' text: raw bytes by default, lowercase hex with --hex.
  const bytes = (e: string) => (hex ? `lower(${e})` : `unhex(substr(${e}, 3))`);
  const u256Cols = (decimalText: string, hexDigits: string) => [
    u256.includes('binary') ? `${bytes(`'0x' || ${hexDigits}`)} AS value_binary` : null,
    u256.includes('string') ? `${decimalText} AS value_string` : null,
    u256.includes('f64') ? `CAST(${decimalText} AS DOUBLE) AS value_f64` : null,
  ].filter((s): s is string => s !== null).join(', ');
  const hex64 = (decimalText: string) => `lpad(lower(to_hex(CAST(${decimalText} AS HUGEINT))), 64, '0')`;

  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    const csv = (name: string) => `read_csv('${path.join(ETL_FIXTURE, `${name}.csv`)}', header = true, all_varchar = true)`;
    const write = async (select: string, dataset: string, first: number, last: number) => {
      const file = path.join(dir, `ethereum__${dataset}__${String(first).padStart(11, '0')}_to_${String(last).padStart(11, '0')}.parquet`);
      await c.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
    };

    if (datasets.has('blocks')) {
      const extra = options.allBlockColumns
        ? `, ${bytes('parent_hash')} AS parent_hash, ${bytes('state_root')} AS state_root, CAST(gas_limit AS UBIGINT) AS gas_limit, CAST(size AS UBIGINT) AS size, total_difficulty AS total_difficulty_string`
        : '';
      await write(`SELECT CAST(number AS UINTEGER) AS block_number, ${bytes('hash')} AS block_hash, CAST(timestamp AS UINTEGER) AS timestamp,
          ${bytes('miner')} AS author, CAST(gas_used AS UBIGINT) AS gas_used, ${bytes('extra_data')} AS extra_data,
          CAST(base_fee_per_gas AS UBIGINT) AS base_fee_per_gas ${extra}, 1::UBIGINT AS chain_id
        FROM ${csv('blocks')} ORDER BY number`, 'blocks', 17173049, 17173050);
    }

    if (datasets.has('transactions')) {
      for (const block of [17173049, 17173050]) {
        // cryo's gas_price is the node's gasPrice, i.e. the effective price for a mined transaction.
        await write(`SELECT CAST(t.block_number AS UINTEGER) AS block_number, CAST(t.transaction_index AS UBIGINT) AS transaction_index,
            ${bytes('t.hash')} AS transaction_hash, CAST(t.nonce AS UBIGINT) AS nonce, ${bytes('t.from_address')} AS from_address,
            ${bytes('t.to_address')} AS to_address, ${u256Cols('t.value', hex64('t.value'))}, ${bytes('t.input')} AS input,
            CAST(t.gas AS UBIGINT) AS gas_limit, CAST(r.gas_used AS UBIGINT) AS gas_used, CAST(r.effective_gas_price AS UBIGINT) AS gas_price,
            CAST(t.transaction_type AS UINTEGER) AS transaction_type, CAST(t.max_priority_fee_per_gas AS UBIGINT) AS max_priority_fee_per_gas,
            CAST(t.max_fee_per_gas AS UBIGINT) AS max_fee_per_gas, r.status = '1' AS success,
            CAST((length(t.input) - 2) // 2 AS UINTEGER) AS n_input_bytes,
            CAST(list_count(list_filter(regexp_extract_all(substr(t.input, 3), '..'), b -> b = '00')) AS UINTEGER) AS n_input_zero_bytes,
            CAST((length(t.input) - 2) // 2 - list_count(list_filter(regexp_extract_all(substr(t.input, 3), '..'), b -> b = '00')) AS UINTEGER) AS n_input_nonzero_bytes,
            1::UBIGINT AS chain_id
          FROM ${csv('transactions')} t JOIN ${csv('receipts')} r ON r.transaction_hash = t.hash
          WHERE t.block_number = '${block}' ORDER BY CAST(t.transaction_index AS INTEGER)`, 'transactions', block, block);
      }
    }

    await c.run(`CREATE TEMP VIEW src_logs AS SELECT *, string_split(topics, ',') AS topic_list FROM ${csv('logs')}`);
    if (datasets.has('logs')) {
      await write(`SELECT CAST(block_number AS UINTEGER) AS block_number, CAST(transaction_index AS UINTEGER) AS transaction_index,
          CAST(log_index AS UINTEGER) AS log_index, ${bytes('transaction_hash')} AS transaction_hash, ${bytes('address')} AS address,
          ${bytes('topic_list[1]')} AS topic0, ${bytes('topic_list[2]')} AS topic1, ${bytes('topic_list[3]')} AS topic2, ${bytes('topic_list[4]')} AS topic3,
          ${bytes('data')} AS data, 1::UBIGINT AS chain_id
        FROM src_logs ORDER BY CAST(block_number AS BIGINT), CAST(log_index AS INTEGER)`, 'logs', 17173049, 17173050);
    }

    if (datasets.has('erc20_transfers')) {
      const fromLogs = `SELECT CAST(block_number AS UINTEGER) AS block_number, CAST(transaction_index AS UINTEGER) AS transaction_index,
          CAST(log_index AS UINTEGER) AS log_index, ${bytes('transaction_hash')} AS transaction_hash, ${bytes('address')} AS erc20,
          ${bytes(`'0x' || right(topic_list[2], 40)`)} AS from_address, ${bytes(`'0x' || right(topic_list[3], 40)`)} AS to_address,
          ${u256Cols(LOW_128_BITS_AS_TEXT, 'substr(data, 3)')}, 1::UBIGINT AS chain_id
        FROM src_logs WHERE topic_list[1] = '${TRANSFER_TOPIC}' AND len(topic_list) = 3 AND length(data) = 66`;
      const h = HUGE_TRANSFER;
      const huge = options.hugeTransfer
        ? `UNION ALL SELECT 17173050::UINTEGER, 0::UINTEGER, ${h.logIndex}::UINTEGER, ${bytes(`'0x${'ab'.repeat(32)}'`)}, ${bytes(`'${h.token}'`)},
             ${bytes(`'0x${'11'.repeat(20)}'`)}, ${bytes(`'0x${'22'.repeat(20)}'`)}, ${u256Cols(`'${h.value}'`, `'${h.valueHex}'`)}, 1::UBIGINT`
        : '';
      await write(`SELECT * FROM (${fromLogs} ${huge}) ORDER BY block_number, log_index`, 'erc20_transfers', 17173049, 17173050);
    }

    if (datasets.has('erc20_metadata')) {
      const rows = [...CRYO_METADATA, ...(options.hugeTransfer ? [{ erc20: HUGE_TRANSFER.token, name: 'Huge Supply Token', symbol: 'HUGE', decimals: 18 }] : [])]
        .map((m) => `SELECT 17173050::UINTEGER AS block_number, ${bytes(`'${m.erc20}'`)} AS erc20, '${m.name}' AS name, '${m.symbol}' AS symbol, ${m.decimals}::UINTEGER AS decimals, 1::UBIGINT AS chain_id`);
      await write(rows.join(' UNION ALL '), 'erc20_metadata', 17173050, 17173050);
    }

    if (datasets.has('contracts')) {
      // The fixture's one contract creation (its receipt's contract_address), plus synthetic CREATEs that
      // must not count as a transaction's created contract: one nested in the same creation (create_index 1)
      // and one made by a contract during an ordinary call. code/code_hash columns are left out
      // (cryo --exclude-columns): the fixture has no runtime code.
      const N = NESTED_CREATES;
      await write(`SELECT * FROM (
          SELECT CAST(t.block_number AS UINTEGER) AS block_number, 0::UINTEGER AS create_index, ${bytes('t.hash')} AS transaction_hash,
            ${bytes('r.contract_address')} AS contract_address, ${bytes('t.from_address')} AS deployer, ${bytes('t.from_address')} AS factory,
            ${bytes('t.input')} AS init_code, 1::UBIGINT AS chain_id
          FROM ${csv('transactions')} t JOIN ${csv('receipts')} r ON r.transaction_hash = t.hash WHERE r.contract_address IS NOT NULL
          UNION ALL
          SELECT 17173050::UINTEGER, 1::UINTEGER, ${bytes(`'${N.inCreation.tx}'`)}, ${bytes(`'${N.inCreation.contract}'`)},
            ${bytes(`'${N.inCreation.deployer}'`)}, ${bytes(`'${N.inCreation.factory}'`)}, ${bytes(`'0x6080'`)}, 1::UBIGINT
          UNION ALL
          SELECT 17173049::UINTEGER, 0::UINTEGER, ${bytes(`'${N.inCall.tx}'`)}, ${bytes(`'${N.inCall.contract}'`)},
            ${bytes(`'${N.inCall.deployer}'`)}, ${bytes(`'${N.inCall.factory}'`)}, ${bytes(`'0x6080'`)}, 1::UBIGINT
        ) ORDER BY block_number, create_index`, 'contracts', 17173049, 17173050);
    }
  } finally {
    c.closeSync();
    inst.closeSync();
  }
  return dir;
}

/** Runs one statement on a throwaway DuckDB, for tests that read Parquet files directly. */
export async function withDuckDB<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    return await fn(c);
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

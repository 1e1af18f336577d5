import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { OnchainSqlError } from '../../errors.js';
import { DatasetColumns } from './columns.js';
import type { Staged } from './contract.js';
import { describeFound, type EtlDataset, type EtlLayout } from './files.js';
import { fileList, summarizeError } from './sql.js';

/**
 * The fields of ethereum-etl's `stream` items that we use, all as VARCHAR so
 * 256-bit numbers (bare JSON numbers above 2^53) keep every digit: DuckDB's
 * JSON reader hands over the number's text. `topics` is a JSON array.
 */
const STREAM_FIELDS = [
  'type', 'number', 'hash', 'parent_hash', 'miner', 'gas_limit', 'gas_used', 'timestamp', 'transaction_count',
  'base_fee_per_gas', 'nonce', 'transaction_index', 'from_address', 'to_address', 'value', 'gas', 'gas_price',
  'input', 'block_timestamp', 'block_number', 'transaction_type', 'receipt_gas_used', 'receipt_contract_address',
  'receipt_status', 'receipt_effective_gas_price', 'log_index', 'transaction_hash', 'address', 'data',
  'token_address', 'symbol', 'name', 'decimals',
] as const;

/** ethereum-etl item type of each dataset in the stream form (receipts are merged into transactions there). */
const STREAM_TYPES: Partial<Record<EtlDataset, string>> = {
  blocks: 'block', transactions: 'transaction', logs: 'log', token_transfers: 'token_transfer', tokens: 'token',
};

/** A relation (FROM-clause text) for one dataset, or null when the export lacks it. */
type Relations = Record<EtlDataset, string | null>;

/** The header line of a CSV file (gzipped or not), read from its first bytes only. */
function csvHeader(file: string): string[] | null {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    let head = buf.subarray(0, n);
    if (/\.gz$/i.test(file)) head = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const line = head.toString('utf8').split('\n')[0].replace(/\r$/, '');
    const names = line.split(',').map((s) => s.trim());
    return names.every((s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) ? names : null;
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * ethereum-etl writes plain RFC 4180 CSV. With the header known, DuckDB reads
 * every column as VARCHAR (256-bit numbers arrive as written; the staging SQL
 * casts each column itself) without sniffing, so a malformed line is reported
 * with its file, line number and text. Files whose headers differ (mixed tool
 * versions) are read by name instead.
 */
function csvRelation(files: string[]): string | null {
  if (!files.length) return null;
  const dialect = `header = true, delim = ',', quote = '"', escape = '"'`;
  const headers = files.map(csvHeader);
  const first = headers[0];
  if (first && headers.every((h) => h?.join(',') === first.join(','))) {
    const columns = first.map((c) => `'${c}': 'VARCHAR'`).join(', ');
    return `read_csv(${fileList(files)}, ${dialect}, auto_detect = false, columns = {${columns}})`;
  }
  return `read_csv(${fileList(files)}, ${dialect}, all_varchar = true, union_by_name = true)`;
}

function csvRelations(layout: EtlLayout): Relations {
  const c = layout.csv;
  return {
    blocks: csvRelation(c.blocks), transactions: csvRelation(c.transactions), receipts: csvRelation(c.receipts),
    logs: csvRelation(c.logs), token_transfers: csvRelation(c.token_transfers), tokens: csvRelation(c.tokens),
  };
}

async function jsonRelations(c: DuckDBConnection, dir: string, layout: EtlLayout): Promise<Relations> {
  const columns = STREAM_FIELDS.map((f) => `${f}: 'VARCHAR'`).concat(`topics: 'VARCHAR[]'`).join(', ');
  await c.run(`CREATE OR REPLACE TEMP VIEW etl_stream AS
    SELECT * FROM read_json(${fileList(layout.json)}, format = 'newline_delimited', columns = {${columns}})`);
  let counts: Map<string, number>;
  try {
    const r = await c.runAndReadAll(`SELECT type, count(*)::INTEGER FROM etl_stream GROUP BY type`);
    counts = new Map(r.getRows().map((row) => [String(row[0]), Number(row[1])]));
  } catch (e) {
    throw new OnchainSqlError('import_format', `Not an ethereum-etl export: expected blocks.csv and transactions.csv, or newline-delimited JSON items from \`ethereumetl stream\`, in ${dir} (${describeFound(dir, layout.all)}); the JSON could not be read: ${summarizeError(e)}`);
  }
  if (!counts.get('block') || !counts.get('transaction')) {
    const seen = [...counts.keys()].filter((k) => k !== 'null').join(', ') || 'none';
    throw new OnchainSqlError('import_format', `Not an ethereum-etl export: expected blocks.csv and transactions.csv, or newline-delimited JSON with items of type "block" and "transaction" (ethereumetl stream), in ${dir} (${describeFound(dir, layout.all)}; item types seen: ${seen}).`);
  }
  const rel = (d: EtlDataset): string | null => {
    const t = STREAM_TYPES[d];
    return t && counts.get(t) ? `(SELECT * FROM etl_stream WHERE type = '${t}')` : null;
  };
  return { blocks: rel('blocks'), transactions: rel('transactions'), receipts: null, logs: rel('logs'), token_transfers: rel('token_transfers'), tokens: rel('tokens') };
}

function label(layout: EtlLayout, d: EtlDataset): string {
  if (layout.kind === 'json') return `the stream's ${STREAM_TYPES[d] ?? d} items`;
  const files = layout.csv[d];
  return files.length === 1 ? path.basename(files[0]) : `${d}*.csv (${files.length} files)`;
}

const lower = (expr: string) => `lower(NULLIF(${expr}, ''))`;

/** Creates the staging views of contract.ts over an ethereum-etl export (CSV files or stream JSON), reading it in place. */
export async function stageEthereumEtl(c: DuckDBConnection, dir: string, layout: EtlLayout): Promise<Staged> {
  const rel = layout.kind === 'csv' ? csvRelations(layout) : await jsonRelations(c, dir, layout);
  const cols = async (d: EtlDataset): Promise<DatasetColumns | null> => {
    const r = rel[d];
    if (!r) return null;
    try {
      return await DatasetColumns.read(c, label(layout, d), r);
    } catch (e) {
      throw new OnchainSqlError('import_format', `Could not read ${label(layout, d)} of the ethereum-etl export in ${dir}: ${summarizeError(e)}`);
    }
  };
  const F = 'ethereum-etl';

  const b = (await cols('blocks'))!;
  b.require(F, ['number'], ['timestamp']);
  await c.run(`CREATE OR REPLACE TEMP VIEW stg_blocks AS SELECT
      CAST(number AS BIGINT) AS block_number, ${lower(b.ref('hash'))} AS block_hash, ${lower(b.ref('parent_hash'))} AS parent_hash,
      CAST(timestamp AS BIGINT) AS unix_time, ${lower(b.ref('miner'))} AS miner,
      CAST(${b.ref('gas_limit')} AS BIGINT) AS gas_limit, CAST(${b.ref('gas_used')} AS BIGINT) AS gas_used,
      TRY_CAST(${b.ref('base_fee_per_gas')} AS DOUBLE) AS base_fee_per_gas_wei,
      CAST(${b.ref('transaction_count')} AS INTEGER) AS transaction_count
    FROM ${rel.blocks}`);

  const t = (await cols('transactions'))!;
  t.require(F, ['hash'], ['block_number']);
  const r = await cols('receipts');
  r?.require(F, ['transaction_hash']);
  // Receipt fields: the stream (and newer exports) carry them on the transaction as receipt_*; export_all has receipts.csv.
  // Without either, gas_used, success, fee_eth and created_contract_address are NULL (unknown, not zero),
  // and gas_price_gwei is the transaction's own gas_price.
  const receipt = (field: string): string => {
    const own = t.has(`receipt_${field}`) ? `t.receipt_${field}` : null;
    const joined = r?.has(field) ? `r.${field}` : null;
    const parts = [own, joined].filter((p): p is string => p !== null).map((p) => `NULLIF(${p}, '')`);
    return parts.length === 0 ? 'NULL::VARCHAR' : parts.length === 1 ? parts[0] : `COALESCE(${parts.join(', ')})`;
  };
  const receiptJoin = r ? `LEFT JOIN ${rel.receipts} r ON lower(r.transaction_hash) = lower(t.hash)` : '';
  const tr = (name: string) => (t.has(name) ? `t.${name}` : 'NULL::VARCHAR');
  await c.run(`CREATE OR REPLACE TEMP VIEW stg_transactions AS SELECT
      CAST(t.block_number AS BIGINT) AS block_number, CAST(${tr('block_timestamp')} AS BIGINT) AS unix_time,
      lower(t.hash) AS tx_hash, CAST(${tr('transaction_index')} AS INTEGER) AS tx_index,
      ${lower(tr('from_address'))} AS from_address, ${lower(tr('to_address'))} AS to_address,
      u256_dec_exact(${tr('value')}) AS value_wei, TRY_CAST(${tr('value')} AS DOUBLE) AS value_wei_approx,
      CAST(${tr('gas')} AS BIGINT) AS gas_limit, CAST(${receipt('gas_used')} AS BIGINT) AS gas_used,
      TRY_CAST(${tr('gas_price')} AS DOUBLE) AS gas_price_wei, TRY_CAST(${receipt('effective_gas_price')} AS DOUBLE) AS effective_gas_price_wei,
      CAST(${tr('nonce')} AS BIGINT) AS nonce, CAST(${tr('transaction_type')} AS INTEGER) AS tx_type,
      CASE ${receipt('status')} WHEN '1' THEN true WHEN '0' THEN false END AS success,
      CASE WHEN ${tr('input')} IS NULL THEN NULL WHEN lower(${tr('input')}) = '0x' THEN '0x' ELSE lower(left(${tr('input')}, 10)) END AS method_id,
      ${lower(receipt('contract_address'))} AS created_contract_address
    FROM ${rel.transactions} t ${receiptJoin}`);

  const l = await cols('logs');
  if (l) {
    l.require(F, ['transaction_hash'], ['log_index'], ['block_number'], ['address']);
    // CSV: topics is one comma-joined field; stream JSON: an array.
    const topics = layout.kind === 'csv' ? `string_split(NULLIF(${l.ref('topics')}, ''), ',')` : l.ref('topics', 'VARCHAR[]');
    await c.run(`CREATE OR REPLACE TEMP VIEW stg_logs AS SELECT
        CAST(block_number AS BIGINT) AS block_number, CAST(${l.ref('block_timestamp')} AS BIGINT) AS unix_time,
        lower(transaction_hash) AS tx_hash, CAST(log_index AS INTEGER) AS log_index, lower(address) AS contract_address,
        ${lower('topic_list[1]')} AS topic0, ${lower('topic_list[2]')} AS topic1, ${lower('topic_list[3]')} AS topic2, ${lower('topic_list[4]')} AS topic3,
        lower(${l.ref('data')}) AS data
      FROM (SELECT *, ${topics} AS topic_list FROM ${rel.logs})`);
  }

  const x = await cols('token_transfers');
  if (x) {
    x.require(F, ['token_address'], ['value'], ['transaction_hash'], ['log_index'], ['block_number']);
    await c.run(`CREATE OR REPLACE TEMP VIEW stg_transfers AS SELECT
        CAST(block_number AS BIGINT) AS block_number, CAST(${x.ref('block_timestamp')} AS BIGINT) AS unix_time,
        lower(transaction_hash) AS tx_hash, CAST(log_index AS INTEGER) AS log_index, lower(token_address) AS contract_address,
        ${lower(x.ref('from_address'))} AS from_address, ${lower(x.ref('to_address'))} AS to_address,
        u256_dec_exact(value) AS amount_raw, TRY_CAST(value AS DOUBLE) AS amount_raw_approx
      FROM ${rel.token_transfers}`);
  }

  const k = await cols('tokens');
  if (k) {
    k.require(F, ['address']);
    // Token metadata is whatever the contract returned: keep the text, accept only a number for decimals.
    await c.run(`CREATE OR REPLACE TEMP VIEW stg_tokens AS SELECT
        lower(address) AS contract_address, NULLIF(${k.ref('symbol')}, '') AS symbol, NULLIF(${k.ref('name')}, '') AS name,
        TRY_CAST(${k.ref('decimals')} AS INTEGER) AS decimals
      FROM ${rel.tokens}`);
  }

  return { logs: l !== null, transfers: x !== null, tokens: k !== null, blockTransactionCount: b.has('transaction_count') };
}

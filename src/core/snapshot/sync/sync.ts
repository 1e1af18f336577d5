import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { OnchainSqlError } from '../../errors.js';
import { catalog, qualifiedName } from '../../schema/catalog.js';
import { TOPIC } from '../derive/derive.js';
import { sqlFilePath } from '../empty.js';
import { sqlString } from '../../sql/literal.js';
import { writeContract } from '../import/contract.js';
import { defineU256Macros } from '../import/sql.js';
import { createBundledTokens } from '../import/token-list.js';
import { MANIFEST_FILE, SNAPSHOT_FORMAT, tableFile, type Manifest } from '../layout.js';
import { checkOutDir, makeWorkDir, notWritable } from '../out-dir.js';
import chainList from './chains.json';
import { poolMetadata, tokenMetadata } from './contract-calls.js';
import { hex, RangeFetcher, type RangeData } from './fetch.js';
import { redactText, RpcClient, type RpcOptions } from './rpc.js';

export interface SyncOptions {
  rpcUrl: string;
  outDir: string;
  fromBlock?: number;
  toBlock?: number;
  /** The last K blocks up to the safe head. */
  lastBlocks?: number;
  /** A span back from the safe head's time, e.g. "24 hours", "7 days", "30 minutes". */
  since?: string;
  /** Confirmations below the head when the node has no "finalized" tag (default 64, two epochs). */
  confirmations?: number;
  /** Blocks per Parquet range file. */
  chunkSize?: number;
  rpc?: Omit<RpcOptions, 'url' | 'signal'>;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
}

export interface SyncProgress {
  message: string;
  blocksDone: number;
  blocksTotal: number;
  blocksPerSecond: number;
  etaSeconds: number | null;
}

export interface SyncResult { manifest: Manifest; blocksSynced: number; requests: number; seconds: number }

type Dataset = 'blocks' | 'transactions' | 'logs' | 'tokens' | 'pools';
const DATASETS: Dataset[] = ['blocks', 'transactions', 'logs', 'tokens', 'pools'];

/** NDJSON field → staging column, per dataset (the raw Parquet holds the stg_* shape of import/contract.ts). */
const RAW_SELECT: Record<Dataset, { fields: string[]; select: string }> = {
  blocks: {
    fields: ['number', 'hash', 'parentHash', 'timestamp', 'miner', 'gasLimit', 'gasUsed', 'baseFeePerGas', 'txCount'],
    select: `SELECT hex_u64(number)::BIGINT AS block_number, lower(hash) AS block_hash, lower(parentHash) AS parent_hash,
      hex_u64(timestamp)::BIGINT AS unix_time, lower(miner) AS miner, hex_u64(gasLimit)::BIGINT AS gas_limit, hex_u64(gasUsed)::BIGINT AS gas_used,
      u256_hex_double(baseFeePerGas) AS base_fee_per_gas_wei, txCount::INTEGER AS transaction_count`,
  },
  transactions: {
    fields: ['blockNumber', 'timestamp', 'hash', 'transactionIndex', 'from', 'to', 'value', 'gas', 'gasPrice', 'nonce', 'type', 'method',
      'gasUsed', 'effectiveGasPrice', 'status', 'contractAddress'],
    select: `SELECT hex_u64(blockNumber)::BIGINT AS block_number, hex_u64(timestamp)::BIGINT AS unix_time, lower(hash) AS tx_hash,
      hex_u64(transactionIndex)::INTEGER AS tx_index, lower("from") AS from_address, lower("to") AS to_address,
      u256_hex_exact(value) AS value_wei, u256_hex_double(value) AS value_wei_approx, hex_u64(gas)::BIGINT AS gas_limit,
      hex_u64(gasUsed)::BIGINT AS gas_used, u256_hex_double(gasPrice) AS gas_price_wei, u256_hex_double(effectiveGasPrice) AS effective_gas_price_wei,
      hex_u64(nonce)::BIGINT AS nonce, hex_u64(type)::INTEGER AS tx_type,
      CASE status WHEN '0x1' THEN true WHEN '0x0' THEN false END AS success, lower(method) AS method_id, lower(contractAddress) AS created_contract_address`,
  },
  logs: {
    fields: ['blockNumber', 'timestamp', 'transactionHash', 'logIndex', 'address', 'topic0', 'topic1', 'topic2', 'topic3', 'data'],
    select: `SELECT hex_u64(blockNumber)::BIGINT AS block_number, hex_u64(timestamp)::BIGINT AS unix_time, lower(transactionHash) AS tx_hash,
      hex_u64(logIndex)::INTEGER AS log_index, lower(address) AS contract_address, lower(topic0) AS topic0, lower(topic1) AS topic1,
      lower(topic2) AS topic2, lower(topic3) AS topic3, lower(data) AS data`,
  },
  tokens: {
    fields: ['contract_address', 'symbol', 'name', 'decimals'],
    select: 'SELECT contract_address, symbol, name, TRY_CAST(decimals AS INTEGER) AS decimals',
  },
  pools: { fields: ['pool_address', 'token0', 'token1', 'factory'], select: 'SELECT pool_address, token0, token1, factory' },
};

export function chainName(chainId: number): string {
  return (chainList.chains as Record<string, string>)[String(chainId)] ?? `chain_${chainId}`;
}

/** "24 hours", "7 days", "30 min" → seconds. */
export function parseSince(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|seconds?|m|min|minutes?|h|hours?|d|days?|w|weeks?)\s*$/i.exec(text);
  if (!m) throw new OnchainSqlError('usage', `--since needs a span such as "24 hours", "7 days" or "30 minutes", got "${text}".`);
  const unit = m[2].toLowerCase()[0];
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600, d: 86400, w: 604800 } as Record<string, number>)[unit];
}

/** Raw range files: raw/<dataset>/<first>-<last>.parquet (zero-padded so names sort by block). */
function rawFile(dataset: Dataset, first: number, last: number): string {
  return `raw/${dataset}/${String(first).padStart(12, '0')}-${String(last).padStart(12, '0')}.parquet`;
}

/** Block intervals of [first, last] not yet in `done`, cut into chunks. */
export function missingChunks(first: number, last: number, done: Array<{ first: number; last: number }>, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const covered = (n: number) => done.some((r) => n >= r.first && n <= r.last);
  let n = first;
  while (n <= last) {
    if (covered(n)) {
      n++;
      continue;
    }
    const start = n;
    while (n <= last && !covered(n) && n - start < size) n++;
    out.push([start, n - 1]);
  }
  return out;
}

/** Writes the manifest through a temporary file and a rename, so a reader (or a kill) never sees half of it. */
function writeManifestAtomic(dir: string, m: Manifest): void {
  const tmp = path.join(dir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, `${JSON.stringify(m, null, 2)}\n`);
  fs.renameSync(tmp, path.join(dir, MANIFEST_FILE));
}

/**
 * Syncs a block range from an EVM JSON-RPC endpoint into a snapshot folder:
 * raw Parquet per block range under raw/ (each written to a temporary name
 * and renamed), then the contract tables derived from all ranges by the same
 * transforms as the importers. The manifest is rewritten after every range,
 * so a kill leaves a valid snapshot and the next run fetches only the ranges
 * still missing; re-syncing a range is a no-op.
 */
export async function syncSnapshot(options: SyncOptions): Promise<SyncResult> {
  const outDir = path.resolve(options.outDir);
  const rpc = new RpcClient({ ...options.rpc, url: options.rpcUrl, signal: options.signal });
  try {
    return await runSync(options, outDir, rpc);
  } catch (e) {
    // Some errors (an AbortError) have a read-only message; those carry no URL.
    if (e instanceof Error && e.name !== 'AbortError') {
      try { e.message = redactText(e.message, options.rpcUrl); } catch { /* read-only message */ }
    }
    throw e;
  }
}

async function runSync(options: SyncOptions, outDir: string, rpc: RpcClient): Promise<SyncResult> {
  const t0 = performance.now();
  const say = (message: string, blocksDone = 0, blocksTotal = 0) => {
    const secs = (performance.now() - t0) / 1000;
    const rate = secs > 0 ? blocksDone / secs : 0;
    options.onProgress?.({ message, blocksDone, blocksTotal, blocksPerSecond: rate, etaSeconds: rate > 0 ? (blocksTotal - blocksDone) / rate : null });
  };
  const chainId = Number(await rpc.call<string>('eth_chainId', []));
  const blockchain = chainName(chainId);
  const state = checkOutDir(outDir);
  const previous = state.previous;
  if (previous && previous.source !== 'rpc') {
    throw new OnchainSqlError('usage', `${outDir} holds a snapshot made by ${previous.source}; sync writes its own snapshots. Choose a new or empty folder for --out.`);
  }
  if (previous?.sync && previous.sync.chainId !== chainId) {
    throw new OnchainSqlError('rpc', `Wrong chain: ${outDir} holds ${chainName(previous.sync.chainId)} (chain id ${previous.sync.chainId}) but the endpoint serves ${blockchain} (chain id ${chainId}). Use an endpoint of the same chain, or a new --out folder.`);
  }

  // Safe head: the node's "finalized" block when it has one, else head minus confirmations.
  const head = Number(await rpc.call<string>('eth_blockNumber', []));
  let safe: number;
  let safeLabel: string;
  const finalized = await rpc.call<{ number: string } | null>('eth_getBlockByNumber', ['finalized', false]).catch(() => null);
  if (finalized?.number) {
    safe = Number(finalized.number);
    safeLabel = 'finalized';
  } else {
    const n = options.confirmations ?? 64;
    safe = Math.max(0, head - n);
    safeLabel = `head-${n}`;
  }
  const [from, to] = await resolveRange(options, rpc, safe, head, safeLabel);
  const size = Math.max(1, Math.trunc(options.chunkSize ?? 100));
  const done = previous?.sync?.ranges ?? [];
  const chunks = missingChunks(from, to, done, size);
  const total = chunks.reduce((s, [a, b]) => s + b - a + 1, 0);
  say(`Syncing ${blockchain} blocks ${from}–${to} (${total} to fetch; safe head ${safe}, ${safeLabel}) from ${rpc.endpoint}`, 0, total);

  const files = new Set(previous?.files ?? []);
  const clash = state.foreign.filter((f) => f.startsWith('raw/') || catalog.tables.some((t) => f === `${t.namespace}/${t.name}.parquet`));
  if (clash.length) throw new OnchainSqlError('usage', `${outDir} holds ${clash.join(', ')}, which this tool did not write and would have to replace; nothing was changed.`);

  const work = makeWorkDir(outDir, 'syncing');
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', temp_directory: path.join(work, '.spill') });
  const c = await instance.connect();
  let manifest: Manifest = previous ?? emptyManifest(blockchain);
  try {
    fs.mkdirSync(outDir, { recursive: true });
    await defineU256Macros(c);
    await c.run('CREATE OR REPLACE TEMP MACRO hex_u64(h) AS TRY_CAST(h AS UBIGINT)');
    await createBundledTokens(c);
    if (blockchain !== 'ethereum') await c.run('DELETE FROM bundled_tokens');
    const known = await knownAddresses(c, outDir, [...files]);
    const fetcher = new RangeFetcher(rpc);
    let blocksDone = 0;
    let lastBuild = 0;
    let built = false;
    const ranges = [...done];
    for (const [a, b] of chunks) {
      options.signal?.throwIfAborted();
      const data = await fetcher.fetch(a, b);
      const extra = await metadataFor(rpc, data, known, hex(b));
      for (const ds of DATASETS) {
        const rows = ds === 'tokens' ? extra.tokens : ds === 'pools' ? extra.pools : data[ds];
        const rel = rawFile(ds, a, b);
        await writeRaw(c, work, path.join(outDir, rel), ds, rows);
        files.add(rel);
      }
      ranges.push({ first: a, last: b });
      blocksDone += b - a + 1;
      manifest = { ...manifest, files: [...files].sort(), sync: { chainId, safeHead: safeLabel, ranges: mergeRanges(ranges) } };
      // The contract tables follow every 15 s (and at the end); between, the manifest records the new ranges.
      if (performance.now() - lastBuild > 15_000 || !catalog.tables.every((t) => files.has(`${t.namespace}/${t.name}.parquet`))) {
        manifest = await buildContract(c, outDir, work, manifest, blockchain, files);
        lastBuild = performance.now();
        built = true;
      } else {
        writeManifestAtomic(outDir, manifest);
        built = false;
      }
      say(`Synced blocks ${a}–${b}`, blocksDone, total);
    }
    if (chunks.length === 0) say(`Blocks ${from}–${to} are already in ${outDir}: nothing to fetch`, 0, 0);
    if (!built) manifest = await buildContract(c, outDir, work, manifest, blockchain, files);
    const seconds = (performance.now() - t0) / 1000;
    say(`Synced ${blocksDone} blocks in ${seconds.toFixed(1)} s (${rpc.requests} RPC requests${fetcher.noBlockReceipts ? '; receipts one by one: the node has no eth_getBlockReceipts' : ''})`, blocksDone, total);
    return { manifest, blocksSynced: blocksDone, requests: rpc.requests, seconds };
  } catch (e) {
    throw notWritable(e, outDir);
  } finally {
    c.closeSync();
    instance.closeSync();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function emptyManifest(blockchain: string): Manifest {
  return { format: SNAPSHOT_FORMAT, files: [], chain: blockchain, schemaVersion: catalog.schemaVersion, synthetic: false, source: 'rpc',
    blockRange: { first: 0, last: 0 }, timeRange: { first: '', last: '' }, rowCounts: {}, createdAt: new Date().toISOString() };
}

function mergeRanges(ranges: Array<{ first: number; last: number }>): Array<{ first: number; last: number }> {
  const sorted = [...ranges].sort((x, y) => x.first - y.first);
  const out: Array<{ first: number; last: number }> = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.first <= prev.last + 1) prev.last = Math.max(prev.last, r.last);
    else out.push({ ...r });
  }
  return out;
}

async function resolveRange(o: SyncOptions, rpc: RpcClient, safe: number, head: number, safeLabel: string): Promise<[number, number]> {
  const given = [o.fromBlock !== undefined || o.toBlock !== undefined, o.lastBlocks !== undefined, o.since !== undefined].filter(Boolean).length;
  if (given !== 1) throw new OnchainSqlError('usage', 'Give the range one way: --from-block N --to-block M, or --last-blocks K, or --since "24 hours".');
  if (o.lastBlocks !== undefined) {
    if (!(o.lastBlocks >= 1)) throw new OnchainSqlError('usage', '--last-blocks needs a positive number.');
    return [Math.max(0, safe - o.lastBlocks + 1), safe];
  }
  if (o.since !== undefined) {
    const span = parseSince(o.since);
    // A block the node does not have (pruned history) counts as older than the target.
    const time = async (n: number) => Number((await rpc.call<{ timestamp: string } | null>('eth_getBlockByNumber', [hex(n), false]))?.timestamp ?? -Infinity);
    const target = (await time(safe)) - span;
    let lo = 0;
    let hi = safe;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await time(mid)) >= target) hi = mid;
      else lo = mid + 1;
    }
    return [lo, safe];
  }
  if (o.fromBlock === undefined || o.toBlock === undefined) throw new OnchainSqlError('usage', '--from-block and --to-block go together.');
  if (!(o.fromBlock >= 0) || !(o.toBlock >= o.fromBlock)) throw new OnchainSqlError('usage', `The range ${o.fromBlock}–${o.toBlock} is empty or negative.`);
  if (o.toBlock > safe) {
    throw new OnchainSqlError('usage', `--to-block ${o.toBlock} is beyond the safe head ${safe} (${safeLabel}; chain head ${head}). Only blocks that cannot be reorganised away are written.`);
  }
  return [o.fromBlock, o.toBlock];
}

/** Tokens and pools already described by earlier ranges (their eth_call answers are not asked again). */
async function knownAddresses(c: DuckDBConnection, outDir: string, files: string[]): Promise<{ tokens: Set<string>; pools: Set<string> }> {
  const read = async (ds: Dataset, col: string) => {
    const list = files.filter((f) => f.startsWith(`raw/${ds}/`));
    if (!list.length) return new Set<string>();
    const r = await c.runAndReadAll(`SELECT DISTINCT ${col} FROM read_parquet([${list.map((f) => sqlFilePath(path.join(outDir, f))).join(', ')}])`);
    return new Set(r.getRows().map((x) => String(x[0])));
  };
  return { tokens: await read('tokens', 'contract_address'), pools: await read('pools', 'pool_address') };
}

async function metadataFor(rpc: RpcClient, data: RangeData, known: { tokens: Set<string>; pools: Set<string> }, block: string) {
  const tokens = new Set<string>();
  const pools = new Set<string>();
  for (const l of data.logs) {
    const address = String(l.address).toLowerCase();
    if (l.topic0 === TOPIC.transfer && l.topic3 === null && !known.tokens.has(address)) tokens.add(address);
    if ((l.topic0 === TOPIC.uniswapV2Swap || l.topic0 === TOPIC.uniswapV3Swap) && !known.pools.has(address)) pools.add(address);
  }
  const poolRows = await poolMetadata(rpc, [...pools], block);
  // A pool's tokens need metadata too, even when they moved no Transfer in this range.
  for (const p of poolRows) for (const t of [p.token0, p.token1]) if (t && !known.tokens.has(t)) tokens.add(t);
  const tokenRows = await tokenMetadata(rpc, [...tokens], block);
  for (const t of tokens) known.tokens.add(t);
  for (const p of pools) known.pools.add(p);
  return { tokens: tokenRows as unknown as Array<Record<string, string | null>>, pools: poolRows as unknown as Array<Record<string, string | null>> };
}

/** One dataset of one range as Parquet: NDJSON in the work folder → DuckDB → a temporary name → rename. */
async function writeRaw(c: DuckDBConnection, work: string, target: string, ds: Dataset, rows: Array<Record<string, string | null>>): Promise<void> {
  const spec = RAW_SELECT[ds];
  const columns = `{${spec.fields.map((f) => `'${f}': 'VARCHAR'`).join(', ')}}`;
  let source: string;
  if (rows.length) {
    const json = path.join(work, `${ds}.jsonl`);
    fs.writeFileSync(json, rows.map((r) => JSON.stringify(Object.fromEntries(spec.fields.map((f) => [f, r[f] ?? null])))).join('\n') + '\n');
    source = `read_json(${sqlFilePath(json)}, format = 'newline_delimited', columns = ${columns})`;
  } else {
    source = `(SELECT ${spec.fields.map((f) => `NULL::VARCHAR AS "${f}"`).join(', ')} WHERE false)`;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.tmp`);
  await c.run(`COPY (${spec.select} FROM ${source}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
  fs.renameSync(tmp, target);
}

/** Derives every contract table from all raw ranges (the importers' transforms), moves them in, then writes the manifest. */
async function buildContract(c: DuckDBConnection, outDir: string, work: string, m: Manifest, blockchain: string, files: Set<string>): Promise<Manifest> {
  for (const ds of DATASETS) {
    const list = [...files].filter((f) => f.startsWith(`raw/${ds}/`)).map((f) => sqlFilePath(path.join(outDir, f)));
    const name = ds === 'tokens' ? 'stg_tokens_raw' : `stg_${ds}`;
    await c.run(`CREATE OR REPLACE TEMP VIEW ${name} AS SELECT * FROM read_parquet([${list.join(', ')}])`);
  }
  // Several ranges may describe a token: one row per address, answers preferred to reverts.
  await c.run(`CREATE OR REPLACE TEMP VIEW stg_tokens AS SELECT contract_address, max(symbol) AS symbol, max(name) AS name, max(decimals) AS decimals
    FROM stg_tokens_raw GROUP BY contract_address`);
  const build = path.join(work, 'contract');
  fs.rmSync(build, { recursive: true, force: true });
  const notes = await writeContract(c, build, { logs: true, transfers: false, tokens: true, pools: true, blockTransactionCount: true, blockchain }, () => {});
  const rowCounts: Record<string, number> = {};
  for (const t of catalog.tables) {
    const r = await c.runAndReadAll(`SELECT count(*)::BIGINT FROM read_parquet(${sqlFilePath(tableFile(build, t))})`);
    rowCounts[qualifiedName(t)] = Number(r.getRows()[0][0]);
  }
  const r = await c.runAndReadAll(`SELECT min(block_number)::BIGINT, max(block_number)::BIGINT, strftime(min(block_time), '%Y-%m-%d %H:%M:%S'),
    strftime(max(block_time), '%Y-%m-%d %H:%M:%S') FROM read_parquet(${sqlFilePath(tableFile(build, { namespace: 'ethereum', name: 'blocks' }))})`);
  const [first, last, t0, t1] = r.getRows()[0];
  for (const t of catalog.tables) {
    const rel = `${t.namespace}/${t.name}.parquet`;
    fs.mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    fs.renameSync(tableFile(build, t), path.join(outDir, rel));
    files.add(rel);
  }
  const manifest: Manifest = {
    ...m, format: SNAPSHOT_FORMAT, files: [...files].sort(), chain: blockchain, source: 'rpc', synthetic: false,
    blockRange: { first: Number(first ?? 0), last: Number(last ?? 0) }, timeRange: { first: String(t0 ?? ''), last: String(t1 ?? '') },
    rowCounts, notes, createdAt: new Date().toISOString(),
  };
  writeManifestAtomic(outDir, manifest);
  return manifest;
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { OnchainSqlError } from '../errors.js';
import { catalog, qualifiedName } from '../schema/catalog.js';
import { sqlFilePath } from './empty.js';
import { checkOutDir, installSnapshot, makeWorkDir, withFileList } from './out-dir.js';
import { MANIFEST_FILE, tableFile, type Manifest } from './layout.js';
import { writeContract, type Staged } from './import/contract.js';
import { stageCryo } from './import/cryo.js';
import { stageEthereumEtl } from './import/ethereum-etl.js';
import { locateExport, type ImportFormat } from './import/files.js';
import { defineU256Macros, summarizeError } from './import/sql.js';
import { createBundledTokens } from './import/token-list.js';

export type { ImportFormat } from './import/files.js';

export interface ImportOptions {
  from: ImportFormat;
  inDir: string;
  outDir: string;
  onProgress?: (message: string) => void;
}

/**
 * Turns a cryo or ethereum-etl export into a snapshot of the contract. DuckDB
 * reads the export in place and streams each table into Parquet (no copy of the
 * input, no row loop in JS). The snapshot is built in a hidden sibling folder
 * and moved into place file by file once whole (out-dir.ts): a failed import
 * leaves nothing behind, and files in `outDir` it did not write are kept.
 */
export async function importSnapshot(options: ImportOptions): Promise<Manifest> {
  const inDir = path.resolve(options.inDir);
  const outDir = path.resolve(options.outDir);
  const progress = options.onProgress ?? (() => {});
  const layout = options.from === 'cryo' ? locateExport('cryo', inDir) : locateExport('ethereum-etl', inDir);
  const state = checkOutDir(outDir, inDir);
  const work = makeWorkDir(outDir, 'importing');
  let instance: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  try {
    // Its own unsandboxed instance: it must read the export folder, which the query engine never may.
    instance = await DuckDBInstance.create(':memory:', { threads: String(Math.max(1, Math.min(4, os.cpus().length))), temp_directory: path.join(work, '.spill') });
    conn = await instance.connect();
    await defineU256Macros(conn);
    await createBundledTokens(conn);
    progress(`Reading the ${options.from} export in ${inDir}`);
    let staged: Staged;
    let notes: string[];
    try {
      staged = 'kind' in layout ? await stageEthereumEtl(conn, inDir, layout) : await stageCryo(conn, inDir, layout);
      notes = await writeContract(conn, work, staged, (table) => progress(`Writing ${table}`));
    } catch (e) {
      throw asImportError(e, options.from, inDir);
    }
    fs.rmSync(path.join(work, '.spill'), { recursive: true, force: true });
    const manifest = withFileList({ ...(await makeManifest(conn, work, options.from)), notes }, work);
    if (manifest.rowCounts['ethereum.blocks'] === 0) {
      throw new OnchainSqlError('import_format', `The ${options.from} export in ${inDir} has no blocks: nothing to import.`);
    }
    fs.writeFileSync(path.join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    conn.closeSync();
    conn = undefined;
    instance.closeSync();
    instance = undefined;
    installSnapshot(work, state, manifest);
    if (state.foreign.length) progress(`Kept ${state.foreign.length} file(s) in ${outDir} that onchain-sql did not write: ${state.foreign.join(', ')}`);
    progress(`Imported ${manifest.rowCounts['ethereum.blocks']} blocks, ${manifest.rowCounts['ethereum.transactions']} transactions into ${outDir}`);
    return manifest;
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    throw e;
  } finally {
    try { conn?.closeSync(); } catch { /* already closed */ }
    try { instance?.closeSync(); } catch { /* already closed */ }
  }
}

/** DuckDB's own messages name the file and line; say which import failed around them. */
function asImportError(e: unknown, from: ImportFormat, inDir: string): OnchainSqlError {
  if (e instanceof OnchainSqlError) return e;
  return new OnchainSqlError('import_format', `Could not import the ${from} export in ${inDir}: ${summarizeError(e)}`);
}

async function makeManifest(c: DuckDBConnection, dir: string, source: ImportFormat): Promise<Manifest> {
  const rowCounts: Record<string, number> = {};
  for (const t of catalog.tables) {
    const r = await c.runAndReadAll(`SELECT count(*)::BIGINT FROM read_parquet(${sqlFilePath(tableFile(dir, t))})`);
    rowCounts[qualifiedName(t)] = Number(r.getRows()[0][0]);
  }
  const blocks = tableFile(dir, { namespace: 'ethereum', name: 'blocks' });
  const r = await c.runAndReadAll(`SELECT min(block_number)::BIGINT, max(block_number)::BIGINT,
    strftime(min(block_time), '%Y-%m-%d %H:%M:%S'), strftime(max(block_time), '%Y-%m-%d %H:%M:%S') FROM read_parquet(${sqlFilePath(blocks)})`);
  const [first, last, tFirst, tLast] = r.getRows()[0];
  return {
    chain: 'ethereum',
    schemaVersion: catalog.schemaVersion,
    synthetic: false,
    source,
    blockRange: { first: Number(first ?? 0), last: Number(last ?? 0) },
    timeRange: { first: String(tFirst ?? ''), last: String(tLast ?? '') },
    rowCounts,
    createdAt: new Date().toISOString(),
  };
}

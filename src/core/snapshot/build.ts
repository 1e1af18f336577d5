import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { catalog, qualifiedName } from '../schema/catalog.js';
import { sqlFilePath, writeTable } from './empty.js';
import { OnchainSqlError } from '../errors.js';
import { checkOutDir, installSnapshot, makeWorkDir, withFileList } from './out-dir.js';
import { MANIFEST_FILE, tableFile, type Manifest } from './layout.js';
import { contractSelects, sampleSteps } from './sample/generate.js';

export interface BuildOptions {
  outDir: string;
  scale?: number;
  seed?: number;
  /** DuckDB worker threads for the build; default: DuckDB's own (all cores). The data does not depend on it. */
  threads?: number;
  onProgress?: (message: string) => void;
  /** Stops the build between steps; `outDir` is then left exactly as it was. */
  signal?: AbortSignal;
}

/**
 * Generates the synthetic, deterministic sample snapshot with DuckDB SQL: the
 * same seed and scale give the same rows and the same manifest. The snapshot is
 * written beside `outDir` and renamed into place only when complete, so an
 * interrupted build never leaves a half snapshot.
 */
export async function buildSnapshot(options: BuildOptions): Promise<Manifest> {
  const scale = options.scale ?? 1;
  const seed = Math.trunc(options.seed ?? 1);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`buildSnapshot: scale must be a positive number, got ${scale}`);
  const progress = options.onProgress ?? (() => {});
  const outDir = path.resolve(options.outDir);
  const state = checkOutDir(outDir);
  const tmpDir = makeWorkDir(outDir, 'building');
  // Its own unsandboxed in-memory DuckDB; large scales spill to a private temp folder rather than the working directory.
  const spillDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sql-build-'));
  const memoryGb = Math.max(1, Math.floor((os.totalmem() / 2 ** 30) * 0.4));
  const config: Record<string, string> = { temp_directory: spillDir, memory_limit: `${memoryGb}GB` };
  if (options.threads !== undefined) config.threads = String(Math.max(1, Math.trunc(options.threads)));
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  const stopIfCancelled = (): void => {
    if (options.signal?.aborted) throw new OnchainSqlError('cancelled', `Building the sample was cancelled; nothing in ${outDir} was changed.`);
  };
  try {
    let lastLabel = '';
    for (const step of sampleSteps(seed, scale)) {
      stopIfCancelled();
      if (step.label !== lastLabel) progress(`Generating ${step.label}…`);
      lastLabel = step.label;
      await conn.run(step.sql);
    }
    const selects = contractSelects();
    const rowCounts: Record<string, number> = {};
    for (const t of catalog.tables) {
      const name = qualifiedName(t);
      const select = selects[name];
      if (!select) throw new Error(`buildSnapshot: no generator for ${name}`);
      stopIfCancelled();
      progress(`Writing ${name}…`);
      await writeTable(conn, tmpDir, t, select);
      rowCounts[name] = await count(conn, `SELECT count(*) FROM read_parquet(${sqlFilePath(tableFile(tmpDir, t))})`);
    }
    const manifest = withFileList(await describe(conn, seed, scale, rowCounts), tmpDir);
    fs.writeFileSync(path.join(tmpDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    stopIfCancelled();
    installSnapshot(tmpDir, state, manifest);
    progress(`Sample snapshot written to ${outDir}`);
    return manifest;
  } catch (e) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw e;
  } finally {
    conn.closeSync();
    instance.closeSync();
    fs.rmSync(spillDir, { recursive: true, force: true });
  }
}

async function count(conn: DuckDBConnection, sql: string): Promise<number> {
  const r = await conn.runAndReadAll(sql);
  return Number(r.getRows()[0][0]);
}

async function describe(conn: DuckDBConnection, seed: number, scale: number, rowCounts: Record<string, number>): Promise<Manifest> {
  const r = await conn.runAndReadAll(`SELECT min(block_number), max(block_number), strftime(min(block_time), '%Y-%m-%d %H:%M:%S'), strftime(max(block_time), '%Y-%m-%d %H:%M:%S') FROM blk`);
  const [first, last, t0, t1] = r.getRows()[0];
  return {
    chain: 'ethereum',
    schemaVersion: catalog.schemaVersion,
    synthetic: true,
    source: 'sample',
    seed,
    scale,
    blockRange: { first: Number(first), last: Number(last) },
    timeRange: { first: String(t0), last: String(t1) },
    rowCounts,
    // Derived from the data, not the clock, so the same seed gives the same manifest.
    createdAt: new Date(`${String(t1).replace(' ', 'T')}Z`).toISOString(),
  };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { catalog, qualifiedName, type TableSpec } from '../schema/catalog.js';
import { tableFile, type Manifest } from '../snapshot/layout.js';
import { globLiteral, sqlFilePath } from '../snapshot/empty.js';
import { OnchainSqlError } from '../errors.js';
import { sqlString } from '../sql/literal.js';

export interface SandboxOptions {
  threads: number;
  /** DuckDB's memory_limit, e.g. '2GB'. */
  memoryLimit: string;
  /** DuckDB's spill folder (made and removed by the caller). */
  tempDir: string;
}

export interface Sandbox {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
}

/** The private folder inside a worker's spill folder where Parquet exports are staged. */
export function exportDirOf(tempDir: string): string {
  return path.join(tempDir, 'export');
}

/**
 * A DuckDB instance that can read only the snapshot folder, with the contract's
 * views and `snapshot_time()` defined and the configuration locked. Runs inside
 * the worker process; nothing here checks statements (that is validateSql's job).
 */
export async function openSandbox(dir: string, manifest: Manifest, options: SandboxOptions): Promise<Sandbox> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(options.threads),
    memory_limit: options.memoryLimit,
    temp_directory: options.tempDir,
  });
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    await defineContract(connection, dir, manifest);
    // Order matters: the allow-list first, then external access off, then lock.
    // The views read the snapshot through glob-escaped paths (sqlFilePath), which DuckDB checks as written.
    // The export folder is where the engine's own `COPY (validated query) TO …` writes (parquet-copy.ts); the guard refuses COPY from users and models.
    const exportDir = exportDirOf(options.tempDir);
    fs.mkdirSync(exportDir, { recursive: true });
    const allowed = [...new Set([dir + path.sep, globLiteral(dir) + path.sep, exportDir + path.sep])].map(sqlString).join(', ');
    await connection.run(`SET allowed_directories = [${allowed}]`);
    await connection.run('SET enable_external_access = false');
    await connection.run('SET autoinstall_known_extensions = false');
    await connection.run('SET autoload_known_extensions = false');
    await connection.run('SET lock_configuration = true');
    return { instance, connection };
  } catch (e) {
    try { connection?.closeSync(); } catch { /* already closed */ }
    try { instance.closeSync(); } catch { /* already closed */ }
    throw e instanceof OnchainSqlError ? e : new OnchainSqlError('snapshot_corrupt', `Could not open snapshot ${dir}: ${(e as Error).message}`);
  }
}

/** Schemas, one view per contract table, and `snapshot_time()` fixed to the newest block. */
async function defineContract(c: DuckDBConnection, dir: string, manifest: Manifest): Promise<void> {
  for (const ns of new Set(catalog.tables.map((t) => t.namespace))) await c.run(`CREATE SCHEMA ${ns}`);
  for (const t of catalog.tables) {
    try {
      await c.run(`CREATE VIEW ${qualifiedName(t)} AS SELECT ${columnList(t)} FROM read_parquet(${sqlFilePath(tableFile(dir, t))})`);
    } catch (e) {
      throw new OnchainSqlError('snapshot_corrupt', `Snapshot file ${path.relative(dir, tableFile(dir, t))} cannot be read as ${qualifiedName(t)}: ${(e as Error).message.split('\n')[0]}. Rebuild or re-import the snapshot.`);
    }
  }
  const newest = await c.runAndReadAll('SELECT max(block_time)::VARCHAR FROM ethereum.blocks');
  const ts = (newest.getRows()[0]?.[0] as string | null) ?? manifest.timeRange?.last;
  const literal = ts ? `TIMESTAMP ${sqlString(ts)}` : 'NULL::TIMESTAMP';
  await c.run(`CREATE MACRO snapshot_time() AS ${literal}`);
}

/** Casts pin each column to the contract's type, so a wrong-schema file fails here, not later. */
function columnList(t: TableSpec): string {
  return t.columns.map((col) => `CAST(${col.name} AS ${col.type}) AS ${col.name}`).join(', ');
}

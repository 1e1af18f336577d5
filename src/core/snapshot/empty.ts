import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { catalog, type TableSpec } from '../schema/catalog.js';
import { tableFile } from './layout.js';
import { sqlString } from '../sql/literal.js';

/**
 * A path as a DuckDB string literal for the reading functions (read_parquet…),
 * which take a glob pattern: `[`, `*`, `?` are made literal as one-character
 * classes (`snapG[1]` would otherwise match the folder `snapG1`).
 */
export function sqlFilePath(p: string): string {
  return sqlString(globLiteral(p));
}

export function globLiteral(p: string): string {
  return p.replace(/[[*?]/g, (ch) => `[${ch}]`);
}

/** A typed SELECT with no rows for a contract table, so empty tables still carry the right schema. */
export function emptySelect(t: TableSpec): string {
  return `SELECT ${t.columns.map((c) => `NULL::${c.type} AS ${c.name}`).join(', ')} WHERE false`;
}

/**
 * How a contract column is stored in Parquet. Parquet has no 128-bit integer and
 * DuckDB would write HUGEINT as DOUBLE (losing 256-bit amounts' exactness), so
 * HUGEINT is stored as DECIMAL(38,0); the engine's views cast it back to HUGEINT.
 */
function storedType(type: string): string {
  return type === 'HUGEINT' ? 'DECIMAL(38,0)' : type;
}

/** Writes a query's rows as the Parquet file of one contract table (ZSTD, row groups sized for scans). */
export async function writeTable(conn: DuckDBConnection, dir: string, t: TableSpec, select: string): Promise<void> {
  const file = tableFile(dir, t);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const cols = t.columns.map((c) => `CAST(CAST(${c.name} AS ${c.type}) AS ${storedType(c.type)}) AS ${c.name}`).join(', ');
  await conn.run(`COPY (SELECT ${cols} FROM (${select})) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
}

/** Writes every contract table that has no file yet as an empty, typed Parquet file. */
export async function writeMissingTablesEmpty(conn: DuckDBConnection, dir: string): Promise<void> {
  for (const t of catalog.tables) {
    if (!fs.existsSync(tableFile(dir, t))) await writeTable(conn, dir, t, emptySelect(t));
  }
}

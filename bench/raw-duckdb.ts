import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { catalog, qualifiedName } from '../src/core/schema/catalog.js';
import { tableFile } from '../src/core/snapshot/layout.js';
import { sqlString } from '../src/core/sql/literal.js';

/**
 * The baseline: a plain @duckdb/node-api connection with the same views and the
 * same `snapshot_time()` macro as the engine, but no validation, guards,
 * sandbox settings, pooling, paging or cell conversion.
 */
export interface RawDuckDB {
  conn: DuckDBConnection;
  run(sql: string): Promise<unknown[][]>;
  close(): void;
}

export async function openRaw(snapshotDir: string, threads: number): Promise<RawDuckDB> {
  const dir = path.resolve(snapshotDir);
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  for (const ns of new Set(catalog.tables.map((t) => t.namespace))) await conn.run(`CREATE SCHEMA ${ns}`);
  for (const t of catalog.tables) {
    const cols = t.columns.map((c) => `CAST(${c.name} AS ${c.type}) AS ${c.name}`).join(', ');
    await conn.run(`CREATE VIEW ${qualifiedName(t)} AS SELECT ${cols} FROM read_parquet(${sqlString(tableFile(dir, t))})`);
  }
  const newest = await conn.runAndReadAll('SELECT max(block_time)::VARCHAR FROM ethereum.blocks');
  const ts = newest.getRows()[0]?.[0] as string | null;
  await conn.run(`CREATE MACRO snapshot_time() AS ${ts ? `TIMESTAMP ${sqlString(ts)}` : 'NULL::TIMESTAMP'}`);
  return {
    conn,
    async run(sql: string) {
      return (await conn.runAndReadAll(sql)).getRows();
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

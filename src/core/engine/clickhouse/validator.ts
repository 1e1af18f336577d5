import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine, type ColumnInfo, type RunOptions } from '../engine.js';
import type { SqlStructure } from '../../sql/structure.js';
import { writeMissingTablesEmpty } from '../../snapshot/empty.js';
import { MANIFEST_FILE, type Manifest } from '../../snapshot/layout.js';

/**
 * The one validator for every engine: the DuckDB engine itself, opened over an
 * empty snapshot of the contract (typed, zero-row Parquet files) whose
 * manifest carries the remote server's newest block time, so snapshot_time()
 * binds to the same instant the translated SQL will use. Statements are only
 * validated (parsed, checked, bound) here, never run over data.
 */
export class ContractValidator {
  private constructor(private readonly engine: Engine, private readonly dir: string) {}

  static async open(manifest: Manifest): Promise<ContractValidator> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sql-contract-'));
    try {
      const instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      try {
        await writeMissingTablesEmpty(conn, dir);
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
      fs.writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      // One connection is enough: validation is quick and a remote query holds no DuckDB connection.
      return new ContractValidator(await Engine.open(dir, { threads: 1, connections: 2, memoryLimit: '256MB' }), dir);
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** The statement as checked and its result columns (DuckDB's types); the prepared statement is freed at once. */
  async validate(sql: string): Promise<{ sql: string; columns: ColumnInfo[] }> {
    const v = await this.engine.validate(sql);
    try { v.prepared.destroySync(); } catch { /* already gone */ }
    return { sql: v.sql, columns: v.columns };
  }

  /** The statement's structure from DuckDB's parse tree (the DuckDB dialect the user writes, whatever runs it). */
  describeStatement(sql: string, options: Pick<RunOptions, 'signal'> = {}): Promise<SqlStructure> {
    return this.engine.describeStatement(sql, options);
  }

  close(): void {
    this.engine.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

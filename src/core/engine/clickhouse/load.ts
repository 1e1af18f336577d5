import * as fs from 'node:fs';
import * as path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { catalog, qualifiedName, type TableSpec } from '../../schema/catalog.js';
import { tableFile } from '../../snapshot/layout.js';
import { OnchainSqlError, toOnchainSqlError } from '../../errors.js';
import { readManifest } from '../engine.js';
import { checkTarget, contractTableName, displayUrl, quoteIdentifier, qualifiedTable, type ClickHouseTarget } from './connection.js';
import dialect from './dialect.json';
import layout from './layout.json';

interface TableLayout {
  orderBy: string[];
  partitionBy: string | null;
  bloom: string[];
}

const TYPES: Record<string, string> = dialect.types;
const LAYOUT = layout as unknown as Record<string, TableLayout>;

/** The MergeTree table of one contract table (see layout.json for the why of ORDER BY and partitions). */
export function createTableSql(database: string, t: TableSpec): string {
  const l = LAYOUT[qualifiedName(t)];
  if (!l) throw new Error(`layout.json has no entry for ${qualifiedName(t)}`);
  const keys = new Set(l.orderBy);
  const columns = t.columns.map((c) => {
    const type = TYPES[c.type];
    if (!type) throw new Error(`dialect.json has no ClickHouse type for ${c.type}`);
    return `  ${quoteIdentifier(c.name)} ${keys.has(c.name) ? type : `Nullable(${type})`}`;
  });
  const indexes = l.bloom.map((c) => `  INDEX ${quoteIdentifier(`bf_${c}`)} ${quoteIdentifier(c)} TYPE bloom_filter GRANULARITY 4`);
  return [
    `CREATE TABLE ${qualifiedTable(database, t)} (`,
    [...columns, ...indexes].join(',\n'),
    ') ENGINE = MergeTree',
    l.partitionBy ? `PARTITION BY ${l.partitionBy}` : '',
    `ORDER BY (${l.orderBy.map(quoteIdentifier).join(', ')})`,
  ].filter(Boolean).join('\n');
}

export interface LoadOptions {
  snapshotDir: string;
  target: ClickHouseTarget;
  onProgress?: (message: string) => void;
}

export interface LoadReport {
  database: string;
  rows: Record<string, number>;
  ms: number;
}

/**
 * Creates the contract's tables in a ClickHouse database and loads a
 * snapshot's Parquet files into them (streamed over HTTP; the server parses
 * Parquet). Refuses when any contract table already exists there: loading
 * never replaces or appends to a table it did not just create.
 */
export async function loadSnapshot(options: LoadOptions): Promise<LoadReport> {
  const target = checkTarget(options.target);
  const dir = path.resolve(options.snapshotDir);
  const manifest = readManifest(dir);
  for (const t of catalog.tables) {
    if (!fs.existsSync(tableFile(dir, t))) throw new OnchainSqlError('snapshot_corrupt', `Snapshot ${dir} has no file for ${qualifiedName(t)}.`);
  }
  const started = performance.now();
  const progress = options.onProgress ?? (() => undefined);
  // No database in the client: it may not exist yet.
  const client = createClient({ url: target.url, username: target.user ?? 'default', password: target.password ?? '', application: 'onchain-sql' });
  try {
    await run(client, target, `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(target.database)}`);
    const existing = await existingTables(client, target);
    const clash = catalog.tables.map(contractTableName).filter((n) => existing.has(n));
    if (clash.length) {
      throw new OnchainSqlError('usage', `The ClickHouse database ${target.database} already holds ${clash.join(', ')}; loading never replaces or appends to existing tables.`, [
        'Choose another --database, or drop those tables yourself first.',
      ]);
    }
    const rows: Record<string, number> = {};
    for (const t of catalog.tables) {
      await run(client, target, createTableSql(target.database, t));
      const file = tableFile(dir, t);
      const t0 = performance.now();
      try {
        await client.insert({
          table: qualifiedTable(target.database, t),
          values: fs.createReadStream(file),
          format: 'Parquet',
        });
      } catch (e) {
        throw new OnchainSqlError('import_format', `Loading ${path.relative(dir, file)} into ${target.database}.${contractTableName(t)} failed: ${toOnchainSqlError(e).message.split('\n')[0]}`);
      }
      rows[qualifiedName(t)] = await countRows(client, qualifiedTable(target.database, t));
      const expected = manifest.rowCounts[qualifiedName(t)];
      if (expected !== undefined && rows[qualifiedName(t)] !== expected) {
        throw new OnchainSqlError('import_format', `${target.database}.${contractTableName(t)} holds ${rows[qualifiedName(t)]} rows after loading, but the snapshot's manifest says ${expected}.`);
      }
      progress(`${qualifiedName(t)} → ${target.database}.${contractTableName(t)}: ${rows[qualifiedName(t)].toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    return { database: target.database, rows, ms: Math.round(performance.now() - started) };
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function run(client: ClickHouseClient, target: ClickHouseTarget, query: string): Promise<void> {
  try {
    await client.command({ query });
  } catch (e) {
    throw new OnchainSqlError('runtime_error', `ClickHouse at ${displayUrl(target.url)} refused \`${query.split('\n')[0]}\`: ${toOnchainSqlError(e).message.split('\n')[0]}`);
  }
}

async function countRows(client: ClickHouseClient, table: string): Promise<number> {
  const rs = await client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' });
  const [row] = await rs.json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

async function existingTables(client: ClickHouseClient, target: ClickHouseTarget): Promise<Set<string>> {
  const rs = await client.query({
    query: 'SELECT name FROM system.tables WHERE database = {db:String}',
    query_params: { db: target.database },
    format: 'JSONEachRow',
  });
  return new Set((await rs.json<{ name: string }>()).map((r) => r.name));
}

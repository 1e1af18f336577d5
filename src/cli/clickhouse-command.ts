import * as path from 'node:path';
import { OnchainSqlError } from '../core/errors.js';
import { ClickHouseEngine } from '../core/engine/clickhouse/engine.js';
import { DEFAULT_DATABASE, PASSWORD_ENV, type ClickHouseTarget } from '../core/engine/clickhouse/connection.js';
import { loadSnapshot } from '../core/engine/clickhouse/load.js';
import { formatTable } from './format.js';

/**
 * The ClickHouse side of the CLI:
 *   onchain-sql ask|sql … --engine clickhouse --url URL [--database DB] [--user U]
 *   onchain-sql clickhouse load --snapshot DIR --url URL [--database DB] [--user U]
 * The password comes from ONCHAIN_SQL_CLICKHOUSE_PASSWORD only (never a flag: it would sit in shell history).
 */

export interface ClickHouseCliValues {
  engine?: string;
  url?: string;
  database?: string;
  user?: string;
  snapshot?: string;
  json?: boolean;
}

export const ENGINES = ['duckdb', 'clickhouse'] as const;

export function wantsClickHouse(values: ClickHouseCliValues): boolean {
  const engine = values.engine ?? 'duckdb';
  if (!(ENGINES as readonly string[]).includes(engine)) throw new OnchainSqlError('usage', `--engine must be duckdb or clickhouse, got "${engine}"`);
  return engine === 'clickhouse';
}

export function clickHouseTarget(values: ClickHouseCliValues): ClickHouseTarget {
  if (!values.url) throw new OnchainSqlError('usage', 'The ClickHouse engine needs --url, e.g. --url http://localhost:8123');
  return { url: values.url, database: values.database ?? DEFAULT_DATABASE, user: values.user, password: process.env[PASSWORD_ENV] };
}

export async function openClickHouse(values: ClickHouseCliValues): Promise<ClickHouseEngine> {
  if (!wantsClickHouse(values)) throw new OnchainSqlError('usage', 'openClickHouse needs --engine clickhouse');
  return ClickHouseEngine.open(clickHouseTarget(values));
}

export async function clickhouseCommand(values: ClickHouseCliValues, args: string[]): Promise<number> {
  const [sub] = args;
  if (sub !== 'load') throw new OnchainSqlError('usage', `unknown clickhouse command "${sub ?? ''}": use clickhouse load --snapshot DIR --url URL [--database DB]`);
  if (!values.snapshot) throw new OnchainSqlError('usage', 'clickhouse load needs --snapshot DIR (a snapshot folder with manifest.json)');
  const report = await loadSnapshot({
    snapshotDir: path.resolve(values.snapshot),
    target: clickHouseTarget(values),
    onProgress: (m) => { if (!values.json) process.stderr.write(`${m}\n`); },
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    process.stdout.write(`${formatTable([{ name: 'table', type: 'VARCHAR' }, { name: 'rows', type: 'BIGINT' }], Object.entries(report.rows))}\n`);
    process.stderr.write(`Loaded into database ${report.database} in ${(report.ms / 1000).toFixed(1)} s\n`);
  }
  return 0;
}

import { OnchainSqlError } from '../../errors.js';
import type { TableSpec } from '../../schema/catalog.js';

/** Where a ClickHouse deployment laid out as the contract lives. */
export interface ClickHouseTarget {
  /** http(s)://host:port of the server or cluster's HTTP interface. */
  url: string;
  /** The database holding the contract's tables (`ethereum_blocks`, `tokens_transfers`, …). */
  database: string;
  user?: string;
  /** From ONCHAIN_SQL_CLICKHOUSE_PASSWORD or the editor's secret storage; never logged. */
  password?: string;
}

export const DEFAULT_DATABASE = 'onchain';
export const PASSWORD_ENV = 'ONCHAIN_SQL_CLICKHOUSE_PASSWORD';

/** A contract table's name inside the database: one database, `namespace_name` tables. */
export function contractTableName(t: Pick<TableSpec, 'namespace' | 'name'>): string {
  return `${t.namespace}_${t.name}`;
}

export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

export function qualifiedTable(database: string, t: Pick<TableSpec, 'namespace' | 'name'>): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(contractTableName(t))}`;
}

/** The URL without credentials or query, for messages (a password in the URL never reaches a log). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Checks the target's fields; a clear usage error names the bad one. */
export function checkTarget(target: ClickHouseTarget): ClickHouseTarget {
  let u: URL;
  try {
    u = new URL(target.url);
  } catch {
    throw new OnchainSqlError('usage', `--url must be an http:// or https:// URL of the ClickHouse HTTP interface, e.g. http://localhost:8123 (got "${target.url.slice(0, 80)}").`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new OnchainSqlError('usage', `--url must use http:// or https:// (the ClickHouse HTTP interface), not ${u.protocol}`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(target.database)) {
    throw new OnchainSqlError('usage', `--database must be a plain ClickHouse database name (letters, digits, _), got "${target.database.slice(0, 80)}".`);
  }
  return target;
}

import * as vscode from 'vscode';
import type { QueryEngine } from '../core/engine/protocol.js';
import { displayUrl } from '../core/engine/clickhouse/connection.js';
import { OnchainSqlError } from '../core/errors.js';
import { SECTION } from './settings.js';

/**
 * The ClickHouse engine in the editor: URL, database and user are settings
 * (URL and user are user settings only, so a workspace cannot send the stored
 * password to a server of its choosing); the password lives in SecretStorage,
 * else ONCHAIN_SQL_CLICKHOUSE_PASSWORD, and is never shown or logged.
 */

export const CLICKHOUSE_PASSWORD_KEY = 'onchainSql.clickhousePassword';
const PASSWORD_ENV = 'ONCHAIN_SQL_CLICKHOUSE_PASSWORD';

export interface ClickHouseConnectionSettings {
  url: string;
  database: string;
  user: string;
}

export function readClickHouseSettings(c: vscode.WorkspaceConfiguration): ClickHouseConnectionSettings {
  return {
    url: (c.get<string>('clickhouse.url', '') ?? '').trim(),
    database: (c.get<string>('clickhouse.database', 'onchain') ?? '').trim() || 'onchain',
    user: (c.get<string>('clickhouse.user', 'default') ?? '').trim() || 'default',
  };
}

/** The ClickHouse connection when onchainSql.engine is "clickhouse"; undefined for the local snapshot (DuckDB). */
export function chosenClickHouse(c: vscode.WorkspaceConfiguration): ClickHouseConnectionSettings | undefined {
  return c.get<string>('engine', 'duckdb') === 'clickhouse' ? readClickHouseSettings(c) : undefined;
}

/** "ClickHouse onchain @ http://host:8123" — never the credentials a URL may carry. */
export function clickhouseLabel(s: ClickHouseConnectionSettings): string {
  return `ClickHouse ${s.database} @ ${s.url ? displayUrl(s.url) : '(no URL set)'}`;
}

/** The ClickHouse connection's label when onchainSql.engine is "clickhouse", else undefined (the local snapshot answers). */
export function clickhouseEngineLabel(): string | undefined {
  const s = chosenClickHouse(vscode.workspace.getConfiguration(SECTION));
  return s && clickhouseLabel(s);
}

/** Whether a configuration change can switch the engine (local snapshot ⇄ ClickHouse, or the connection). */
export function affectsEngine(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.engine`) || e.affectsConfiguration(`${SECTION}.clickhouse`);
}

/** Identifies one connection: the engine is reopened when any part changes. */
export function connectionKey(s: ClickHouseConnectionSettings): string {
  return `clickhouse:${s.user}@${s.url}/${s.database}`;
}

export async function openClickHouseEngine(secrets: vscode.SecretStorage, s: ClickHouseConnectionSettings): Promise<QueryEngine> {
  if (!s.url) {
    throw new OnchainSqlError('snapshot_missing', 'The ClickHouse engine is chosen but "onchainSql.clickhouse.url" is empty.', [
      'Set "onchainSql.clickhouse.url" in your user settings (e.g. http://localhost:8123), or set "onchainSql.engine" back to duckdb.',
    ]);
  }
  const password = (await secrets.get(CLICKHOUSE_PASSWORD_KEY)) ?? process.env[PASSWORD_ENV];
  const { ClickHouseEngine } = await import('../core/engine/clickhouse/engine.js');
  return ClickHouseEngine.open({ url: s.url, database: s.database, user: s.user, password });
}

// Shared by the extension-host suites (not a suite itself: no .test.ts suffix).
import * as vscode from 'vscode';
import type { OnchainSqlApi } from '../../../src/extension/extension.js';

export const EXTENSION_ID = 'onchain-sql.onchain-sql';

export async function api(): Promise<OnchainSqlApi> {
  const ext = vscode.extensions.getExtension<OnchainSqlApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.activate();
}

/** Sets an onchainSql.* user setting (undefined removes it). */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('onchainSql').update(key, value, vscode.ConfigurationTarget.Global);
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

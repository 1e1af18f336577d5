import * as vscode from 'vscode';
import { DEFAULT_CLAUDE_MODEL } from '../core/nl2sql/models.js';

export type ProviderSetting = 'auto' | 'claude' | 'vscode-lm' | 'offline';

/** Everything the extension reads from `onchainSql.*` settings, with defaults. */
export interface Settings {
  provider: ProviderSetting;
  model: string;
  apiBaseUrl: string;
  maxRows: number;
  timeoutMs: number;
  repairAttempts: number;
  snapshotPath: string;
}

/** Default Claude model: the one the core uses unless the setting names another. */

export const SECTION = 'onchainSql';

function positive(n: unknown, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const provider = c.get<string>('provider', 'auto');
  return {
    provider: (['auto', 'claude', 'vscode-lm', 'offline'] as const).find((p) => p === provider) ?? 'auto',
    model: c.get<string>('model', '') || DEFAULT_CLAUDE_MODEL,
    apiBaseUrl: c.get<string>('apiBaseUrl', ''),
    maxRows: Math.max(1, Math.floor(positive(c.get('maxRows'), 10_000))),
    timeoutMs: Math.floor(positive(c.get('queryTimeoutSeconds'), 30) * 1000),
    repairAttempts: Math.min(5, Math.floor(positive(c.get('repairAttempts'), 2))),
    snapshotPath: (c.get<string>('snapshotPath', '') ?? '').trim(),
  };
}

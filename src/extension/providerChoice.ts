/**
 * Provider resolution: who turns a question into SQL, from the settings, the
 * API key and the editor's language models. Split from the session (which
 * owns the snapshot lifecycle and the ask/run/explain facade).
 */
import * as vscode from 'vscode';
import { OnchainSqlError } from '../core/errors.js';
import type { Provider } from '../core/nl2sql/provider.js';
import { createProvider } from '../core/nl2sql/providers.js';
import { LmProvider, lmModelName } from './lmProvider.js';
import { firstForeignModel } from './chatModelProvider.js';
import type { Settings } from './settings.js';

/** What one request may bring: the Chat view's model, and whether the user acted (consent to pick a model). */
export interface ProviderRequest {
  model?: vscode.LanguageModelChat;
  userAction?: boolean;
}

/** Picks the provider for one request (see the `onchainSql.provider` setting). */
export async function chooseProvider(s: Settings, key: string | undefined, opts: ProviderRequest = {}): Promise<Provider> {
  const claude = () => createProvider({ kind: 'claude', apiKey: key, model: s.model, baseURL: s.apiBaseUrl || undefined });
  const offline = () => createProvider({ kind: 'offline' });
  const editorModel = async (): Promise<vscode.LanguageModelChat | undefined> => {
    if (opts.model) return opts.model;
    if (!opts.userAction) return undefined;
    return selectEditorModel();
  };
  switch (s.provider) {
    case 'offline':
      return offline();
    case 'claude':
      if (!key) {
        throw new OnchainSqlError('missing_api_key', 'The provider is set to Claude, but no Anthropic API key is set.', [
          'Run "Onchain SQL: Set Anthropic API Key", set ANTHROPIC_API_KEY, or set "onchainSql.provider" to "auto" or "offline".',
        ]);
      }
      return claude();
    case 'vscode-lm': {
      const model = await editorModel();
      if (!model) {
        throw new OnchainSqlError('provider_error', 'The provider is set to the editor model, but no language model is available in this editor.', [
          'Install or sign in to a chat model provider (e.g. GitHub Copilot), or set "onchainSql.provider" to "auto" or "offline".',
        ]);
      }
      return new LmProvider(model);
    }
    default: {
      if (opts.model) return new LmProvider(opts.model);
      if (key) return claude();
      const model = await editorModel();
      return model ? new LmProvider(model) : offline();
    }
  }
}

/** Who would answer right now, for status text: "Claude (model)", "Editor model (name)", "Offline". */
export async function describeProviderChoice(s: Settings, key: string | undefined): Promise<string> {
  if (s.provider === 'offline') return 'Offline';
  if (s.provider === 'claude') return key ? `Claude (${s.model})` : 'Claude (no API key set)';
  if (key && s.provider === 'auto') return `Claude (${s.model})`;
  // Listing models needs no consent (only sending does), so this is safe without a user action.
  const model = await selectEditorModel();
  if (model) return `Editor model (${lmModelName(model)})`;
  return s.provider === 'vscode-lm' ? 'Editor model (none available)' : 'Offline';
}

/** The first chat model the editor offers, if any (never throws: Chat may be absent). */
export async function selectEditorModel(): Promise<vscode.LanguageModelChat | undefined> {
  try {
    if (!vscode.lm?.selectChatModels) return undefined;
    // Never our own chat model (chatModelProvider.ts): it answers through this session, so it would ask itself.
    return firstForeignModel(await vscode.lm.selectChatModels());
  } catch {
    return undefined;
  }
}

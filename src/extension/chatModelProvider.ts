// A language model of our own for the editor's Chat view (the Language Model
// Chat Provider API, `vscode.lm.registerLanguageModelChatProvider`, stable
// since VS Code 1.104). The Chat view refuses every request, `@onchain` ones
// too, while the editor has no chat model at all (code-server without
// Copilot); this gives it one. Its answers come from the same `ask` as every
// surface: Claude with the user's key, else the offline translator.
// The project builds against @types/vscode 1.95, so the few types used are
// declared here and the API is looked up at run time.
import * as vscode from 'vscode';
import type { Answer } from '../core/answer.js';
import { answerMarkdown } from './chatMarkdown.js';

/** Vendor id, also in package.json contributes.languageModelChatProviders. */
export const MODEL_VENDOR = 'onchain-sql';
const MODEL_ID = 'onchain-sql-answers';

interface ModelInformation {
  id: string;
  name: string;
  family: string;
  version: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  tooltip?: string;
  detail?: string;
  capabilities: { toolCalling?: boolean; imageInput?: boolean };
}

interface RequestMessage {
  role: vscode.LanguageModelChatMessageRole;
  content: ReadonlyArray<unknown>;
}

interface ChatModelProvider {
  provideLanguageModelChatInformation(options: unknown, token: vscode.CancellationToken): ModelInformation[];
  provideLanguageModelChatResponse(model: ModelInformation, messages: readonly RequestMessage[], options: unknown,
    progress: vscode.Progress<vscode.LanguageModelTextPart>, token: vscode.CancellationToken): Promise<void>;
  provideTokenCount(model: ModelInformation, text: string | RequestMessage, token: vscode.CancellationToken): Promise<number>;
}

type Register = (vendor: string, provider: ChatModelProvider) => vscode.Disposable;

/** True for a model this module contributed: `@onchain` then asks with our own provider, not through it. */
export function isOwnModel(model: { vendor?: string } | undefined): boolean {
  return model?.vendor === MODEL_VENDOR;
}

/** The editor's model for Onchain SQL: the first one offered that is not ours (ours would ask itself). */
export function firstForeignModel<T extends { vendor?: string }>(models: readonly T[]): T | undefined {
  return models.find((m) => !isOwnModel(m));
}

function text(m: RequestMessage | string): string {
  if (typeof m === 'string') return m;
  return m.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : typeof (p as { value?: unknown }).value === 'string' ? (p as { value: string }).value : '')).join('');
}

export type AskForChat = (question: string, signal: AbortSignal) => Promise<Answer>;

/**
 * Registers the model when the editor has the API; returns undefined (and says
 * why in the log) when it does not, so older editors keep working.
 */
export function registerChatModel(ask: AskForChat, log: vscode.LogOutputChannel): vscode.Disposable | undefined {
  const register = (vscode.lm as unknown as { registerLanguageModelChatProvider?: Register }).registerLanguageModelChatProvider;
  if (typeof register !== 'function') {
    log.info('This editor has no Language Model Chat Provider API; the Onchain SQL chat model is not registered.');
    return undefined;
  }
  const info: ModelInformation = {
    id: MODEL_ID,
    name: 'Onchain SQL',
    family: 'onchain-sql',
    version: '1',
    maxInputTokens: 100_000,
    maxOutputTokens: 8_000,
    tooltip: 'Answers questions about the chain data with checked DuckDB SQL (Claude with your key, else the offline translator).',
    detail: 'Claude key or offline',
    capabilities: {},
  };
  try {
    return register.call(vscode.lm, MODEL_VENDOR, {
      provideLanguageModelChatInformation: () => [info],
      async provideLanguageModelChatResponse(_model, messages, _options, progress, token) {
        const user = [...messages].reverse().find((m) => m.role === vscode.LanguageModelChatMessageRole.User);
        const question = user ? text(user).trim() : '';
        if (!question) {
          progress.report(new vscode.LanguageModelTextPart('Ask a question about the chain data, e.g. "How many transactions happened today?"'));
          return;
        }
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          const answer = await ask(question, abort.signal);
          progress.report(new vscode.LanguageModelTextPart(answerMarkdown(answer)));
        } catch (e) {
          progress.report(new vscode.LanguageModelTextPart(`Could not answer: ${e instanceof Error ? e.message : String(e)}`));
        } finally {
          sub.dispose();
        }
      },
      // A rough count (4 characters a token) is enough: the model has no real context window of its own.
      provideTokenCount: async (_model, t) => Math.ceil(text(t).length / 4),
    });
  } catch (e) {
    log.warn(`Could not register the Onchain SQL chat model: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

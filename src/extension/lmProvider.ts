import * as vscode from 'vscode';
import type { Generation, GenerationRequest, Provider } from '../core/nl2sql/provider.js';
import { OnchainSqlError } from '../core/errors.js';
import { ModelOutputError } from '../core/nl2sql/repair.js';
import { buildLmPrompt, cannotAnswerReason, parseModelReply } from './lmReply.js';
import { neutraliseInvisible, truncate } from './text.js';

const JUSTIFICATION = 'Onchain SQL uses the model to write DuckDB SQL for your question about chain data.';

/** A readable model name for labels and `Answer.model`. */
export function lmModelName(model: vscode.LanguageModelChat): string {
  return model.name || model.id;
}

/**
 * Sends one user message to an editor model (vscode.lm) and collects the text.
 * An AbortSignal is bridged to a CancellationToken; a LanguageModelError is
 * turned into an OnchainSqlError that says what to do next.
 */
export async function sendToModel(model: vscode.LanguageModelChat, prompt: string, signal?: AbortSignal, token?: vscode.CancellationToken): Promise<string> {
  const cts = new vscode.CancellationTokenSource();
  const onAbort = () => cts.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  const sub = token?.onCancellationRequested(onAbort);
  try {
    if (signal?.aborted || token?.isCancellationRequested) throw new OnchainSqlError('cancelled', 'The request was cancelled.');
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(prompt)], { justification: JUSTIFICATION }, cts.token);
    let text = '';
    for await (const part of response.text) text += part;
    if (cts.token.isCancellationRequested) throw new OnchainSqlError('cancelled', 'The request was cancelled.');
    return text;
  } catch (e) {
    if (e instanceof OnchainSqlError) throw e;
    if (cts.token.isCancellationRequested) throw new OnchainSqlError('cancelled', 'The request was cancelled.');
    throw lmError(e, model);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    sub?.dispose();
    cts.dispose();
  }
}

function lmError(e: unknown, model: vscode.LanguageModelChat): OnchainSqlError {
  const name = lmModelName(model);
  if (e instanceof vscode.LanguageModelError) {
    if (e.code === vscode.LanguageModelError.NoPermissions().code) {
      return new OnchainSqlError('provider_error', `Permission to use ${name} was not granted.`, ['Allow Onchain SQL to use the model when asked, or set an Anthropic API key, or set "onchainSql.provider" to "offline".']);
    }
    if (e.code === vscode.LanguageModelError.Blocked().code) {
      return new OnchainSqlError('provider_error', `${name} refused the request (quota or policy): ${e.message}`, ['Wait a moment and try again, or switch "onchainSql.provider" to "offline".']);
    }
    if (e.code === vscode.LanguageModelError.NotFound().code) {
      return new OnchainSqlError('provider_error', `The editor model ${name} is no longer available.`, ['Pick another model in the Chat view, or set "onchainSql.provider" to "offline".']);
    }
  }
  const message = e instanceof Error ? e.message : String(e);
  return new OnchainSqlError('provider_error', `${name} failed: ${message}`, ['Try again, or set "onchainSql.provider" to "offline".']);
}

/** The core's Provider over the editor's language model: no key of ours needed. */
export class LmProvider implements Provider {
  readonly id = 'vscode-lm' as const;

  constructor(private readonly model: vscode.LanguageModelChat) {}

  async generate(request: GenerationRequest): Promise<Generation> {
    const text = await sendToModel(this.model, buildLmPrompt(request), request.signal);
    const parsed = parseModelReply(text);
    const model = lmModelName(this.model);
    if (!parsed) {
      const reason = cannotAnswerReason(text);
      if (reason) throw new OnchainSqlError('cannot_answer', `${model} says this cannot be answered from the snapshot: ${truncate(neutraliseInvisible(reason), 400)}`, ['Look at the Schema view for what the tables hold, or rephrase the question.']);
      // Prose or {"sql": ""}: worth one more try with this as feedback (the core decides).
      const shown = truncate(neutraliseInvisible(text.trim()), 400) || '(an empty reply)';
      throw new ModelOutputError(`${model} did not return SQL. It replied: ${shown}`, text.trim().slice(0, 2_000), undefined, model);
    }
    return { ...parsed, model };
  }
}

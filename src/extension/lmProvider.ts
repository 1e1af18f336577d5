import * as vscode from 'vscode';
import type { Generation, GenerationRequest, Provider } from '../core/nl2sql/provider.js';
import { OnchainSqlError } from '../core/errors.js';
import { ModelOutputError } from '../core/nl2sql/repair.js';
import { buildSingleMessagePrompt, CANNOT_ANSWER, cannotAnswerReason, parseModelReply, refusalFromToolInput, replyFromToolInput, SUBMIT_QUERY, type ParsedReply, type ToolSpec } from '../core/nl2sql/modelReply.js';
import { neutraliseInvisible, truncate } from './text.js';

const JUSTIFICATION = 'Onchain SQL uses the model to write DuckDB SQL for your question about chain data.';

/** A readable model name for labels and `Answer.model`. */
export function lmModelName(model: vscode.LanguageModelChat): string {
  return model.name || model.id;
}

/** What an editor model sent back: its text, and the first tool call when tools were offered. */
export interface ModelReply {
  text: string;
  toolCall?: { name: string; input: Record<string, unknown> };
}

/**
 * Tool calling with a required tool exists from VS Code 1.95 (LanguageModelChatToolMode);
 * a host or model without it gets the JSON-reply prompt instead.
 */
function toolModeAvailable(): boolean {
  const api = vscode as Partial<typeof vscode>;
  return typeof api.LanguageModelChatToolMode?.Required === 'number' && typeof api.LanguageModelToolCallPart === 'function';
}

function chatTool(spec: ToolSpec): vscode.LanguageModelChatTool {
  return { name: spec.name, description: spec.description, inputSchema: spec.inputSchema };
}

/**
 * Sends one user message to an editor model (vscode.lm) and collects the text
 * and, when `tools` are given, the tool call (the model must call one). An
 * AbortSignal is bridged to a CancellationToken; a LanguageModelError is
 * turned into an OnchainSqlError that says what to do next.
 */
export async function sendToModel(model: vscode.LanguageModelChat, prompt: string, signal?: AbortSignal, token?: vscode.CancellationToken, tools?: ToolSpec[]): Promise<ModelReply> {
  const cts = new vscode.CancellationTokenSource();
  const onAbort = () => cts.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  const sub = token?.onCancellationRequested(onAbort);
  try {
    if (signal?.aborted || token?.isCancellationRequested) throw new OnchainSqlError('cancelled', 'The request was cancelled.');
    const options: vscode.LanguageModelChatRequestOptions = tools?.length
      ? { justification: JUSTIFICATION, tools: tools.map(chatTool), toolMode: vscode.LanguageModelChatToolMode.Required }
      : { justification: JUSTIFICATION };
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(prompt)], options, cts.token);
    const reply: ModelReply = { text: '' };
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelTextPart) reply.text += part.value;
      else if (part instanceof vscode.LanguageModelToolCallPart && !reply.toolCall) {
        reply.toolCall = { name: part.name, input: part.input && typeof part.input === 'object' ? part.input as Record<string, unknown> : {} };
      }
    }
    if (cts.token.isCancellationRequested) throw new OnchainSqlError('cancelled', 'The request was cancelled.');
    return reply;
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

  /** Set once the model failed with tools: later questions go straight to the JSON-reply prompt. */
  private toolsRejected = false;

  async generate(request: GenerationRequest): Promise<Generation> {
    const model = lmModelName(this.model);
    const withTools = toolModeAvailable() && !this.toolsRejected;
    const notes: string[] = [];
    let reply: ModelReply;
    try {
      reply = await sendToModel(this.model, buildSingleMessagePrompt(request, withTools), request.signal, undefined, withTools ? [SUBMIT_QUERY, CANNOT_ANSWER] : undefined);
    } catch (e) {
      if (!withTools || (e instanceof OnchainSqlError && e.code === 'cancelled')) throw e;
      // Some editor models accept no tools: ask once more for a JSON reply, and remember.
      this.toolsRejected = true;
      notes.push(`${model} did not take the request with tools (${truncate(neutraliseInvisible(e instanceof Error ? e.message : String(e)), 200)}); it was asked for a JSON reply instead.`);
      reply = await sendToModel(this.model, buildSingleMessagePrompt(request, false), request.signal);
    }
    if (reply.toolCall?.name === CANNOT_ANSWER.name) {
      const refusal = refusalFromToolInput(reply.toolCall.input);
      throw new OnchainSqlError('cannot_answer', `${model} says this cannot be answered from the snapshot: ${truncate(neutraliseInvisible(refusal.reason ?? 'no reason given'), 400)}`, refusal.suggestions.map((x) => truncate(neutraliseInvisible(x), 200)));
    }
    // The tool call first; scraping JSON or SQL from text only when the model wrote no call.
    const fromTool = reply.toolCall?.name === SUBMIT_QUERY.name ? replyFromToolInput(reply.toolCall.input) : null;
    const parsed: ParsedReply | null = fromTool ?? parseModelReply(reply.text);
    if (!parsed) {
      const reason = cannotAnswerReason(reply.text);
      if (reason) throw new OnchainSqlError('cannot_answer', `${model} says this cannot be answered from the snapshot: ${truncate(neutraliseInvisible(reason), 400)}`, ['Look at the Schema view for what the tables hold, or rephrase the question.']);
      // Prose or {"sql": ""}: worth one more try with this as feedback (the core decides).
      const shown = truncate(neutraliseInvisible(reply.text.trim()), 400) || (reply.toolCall ? `a call to ${reply.toolCall.name} without SQL` : '(an empty reply)');
      throw new ModelOutputError(`${model} did not return SQL. It replied: ${shown}`, reply.text.trim().slice(0, 2_000), undefined, model);
    }
    // Say when the SQL was read from text: that reading is a fallback, less exact than a tool call.
    if (!fromTool && !notes.length) notes.push(withTools ? `${model} answered in text instead of calling ${SUBMIT_QUERY.name}; the SQL was read from its reply.` : `The SQL was read from ${model}'s text reply (no tool calling).`);
    return { ...parsed, model, notes };
  }
}

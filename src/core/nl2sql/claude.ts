import Anthropic, { APIError, APIUserAbortError, APIConnectionError, APIConnectionTimeoutError } from '@anthropic-ai/sdk';
import type { TokenUsage } from '../answer.js';
import { OnchainSqlError } from '../errors.js';
import { redactSecrets } from '../text/redact.js';
import type { Generation, GenerationRequest, Provider } from './provider.js';
import { renderUserMessage, splitContext } from './prompt.js';
import { ModelOutputError } from './repair.js';
import { CANNOT_ANSWER, SUBMIT_QUERY, chartFrom, refusalFromToolInput, unfence } from './modelReply.js';

/**
 * Claude through @anthropic-ai/sdk. Structured output through a forced tool call
 * (submit_query, or cannot_answer), never by scraping Markdown. The static part of
 * the context and the tool definitions carry cache_control so repeated questions
 * reuse the cached prefix. Every failure becomes an OnchainSqlError whose message
 * says what to do next, and never contains the API key.
 */

import { DEFAULT_CLAUDE_MODEL } from './models.js';

export { DEFAULT_CLAUDE_MODEL };
export const DEFAULT_MAX_TOKENS = 2_048;
export const DEFAULT_CLAUDE_TIMEOUT_MS = 60_000;
export const DEFAULT_CLAUDE_RETRIES = 2;

export interface ClaudeOptions {
  /** From SecretStorage (extension) or the caller; falls back to ANTHROPIC_API_KEY. */
  apiKey?: string;
  model?: string;
  /** Defaults to ANTHROPIC_BASE_URL, then the public API. */
  baseURL?: string;
  maxTokens?: number;
  /** The whole generate call, retries included. */
  timeoutMs?: number;
  /** SDK retries for 408/409/429/5xx/529 (with backoff, honouring retry-after). */
  maxRetries?: number;
  /** Offer the cannot_answer tool (default true). */
  allowCannotAnswer?: boolean;
}

const MISSING_KEY_HINT = "Set it with 'Onchain SQL: Set Anthropic API Key' or ANTHROPIC_API_KEY, or use the offline provider.";

export const SUBMIT_QUERY_TOOL: Anthropic.Messages.Tool = {
  name: SUBMIT_QUERY.name,
  description: SUBMIT_QUERY.description,
  input_schema: SUBMIT_QUERY.inputSchema as Anthropic.Messages.Tool.InputSchema,
};

export const CANNOT_ANSWER_TOOL: Anthropic.Messages.Tool = {
  name: CANNOT_ANSWER.name,
  description: CANNOT_ANSWER.description,
  input_schema: CANNOT_ANSWER.inputSchema as Anthropic.Messages.Tool.InputSchema,
};

function usageFrom(u: Anthropic.Messages.Usage | undefined): TokenUsage | undefined {
  if (!u) return undefined;
  return {
    inputTokens: u.input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    ...(u.cache_read_input_tokens != null ? { cacheReadInputTokens: u.cache_read_input_tokens } : {}),
    ...(u.cache_creation_input_tokens != null ? { cacheCreationInputTokens: u.cache_creation_input_tokens } : {}),
  };
}

export class ClaudeProvider implements Provider {
  readonly id = 'claude' as const;
  readonly model: string;
  readonly baseURL: string;
  private readonly apiKey: string | undefined;
  private readonly maxTokens: number;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly allowCannotAnswer: boolean;
  private client: Anthropic | undefined;

  constructor(options: ClaudeOptions = {}) {
    const key = options.apiKey?.trim() || process.env.ANTHROPIC_API_KEY?.trim();
    this.apiKey = key || undefined;
    this.model = options.model?.trim() || DEFAULT_CLAUDE_MODEL;
    this.baseURL = (options.baseURL?.trim() || process.env.ANTHROPIC_BASE_URL?.trim() || 'https://api.anthropic.com').replace(/\/+$/, '');
    this.maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CLAUDE_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_CLAUDE_RETRIES;
    this.allowCannotAnswer = options.allowCannotAnswer ?? true;
  }

  get hasKey(): boolean {
    return this.apiKey !== undefined;
  }

  /** The exact request body sent for a generation (no key in it): used by --print-prompt and tests. */
  buildRequest(request: Pick<GenerationRequest, 'question' | 'history' | 'context' | 'repair'>): Anthropic.Messages.MessageCreateParamsNonStreaming {
    const { staticPart, dynamicPart } = splitContext(request.context);
    const tools = this.allowCannotAnswer ? [SUBMIT_QUERY_TOOL, CANNOT_ANSWER_TOOL] : [SUBMIT_QUERY_TOOL];
    const system: Anthropic.Messages.TextBlockParam[] = [
      // Cached prefix: tools, then this block. Same text for every question ⇒ cache hits.
      { type: 'text', text: staticPart, cache_control: { type: 'ephemeral' } },
    ];
    if (dynamicPart) system.push({ type: 'text', text: dynamicPart });
    return {
      model: this.model,
      max_tokens: this.maxTokens,
      system,
      // cache_control on the last tool caches every tool definition before it.
      tools: tools.map((t, i) => (i === tools.length - 1 ? { ...t, cache_control: { type: 'ephemeral' as const } } : t)),
      tool_choice: this.allowCannotAnswer
        ? { type: 'any', disable_parallel_tool_use: true }
        : { type: 'tool', name: SUBMIT_QUERY_TOOL.name, disable_parallel_tool_use: true },
      messages: [{ role: 'user', content: renderUserMessage(request) }],
    };
  }

  async generate(request: GenerationRequest): Promise<Generation> {
    if (!this.apiKey) {
      throw new OnchainSqlError('missing_api_key', `No Anthropic API key is set. ${MISSING_KEY_HINT}`);
    }
    if (request.signal?.aborted) throw new OnchainSqlError('cancelled', 'The request to Claude was cancelled.');
    this.client ??= new Anthropic({
      apiKey: this.apiKey,
      authToken: null,
      baseURL: this.baseURL,
      maxRetries: this.maxRetries,
      timeout: this.timeoutMs,
      // The SDK's own logging could print request details; we report failures ourselves, redacted.
      logLevel: 'off',
    });

    // One overall deadline across the SDK's retries, plus the caller's cancellation.
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; deadline.abort(); }, this.timeoutMs);
    const onAbort = () => deadline.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let message: Anthropic.Messages.Message;
    try {
      message = await this.client.messages.create(this.buildRequest(request), { signal: deadline.signal });
    } catch (e) {
      throw this.translate(e, timedOut);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
    return this.readMessage(message);
  }

  private readMessage(message: Anthropic.Messages.Message): Generation {
    const usage = usageFrom(message.usage);
    const model = message.model || this.model;
    const content = Array.isArray(message.content) ? message.content : [];
    const call = content.find((b): b is Anthropic.Messages.ToolUseBlock => b.type === 'tool_use');
    const prose = content.filter((b): b is Anthropic.Messages.TextBlock => b.type === 'text').map((b) => b.text).join('\n').trim();
    if (message.stop_reason === 'refusal') {
      throw new OnchainSqlError('cannot_answer', 'Claude declined to answer this question. Rephrase it as a question about the chain data in the snapshot.');
    }
    if (message.stop_reason === 'model_context_window_exceeded') {
      throw new OnchainSqlError('provider_error', "The prompt exceeded the model's context window. Start a new conversation or ask a shorter question.");
    }
    if (!call) {
      if (message.stop_reason === 'max_tokens') {
        throw new ModelOutputError(`Claude stopped at the max tokens limit (${this.maxTokens}) before submitting a query. Ask a narrower question or raise the max tokens setting.`, prose, usage, model);
      }
      const excerpt = redactSecrets(prose.slice(0, 200), [this.apiKey]);
      throw new ModelOutputError(
        prose
          ? `Claude replied with prose instead of calling submit_query: "${excerpt}${prose.length > 200 ? '…' : ''}". A query must come through the submit_query tool.`
          : 'Claude replied with no content (no submit_query call).',
        prose, usage, model,
      );
    }
    const input = (call.input ?? {}) as Record<string, unknown>;
    if (call.name === CANNOT_ANSWER_TOOL.name) {
      const refusal = refusalFromToolInput(input);
      const reason = refusal.reason ?? 'The model says the snapshot cannot answer this question.';
      const suggestions = refusal.suggestions;
      throw new OnchainSqlError('cannot_answer', `Claude cannot answer this from the snapshot: ${redactSecrets(reason, [this.apiKey])}`, suggestions);
    }
    if (call.name !== SUBMIT_QUERY_TOOL.name) {
      throw new ModelOutputError(`Claude called an unknown tool "${call.name.slice(0, 40)}" instead of submit_query.`, JSON.stringify(input).slice(0, 500), usage, model);
    }
    if (message.stop_reason === 'max_tokens') {
      throw new ModelOutputError(`Claude's submit_query call was cut off at the max tokens limit (${this.maxTokens}). Raise the max tokens setting or ask a narrower question.`, JSON.stringify(input).slice(0, 500), usage, model);
    }
    if (!('sql' in input)) {
      throw new ModelOutputError('Claude called submit_query without the required "sql" field.', JSON.stringify(input).slice(0, 500), usage, model);
    }
    if (typeof input.sql !== 'string') {
      throw new ModelOutputError(`Claude called submit_query with "sql" as ${Array.isArray(input.sql) ? 'an array' : input.sql === null ? 'null' : `a ${typeof input.sql}`}, not a string.`, JSON.stringify(input).slice(0, 500), usage, model);
    }
    const sql = unfence(input.sql);
    if (!sql) throw new ModelOutputError('Claude called submit_query with an empty "sql".', '', usage, model);
    return {
      sql,
      // Shown and stored everywhere; an endpoint echoing the key must not put it there.
      explanation: typeof input.explanation === 'string' ? redactSecrets(input.explanation.trim(), [this.apiKey]) : '',
      chart: chartFrom(input.chart),
      ...(typeof input.standalone_question === 'string' && input.standalone_question.trim() ? { resolvedQuestion: redactSecrets(input.standalone_question.trim(), [this.apiKey]) } : {}),
      model,
      ...(usage ? { usage } : {}),
    };
  }

  /** One specific, actionable message per failure; the key never appears in it. */
  private translate(e: unknown, timedOut: boolean): OnchainSqlError {
    const clean = (s: string) => redactSecrets(s, [this.apiKey]);
    if (e instanceof OnchainSqlError) return e;
    if (timedOut || e instanceof APIConnectionTimeoutError) {
      return new OnchainSqlError('timeout', `Claude did not answer within ${this.timeoutMs.toLocaleString('en-US')} ms. Try again, raise the timeout, or use the offline provider.`);
    }
    if (e instanceof APIUserAbortError) return new OnchainSqlError('cancelled', 'The request to Claude was cancelled.');
    if (e instanceof APIConnectionError) {
      const cause = (e as { cause?: { cause?: { code?: string }; code?: string } }).cause;
      const code = cause?.cause?.code ?? cause?.code;
      const what = code === 'ECONNREFUSED' ? 'the connection was refused' : code === 'ENOTFOUND' ? 'the host name did not resolve' : `the connection failed${code ? ` (${code})` : ''}`;
      return new OnchainSqlError('provider_error', clean(`Could not reach the Anthropic API at ${this.baseURL}: ${what}. Check the network or the API base URL setting, or use the offline provider.`));
    }
    if (e instanceof APIError) {
      const body = e.error as { error?: { message?: unknown; type?: unknown } } | undefined;
      const detail = typeof body?.error?.message === 'string' ? clean(body.error.message).slice(0, 300) : '';
      const said = detail ? ` (the API said: ${detail})` : '';
      const retried = this.maxRetries > 0 ? ` after ${this.maxRetries} ${this.maxRetries === 1 ? 'retry' : 'retries'}` : '';
      switch (e.status) {
        case 400:
          return new OnchainSqlError('provider_error', `The Anthropic API rejected the request as invalid (400)${said}. Check the model and max tokens settings.`);
        case 401:
          return new OnchainSqlError('provider_error', `The Anthropic API key was rejected (401 invalid key)${said}. Set a valid key with 'Onchain SQL: Set Anthropic API Key' or ANTHROPIC_API_KEY, or use the offline provider.`);
        case 403:
          return new OnchainSqlError('provider_error', `The Anthropic API key is not allowed to use model '${this.model}' or this resource (403 permission denied)${said}. Check the key's workspace and permissions in the Anthropic Console, or choose another model.`);
        case 404:
          return new OnchainSqlError('provider_error', `Model '${this.model}' was not found at ${this.baseURL} (404)${said}. Set the model setting (or ONCHAIN_SQL_MODEL) to an available model such as '${DEFAULT_CLAUDE_MODEL}'.`);
        case 413:
          return new OnchainSqlError('provider_error', `The request to Claude was too large (413)${said}. Ask a shorter question or start a new conversation.`);
        case 429:
          return new OnchainSqlError('provider_error', `Claude is rate-limiting this key (429)${retried}${said}. Wait a minute and try again, or use the offline provider.`);
        case 529:
          return new OnchainSqlError('provider_error', `The Anthropic API is overloaded (529)${retried}${said}. Try again in a moment, or use the offline provider.`);
        default:
          if (e.status !== undefined && e.status >= 500) {
            return new OnchainSqlError('provider_error', `The Anthropic API had a server error (${e.status})${retried}${said}. Try again later, or use the offline provider.`);
          }
          return new OnchainSqlError('provider_error', `The Anthropic API request failed (${e.status ?? 'no status'})${said}.`);
      }
    }
    return new OnchainSqlError('provider_error', clean(`The request to Claude failed: ${(e as Error)?.message ?? String(e)}`));
  }
}

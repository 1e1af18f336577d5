import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OnchainSqlError } from '../../src/core/errors.js';
import { ClaudeProvider, DEFAULT_CLAUDE_MODEL, type ClaudeOptions } from '../../src/core/nl2sql/claude.js';
import { redactSecrets } from '../../src/core/text/redact.js';
import { buildContext } from '../../src/core/nl2sql/context.js';
import { CONTEXT_SPLIT } from '../../src/core/nl2sql/prompt.js';
import type { GenerationRequest } from '../../src/core/nl2sql/provider.js';
import { createProvider, resolveProviderKind } from '../../src/core/nl2sql/providers.js';
import { ModelOutputError } from '../../src/core/nl2sql/repair.js';
import { errorReply, promptText, sqlReply, textReply, toolReply } from '../support/anthropic-server.js';
import { claudeChainSuite, expectOnchainError } from '../support/claude-chain.js';
import { freePort } from '../support/free-port.js';

const KEY = 'sk-ant-test-SECRET-4f9c2a7e-do-not-print';
const FAST_RETRY = { 'retry-after-ms': '5' };

describe('Claude provider against a local Anthropic-compatible server (real SDK, real HTTP)', () => {
  const live = claudeChainSuite();
  const seen: string[] = [];
  const provider = (o: ClaudeOptions = {}) => new ClaudeProvider({ apiKey: KEY, baseURL: live.server.baseURL, maxRetries: 0, timeoutMs: 5_000, ...o });
  const request = (over: Partial<GenerationRequest> = {}): GenerationRequest =>
    ({ question: 'How many transactions failed?', history: [], context: `STATIC RULES${CONTEXT_SPLIT}DYNAMIC FACTS`, ...over });
  /** Runs a generate that must fail; returns the error, remembering its text for the key check. */
  const failure = (p: ClaudeProvider, r = request()): Promise<OnchainSqlError> => expectOnchainError(p.generate(r), seen, 'generate');

  it('sends the context as a cached static block plus a dynamic block, forces the tool, and reads the tool call', async () => {
    const ctx = await buildContext(live.engine, 'How many USDC transfers were there in the last 24 hours?');
    live.server.script(toolReply(
      { sql: 'SELECT count(*) AS transfers FROM tokens.transfers', explanation: 'Counts transfers.', chart: { type: 'table', x: 'transfers', y: [] } },
      { usage: { input_tokens: 2100, output_tokens: 55, cache_read_input_tokens: 1800, cache_creation_input_tokens: 0 } },
    ));
    const g = await provider().generate(request({ question: 'How many USDC transfers were there in the last 24 hours?', context: ctx.text }));
    assert.equal(g.sql, 'SELECT count(*) AS transfers FROM tokens.transfers');
    assert.equal(g.explanation, 'Counts transfers.');
    assert.deepEqual(g.chart, { type: 'table', x: 'transfers', y: [] });
    assert.equal(g.model, DEFAULT_CLAUDE_MODEL);
    assert.deepEqual(g.usage, { inputTokens: 2100, outputTokens: 55, cacheReadInputTokens: 1800, cacheCreationInputTokens: 0 });

    const r = live.server.requests.at(-1)!;
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/v1/messages');
    // This SDK version sends the key as a bearer token; older ones used x-api-key. Either way: a header, nowhere else.
    const sentKey = (r.headers['x-api-key'] as string | undefined) ?? r.headers.authorization?.replace(/^Bearer /, '');
    assert.equal(sentKey, KEY, 'the key goes in an auth header');
    assert.ok(r.headers['anthropic-version']);
    assert.equal(r.body.model, DEFAULT_CLAUDE_MODEL);
    const system = r.body.system as Array<{ text: string; cache_control?: { type: string } }>;
    assert.equal(system.length, 2);
    assert.deepEqual(system[0].cache_control, { type: 'ephemeral' }, 'static schema block is cached');
    assert.equal(system[1].cache_control, undefined, 'dynamic block is not');
    assert.equal(system[0].text, ctx.staticPart);
    assert.match(system[0].text, /snapshot_time\(\)/);
    assert.match(system[0].text, /_wei \(HUGEINT, raw\)/);
    assert.match(system[0].text, /### tokens\.transfers/);
    assert.match(system[1].text, /snapshot_time\(\) = TIMESTAMP '2026-01-01 00:19:48'/);
    assert.deepEqual(r.body.tools?.map((t) => t.name), ['submit_query', 'cannot_answer']);
    assert.deepEqual(r.body.tools?.at(-1)?.cache_control, { type: 'ephemeral' }, 'tool definitions are cached');
    assert.equal(r.body.tool_choice?.type, 'any', 'a tool call is forced');
    assert.match(promptText(r), /Question: How many USDC transfers were there in the last 24 hours\?/);
    assert.ok(!r.raw.includes(KEY), 'the key is not in the body');
  });

  it('without cannot_answer forces submit_query by name; model, max tokens and fenced SQL handled', async () => {
    live.server.script(sqlReply('```sql\nSELECT 1 AS one\n```'));
    const g = await provider({ allowCannotAnswer: false, model: 'claude-haiku-4-5', maxTokens: 333 }).generate(request());
    assert.equal(g.sql, 'SELECT 1 AS one');
    const r = live.server.requests.at(-1)!;
    assert.deepEqual(r.body.tool_choice, { type: 'tool', name: 'submit_query', disable_parallel_tool_use: true });
    assert.equal(r.body.model, 'claude-haiku-4-5');
    assert.equal(r.body.max_tokens, 333);
  });

  it('cannot_answer becomes a cannot_answer error with the suggestions', async () => {
    live.server.script(toolReply({ reason: 'The snapshot has no NFT sales.', suggestions: ['Top 10 tokens by transfer count today'] }, { name: 'cannot_answer' }));
    const e = await failure(provider());
    assert.equal(e.code, 'cannot_answer');
    assert.match(e.message, /no NFT sales/);
    assert.deepEqual(e.suggestions, ['Top 10 tokens by transfer count today']);
  });

  it('prose instead of a tool call is a specific, repairable error', async () => {
    live.server.script(textReply('Sure! Here is the query: SELECT count(*) FROM ethereum.transactions WHERE NOT success'));
    const e = await failure(provider());
    assert.ok(e instanceof ModelOutputError);
    assert.equal(e.code, 'provider_error');
    assert.match(e.message, /prose instead of calling submit_query/);
    assert.match(e.output, /Here is the query/);
  });

  it('a refusal is a cannot_answer, and max_tokens cut-offs are specific', async () => {
    live.server.script({ kind: 'text', text: '', stopReason: 'refusal' }, { kind: 'text', text: 'SELECT count(*) FROM', stopReason: 'max_tokens' });
    const refusal = await failure(provider());
    assert.equal(refusal.code, 'cannot_answer');
    assert.match(refusal.message, /declined/);
    assert.match((await failure(provider({ maxTokens: 64 }))).message, /max tokens limit \(64\)/);
  });

  it('malformed tool input: no sql field, or sql not a string, is a specific error', async () => {
    live.server.script(toolReply({ explanation: 'forgot the sql' }), toolReply({ sql: 42, explanation: 'x' }), toolReply({ sql: ['SELECT 1'] }));
    assert.match((await failure(provider())).message, /submit_query without the required "sql" field/);
    assert.match((await failure(provider())).message, /"sql" as a number, not a string/);
    assert.match((await failure(provider())).message, /"sql" as an array, not a string/);
  });

  it('401, 403 and 404 give specific messages and are not retried', async () => {
    const before = live.server.requests.length;
    live.server.script(
      errorReply(401, 'authentication_error', `invalid x-api-key: ${KEY}`),
      errorReply(403, 'permission_error', 'Your API key does not have permission to use the specified resource.'),
      errorReply(404, 'not_found_error', 'model: claude-nope-1'),
    );
    const e401 = await failure(provider({ maxRetries: 2 }));
    assert.match(e401.message, /API key was rejected \(401 invalid key\)/);
    assert.match(e401.message, /Set Anthropic API Key/);
    assert.ok(!e401.message.includes(KEY), 'the key echoed by the server is redacted');
    const e403 = await failure(provider({ maxRetries: 2 }));
    assert.match(e403.message, /403 permission denied/);
    const e404 = await failure(provider({ maxRetries: 2, model: 'claude-nope-1' }));
    assert.match(e404.message, /Model 'claude-nope-1' was not found/);
    assert.equal(live.server.requests.length - before, 3, 'one request each: 4xx are not retried');
  });

  it('429 is retried by the SDK (retry-after honoured) and then reported as rate limiting', async () => {
    const before = live.server.requests.length;
    live.server.script(...Array.from({ length: 3 }, () => errorReply(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', FAST_RETRY)));
    const e = await failure(provider({ maxRetries: 2 }));
    assert.match(e.message, /rate-limiting this key \(429\) after 2 retries/);
    assert.equal(live.server.requests.length - before, 3, 'the server saw the first try and two retries');
    // A 429 with the API's own `retry-after: 1` (seconds), then success: the SDK waits as told and recovers.
    live.server.script(errorReply(429, 'rate_limit_error', 'slow down', { 'retry-after': '1' }), sqlReply('SELECT 2 AS two'));
    assert.equal((await provider({ maxRetries: 2 }).generate(request())).sql, 'SELECT 2 AS two');
    const [limited, retried] = live.server.requests.slice(-2);
    const waited = retried.receivedAt - limited.receivedAt;
    assert.ok(waited >= 900 && waited < 5_000, `retried after ${waited.toFixed(0)} ms`);
    assert.equal(retried.headers['x-stainless-retry-count'], '1');
  });

  it('500 and 529 overloaded are retried and then reported specifically', async () => {
    const before = live.server.requests.length;
    live.server.script(
      errorReply(500, 'api_error', 'Internal server error', FAST_RETRY), errorReply(500, 'api_error', 'Internal server error', FAST_RETRY),
      errorReply(529, 'overloaded_error', 'Overloaded', FAST_RETRY), errorReply(529, 'overloaded_error', 'Overloaded', FAST_RETRY),
    );
    assert.match((await failure(provider({ maxRetries: 1 }))).message, /server error \(500\) after 1 retry/);
    assert.match((await failure(provider({ maxRetries: 1 }))).message, /overloaded \(529\) after 1 retry/);
    assert.equal(live.server.requests.length - before, 4);
  });

  it('a slow response times out with a timeout error, and the connection is closed', async () => {
    live.server.script({ kind: 'hang' });
    const t0 = performance.now();
    const e = await failure(provider({ timeoutMs: 300 }));
    const ms = performance.now() - t0;
    assert.equal(e.code, 'timeout');
    assert.match(e.message, /did not answer within 300 ms/);
    assert.ok(ms < 2_000, `stopped after ${ms.toFixed(0)} ms`);
    const r = live.server.requests.at(-1)!;
    await r.ended;
    assert.equal(r.closedEarly, true);
  });

  it('an AbortSignal cancels the request promptly and the server sees the socket close', async () => {
    live.server.script({ kind: 'hang' });
    const ac = new AbortController();
    const pending = provider({ timeoutMs: 30_000 }).generate(request({ signal: ac.signal }));
    while (live.server.pending() > 0) await new Promise((r) => setTimeout(r, 10));
    const r = live.server.requests.at(-1)!;
    const t0 = performance.now();
    ac.abort();
    await assert.rejects(pending, (e: OnchainSqlError) => e.code === 'cancelled');
    await r.ended;
    const ms = performance.now() - t0;
    assert.equal(r.closedEarly, true);
    assert.ok(ms < 1_000, `closed ${ms.toFixed(0)} ms after abort`);
  });

  it('connection refused names the URL; a missing key says how to set one and sends nothing', async () => {
    const port = await freePort();
    const refused = await failure(provider({ baseURL: `http://127.0.0.1:${port}` }));
    assert.equal(refused.code, 'provider_error');
    assert.match(refused.message, new RegExp(`Could not reach the Anthropic API at http://127\\.0\\.0\\.1:${port}: the connection was refused`));

    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const before = live.server.requests.length;
      const missing = await failure(new ClaudeProvider({ baseURL: live.server.baseURL }));
      assert.equal(missing.code, 'missing_api_key');
      assert.match(missing.message, /Set it with 'Onchain SQL: Set Anthropic API Key' or ANTHROPIC_API_KEY, or use the offline provider/);
      assert.equal(live.server.requests.length, before);
      assert.equal(resolveProviderKind({ kind: 'auto' }), 'offline');
      assert.equal(resolveProviderKind({ kind: 'auto', apiKey: KEY }), 'claude');
      assert.equal(createProvider({ kind: 'auto' }).id, 'offline');
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  it('createProvider builds a lazily loaded Claude provider that works end to end', async () => {
    live.server.script(sqlReply('SELECT 3 AS three'));
    const p = createProvider({ kind: 'claude', apiKey: KEY, baseURL: live.server.baseURL, maxRetries: 0 });
    assert.equal(p.id, 'claude');
    assert.equal((await p.generate(request())).sql, 'SELECT 3 AS three');
  });

  it('redacts keys from any text, and no error text so far contains the key', () => {
    assert.equal(redactSecrets(`bad key ${KEY} here`, [KEY]), 'bad key [redacted] here');
    assert.equal(redactSecrets('other sk-ant-api03-abcdefgh_ij'), 'other sk-ant-[redacted]');
    assert.ok(seen.length >= 20);
    for (const text of seen) assert.ok(!text.includes(KEY) && !text.includes('SECRET'), `key leaked in: ${text.slice(0, 200)}`);
  });
});

// The editor's model through tool calling, against a real language-model provider: a second
// extension (test/integration/lm-test-model, loaded beside ours by run-code-server.mjs)
// registers a scripted model with vscode.lm.registerLanguageModelChatProvider. Onchain SQL
// finds it with vscode.lm.selectChatModels like any editor model (Copilot's included) and the
// editor carries the requests to it, so what is checked here is what the editor delivered.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Answer } from '../../../src/core/answer.js';
import { CANNOT_ANSWER, SUBMIT_QUERY } from '../../../src/core/nl2sql/modelReply.js';
import { firstForeignModel, isOwnModel } from '../../../src/extension/chatModelProvider.js';
import { api, setSetting, waitFor } from './helpers.js';

const TEST_MODEL_EXTENSION = 'onchain-sql-test.lm-test-model';
const TEST_VENDOR = 'onchain-test';
const TEST_MODEL_NAME = 'Scripted Test Model';

type Step =
  | { kind: 'toolCall'; name: string; input: object }
  | { kind: 'text'; text: string }
  | { kind: 'error'; message: string }
  | { kind: 'waitForCancel' };

interface RecordedRequest {
  toolMode?: number;
  tools: { name: string; description: string; inputSchema?: object }[];
  messages: { role: number; text: string }[];
  cancelled: boolean;
}

/** What lm-test-model/extension.js returns from activate. */
interface ScriptedModel {
  vendor: string;
  register(): void;
  unregister(): void;
  reset(steps: Step[]): void;
  requests(): RecordedRequest[];
  pending(): number;
}

interface DevQuestion { id: string; question: string; sql: string }

function devQuestion(id: string): DevQuestion {
  // out/test/index.js → <extension root>/eval/dev-questions.jsonl
  const file = path.resolve(__dirname, '..', '..', 'eval', 'dev-questions.jsonl');
  const row = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as DevQuestion).find((q) => q.id === id);
  if (!row) throw new Error(`no dev question ${id} in ${file}`);
  return row;
}

function submit(sql: string, explanation = 'Scripted answer.'): Step {
  return { kind: 'toolCall', name: SUBMIT_QUERY.name, input: { sql, explanation } };
}

/** One ask through the session the way a command does it (a user action may pick the editor model), with the stages it reported. */
async function askRecorded(question: string, signal?: AbortSignal): Promise<{ answer?: Answer; error?: Error & { code?: string; attempts?: { sql: string; error?: { code: string } }[] }; stages: { stage: string; detail?: string }[] }> {
  const { session } = await api();
  const stages: { stage: string; detail?: string }[] = [];
  try {
    const answer = await session.ask(question, { userAction: true, signal, onProgress: (stage, detail) => stages.push({ stage, detail }) });
    return { answer, stages };
  } catch (e) {
    return { error: e as Error, stages };
  }
}

async function waitForModels(ok: (vendors: string[]) => boolean, what: string): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const vendors = (await vscode.lm.selectChatModels()).map((m) => m.vendor);
    if (ok(vendors)) return;
    if (Date.now() - t0 > 10_000) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(vendors)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('Editor model through tool calling (a scripted vscode.lm provider)', () => {
  let model: ScriptedModel;
  let registered = false;
  const gold = devQuestion('d06');

  suiteSetup(async () => {
    await api();
    const ext = vscode.extensions.getExtension<ScriptedModel>(TEST_MODEL_EXTENSION);
    assert.ok(ext, `${TEST_MODEL_EXTENSION} is not loaded: run-code-server.mjs passes test/integration/lm-test-model as a second extensionDevelopmentPath`);
    model = await ext.activate();
    model.register();
    registered = true;
    await waitForModels((vendors) => vendors.includes(TEST_VENDOR), 'the scripted model to be listed');
    await setSetting('provider', 'vscode-lm');
  });
  setup(() => model.reset([]));
  teardown(() => assert.equal(model.pending(), 0, 'a scripted reply was left unused: the extension asked the model fewer times than expected'));
  suiteTeardown(async () => {
    await setSetting('provider', undefined);
    if (!registered) return;
    model.unregister();
    // The suites after this one see the editor as it was: no foreign model.
    await waitForModels((vendors) => !vendors.includes(TEST_VENDOR), 'the scripted model to be withdrawn');
  });

  test('the editor lists the scripted model beside our own; the editor model chosen is the scripted one, never ours', async () => {
    const models = await vscode.lm.selectChatModels();
    const scripted = models.find((m) => m.vendor === TEST_VENDOR);
    const own = models.find(isOwnModel);
    assert.ok(scripted, `selectChatModels without Copilot: ${JSON.stringify(models.map((m) => m.vendor))}`);
    assert.ok(own, `our own chat model is listed too: ${JSON.stringify(models.map((m) => m.vendor))}`);
    // The editor's order changes from call to call (seen both ways): check both orders with the real model objects.
    assert.equal(firstForeignModel([own, scripted]), scripted);
    assert.equal(firstForeignModel([scripted, own]), scripted);
    assert.equal(firstForeignModel([own]), undefined, 'our own model alone is no editor model');
    const { session } = await api();
    assert.equal(await session.providerLabel(), `Editor model (${TEST_MODEL_NAME})`);
  });

  test('the @onchain handler, given the scripted model as the Chat view would give it, answers through its submit_query call', async () => {
    const [picked] = await vscode.lm.selectChatModels({ vendor: TEST_VENDOR });
    assert.ok(picked);
    model.reset([submit(gold.sql, 'Average gas price per day.')]);
    const { chatHandler } = await api();
    const parts: string[] = [];
    const stream = { markdown: (v: string | vscode.MarkdownString) => { parts.push(typeof v === 'string' ? v : v.value); }, button: () => {}, progress: () => {} };
    const cts = new vscode.CancellationTokenSource();
    const result = await chatHandler({ prompt: gold.question, model: picked }, { history: [] }, stream, cts.token);
    cts.dispose();
    assert.equal(model.requests()[0].toolMode, vscode.LanguageModelChatToolMode.Required);
    assert.equal((result.metadata as { sql?: string }).sql?.replace(/\s+/g, ' ').trim(), gold.sql);
    assert.ok(parts.join('\n').includes(TEST_MODEL_NAME), 'the answer names the model that wrote it');
  });

  test('a dev question: the request carries toolMode Required and submit_query with its schema; the tool call\'s SQL gives the gold rows', async () => {
    model.reset([submit(gold.sql, 'Average gas price per day.')]);
    const { answer, error } = await askRecorded(gold.question);
    assert.ok(answer, `the ask failed: ${error?.message}`);
    const [request, ...more] = model.requests();
    assert.equal(more.length, 0, 'one request');
    assert.equal(request.toolMode, vscode.LanguageModelChatToolMode.Required, 'toolMode Required');
    assert.deepEqual(request.tools.map((t) => t.name), [SUBMIT_QUERY.name, CANNOT_ANSWER.name]);
    assert.deepEqual(request.tools[0].inputSchema, SUBMIT_QUERY.inputSchema, 'the same submit_query schema Claude gets');
    assert.deepEqual(request.tools[1].inputSchema, CANNOT_ANSWER.inputSchema);
    assert.equal(request.messages.length, 1);
    assert.equal(request.messages[0].role, vscode.LanguageModelChatMessageRole.User);
    assert.ok(request.messages[0].text.includes(gold.question), 'the question is in the prompt');
    assert.match(request.messages[0].text, /ethereum\.transactions/, 'the schema context is in the prompt');
    assert.doesNotMatch(request.messages[0].text, /"sql":\s*"/, 'no JSON-reply instructions when the tool is offered');

    assert.equal(answer.provider, 'vscode-lm');
    assert.equal(answer.model, TEST_MODEL_NAME);
    assert.equal(answer.explanation, 'Average gas price per day.');
    assert.equal(answer.attempts.length, 1);
    assert.ok(!(answer.notes ?? []).some((n) => /read from/.test(n)), `no fallback note on a tool call: ${JSON.stringify(answer.notes)}`);
    const { session } = await api();
    const direct = await session.runSql(gold.sql);
    assert.ok(direct.rowCount > 1, 'the gold SQL returns rows on the sample');
    assert.deepEqual(answer.columns.map((c) => c.type), direct.columns.map((c) => c.type));
    assert.deepEqual(answer.rows, direct.rows);
  });

  test('fallback: a model that answers in text despite the required tool is read by the JSON scraper, and the answer says so', async () => {
    model.reset([{ kind: 'text', text: `Here you go:\n${JSON.stringify({ sql: gold.sql, explanation: 'Scraped.', chart: null })}` }]);
    const { answer, error } = await askRecorded(gold.question);
    assert.ok(answer, `the ask failed: ${error?.message}`);
    assert.equal(model.requests()[0].toolMode, vscode.LanguageModelChatToolMode.Required);
    assert.equal(answer.explanation, 'Scraped.');
    assert.ok(answer.notes?.some((n) => n.includes(`${TEST_MODEL_NAME} answered in text instead of calling submit_query`)), `fallback reported: ${JSON.stringify(answer.notes)}`);
    const { session } = await api();
    assert.deepEqual(answer.rows, (await session.runSql(gold.sql)).rows);
  });

  test('fallback: a model that rejects the request with tools is asked again for a JSON reply, and the answer says so', async () => {
    model.reset([{ kind: 'error', message: 'this model does not support tools' }, { kind: 'text', text: JSON.stringify({ sql: gold.sql, explanation: 'From JSON.', chart: null }) }]);
    const { answer, error } = await askRecorded(gold.question);
    assert.ok(answer, `the ask failed: ${error?.message}`);
    const [withTools, withoutTools] = model.requests();
    assert.equal(withTools.tools.length, 2);
    assert.equal(withoutTools.tools.length, 0, 'the second request offers no tools');
    assert.notEqual(withoutTools.toolMode, vscode.LanguageModelChatToolMode.Required);
    assert.match(withoutTools.messages[0].text, /"sql"/, 'the second prompt asks for a JSON reply');
    assert.ok(answer.notes?.some((n) => n.includes('did not take the request with tools') && n.includes('does not support tools')), `fallback reported: ${JSON.stringify(answer.notes)}`);
    const { session } = await api();
    assert.deepEqual(answer.rows, (await session.runSql(gold.sql)).rows);
  });

  test('a write in the tool call is refused by the guard with a clear error on every try, and never runs', async () => {
    const leak = path.join(os.tmpdir(), `onchain-lm-leak-${process.pid}-${Date.now()}.csv`);
    const copy = `COPY (SELECT 1 AS x) TO '${leak}'`;
    const tries = (vscode.workspace.getConfiguration('onchainSql').get<number>('repairAttempts') ?? 2) + 1;
    model.reset(Array.from({ length: tries }, () => submit(copy)));
    const { answer, error, stages } = await askRecorded('Export one row to a file');
    assert.equal(answer, undefined, 'no answer from a write');
    assert.equal(error?.code, 'forbidden_statement', `error: ${error?.message}`);
    assert.match(error.message, /COPY|read-only|SELECT/i, error.message);
    assert.equal(error.attempts?.length, tries);
    assert.ok(error.attempts.every((a) => a.error?.code === 'forbidden_statement'));
    // Each retry carried the refusal back to the model, through the editor.
    const requests = model.requests();
    assert.equal(requests.length, tries);
    for (const r of requests.slice(1)) assert.match(r.messages[0].text, /forbidden_statement/);
    assert.ok(!stages.some((s) => s.stage === 'execute'), `nothing reached execution: ${JSON.stringify(stages)}`);
    assert.equal(fs.existsSync(leak), false, 'the COPY wrote its file');
  });

  test('an unknown table in the tool call is refused before it runs; the repair goes back to the model with the nearest real name', async () => {
    model.reset([submit('SELECT count(*) AS n FROM ethereum.txs'), submit('SELECT count(*) AS n FROM ethereum.transactions')]);
    const { answer, error, stages } = await askRecorded('How many transactions are in the snapshot?');
    assert.ok(answer, `the ask failed: ${error?.message}`);
    assert.equal(answer.attempts[0].error?.code, 'unknown_table');
    const [, repair] = model.requests();
    assert.match(repair.messages[0].text, /unknown_table/);
    assert.match(repair.messages[0].text, /ethereum\.transactions/);
    const executed = stages.filter((s) => s.stage === 'execute').map((s) => s.detail ?? '');
    assert.equal(executed.length, 1, `only the repaired SQL ran: ${JSON.stringify(executed)}`);
    assert.doesNotMatch(executed[0], /ethereum\.txs/);
    const { session } = await api();
    const manifest = session.activeSnapshot().manifest;
    assert.equal(Number(answer.rows[0][0]), manifest?.rowCounts['ethereum.transactions']);
  });

  test('a cannot_answer tool call becomes a clear cannot-answer error with the model\'s suggestions', async () => {
    model.reset([{ kind: 'toolCall', name: CANNOT_ANSWER.name, input: { reason: 'There is no NFT table.', suggestions: ['Top 5 tokens by transfers'] } }]);
    const { error } = await askRecorded('Which NFT sold for the most?');
    assert.equal(error?.code, 'cannot_answer');
    assert.match(error.message, new RegExp(`${TEST_MODEL_NAME} says .*no NFT table`));
    assert.deepEqual((error as Error & { suggestions?: string[] }).suggestions, ['Top 5 tokens by transfers']);
  });

  test('cancelling while the model is still answering stops the ask and reaches the provider\'s token', async () => {
    model.reset([{ kind: 'waitForCancel' }]);
    const abort = new AbortController();
    const pending = askRecorded(gold.question, abort.signal);
    await waitFor('the request to reach the scripted model', () => model.requests().length === 1);
    abort.abort();
    const { answer, error } = await pending;
    assert.equal(answer, undefined);
    assert.equal(error?.code, 'cancelled', `error: ${error?.message}`);
    await waitFor('the provider to see the cancellation', () => model.requests()[0].cancelled, 10_000);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ask } from '../../src/core/ask.js';
import { Engine } from '../../src/core/engine/engine.js';
import { ClaudeProvider } from '../../src/core/nl2sql/claude.js';
import { builtInExamples, loadSavedExamples, removeExample, saveExample } from '../../src/core/nl2sql/examples.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';
import { buildSnapshot } from '../../src/core/snapshot/build.js';
import { MANIFEST_FILE } from '../../src/core/snapshot/layout.js';
import { defaultSnapshotDir, SAMPLE_SCALE, SAMPLE_SEED } from '../../src/core/snapshot/paths.js';
import { CHAT_MESSAGES, checkMessage, PANEL_MESSAGES } from '../../src/webview/messageSchema.js';
import { promptText, sqlReply, startAnthropicServer, type AnthropicTestServer } from '../support/anthropic-server.js';

/** A saved answer whose SQL no built-in example has: its presence in a prompt can only come from the save. */
const SAVED = {
  question: 'How many contract creations were there in the last 2 days?',
  sql: "select count(*) as creations from ethereum.transactions where to_address is null and success and block_time > snapshot_time() - interval 2 day",
};

describe('saved examples: the loop from "Save as example" to the next similar question', () => {
  let engine: Engine;
  let server: AnthropicTestServer;
  let tmp: string;
  let file: string;
  const claude = () => new ClaudeProvider({ apiKey: 'sk-ant-test-key', baseURL: server.baseURL, maxRetries: 0, timeoutMs: 5_000 });
  const library = () => [...builtInExamples(), ...loadSavedExamples(file)];

  before(async () => {
    const dir = defaultSnapshotDir();
    if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) await buildSnapshot({ outDir: dir, scale: SAMPLE_SCALE, seed: SAMPLE_SEED });
    engine = await Engine.open(dir);
    server = await startAnthropicServer();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-saved-'));
    file = path.join(tmp, 'workspace-storage', 'saved-examples.jsonl');
  });
  after(async () => {
    await server.close();
    engine.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a similar question asked of Claude carries the saved pair only after it is saved', async () => {
    const similar = 'how many contract creations in the last 5 days';
    server.script(sqlReply(SAVED.sql.replace('2 day', '5 day')));
    await ask(engine, similar, { provider: claude(), examples: library() });
    assert.ok(!promptText(server.requests.at(-1)!).includes(SAVED.sql), 'not in the prompt before it is saved');

    saveExample(file, SAVED);
    server.script(sqlReply(SAVED.sql.replace('2 day', '5 day')));
    const a = await ask(engine, similar, { provider: claude(), examples: library() });
    const sent = promptText(server.requests.at(-1)!);
    assert.ok(sent.includes(`Q: ${SAVED.question}\nSQL: ${SAVED.sql}`), 'the saved pair is among the verified examples sent');
    assert.match(a.sql, /interval 5 day/);

    removeExample(file, SAVED.question.toUpperCase());
    assert.deepEqual(loadSavedExamples(file), []);
    server.script(sqlReply(SAVED.sql));
    await ask(engine, similar, { provider: claude(), examples: library() });
    assert.ok(!promptText(server.requests.at(-1)!).includes(SAVED.sql), 'a deleted example is no longer sent');
  });

  it('saving the same question twice replaces the pair; the file holds what was saved, one pair a line', () => {
    saveExample(file, SAVED);
    saveExample(file, { question: `  ${SAVED.question.toLowerCase()} `, sql: SAVED.sql.replace('2 day', '3 day') });
    const saved = loadSavedExamples(file);
    assert.equal(saved.length, 1);
    assert.match(saved[0].sql, /interval 3 day/);
    assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 1);
    removeExample(file, SAVED.question);
  });

  it('the offline translator answers the same with or without saved examples', async () => {
    // A saved pair for the very question, with different SQL: the offline translator must not take it.
    const question = 'how many failed transactions in the last 7 days';
    saveExample(file, { question, sql: 'select 42 as transactions' });
    const offline = await OfflineProvider.forEngine(engine);
    const plain = await ask(engine, question, { provider: offline });
    const withSaved = await ask(engine, question, { provider: offline, examples: library() });
    assert.equal(withSaved.sql, plain.sql);
    assert.deepEqual(withSaved.rows, plain.rows);
    assert.notEqual(withSaved.rows[0][0], 42);
    removeExample(file, question);
  });

  it('the commands are contributed, and History items offer Save Answer as Example', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as {
      contributes: { commands: { command: string; title: string }[]; menus: Record<string, { command: string; when?: string }[]> };
    };
    const titles = new Map(pkg.contributes.commands.map((c) => [c.command, c.title]));
    assert.equal(titles.get('onchainSql.saveAnswerAsExample'), 'Save Answer as Example');
    assert.equal(titles.get('onchainSql.manageSavedExamples'), 'Manage Saved Examples');
    const item = pkg.contributes.menus['view/item/context'].find((m) => m.command === 'onchainSql.saveAnswerAsExample');
    assert.equal(item?.when, 'view == onchainSql.history && viewItem == onchainSql.historyEntry');
  });

  it('the webviews ask to save by reference only: the panel its shown answer, the chat a turn id', () => {
    assert.equal(checkMessage(PANEL_MESSAGES, { type: 'saveExample' }).ok, true);
    const smuggled = checkMessage(PANEL_MESSAGES, { type: 'saveExample', sql: 'select 1' });
    assert.equal(smuggled.ok, false);
    assert.match((smuggled as { reason: string }).reason, /unexpected field sql/);
    assert.equal(checkMessage(CHAT_MESSAGES, { type: 'saveExample', turnId: 'ab12' }).ok, true);
    assert.equal(checkMessage(CHAT_MESSAGES, { type: 'saveExample' }).ok, false);
    assert.equal(checkMessage(CHAT_MESSAGES, { type: 'saveExample', turnId: 12 }).ok, false);
  });
});

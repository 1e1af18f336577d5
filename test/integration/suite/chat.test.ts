// The @onchain chat participant: registered, and its handler answers (called directly: the Chat view may be absent).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatStreamLike } from '../../../src/extension/chatParticipant.js';
import { api, setSetting } from './helpers.js';

class RecordingStream implements ChatStreamLike {
  markdownParts: string[] = [];
  buttons: vscode.Command[] = [];
  progressParts: string[] = [];
  markdown(value: string | vscode.MarkdownString): void {
    if (typeof value !== 'string') {
      assert.notEqual(value.isTrusted, true, 'chat markdown must not be trusted');
      assert.notEqual(value.supportHtml, true, 'chat markdown must not render HTML');
    }
    this.markdownParts.push(typeof value === 'string' ? value : value.value);
  }
  button(command: vscode.Command): void {
    this.buttons.push(command);
  }
  progress(value: string): void {
    this.progressParts.push(value);
  }
  get text(): string {
    return this.markdownParts.join('\n');
  }
}

async function chat(prompt: string, command?: string, model?: vscode.LanguageModelChat): Promise<{ stream: RecordingStream; result: vscode.ChatResult }> {
  const { chatHandler } = await api();
  const stream = new RecordingStream();
  const cts = new vscode.CancellationTokenSource();
  const result = await chatHandler({ prompt, command, model }, { history: [] }, stream, cts.token);
  cts.dispose();
  return { stream, result };
}

suite('Chat participant', () => {
  suiteSetup(async () => {
    await api();
    await setSetting('provider', 'offline');
  });
  suiteTeardown(async () => {
    await setSetting('provider', undefined);
  });

  test('registers without throwing (when the Chat API exists)', async () => {
    const a = await api();
    assert.equal(a.chatParticipantRegistered, typeof vscode.chat?.createChatParticipant === 'function');
  });

  test('answers a question with SQL, an escaped table, a row count and an Open in Panel button', async () => {
    const { stream, result } = await chat('Top 5 tokens by number of transfers in the last 7 days');
    assert.match(stream.text, /```+sql\n[\s\S]*tokens\.transfers[\s\S]*\n```+/i);
    const tableRows = stream.text.split('\n').filter((l) => l.startsWith('| '));
    assert.ok(tableRows.length >= 3, 'a markdown table with a header, a rule and rows');
    assert.match(stream.text, /\d+ rows?/);
    const open = stream.buttons.find((b) => b.command === 'onchainSql.openInPanel');
    assert.ok(open, 'no Open in Panel button');
    assert.match((open.arguments?.[0] as { sql: string }).sql, /tokens\.transfers/i);
    const meta = result.metadata as { sql?: string; question?: string };
    assert.ok(meta.sql && meta.question);
  });

  test('/sql runs SQL as written and renders hostile values inert', async () => {
    const hostile = `<img src=x onerror=alert(1)> | [x](javascript:alert(1)) \`code\` https://evil.example \u202Eabc`;
    const { stream } = await chat(`SELECT '${hostile.replace(/'/g, "''")}' AS name, 1 AS n`, 'sql');
    // Inside the SQL fence the literal is inert code; everywhere else it must be escaped.
    const text = stream.text.replace(/(`{3,})sql\n[\s\S]*?\n\1/g, '');
    assert.match(text, /onerror/, 'the value is shown');
    assert.ok(!text.includes('<img'), 'raw HTML in chat markdown');
    assert.ok(!/(^|[^\\])\]\(javascript:/i.test(text), 'live javascript: link');
    assert.ok(!text.includes('https://evil'), 'autolink');
    assert.ok(!text.includes('\u202E'), 'bidi control');
    const row = text.split('\n').find((l) => l.includes('onerror'))!;
    assert.equal((row.match(/(^|[^\\])\|/g) ?? []).length, 3, `table row broken: ${row}`);
  });

  test('/schema lists the tables and one table\'s columns', async () => {
    const all = await chat('', 'schema');
    assert.match(all.stream.text, /ethereum\.transactions/);
    assert.match(all.stream.text, /dex\.trades/);
    const one = await chat('tokens.transfers', 'schema');
    assert.match(one.stream.text, /amount\\?_usd/);
  });

  test('/explain explains SQL without a model', async () => {
    const { stream } = await chat('SELECT count(*) FROM ethereum.blocks WHERE block_time > snapshot_time() - INTERVAL 1 DAY', 'explain');
    assert.match(stream.text, /ethereum\.blocks/);
    assert.match(stream.text, /Keeps rows where/);
  });

  test('errors are clear Markdown with the code, never a thrown exception', async () => {
    const { stream } = await chat('DELETE FROM ethereum.blocks', 'sql');
    assert.match(stream.text, /Could not answer/);
    assert.match(stream.text, /`[a-z_]+`/);
  });

  test('a cancelled request stops with a cancelled message', async () => {
    const { chatHandler } = await api();
    const stream = new RecordingStream();
    const cts = new vscode.CancellationTokenSource();
    cts.cancel();
    await chatHandler({ prompt: 'How many transactions happened today?' }, { history: [] }, stream, cts.token);
    assert.match(stream.text, /cancel/i);
  });
});

/** A stand-in for an editor model (vscode.lm): replies from a script and records what it was sent. */
function fakeModel(replies: string[]): { model: vscode.LanguageModelChat; prompts: string[] } {
  const prompts: string[] = [];
  const model = {
    id: 'fake-model', name: 'Fake Model', vendor: 'test', family: 'fake', version: '1', maxInputTokens: 100_000,
    countTokens: async () => 1,
    sendRequest: async (messages: vscode.LanguageModelChatMessage[]) => {
      assert.equal(messages.length, 1, 'one user message');
      assert.equal(messages[0].role, vscode.LanguageModelChatMessageRole.User);
      const text = messages[0].content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
      prompts.push(text);
      const reply = replies[Math.min(prompts.length - 1, replies.length - 1)];
      return { text: (async function* () { yield reply; })(), stream: (async function* () { yield new vscode.LanguageModelTextPart(reply); })() };
    },
  } as unknown as vscode.LanguageModelChat;
  return { model, prompts };
}

suite('Editor model provider (vscode.lm)', () => {
  suiteSetup(async () => {
    await api();
    await setSetting('provider', 'auto');
  });
  suiteTeardown(async () => {
    await setSetting('provider', undefined);
  });

  test('@onchain uses the model the user picked; a prose reply is repaired into SQL', async () => {
    const { chatHandler } = await api();
    const { model, prompts } = fakeModel([
      'Sure! Blocks are produced every 12 seconds.',
      'Here it is: {"sql": "SELECT count(*) AS blocks FROM ethereum.blocks", "explanation": "Counts blocks.", "chart": null}',
    ]);
    const stream = new RecordingStream();
    const cts = new vscode.CancellationTokenSource();
    const result = await chatHandler({ prompt: 'How many blocks are there?', model }, { history: [] }, stream, cts.token);
    assert.equal(prompts.length, 2, 'one try and one repair');
    assert.match(prompts[0], /ethereum\.blocks/, 'the schema is in the prompt');
    assert.match(prompts[0], /snapshot_time\(\)/, 'the rules are in the prompt');
    assert.match(prompts[1], /did not return SQL/, 'the repair says what was wrong');
    assert.match(stream.text, /SELECT count\(\*\) AS blocks FROM ethereum\.blocks/);
    assert.match(stream.text, /Fake Model/);
    assert.equal((result.metadata as { sql: string }).sql, 'SELECT count(*) AS blocks FROM ethereum.blocks');
  });

  test('a model that declines gives a clear cannot-answer message', async () => {
    const { session } = await api();
    const { model } = fakeModel(['{"sql": "", "explanation": "There is no NFT table in this schema."}']);
    await assert.rejects(session.ask('Which NFT sold for the most?', { model }), (e: Error & { code?: string }) => e.code === 'cannot_answer' && /NFT/.test(e.message));
  });

  test('with the Onchain SQL chat model selected, @onchain answers through the session (offline here), never by asking that model', async () => {
    // What the Chat view passes when our contributed model is the chosen one: sending to it would ask ourselves.
    const own = { vendor: 'onchain-sql', id: 'onchain-sql-answers', name: 'Onchain SQL', sendRequest: () => { throw new Error('the own model was asked'); } } as unknown as vscode.LanguageModelChat;
    const { stream } = await chat('How many blocks were produced in the last 24 hours?', undefined, own);
    assert.match(stream.text, /ethereum\.blocks/i);
    assert.match(stream.text, /the offline translator/);
  });

  test('a refusal offers its suggestions as clickable follow-ups and a Write SQL button', async () => {
    const { stream, result } = await chat('What is the meaning of life, the universe and everything?');
    const meta = result.metadata as { suggestions?: string[] };
    assert.ok(meta.suggestions && meta.suggestions.length > 0, 'no suggestions kept for follow-ups');
    assert.ok(stream.buttons.some((b) => b.command === 'onchainSql.writeSql'), 'no Write SQL button');
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ask } from '../../src/core/ask.js';
import { turnOf } from '../../src/core/nl2sql/history.js';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { exportResult } from '../../src/core/export.js';
import { ClaudeProvider, type ClaudeOptions } from '../../src/core/nl2sql/claude.js';
import { answerMarkdown, errorMarkdown } from '../../src/extension/chatMarkdown.js';
import { formatNotebook } from '../../src/extension/notebook/format.js';
import { errorText, resultHtml, resultText } from '../../src/extension/notebook/outputs.js';
import { redactSecrets as redact } from '../../src/core/text/redact.js';
import { errorReply, sqlReply, startAnthropicServer, textReply, toolReply, type AnthropicTestServer } from '../support/anthropic-server.js';
import { makeChainSnapshot } from '../unit/ask-snapshot.js';
import { ROOT } from './support.js';
import { Counter } from './tally.js';
import { freePort } from '../support/free-port.js';

// Category 6: a distinctive fake key, set in the environment and passed as an option,
// appears in no stdout/stderr, error, Answer JSON, exported file, notebook or log text.
const MARK = `SECSUITE${crypto.randomBytes(6).toString('hex').toUpperCase()}`;
const KEY = `sk-ant-api03-${MARK}-fake-key-for-tests-only`;

describe('security 6: secrets', () => {
  let server: AnthropicTestServer;
  let dir: string;
  let engine: Engine;
  let scratch: string;
  const savedKey = process.env.ANTHROPIC_API_KEY;
  /** Every text produced in this run, with where it came from. */
  const produced: Array<{ where: string; text: string }> = [];
  const keep = (where: string, text: string) => produced.push({ where, text });
  const counter = new Counter('secrets', 'CLI + in-process, key in env and option');
  const claude = (o: ClaudeOptions = {}) => new ClaudeProvider({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0, timeoutMs: 3_000, ...o });

  before(async () => {
    process.env.ANTHROPIC_API_KEY = KEY;
    server = await startAnthropicServer();
    dir = await makeChainSnapshot();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sec-secrets-'));
    engine = await Engine.open(dir, { connections: 2, threads: 1 });
  });
  after(async () => {
    counter.flush();
    if (savedKey === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = savedKey;
    await server.close();
    engine?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('in-process: answers, errors (the server echoing the key), exports, notebook and chat text', async () => {
    const port = await freePort();
    server.script(sqlReply('SELECT symbol, count(*) AS transfers FROM tokens.transfers GROUP BY 1 ORDER BY 2 DESC', 'Transfers per token.'));
    const answer = await ask(engine, 'Which tokens were transferred most?', { provider: claude() });
    keep('Answer JSON', JSON.stringify(answer));
    keep('chat Markdown', answerMarkdown(answer));
    keep('notebook text/html', resultHtml(answer));
    keep('notebook text/plain', resultText(answer));
    keep('turn', JSON.stringify(turnOf(answer)));
    for (const format of ['csv', 'json', 'parquet'] as const) {
      const file = path.join(scratch, `export.${format}`);
      await exportResult(engine, answer.sql, { format, file });
      keep(`exported ${format}`, fs.readFileSync(file).toString('latin1'));
    }
    const nb = path.join(scratch, 'n.onchain-nb');
    fs.writeFileSync(nb, formatNotebook([{ kind: 'code', language: 'onchain-question', value: answer.question }, { kind: 'code', language: 'sql', value: answer.sql }]));
    keep('notebook file', fs.readFileSync(nb, 'utf8'));

    const failing: Array<[string, () => void, ClaudeOptions?]> = [
      ['401 echoing the key', () => server.script(errorReply(401, 'authentication_error', `invalid x-api-key: ${KEY}`))],
      ['403 echoing the key', () => server.script(errorReply(403, 'permission_error', `key ${KEY} may not use this model`))],
      ['429', () => server.script(errorReply(429, 'rate_limit_error', `limit for ${KEY}`, { 'retry-after-ms': '5' }))],
      ['500', () => server.script(errorReply(500, 'api_error', `internal error for ${KEY}`, { 'retry-after-ms': '5' }))],
      ['prose echoing the key, then repair', () => server.script(textReply(`Your key is ${KEY}. SELECT 1`), textReply(`Still ${KEY}`))],
      ['cannot_answer echoing the key', () => server.script(toolReply({ reason: `no data (key ${KEY})`, suggestions: ['x'] }, { name: 'cannot_answer' }))],
      ['timeout', () => server.script({ kind: 'hang' }), { timeoutMs: 300 }],
      ['connection refused', () => undefined, { baseURL: `http://127.0.0.1:${port}` }],
    ];
    for (const [name, script, options] of failing) {
      script();
      try {
        await ask(engine, 'Which tokens were transferred most?', { provider: claude(options), maxRepairs: 1 });
        assert.fail(`${name}: expected a failure`);
      } catch (e) {
        assert.ok(e instanceof OnchainSqlError, `${name}: ${String(e)}`);
        keep(`${name}: message`, e.message);
        keep(`${name}: JSON`, JSON.stringify(e));
        keep(`${name}: stack`, String(e.stack));
        keep(`${name}: chat Markdown`, errorMarkdown({ ...e.toJSON(), suggestions: e.suggestions }));
        keep(`${name}: notebook error`, errorText({ code: e.code, message: e.message, suggestions: e.suggestions, attempts: 'attempts' in e ? (e.attempts as []) : [] }));
      }
    }
    // A misbehaving endpoint echoing the key in the explanation (the model itself never sees the key).
    server.script(sqlReply('SELECT count(*) AS n FROM tokens.transfers', `Counts transfers. (${KEY})`));
    const echoed = await ask(engine, 'How many token transfers?', { provider: claude() });
    keep('Answer JSON (explanation echo)', JSON.stringify(echoed));
    keep('chat Markdown (explanation echo)', answerMarkdown(echoed));
    // What went over the wire: the key only in the auth header, never in a body (repair prompts included).
    for (const [i, r] of server.requests.entries()) keep(`request body ${i + 1}`, r.raw);
    // The extension's log redaction, on a line that carries the key.
    keep('log line', redact(`POST /v1/messages failed: invalid x-api-key ${KEY}`, [KEY]));
  });

  it('CLI (npx tsx src/cli/main.ts ask … --provider claude): stdout and stderr, success and error cases', async () => {
    const cli = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/main.ts', 'ask', ...args, '--snapshot', dir], {
        cwd: ROOT, timeout: 120_000,
        env: { ...process.env, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseURL, ONCHAIN_SQL_MODEL: 'claude-sonnet-5-5' },
      }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    });
    const runs: Array<[string, () => void, string[], number]> = [
      ['json answer', () => server.script(sqlReply('SELECT count(*) AS n FROM tokens.transfers', `explained (${KEY})`)), ['How many token transfers?', '--provider', 'claude', '--json'], 0],
      ['json 401', () => server.script(errorReply(401, 'authentication_error', `invalid x-api-key ${KEY}`)), ['How many token transfers?', '--provider', 'claude', '--json'], 1],
      ['human 529 + prose repair', () => server.script(textReply(`my key: ${KEY}`), errorReply(529, 'overloaded_error', `Overloaded ${KEY}`, { 'x-should-retry': 'false' })), ['How many token transfers?', '--provider', 'claude'], 1],
      ['print prompt', () => undefined, ['How many token transfers?', '--provider', 'claude', '--print-prompt', '--json'], 0],
    ];
    for (const [name, script, args, code] of runs) {
      script();
      const r = await cli(args);
      keep(`CLI ${name}: stdout`, r.stdout);
      keep(`CLI ${name}: stderr`, r.stderr);
      assert.equal(r.code, code, `${name}: exit ${r.code}\n${r.stderr}`);
      assert.ok(r.stdout.length + r.stderr.length > 20, `${name}: produced output`);
    }
    assert.equal(server.pending(), 0, 'every scripted reply was used');
    for (const r of server.requests) keep('CLI request body', r.raw);
  });

  it('the key (or its distinctive part) is found in none of the texts produced', () => {
    assert.ok(produced.length >= 60, `only ${produced.length} texts collected`);
    const found: string[] = [];
    for (const p of produced) {
      const leaked = p.text.includes(KEY) || p.text.includes(MARK);
      counter.check(!leaked, leaked ? `key in ${p.where}` : undefined);
      if (leaked) found.push(p.where);
    }
    counter.notes.push(`${produced.length} texts searched (stdout, stderr, errors, Answer JSON, exports, notebook, chat, request bodies, log)`);
    assert.deepEqual(found, []);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorReply, sqlReply, startAnthropicServer, type AnthropicTestServer } from '../support/anthropic-server.js';
import { makeChainSnapshot } from './ask-snapshot.js';

/**
 * The shipped bundles, not the sources: the Anthropic SDK and the MCP SDK
 * live in dist/vendor/ so that loading the extension stays light, and the
 * bundles must still reach them (the source-level tests cannot see a broken split).
 */
const ROOT = path.resolve(__dirname, '../..');
const dist = (f: string) => path.join(ROOT, 'dist', f);
const KEY = 'sk-ant-api03-bundle-test-key';

describe('the shipped bundles', () => {
  let snapshot: string;
  let server: AnthropicTestServer;

  before(async () => {
    // `npm test` builds first; a lone `npm run test:unit` builds here.
    if (!fs.existsSync(dist('cli.js')) || !fs.existsSync(dist('engine-worker.js')) || !fs.existsSync(dist('vendor/anthropic.js'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT });
    snapshot = await makeChainSnapshot();
    server = await startAnthropicServer();
  });
  after(async () => {
    await server?.close();
    if (snapshot) fs.rmSync(snapshot, { recursive: true, force: true });
  });

  it('the extension and the CLI load the heavy libraries from dist/vendor/, not from their own text', () => {
    for (const bundle of ['extension.js', 'cli.js']) {
      const text = fs.readFileSync(dist(bundle), 'utf8');
      assert.match(text, /require\("\.\/vendor\/anthropic\.js"\)/, bundle);
      // The SDK's own source text (its version header) stays out.
      assert.doesNotMatch(text, /anthropic-version/, bundle);
    }
    // The engine's worker (the statement guard, DuckDB's parser) needs no vendored library at all.
    assert.doesNotMatch(fs.readFileSync(dist('engine-worker.js'), 'utf8'), /require\("\.\/vendor\//);
  });

  const cli = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [dist('cli.js'), 'ask', ...args, '--snapshot', snapshot], {
      cwd: ROOT, timeout: 120_000,
      env: { ...process.env, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseURL },
    }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });

  it('the bundled CLI asks Claude through dist/vendor/anthropic.js over real HTTP', async () => {
    server.script(sqlReply('SELECT count(*) AS n FROM tokens.transfers', 'Counts transfers.'));
    const r = await cli(['How many token transfers?', '--provider', 'claude', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout) as { provider: string; sql: string; rows: unknown[][] };
    assert.equal(answer.provider, 'claude', r.stdout);
    assert.match(answer.sql, /count\(\*\) AS n FROM tokens\.transfers/);
    assert.equal(answer.rows.length, 1);
    assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`);
  });

  it("the bundled CLI turns the SDK's 401 into the specific error (its error classes survive the split)", async () => {
    server.script(errorReply(401, 'authentication_error', 'invalid x-api-key'));
    const r = await cli(['How many token transfers?', '--provider', 'claude', '--json']);
    assert.equal(r.code, 1);
    const { error } = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    assert.equal(error.code, 'provider_error');
    assert.match(error.message, /API key was rejected \(401/);
    assert.equal(server.pending(), 0);
  });
});

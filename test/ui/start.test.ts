// `npm start`, the README's first command, as a newcomer runs it: it packages
// the extension, installs it into code-server and serves the editor. Run twice
// in a row, because the second run reinstalls over the first (it once refused:
// "Please restart VS Code before reinstalling"). Runs last among the UI tests:
// packaging leaves the production bundles in dist/.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { freePort } from '../support/free-port.js';

const ROOT = path.resolve(__dirname, '..', '..');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-start-test-'));
after(() => fs.rmSync(home, { recursive: true, force: true }));

/** Runs `npm start` (scripts/start.mjs) until it serves, checks the page, then stops it with Ctrl-C. */
async function startOnce(args: string[]): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['scripts/start.mjs', ...args], {
    cwd: ROOT, env: { ...process.env, PORT: String(port), ONCHAIN_SQL_START_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}/`;
  try {
    const deadline = Date.now() + 300_000;
    while (!out.includes(url) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const serving = out.includes(url);
    assert.ok(serving, `npm start did not serve ${url}:\n${out.slice(-3000)}`);
    assert.match(out, /installed onchain-sql-[\d.]+-[\w-]+\.vsix into /);
    const res = await fetch(url, { redirect: 'manual' });
    assert.ok(res.status === 200 || res.status === 302, `GET ${url}: ${res.status}`);
    return out;
  } finally {
    child.kill('SIGINT');
    const stop = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(stop);
  }
}

test('npm start packages, installs and serves the extension, and does so again on a second run', { timeout: 700_000 }, async () => {
  await startOnce([]);
  const again = await startOnce(['--no-package']);
  assert.doesNotMatch(again, /restart VS Code/i);
});

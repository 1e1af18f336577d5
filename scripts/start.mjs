// `npm start`: the main job. Builds and packages the extension, installs the VSIX
// into a code-server set up on first run (cached in ~/.cache/onchain-sql/), opens
// a workspace with the example notebook, and serves it at http://127.0.0.1:PORT/
// (PORT from the environment, default 8080). Ctrl-C stops it cleanly.
//
// Usage: node scripts/start.mjs [--no-package] (reuse the last VSIX)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  REPO_ROOT, cacheRoot, ensureCodeServer, installVsix, makeTempDir, removeDir, startCodeServer,
} from './code-server.mjs';

process.chdir(REPO_ROOT);
const port = Number(process.env.PORT || 8080);
const host = '127.0.0.1';

function fail(message) {
  console.error(`\nnpm start: ${message}`);
  process.exit(1);
}

// 1. Build + package (scripts/package.mjs prints the VSIX path on its last line).
let vsix;
if (process.argv.includes('--no-package')) {
  vsix = fs.readdirSync('.').filter((f) => f.endsWith('.vsix')).map((f) => path.resolve(f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (!vsix) fail('no .vsix here: run without --no-package');
} else {
  const r = spawnSync(process.execPath, ['scripts/package.mjs'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) fail('packaging failed (see above)');
  vsix = r.stdout.trim().split('\n').pop();
}

// 2. code-server (installed once into the cache).
let cs;
try {
  cs = await ensureCodeServer();
} catch (e) {
  fail(`could not set up code-server: ${e instanceof Error ? e.message : e}`);
}

// 3. A dedicated extensions dir and profile for `npm start`, reinstalling the fresh VSIX each time.
// Its own extensions and profile; ONCHAIN_SQL_START_HOME moves them (the UI test of `npm start` does).
const home = process.env.ONCHAIN_SQL_START_HOME || path.join(cacheRoot(), 'start');
const extensionsDir = path.join(home, 'extensions');
// Emptied whole: its extensions.json still listing a removed copy makes the install refuse
// ("Please restart VS Code before reinstalling"). The folder holds nothing but this extension.
removeDir(extensionsDir);
fs.mkdirSync(extensionsDir, { recursive: true });
const state = makeTempDir('ocs-start');
const t0 = Date.now();
try {
  installVsix(cs, vsix, { extensionsDir, stateDir: state });
} catch (e) {
  removeDir(state);
  fail(e instanceof Error ? e.message : String(e));
}
console.log(`installed ${path.basename(vsix)} into ${extensionsDir} (${Date.now() - t0} ms)`);

// 4. The workspace: examples/ (the example notebook) copied once; the user's edits there are kept.
const workspace = path.join(cacheRoot(), 'workspace');
fs.mkdirSync(workspace, { recursive: true });
if (fs.existsSync('examples')) {
  for (const f of fs.readdirSync('examples')) {
    const dest = path.join(workspace, f);
    if (!fs.existsSync(dest)) fs.cpSync(path.join('examples', f), dest, { recursive: true });
  }
}
const userDir = path.join(home, 'user-data', 'User');
fs.mkdirSync(userDir, { recursive: true });
const settingsFile = path.join(userDir, 'settings.json');
if (!fs.existsSync(settingsFile)) {
  fs.writeFileSync(settingsFile, JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off' }, null, 2));
}

// 5. Serve.
let server;
try {
  server = await startCodeServer(cs, {
    folder: workspace, stateDir: state, extensionsDir, userDataDir: path.join(home, 'user-data'), host, port, timeoutMs: 60_000,
  });
} catch (e) {
  removeDir(state);
  fail(`code-server did not start on ${host}:${port} (${e instanceof Error ? e.message.split('\n')[0] : e}); is the port taken? Set PORT=…`);
}

const url = `http://${host}:${server.port}/`;
const notebook = fs.readdirSync(workspace).find((f) => f.endsWith('.onchain-nb'));
const bar = '─'.repeat(60);
console.log(`\n${bar}\n  Onchain SQL is running in VS Code (code-server ${cs.version}):\n\n      ${url}\n\n`
  + `  Workspace: ${workspace}${notebook ? ` (open ${notebook})` : ''}\n  Ctrl-C to stop.\n${bar}\n`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping code-server…`);
  await server.stop();
  removeDir(state);
  console.log('stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));

const { code, signal } = await server.exited;
if (!stopping) {
  removeDir(state);
  console.error(`code-server exited unexpectedly (${code ?? signal}):\n${server.output().split('\n').slice(-20).join('\n')}`);
  process.exit(1);
}

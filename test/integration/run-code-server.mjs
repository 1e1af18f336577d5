// Runs the mocha integration suite (out/test/index.js) inside a real VS Code:
// code-server's web workbench with the smoke-test driver on, opened in headless
// Chromium with a `payload` naming the extension under development and the tests.
// The extension host's console reaches us through codeAutomationLog and the
// exit code through codeAutomationExit (see docs/testing-in-vscode.md).
//
// Usage: node test/integration/run-code-server.mjs [--no-build] [--extension-dir DIR] [--timeout-ms N]
// Env:   ONCHAIN_SQL_TEST_GREP=<mocha grep>  CI=true (a missing code-server fails instead of skipping)
// Last line printed: `RESULT integration passed=N failed=N skipped=N`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format, parseArgs } from 'node:util';
import {
  REPO_ROOT, ensureCodeServer, ensureSampleSnapshot, installVsix, isCI, killServersOnSignals, launchBrowser, makeTempDir, removeDir, startCodeServer,
} from '../../scripts/code-server.mjs';

const RESULT_MARKER = 'ONCHAIN_SQL_MOCHA_RESULT'; // printed by test/integration/index.ts
const LINE_PREFIX = '[mocha] '; // ditto: mocha's report lines; everything else is the workbench's console
const verbose = process.env.ONCHAIN_SQL_TEST_VERBOSE === '1';

const { values } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'extension-dir': { type: 'string' },
    'timeout-ms': { type: 'string', default: String(15 * 60_000) },
  },
});
const extDir = path.resolve(values['extension-dir'] ?? REPO_ROOT);
const timeoutMs = Number(values['timeout-ms']);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function result(passed, failed, skipped, code) {
  console.log(`RESULT integration passed=${passed} failed=${failed} skipped=${skipped}`);
  process.exitCode = code;
}

/**
 * Installs the scripted editor language model (test/integration/lm-test-model, test only) into
 * this run's extensions dir, beside the extension under development. It cannot be a second
 * extensionDevelopmentPath: the web workbench reads the payload into a Map, so only the last
 * extensionDevelopmentPath survives (code-server 4.139).
 */
function installTestModel(cs, state) {
  const source = path.join(extDir, 'test', 'integration', 'lm-test-model');
  if (!fs.existsSync(path.join(source, 'package.json'))) return;
  const vsix = path.join(state, 'lm-test-model.vsix');
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const p = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
    { cwd: source, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  if (p.status !== 0) throw new Error(`packaging ${source} failed (${p.status ?? p.error?.message}):\n${p.stdout}\n${p.stderr}`);
  installVsix(cs, vsix, { extensionsDir: path.join(state, 'extensions'), stateDir: state });
}

function loud(lines) {
  const bar = '!'.repeat(78);
  console.error(`\n${bar}\n${lines.map((l) => `!!! ${l}`).join('\n')}\n${bar}\n`);
}

async function main() {
  if (!values['no-build']) {
    console.log('building (node esbuild.mjs)…');
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (b.status !== 0) { console.error('build failed'); return result(0, 1, 0, 1); }
  }
  const testsFile = path.join(extDir, 'out', 'test', 'index.js');
  const manifest = JSON.parse(fs.readFileSync(path.join(extDir, 'package.json'), 'utf8'));
  const mainFile = path.join(extDir, manifest.main ?? 'dist/extension.js');
  for (const f of [testsFile, mainFile]) {
    if (!fs.existsSync(f)) {
      console.error(`missing ${f}: nothing to test (is the extension entry written and built?)`);
      return result(0, 1, 0, 1);
    }
  }
  if (extDir === REPO_ROOT) ensureSampleSnapshot();

  let cs;
  try {
    cs = await ensureCodeServer();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (isCI()) {
      loud(['Integration tests FAILED: code-server could not be set up (CI must not skip).', ...why.split('\n').slice(0, 20)]);
      return result(0, 1, 0, 1);
    }
    loud(['Integration tests SKIPPED: code-server could not be set up on this machine.', ...why.split('\n').slice(0, 20),
      'Under CI=true this is a failure. Desktop VS Code users: node test/integration/run-electron.mjs']);
    return result(0, 0, 1, 0);
  }

  const state = makeTempDir('ocs-it');
  const workspace = path.join(state, 'workspace');
  fs.cpSync(path.join(REPO_ROOT, 'test', 'integration', 'workspace'), workspace, { recursive: true });
  let server;
  let context;
  const hardTimer = setTimeout(() => {
    console.error(`integration run exceeded ${timeoutMs} ms: killing it`);
    finish(1, 'timeout');
  }, timeoutMs);
  let finishResolve;
  const finished = new Promise((r) => { finishResolve = r; });
  const finish = (code, why) => finishResolve({ code, why });

  const lines = [];
  const consoleLogFile = path.join(REPO_ROOT, 'test-results', 'integration-console.log');
  const consoleLog = fs.createWriteStream(consoleLogFile);
  try {
    installTestModel(cs, state);
    server = await startCodeServer(cs, { folder: workspace, stateDir: state, smokeTestDriver: true });
    console.log(`code-server ${cs.version} at ${server.url} (${elapsed()})`);
    context = await launchBrowser(path.join(state, 'chromium'));
    const page = context.pages()[0] ?? await context.newPage();
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const parts = Array.isArray(args) ? args : [args];
      const text = format(...parts.map((a) => (typeof a === 'string' || typeof a === 'number' ? a : JSON.stringify(a))));
      for (const line of text.split('\n')) {
        consoleLog.write(`${type}: ${line}\n`);
        if (line.startsWith(LINE_PREFIX)) {
          const report = line.slice(LINE_PREFIX.length);
          lines.push(report);
          if (!report.startsWith(RESULT_MARKER)) console.log(`  ${report}`);
        } else if (verbose) console.log(`  (${type}) ${line}`);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code), 'exit'));
    page.on('crash', () => finish(1, 'browser page crashed'));
    const remote = (p) => `vscode-remote://${server.authority}${p}`;
    const payload = [['extensionDevelopmentPath', remote(extDir)], ['extensionTestsPath', remote(testsFile)]];
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    console.log(`workbench opened; mocha runs in the extension host… (${elapsed()})`);
    const { code, why } = await finished;
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'screenshots', 'integration-end.png') }).catch(() => {});
    const marker = lines.map((l) => l.match(new RegExp(`${RESULT_MARKER} (\\{.*\\})`))).find(Boolean);
    const stats = marker ? JSON.parse(marker[1]) : undefined;
    console.log(`integration run ended: ${why}, exit code ${code} (${elapsed()})`);
    if (!stats) {
      console.error(`no mocha result line seen: the suite did not run (workbench console: ${consoleLogFile}; server log below)`);
      console.error(fs.readFileSync(consoleLogFile, 'utf8').split('\n').filter((l) => /error|fail|cannot|could not/i.test(l)).slice(-30).join('\n'));
      console.error(server.output().split('\n').slice(-40).join('\n'));
      return result(0, 1, 0, 1);
    }
    const failed = stats.failed + (code !== 0 && stats.failed === 0 ? 1 : 0);
    return result(stats.passed, failed, stats.skipped, code === 0 && failed === 0 ? 0 : 1);
  } catch (e) {
    console.error(`integration run failed: ${e instanceof Error ? e.stack : e}`);
    if (server) console.error(server.output().split('\n').slice(-40).join('\n'));
    return result(0, 1, 0, 1);
  } finally {
    clearTimeout(hardTimer);
    consoleLog.end();
    await context?.close().catch(() => {});
    await server?.stop();
    removeDir(state);
  }
}

killServersOnSignals();
fs.mkdirSync(path.join(REPO_ROOT, 'test-results', 'screenshots'), { recursive: true });
await main();

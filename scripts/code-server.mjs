// A real VS Code for tests and `npm start`: code-server from the npm registry,
// installed on demand into a cache outside the checkout (see
// docs/testing-in-vscode.md for the measured recipe), plus helpers to
// start it, install a VSIX into it and drive it with Debian Chromium.
//
// Layout of the cache (keyed by version, so a version bump reinstalls):
//   ~/.cache/onchain-sql/node-<NODE_VERSION>/          Node 24 (binary + headers)
//   ~/.cache/onchain-sql/code-server-<VERSION>/        npm project holding code-server
// Each folder is only trusted when its marker file (written last) is present.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1'; // = VS Code 1.139; needs Node 24
export const NODE_VERSION = '24.21.0';
export const APT_PACKAGES = ['libkrb5-dev', 'chromium'];
export const CHROMIUM = '/usr/bin/chromium';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MARKER = '.onchain-sql-installed.json';

export function cacheRoot() {
  return process.env.ONCHAIN_SQL_CACHE || path.join(os.homedir(), '.cache', 'onchain-sql');
}

const say = (m) => process.stderr.write(`[code-server] ${m}\n`);

/** Runs a command to completion, streaming its output to `logFile` (and stderr when verbose). Throws on failure. */
export function run(cmd, args, { env = process.env, cwd, logFile, timeoutMs = 20 * 60_000 } = {}) {
  const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
  const r = spawnSync(cmd, args, { env, cwd, stdio: ['ignore', out, out], timeout: timeoutMs, killSignal: 'SIGKILL' });
  if (logFile) fs.closeSync(out);
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = logFile ? `\n--- last lines of ${logFile} ---\n${tailOf(logFile, 30)}` : '';
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}${tail}`);
  }
}

function tailOf(file, n) {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-n).join('\n'); } catch { return ''; }
}

export function readMarker(dir) {
  try { return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')); } catch { return undefined; }
}

export function writeMarker(dir, data) {
  fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ ...data, installedAt: new Date().toISOString() }, null, 2));
}

/** A cross-process lock (mkdir is atomic) so `npm start` and `npm test` never install into the same folder at once. */
export async function withLock(name, fn, { pollMs = 1000 } = {}) {
  const lock = path.join(cacheRoot(), `${name}.lock`);
  fs.mkdirSync(cacheRoot(), { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (lockIsStale(lock)) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`, { cause: e });
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
  try { return await fn(); } finally { fs.rmSync(lock, { recursive: true, force: true }); }
}

/** A lock whose holder died (a killed install), or one left without a pid for over 10 s; a lock just made, whose pid is still being written, is not stale. */
function lockIsStale(lock) {
  let pid = 0;
  try { pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')) || 0; } catch { /* not written yet */ }
  if (pid) return !isAlive(pid);
  try { return Date.now() - fs.statSync(lock).mtimeMs > 10_000; } catch { return true; }
}

function isAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Debian packages code-server and the browser need: installed with apt when missing (root only). */
export function ensureAptPackages() {
  if (process.platform !== 'linux') return;
  const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
  if (!hasDpkg) {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no dpkg and no ${CHROMIUM}: install Chromium and the Kerberos headers (libkrb5-dev) yourself`);
    return;
  }
  const missing = APT_PACKAGES.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} — run: sudo apt-get install -y ${missing.join(' ')}`);
  }
  say(`installing Debian packages: ${missing.join(' ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const logFile = path.join(cacheRoot(), 'apt.log');
  fs.mkdirSync(cacheRoot(), { recursive: true });
  run('apt-get', ['update', '-qq'], { env, logFile });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, logFile });
  const still = missing.filter((p) => !dpkgInstalled(p));
  if (still.length) throw new Error(`apt-get did not install: ${still.join(' ')} (see ${logFile})`);
}

/** Node 24 from the npm registry (package node-<platform>-<arch>: binary + headers), unpacked with `npm pack` + tar (no install scripts). */
export async function ensureNode() {
  const dir = path.join(cacheRoot(), `node-${NODE_VERSION}`);
  const bin = path.join(dir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  const valid = () => readMarker(dir)?.version === NODE_VERSION
    && spawnSync(bin, ['-v'], { encoding: 'utf8' }).stdout?.trim() === `v${NODE_VERSION}`;
  if (valid()) return { dir, bin };
  return withLock(`node-${NODE_VERSION}`, async () => {
    if (valid()) return { dir, bin };
    const started = Date.now();
    say(`installing Node ${NODE_VERSION} into ${dir}…`);
    const pkg = `node-${process.platform}-${process.arch}@${NODE_VERSION}`;
    const tmp = `${dir}.partial`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const logFile = path.join(cacheRoot(), `node-${NODE_VERSION}.log`);
    fs.writeFileSync(logFile, '');
    run('npm', ['pack', pkg, '--pack-destination', tmp, '--silent'], { cwd: tmp, logFile, env: installEnv() });
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${pkg} produced no tarball (see ${logFile})`);
    run('tar', ['-xzf', path.join(tmp, tgz), '-C', tmp], { logFile });
    fs.renameSync(path.join(tmp, 'package'), dir);
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'include', 'node', 'node.h'))) throw new Error(`${pkg} has no headers in include/node`);
    writeMarker(dir, { version: NODE_VERSION, package: pkg });
    if (!valid()) throw new Error(`Node ${NODE_VERSION} in ${dir} does not run`);
    say(`Node ${NODE_VERSION} ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return { dir, bin };
  });
}

/**
 * code-server, installed with Node 24 first on PATH and npm_config_nodedir set to
 * its headers, so its postinstall compiles the native modules for that Node.
 * Returns { node, entry, dir, version }.
 */
export async function ensureCodeServer() {
  ensureAptPackages();
  const node = await ensureNode();
  const dir = path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const pkgDir = path.join(dir, 'node_modules', 'code-server');
  const entry = path.join(pkgDir, 'out', 'node', 'entry.js');
  const result = { node: node.bin, nodeDir: node.dir, entry, dir, version: CODE_SERVER_VERSION };
  const valid = () => readMarker(dir)?.version === CODE_SERVER_VERSION && readMarker(dir)?.node === NODE_VERSION
    && fs.existsSync(entry) && fs.existsSync(nativeProof(pkgDir));
  if (valid()) return result;
  return withLock(`code-server-${CODE_SERVER_VERSION}`, async () => {
    if (valid()) return result;
    const started = Date.now();
    say(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (compiles native modules: a few minutes, once)…`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // allowScripts: npm 11 reports (and may block) dependency install scripts not listed here;
    // code-server's postinstall is what builds its VS Code and must run.
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
      name: 'onchain-sql-code-server', private: true,
      dependencies: { 'code-server': CODE_SERVER_VERSION },
      allowScripts: { 'code-server': true, argon2: true },
    }, null, 2));
    const logFile = path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}.log`);
    fs.writeFileSync(logFile, '');
    const env = {
      ...installEnv(),
      PATH: `${path.dirname(node.bin)}${path.delimiter}${process.env.PATH}`,
      npm_config_nodedir: node.dir,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    run('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: dir, env, logFile, timeoutMs: 40 * 60_000 });
    if (!fs.existsSync(entry)) throw new Error(`code-server installed without ${entry} (see ${logFile})`);
    // The postinstall compiles VS Code's native modules (kerberos among them); npm 11 may skip
    // dependency install scripts it considers unreviewed, so check its product and run it if missing.
    if (!fs.existsSync(nativeProof(pkgDir))) {
      say('code-server postinstall did not run (npm skipped install scripts?): running it explicitly…');
      run('sh', ['./postinstall.sh'], { cwd: pkgDir, env, logFile, timeoutMs: 40 * 60_000 });
      if (!fs.existsSync(nativeProof(pkgDir))) throw new Error(`code-server's postinstall did not build ${nativeProof(pkgDir)} (see ${logFile})`);
    }
    // Proof it works: the server must start and listen.
    const tmp = makeTempDir('ocs-check');
    try {
      const server = await startCodeServer(result, { folder: tmp, stateDir: tmp, timeoutMs: 60_000 });
      await server.stop();
    } finally {
      removeDir(tmp);
    }
    writeMarker(dir, { version: CODE_SERVER_VERSION, node: NODE_VERSION });
    say(`code-server ${CODE_SERVER_VERSION} ready (${((Date.now() - started) / 1000).toFixed(0)} s; log ${logFile})`);
    return result;
  });
}

/**
 * The environment for the inner `npm install`: ours without the `npm_*` variables an outer
 * `npm test`/`npm start` sets. Those describe the outer npm and its Node 20 (code-server's
 * postinstall reads the Node version from `npm_config_user_agent` and refuses); the inner
 * npm, running under Node 24 first on PATH, sets its own.
 */
export function installEnv(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k)));
}

/** A native module only code-server's postinstall produces (compiled against Node 24). */
const nativeProof = (pkgDir) => path.join(pkgDir, 'lib', 'vscode', 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node');

/** A short temp folder (code-server creates Unix sockets under TMPDIR, whose paths are length-limited). */
export function makeTempDir(prefix) {
  const dir = fs.mkdtempSync(path.join('/tmp', `${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeDir(dir) {
  tempDirs.delete(dir);
  try { fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 }); } catch { /* best effort */ }
}

// Servers still running, so an exit (or a signal, with killServersOnSignals) never leaves one behind:
// they run detached in their own process group and would otherwise outlive us.
const live = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const pid of live) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
  for (const dir of tempDirs) { try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ } }
});

/** For test runners: SIGINT/SIGTERM/SIGHUP end the process (and so its servers) right away. */
export function killServersOnSignals() {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1)));
}

/**
 * Starts code-server; resolves once it listens. `stateDir` holds XDG dirs, TMPDIR,
 * and (unless given) the user-data and extensions dirs.
 * Returns { url, host, port, child, output(), stop() }.
 */
export function startCodeServer(cs, {
  folder, stateDir, extensionsDir, userDataDir, host = '127.0.0.1', port = 0,
  smokeTestDriver = false, timeoutMs = 60_000, echo = false, extraArgs = [],
}) {
  extensionsDir ??= path.join(stateDir, 'extensions');
  userDataDir ??= path.join(stateDir, 'user-data');
  const tmp = path.join(stateDir, 't');
  for (const d of [extensionsDir, userDataDir, tmp, path.join(stateDir, 'config'), path.join(stateDir, 'data')]) fs.mkdirSync(d, { recursive: true });
  const args = [
    cs.entry, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--bind-addr', `${host}:${port}`,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(stateDir, 'config'),
    XDG_DATA_HOME: path.join(stateDir, 'data'),
    TMPDIR: tmp,
    PATH: `${path.dirname(cs.node)}${path.delimiter}${process.env.PATH}`,
  };
  delete env.NODE_OPTIONS;
  delete env.ELECTRON_RUN_AS_NODE;
  // Own process group, so stop() also ends the extension host and file watchers.
  const child = spawn(cs.node, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child.pid);
  let log = '';
  let exited = false;
  let resolved = false;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = true; resolve({ code, signal }); }));
  exitPromise.then(() => setTimeout(() => live.delete(child.pid), 6000)); // the group may outlive its leader briefly
  const stop = async () => {
    if (!exited) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exitPromise;
      clearTimeout(t);
    }
    // Leftover extension-host children in the group.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`code-server did not listen within ${timeoutMs} ms:\n${log.slice(-3000)}`)); }, timeoutMs);
    const onData = (chunk) => {
      const s = chunk.toString();
      log += s;
      if (log.length > 1_000_000) log = log.slice(-500_000);
      if (echo) process.stderr.write(s);
      const m = /HTTP server listening on (http:\/\/([^\s/]+):(\d+)\/?)/.exec(log);
      if (m && !resolved) {
        resolved = true;
        clearTimeout(timer);
        const p = Number(m[3]);
        resolve({ url: `http://${host}:${p}/`, host, port: p, authority: `${host}:${p}`, child, output: () => log, stop, exited: exitPromise });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      if (!resolved) { clearTimeout(timer); reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${log.slice(-3000)}`)); }
    });
  });
}

/** Installs a VSIX into an extensions dir with code-server's CLI (~2 s). */
export function installVsix(cs, vsix, { extensionsDir, stateDir }) {
  const tmp = path.join(stateDir, 't');
  fs.mkdirSync(tmp, { recursive: true });
  const r = spawnSync(cs.node, [cs.entry, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(stateDir, 'user-data'),
    '--install-extension', vsix, '--force'], {
    encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(stateDir, 'config'), XDG_DATA_HOME: path.join(stateDir, 'data'), TMPDIR: tmp },
  });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (${r.status ?? r.error?.message}):\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}`.trim();
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Headless Debian Chromium through playwright-core, with a throwaway profile. */
export async function launchBrowser(profileDir, { headless = true, viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  return chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless, args: CHROMIUM_ARGS, viewport });
}

/** Builds the sample snapshot beside the package when missing (the extension would otherwise build it on first use). */
export function ensureSampleSnapshot() {
  const dir = path.join(REPO_ROOT, 'sample-snapshot');
  if (fs.existsSync(path.join(dir, 'manifest.json'))) return dir;
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  say('building the sample snapshot (node dist/cli.js snapshot build)…');
  run(process.execPath, [cli, 'snapshot', 'build', '--out', dir], { cwd: REPO_ROOT });
  return dir;
}

/** True when the run must not skip anything (CI). */
export const isCI = () => /^(1|true|yes)$/i.test(process.env.CI ?? '');

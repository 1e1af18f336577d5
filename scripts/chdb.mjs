// chdb (the ClickHouse engine in-process, ~540 MB) for the ClickHouse tests and
// bench only: never a dependency of the project (its optional per-platform
// packages are not all served by every registry, which breaks `npm ci`), but
// installed on demand into the toolchain cache beside code-server:
//   <cacheRoot>/chdb-<CHDB_VERSION>/node_modules/chdb
// The folder is only trusted when its marker file (written last) is present.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot, installEnv, readMarker, run, withLock, writeMarker } from './code-server.mjs';

export const CHDB_VERSION = '3.4.0';
// chdb 3.4.0's optionalDependencies: the native library per platform, pinned to the same version.
const LIB_VERSION = '26.7.3-stable.1';
const LIB_PACKAGES = {
  'linux-x64': '@chdb/lib-linux-x64-gnu',
  'linux-arm64': '@chdb/lib-linux-arm64-gnu',
  'darwin-x64': '@chdb/lib-darwin-x64',
  'darwin-arm64': '@chdb/lib-darwin-arm64',
};

const say = (m) => process.stderr.write(`[chdb] ${m}\n`);

export function chdbDir() {
  return path.join(cacheRoot(), `chdb-${CHDB_VERSION}`);
}

/** Where chdb is, installing it first when the cache lacks it. Returns { dir, entry, version, seconds }. */
export async function ensureChdb() {
  const dir = chdbDir();
  const entry = path.join(dir, 'node_modules', 'chdb', 'index.js');
  const result = (seconds) => ({ dir, entry, version: CHDB_VERSION, seconds });
  const valid = () => readMarker(dir)?.version === CHDB_VERSION && fs.existsSync(entry);
  if (valid()) return result(0);
  const lib = LIB_PACKAGES[`${process.platform}-${process.arch}`];
  if (!lib) throw new Error(`chdb has no native library for ${process.platform}-${process.arch} (it ships: ${Object.keys(LIB_PACKAGES).join(', ')})`);
  return withLock(`chdb-${CHDB_VERSION}`, async () => {
    if (valid()) return result(0);
    const started = Date.now();
    say(`installing chdb ${CHDB_VERSION} into ${dir} (~540 MB download, once)…`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // Optional dependencies omitted (other platforms' libraries may not be served);
    // this platform's library named explicitly instead. chdb's own install script is a no-op.
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
      name: 'onchain-sql-chdb', private: true,
      dependencies: { chdb: CHDB_VERSION, [lib]: LIB_VERSION },
      allowScripts: { chdb: false },
    }, null, 2));
    const logFile = path.join(cacheRoot(), `chdb-${CHDB_VERSION}.log`);
    fs.writeFileSync(logFile, '');
    const env = { ...installEnv(), npm_config_update_notifier: 'false' };
    run('npm', ['install', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, env, logFile, timeoutMs: 40 * 60_000 });
    // Proof it works: the engine must load and answer.
    const chdb = createRequire(path.join(dir, 'package.json'))('chdb');
    const answer = String(chdb.query('SELECT 6 * 7', 'CSV')).trim();
    if (answer !== '42') throw new Error(`chdb ${CHDB_VERSION} in ${dir} answered ${JSON.stringify(answer)} to SELECT 6 * 7 (see ${logFile})`);
    writeMarker(dir, { version: CHDB_VERSION, lib: `${lib}@${LIB_VERSION}` });
    const seconds = (Date.now() - started) / 1000;
    say(`chdb ${CHDB_VERSION} ready (${seconds.toFixed(0)} s; log ${logFile})`);
    return result(seconds);
  });
}

/** chdb's module, loaded from the cache (installing it when missing). */
export async function loadChdb() {
  const { dir } = await ensureChdb();
  return createRequire(path.join(dir, 'package.json'))('chdb');
}

// `npm run package`: a platform-specific VSIX holding the production bundle, the
// schema contract, media assets, the sample snapshot and DuckDB's native binding
// for ONE target (vsce --target). Default target: this machine.
//
// Usage: node scripts/package.mjs [--target linux-x64|darwin-arm64|…] [--out FILE] [--no-build]
// Prints the VSIX path and size; the last line is the path (scripts/start.mjs reads it).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    out: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

/** vsce target → DuckDB's binding package suffix. */
const BINDINGS = {
  'linux-x64': 'linux-x64', 'linux-arm64': 'linux-arm64', 'alpine-x64': 'linux-x64-musl', 'alpine-arm64': 'linux-arm64-musl',
  'darwin-x64': 'darwin-x64', 'darwin-arm64': 'darwin-arm64', 'win32-x64': 'win32-x64', 'win32-arm64': 'win32-arm64',
};

function hostTarget() {
  const musl = process.platform === 'linux' && !process.report?.getReport().header.glibcVersionRuntime;
  return `${musl ? 'alpine' : process.platform}-${process.arch}`;
}

function step(title, cmd, args) {
  console.log(`\n> ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) { console.error(`package: "${title}" failed (exit ${r.status ?? r.error?.message})`); process.exit(1); }
}

/** File names inside a zip, from its central directory (a VSIX is a zip). */
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const target = values.target ?? hostTarget();
const binding = BINDINGS[target];
if (!binding) { console.error(`package: unsupported target "${target}" (one of ${Object.keys(BINDINGS).join(', ')})`); process.exit(2); }
const bindingPkg = `@duckdb/node-bindings-${binding}`;
const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const out = path.resolve(values.out ?? `${manifest.name}-${manifest.version}-${target}.vsix`);

if (!fs.existsSync(path.join('node_modules', bindingPkg, 'package.json'))) {
  const version = JSON.parse(fs.readFileSync('node_modules/@duckdb/node-bindings/package.json', 'utf8')).version;
  console.error(`package: ${bindingPkg} is not installed (npm installs only this machine's binding).\n`
    + `Get it first: npm install --no-save --force ${bindingPkg}@${version}`);
  process.exit(1);
}

const started = Date.now();
if (!values['no-build']) {
  fs.rmSync('dist', { recursive: true, force: true }); // no stale source maps or dev bundles
  step('production build', process.execPath, ['esbuild.mjs', '--production']);
}
if (!fs.existsSync('dist/extension.js')) { console.error('package: dist/extension.js is missing (src/extension/extension.ts not written yet?)'); process.exit(1); }
if (!fs.existsSync('sample-snapshot/manifest.json')) {
  step('sample snapshot (first use)', process.execPath, ['dist/cli.js', 'snapshot', 'build', '--out', 'sample-snapshot']);
}

// The target's binding joins the generic include list of .vscodeignore.
fs.mkdirSync('.tmp', { recursive: true });
const ignoreFile = path.join('.tmp', `vscodeignore.${target}`);
fs.writeFileSync(ignoreFile, `${fs.readFileSync('.vscodeignore', 'utf8')}\n!node_modules/${bindingPkg}/**\n`);

step(`vsce package --target ${target}`, process.execPath, [
  'node_modules/@vscode/vsce/vsce', 'package', '--target', target, '--ignoreFile', ignoreFile, '--out', out,
  '--allow-missing-repository', '--no-rewrite-relative-links', '--no-update-package-json',
]);

// Check what actually shipped: the binding for this target and no other, the sample, the bundle.
const names = zipEntries(out);
const has = (suffix) => names.some((n) => n.endsWith(suffix));
const problems = [];
for (const need of ['extension/dist/extension.js', 'extension/dist/engine-worker.js', 'extension/dist/vendor/anthropic.js', 'extension/dist/vendor/mcp-sdk.js', 'extension/docs/chain-schema.md', 'extension/schemas/chain.json', 'extension/sample-snapshot/manifest.json',
  `extension/node_modules/${bindingPkg}/duckdb.node`, 'extension/node_modules/@duckdb/node-api/package.json', 'extension/LICENSE.txt']) {
  if (!names.includes(need) && !(need.endsWith('LICENSE.txt') && has('extension/LICENSE'))) problems.push(`missing ${need}`);
}
const otherBindings = [...new Set(names.map((n) => n.match(/node_modules\/@duckdb\/node-bindings-([^/]+)\//)?.[1]).filter((b) => b && b !== binding))];
if (otherBindings.length) problems.push(`other platforms' bindings included: ${otherBindings.join(', ')}`);
// chdb (~540 MB, the test-only ClickHouse engine) must never ship.
if (names.some((n) => /node_modules\/(chdb|@chdb)\//.test(n))) problems.push('chdb (test-only ClickHouse engine) included');
const leaked = names.filter((n) => /^extension\/(src|test|scripts)\//.test(n) || n.endsWith('.map'));
if (leaked.length) problems.push(`development files included: ${leaked.slice(0, 5).join(', ')}${leaked.length > 5 ? ', …' : ''}`);

const mb = (fs.statSync(out).size / 1024 / 1024).toFixed(1);
console.log(`\nVSIX: ${out}\n  target ${target}, ${names.length} files, ${mb} MB (${((Date.now() - started) / 1000).toFixed(1)} s)`);
if (problems.length) {
  console.error(`package: the VSIX is wrong:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(out);

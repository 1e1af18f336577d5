// `npm run test:security`: the reliability and security sweep (issue 3). Runs
// test/security/*.test.ts with node:test in plain Node (real DuckDB on real
// Parquet, the real Anthropic SDK against a local server), then prints a summary
// table per category: inputs tried, refused/handled as expected, anything lost
// (files changed, crashes, leaked key). Ends with `N passed, N failed`; exit 1
// on any failure.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

/** In category order; each file flushes its figures to the tally file. */
const FILES = ['guard', 'injection', 'renderers', 'bad-input', 'importer', 'load', 'secrets'].map((f) => `test/security/${f}.test.ts`);
const CATEGORIES = ['guard corpus', 'prompt injection', 'hostile data in renderers', 'bad input', 'importer', 'load and faults', 'resource limits', 'secrets'];

const tallyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-security-')), 'tally.jsonl');
const started = Date.now();
const { code, out } = await new Promise((resolve) => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...FILES], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SECURITY_TALLY_FILE: tallyFile, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let text = '';
  child.stdout.on('data', (d) => { text += d; process.stdout.write(d); });
  child.stderr.on('data', (d) => { text += d; process.stderr.write(d); });
  child.on('error', (e) => resolve({ code: 1, out: text + String(e) }));
  child.on('close', (c, signal) => resolve({ code: c ?? (signal ? 1 : 0), out: text }));
});

const tallies = fs.existsSync(tallyFile)
  ? fs.readFileSync(tallyFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
fs.rmSync(path.dirname(tallyFile), { recursive: true, force: true });

const count = (key) => {
  const all = [...out.matchAll(new RegExp(`^(?:#|ℹ)\\s*${key}\\s+(\\d+)\\s*$`, 'gm'))];
  return all.length ? Number(all.at(-1)[1]) : undefined;
};
let passed = count('pass') ?? 0;
let failed = (count('fail') ?? 0) + (count('cancelled') ?? 0);
if (count('pass') === undefined) failed += 1; // no test summary at all: the run itself failed

const rows = CATEGORIES.map((category, i) => {
  const parts = tallies.filter((t) => t.category === category);
  const tried = parts.reduce((s, t) => s + t.tried, 0);
  const handled = parts.reduce((s, t) => s + t.handled, 0);
  const lost = parts.flatMap((t) => t.lost);
  return { n: i + 1, category, parts, tried, handled, lost, ok: parts.length > 0 && tried > 0 && handled === tried && lost.length === 0 };
});

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const line = '-'.repeat(100);
console.log(`\n${'='.repeat(100)}\n=== security summary (${((Date.now() - started) / 1000).toFixed(1)} s)\n${'='.repeat(100)}`);
console.log(`${pad('category', 30)} | ${lpad('inputs tried', 12)} | ${lpad('refused/handled as expected', 27)} | anything lost`);
console.log(line);
for (const r of rows) {
  const lost = r.parts.length === 0 ? 'NO FIGURES (the file did not finish)' : r.lost.length ? r.lost.slice(0, 3).join('; ') + (r.lost.length > 3 ? ` (+${r.lost.length - 3})` : '') : 'nothing';
  console.log(`${pad(`${r.n}. ${r.category}`, 30)} | ${lpad(r.tried, 12)} | ${lpad(r.handled, 27)} | ${lost}`);
}
console.log(line);
const total = rows.reduce((t, r) => ({ tried: t.tried + r.tried, handled: t.handled + r.handled, lost: t.lost + r.lost.length }), { tried: 0, handled: 0, lost: 0 });
console.log(`${pad('total', 30)} | ${lpad(total.tried, 12)} | ${lpad(total.handled, 27)} | ${total.lost ? `${total.lost} lost` : 'nothing'}`);
for (const r of rows) {
  for (const p of r.parts.filter((part) => part.limits)) {
    const l = p.limits;
    console.log(`${r.n}. ${r.category}: ${r.handled} of ${r.tried} statements stopped within the limit; worst overrun ${l.worstOverrunMs} ms (bound ${l.boundMs} ms); peak memory of the engine's workers together ${l.peakRssMb} MB vs limit ${l.limitMb} MB + margin ${l.marginMb} MB`);
  }
}
console.log('\ndetail:');
for (const r of rows) {
  for (const p of r.parts) {
    console.log(`  ${r.n}. ${p.part}: ${p.handled}/${p.tried}${p.notes?.length ? ` — ${p.notes.join('; ')}` : ''}`);
  }
}

// A category whose figures show a miss or a loss fails the run even if no assertion caught it.
const badCategories = rows.filter((r) => !r.ok).length;
if (badCategories && failed === 0) failed = badCategories;
if (code !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

// The README's test command (`npm test`): type check, lint (ESLint + import cycles), build, unit tests (plain
// Node on real DuckDB), integration tests (mocha inside a real VS Code through
// code-server) and UI tests (Playwright + Chromium on the running editor).
// Every stage runs, with a header, its counts and its time; the last line is
// `N passed, N failed, N skipped`. Exit code 1 on any failure.
//
// Usage: node scripts/test.mjs [--only typecheck,lint,build,unit,security,integration,ui]
// Env:   CI=true — nothing may be skipped: a missing code-server fails the run.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const node = process.execPath;

const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set(process.argv[onlyArg + 1].split(',')) : undefined;

/** node:test summary lines, TAP (`# pass 3`) or spec (`ℹ pass 3`); the last summary wins. */
function parseNodeTest(out) {
  const n = (key) => {
    const all = [...out.matchAll(new RegExp(`^(?:#|ℹ)\\s*${key}\\s+(\\d+)\\s*$`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const pass = n('pass');
  if (pass === undefined) return undefined;
  return { passed: pass, failed: (n('fail') ?? 0) + (n('cancelled') ?? 0), skipped: (n('skipped') ?? 0) + (n('todo') ?? 0) };
}

/** `RESULT <stage> passed=N failed=N skipped=N`, printed by the integration and UI launchers. */
function parseResultLine(out) {
  const m = [...out.matchAll(/^RESULT \S+ passed=(\d+) failed=(\d+) skipped=(\d+)\s*$/gm)].pop();
  return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) } : undefined;
}

const stages = [
  { name: 'typecheck', cmd: [node, 'node_modules/typescript/bin/tsc', '-p', '.'] },
  { name: 'lint', cmd: [node, 'scripts/lint.mjs'] },
  { name: 'build', cmd: [node, 'esbuild.mjs'] },
  { name: 'unit', cmd: [node, 'scripts/run-unit.mjs'], parse: parseNodeTest, needs: 'build' },
  { name: 'security', cmd: [node, 'scripts/test-security.mjs'], parse: parseNodeTest, needs: 'build' },
  { name: 'integration', cmd: [node, 'test/integration/run-code-server.mjs', '--no-build'], parse: parseResultLine, needs: 'build' },
  { name: 'ui', cmd: [node, 'test/ui/run.mjs', '--no-build'], parse: parseResultLine, needs: 'build' },
].filter((s) => !only || only.has(s.name));

function runStage(stage) {
  return new Promise((resolve) => {
    const [cmd, ...args] = stage.cmd;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('error', (e) => { out += String(e); resolve({ code: 1, out }); });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

const results = [];
const failedStages = new Set();
for (const stage of stages) {
  console.log(`\n${'='.repeat(72)}\n=== ${stage.name}\n${'='.repeat(72)}`);
  if (stage.needs && failedStages.has(stage.needs)) {
    console.log(`not run: ${stage.needs} failed`);
    results.push({ name: stage.name, status: 'NOT RUN', counts: { passed: 0, failed: 1, skipped: 0 }, ms: 0 });
    failedStages.add(stage.name);
    continue;
  }
  const t0 = Date.now();
  const { code, out } = await runStage(stage);
  const ms = Date.now() - t0;
  let counts = stage.parse ? stage.parse(out) : undefined;
  if (!counts) {
    // A checking step (typecheck, build) counts as one check; an unparsable test stage as one failure.
    counts = code === 0 && !stage.parse ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
    if (stage.parse) console.error(`\n!!! ${stage.name}: could not read its test counts (exit ${code})`);
  }
  if (code !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 }; // exited non-zero with no failing test: still a failure
  const ok = code === 0 && counts.failed === 0;
  if (!ok) failedStages.add(stage.name);
  results.push({ name: stage.name, status: ok ? (counts.skipped && !counts.passed ? 'SKIPPED' : 'ok') : 'FAILED', counts, ms });
}

const total = results.reduce((t, r) => ({
  passed: t.passed + r.counts.passed, failed: t.failed + r.counts.failed, skipped: t.skipped + r.counts.skipped,
}), { passed: 0, failed: 0, skipped: 0 });

console.log(`\n${'='.repeat(72)}\n=== summary\n${'='.repeat(72)}`);
for (const r of results) {
  const c = r.counts;
  console.log(`${r.name.padEnd(12)} ${r.status.padEnd(8)} ${String(c.passed).padStart(5)} passed ${String(c.failed).padStart(4)} failed ${String(c.skipped).padStart(4)} skipped ${(r.ms / 1000).toFixed(1).padStart(7)} s`);
}
fs.mkdirSync('test-results', { recursive: true });
fs.writeFileSync('test-results/summary.json', JSON.stringify({ stages: results, total }, null, 2));
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';
import { loadGuardCorpus, type GuardCase } from '../support/guard-corpus.js';
import { fileHashes } from '../support/file-hashes.js';

const TIMEOUT_MS = 1000;
const MAX_ROWS = 1000;
/** A refusal must come from the guard, fast, even for 10,000 parentheses or a 1 MB literal. */
const REFUSAL_BUDGET_MS = 1500;

/** Every path a case names in a string literal: none of them may appear because of the corpus. */
function targetPaths(cases: GuardCase[], cwd: string): string[] {
  const paths = new Set<string>();
  for (const c of cases) {
    for (const m of c.sql.matchAll(/'([^'\n]{1,300})'/g)) {
      const p = m[1];
      if (/^[a-z0-9]+:\/\//i.test(p) || p.includes('*') || p.startsWith('~')) continue;
      if (p.startsWith('/') || /\.(csv|parquet|json|db|duckdb|txt)$/i.test(p)) paths.add(path.resolve(cwd, p));
    }
  }
  return [...paths];
}

interface Outcome {
  kind: 'ok' | 'truncated' | 'error';
  code?: string;
  message?: string;
  ms: number;
}

describe('guard corpus (test/corpus/sql)', () => {
  let snapshot: string;
  let engine: Engine;
  let cases: GuardCase[];
  let hashesBefore: Map<string, string>;
  let cwdBefore: string;
  let scratchCwd: string;
  let targets: string[];
  let existedBefore: Set<string>;
  const tally = { tried: 0, refused: 0, limits: 0, ok: 0 };

  before(async () => {
    snapshot = await makeTinySnapshot();
    cases = loadGuardCorpus(snapshot);
    hashesBefore = fileHashes(snapshot);
    // Relative paths in the corpus would land in the working directory: make it a fresh, empty one.
    cwdBefore = process.cwd();
    scratchCwd = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-guard-cwd-'));
    process.chdir(scratchCwd);
    targets = targetPaths(cases, scratchCwd);
    existedBefore = new Set(targets.filter((p) => fs.existsSync(p)));
    engine = await Engine.open(snapshot, { connections: 2, threads: 2, memoryLimit: '512MB' });
  });

  after(() => {
    engine?.close();
    process.chdir(cwdBefore);
    fs.rmSync(scratchCwd, { recursive: true, force: true });
    fs.rmSync(snapshot, { recursive: true, force: true });
  });

  it('has at least 150 cases, 20 of them valid DuckDB SQL that must pass, with unique names', () => {
    assert.ok(cases.length >= 150, `only ${cases.length} cases`);
    assert.ok(cases.filter((c) => c.expect === 'ok').length >= 20);
    const names = cases.map((c) => `${c.file}:${c.name}`);
    assert.equal(new Set(names).size, names.length, 'duplicate case names');
  });

  it('every case gets its expected outcome', async () => {
    const failures: string[] = [];
    // Per class (one corpus file each): cases tried and cases that got their expected outcome.
    const byClass = new Map<string, { tried: number; right: number }>();
    for (const c of cases) {
      const outcome = await run(engine, c.sql);
      tally.tried++;
      const problem = judge(c, outcome);
      if (process.env.GUARD_CORPUS_VERBOSE) {
        console.log(`${c.file}:${c.name} -> ${outcome.kind === 'error' ? `${outcome.code}: ${outcome.message}` : outcome.kind} (${Math.round(outcome.ms)} ms)`);
      }
      const cls = byClass.get(c.file) ?? { tried: 0, right: 0 };
      byClass.set(c.file, { tried: cls.tried + 1, right: cls.right + (problem ? 0 : 1) });
      if (problem) failures.push(`${c.file}:${c.name}: ${problem}`);
      else if (c.expect === 'ok') tally.ok++;
      else if (c.expect === 'limit') tally.limits++;
      else tally.refused++;
    }
    for (const [file, n] of byClass) console.log(`guard corpus class ${file}: ${n.right}/${n.tried} as expected`);
    console.log(`guard corpus: ${tally.tried} cases tried / ${tally.refused} refused as expected / ${tally.limits} stopped by a limit / ${tally.ok} valid ok / ${failures.length} wrong`);
    assert.deepEqual(failures, []);
  });

  it('leaves the snapshot byte-identical and writes nothing anywhere', async () => {
    assert.deepEqual(fileHashes(snapshot), hashesBefore);
    assert.deepEqual(fs.readdirSync(scratchCwd), [], 'files appeared in the working directory');
    const created = targets.filter((p) => !existedBefore.has(p) && fs.existsSync(p));
    assert.deepEqual(created, [], 'files named by the corpus were created');
    // The contract is intact in the in-memory catalog too: nothing was dropped or replaced.
    const r = await engine.query('SELECT (SELECT count(*) FROM ethereum.blocks) AS b, (SELECT count(*) FROM ethereum.transactions) AS t, snapshot_time()::VARCHAR AS st');
    assert.deepEqual(r.rows, [[100, 1000, '2026-01-01 00:19:48']]);
  });
});

async function run(engine: Engine, sql: string): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const r = await engine.query(sql, { timeoutMs: TIMEOUT_MS, maxRows: MAX_ROWS });
    return { kind: r.truncated ? 'truncated' : 'ok', ms: performance.now() - t0 };
  } catch (e) {
    const err = e instanceof OnchainSqlError ? e : new OnchainSqlError('runtime_error', String(e));
    return { kind: 'error', code: err.code, message: err.message, ms: performance.now() - t0 };
  }
}

function judge(c: GuardCase, o: Outcome): string | null {
  const got = o.kind === 'error' ? `${o.code}: ${o.message?.slice(0, 200)}` : o.kind;
  if (c.expect === 'ok') return o.kind === 'ok' ? null : `expected ok, got ${got}`;
  if (c.expect === 'limit') {
    const stopped = o.kind === 'truncated' || (o.kind === 'error' && (o.code === 'timeout' || o.code === 'resource_limit'));
    if (!stopped) return `expected a limit (timeout, resource_limit or truncated), got ${got}`;
    if (o.ms > TIMEOUT_MS + 2000) return `limit took ${Math.round(o.ms)} ms`;
    return null;
  }
  if (o.kind !== 'error' || o.code !== c.expect) return `expected ${c.expect}, got ${got}`;
  if (c.messageIncludes && !o.message!.toLowerCase().includes(c.messageIncludes.toLowerCase())) {
    return `message lacks "${c.messageIncludes}": ${o.message}`;
  }
  if (o.ms > REFUSAL_BUDGET_MS) return `refusal took ${Math.round(o.ms)} ms`;
  return null;
}

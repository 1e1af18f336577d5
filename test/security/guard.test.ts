import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { loadGuardCorpus, type GuardCase } from '../support/guard-corpus.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';
import { changedFiles, fileHashes } from './support.js';
import { Counter } from './tally.js';

// Category 1: the guard corpus of test/corpus/sql (loaded, not copied), counted per expected outcome.
const TIMEOUT_MS = 1000;
const MAX_ROWS = 1000;

type Outcome = { kind: 'ok' | 'truncated' } | { kind: 'error'; code: string; message: string } | { kind: 'crash'; message: string };

async function run(engine: Engine, sql: string): Promise<Outcome> {
  try {
    const r = await engine.query(sql, { timeoutMs: TIMEOUT_MS, maxRows: MAX_ROWS });
    return { kind: r.truncated ? 'truncated' : 'ok' };
  } catch (e) {
    if (e instanceof OnchainSqlError) return { kind: 'error', code: e.code, message: e.message };
    return { kind: 'crash', message: String(e) };
  }
}

function asExpected(c: GuardCase, o: Outcome): boolean {
  if (c.expect === 'ok') return o.kind === 'ok';
  if (c.expect === 'limit') return o.kind === 'truncated' || (o.kind === 'error' && (o.code === 'timeout' || o.code === 'resource_limit'));
  if (o.kind !== 'error' || o.code !== c.expect) return false;
  return !c.messageIncludes || o.message.toLowerCase().includes(c.messageIncludes.toLowerCase());
}

describe('security 1: guard corpus', () => {
  let snapshot: string;
  let engine: Engine;
  let scratch: string;
  let cwd: string;

  before(async () => {
    snapshot = await makeTinySnapshot();
    cwd = process.cwd();
    // Relative paths in the corpus resolve here: an empty folder that must stay empty.
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sec-guard-'));
    process.chdir(scratch);
    engine = await Engine.open(snapshot, { connections: 2, threads: 2, memoryLimit: '512MB' });
  });
  after(() => {
    engine?.close();
    process.chdir(cwd);
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(snapshot, { recursive: true, force: true });
  });

  it('every corpus case gets its expected outcome; snapshot byte-identical, nothing written', async () => {
    const cases = loadGuardCorpus(snapshot);
    assert.ok(cases.length >= 150, `only ${cases.length} cases`);
    const hashes = fileHashes(snapshot);
    const byOutcome = new Map<string, number>();
    const counter = new Counter('guard corpus', 'test/corpus/sql');
    const wrong: string[] = [];
    for (const c of cases) {
      const o = await run(engine, c.sql);
      const label = o.kind === 'error' ? o.code : o.kind;
      byOutcome.set(label, (byOutcome.get(label) ?? 0) + 1);
      if (!counter.check(asExpected(c, o), o.kind === 'crash' ? `crash in ${c.file}:${c.name}` : undefined)) {
        wrong.push(`${c.file}:${c.name}: expected ${c.expect}, got ${o.kind === 'error' || o.kind === 'crash' ? `${label}: ${o.message.slice(0, 160)}` : label}`);
      }
    }
    const changed = changedFiles(hashes, fileHashes(snapshot));
    for (const f of changed) counter.lost.push(`snapshot file changed: ${f}`);
    const written = fs.readdirSync(scratch);
    for (const f of written) counter.lost.push(`file written in cwd: ${f}`);
    counter.notes.push([...byOutcome].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', '));
    counter.flush();
    assert.deepEqual(wrong, []);
    assert.deepEqual(changed, []);
    assert.deepEqual(written, []);
    // The contract is intact afterwards.
    const r = await engine.query('SELECT (SELECT count(*) FROM ethereum.blocks) AS b, (SELECT count(*) FROM ethereum.transactions) AS t');
    assert.deepEqual(r.rows, [[100, 1000]]);
  });
});

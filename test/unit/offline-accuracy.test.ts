import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { runEval, type EvalCase } from '../../src/core/eval/run.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';
import { buildSnapshot } from '../../src/core/snapshot/build.js';
import { MANIFEST_FILE } from '../../src/core/snapshot/layout.js';
import { defaultSnapshotDir, packageRoot, SAMPLE_SCALE, SAMPLE_SEED } from '../../src/core/snapshot/paths.js';
import { skipReason } from '../support/skip.js';

// The repo keeps a copy of the shared dev set (eval/dev-questions.jsonl) so CI needs nothing outside the checkout.
const DEV_SET = path.join(packageRoot(), 'eval', 'dev-questions.jsonl');
const PARAPHRASES = path.join(packageRoot(), 'eval', 'paraphrases.jsonl');

function load(file: string): EvalCase[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EvalCase);
}

/** The sample snapshot, built when missing (as in CI); undefined only when it cannot be built at all. */
async function sampleSnapshot(): Promise<string | undefined> {
  const dir = defaultSnapshotDir();
  if (fs.existsSync(path.join(dir, MANIFEST_FILE))) return dir;
  try {
    await buildSnapshot({ outDir: dir, scale: SAMPLE_SCALE, seed: SAMPLE_SEED });
    return dir;
  } catch (e) {
    console.warn(`\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! OFFLINE ACCURACY NOT MEASURED: the sample snapshot could not be built at ${dir}: ${(e as Error).message}\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`);
    return undefined;
  }
}

describe('offline execution accuracy on the sample snapshot', { timeout: 30 * 60_000 }, () => {
  let engine: Engine | undefined;
  let provider: OfflineProvider;
  before(async () => {
    const dir = await sampleSnapshot();
    if (!dir) return;
    engine = await Engine.open(dir);
    provider = await OfflineProvider.forEngine(engine);
  });
  after(() => engine?.close());

  test('dev set: at least 90% through ask()', async (t) => {
    if (!engine) return t.skip(skipReason('sample snapshot unavailable (see the warning above)') || undefined);
    const report = await runEval(engine, provider, load(DEV_SET), { via: 'ask' });
    const misses = report.results.filter((r) => !r.pass).map((r) => `${r.id} ${r.question}: ${r.reason} ${r.predictedSql ?? r.error ?? ''}`);
    assert.ok(report.accuracy >= 0.9, `dev accuracy ${report.accuracy}\n${misses.join('\n')}`);
  });

  test('own unseen-paraphrase set (with follow-ups and refusals): at least 90%', async (t) => {
    if (!engine) return t.skip(skipReason('sample snapshot unavailable (see the warning above)') || undefined);
    const cases = load(PARAPHRASES);
    assert.ok(cases.length >= 60);
    assert.ok(cases.some((c) => c.expect === 'cannot_answer') && cases.some((c) => c.history?.length));
    const report = await runEval(engine, provider, cases, { via: 'direct' });
    const misses = report.results.filter((r) => !r.pass).map((r) => `${r.id} ${r.question}: ${r.reason} ${r.predictedSql ?? r.error ?? ''}`);
    assert.ok(report.accuracy >= 0.9, `paraphrase accuracy ${report.accuracy}\n${misses.join('\n')}`);
  });
});

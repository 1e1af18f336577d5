import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { ClickHouseEngine } from '../../src/core/engine/clickhouse/engine.js';
import { loadSnapshot } from '../../src/core/engine/clickhouse/load.js';
import { compareResults, hasTopLevelOrderBy } from '../../src/core/eval/compare.js';
import type { EvalCase } from '../../src/core/eval/run.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';
import { buildSnapshot } from '../../src/core/snapshot/build.js';
import { MANIFEST_FILE } from '../../src/core/snapshot/layout.js';
import { defaultSnapshotDir, packageRoot, SAMPLE_SCALE, SAMPLE_SEED } from '../../src/core/snapshot/paths.js';
import { startClickHouseHttpServer, type ClickHouseHttpServer } from '../support/clickhouse-http-server.js';

/**
 * The ClickHouse engine against the real ClickHouse engine (chdb) behind a
 * real HTTP server of the tests' own: the sample snapshot is loaded with
 * `loadSnapshot` (MergeTree tables, Parquet over HTTP), then every dev-set
 * reference query and every offline answer must give the same result as
 * DuckDB over the same Parquet (the eval's execution comparison).
 */

function load(file: string): EvalCase[] {
  return fs.readFileSync(path.join(packageRoot(), 'eval', file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EvalCase);
}

async function sampleSnapshot(): Promise<string> {
  const dir = defaultSnapshotDir();
  if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) await buildSnapshot({ outDir: dir, scale: SAMPLE_SCALE, seed: SAMPLE_SEED });
  return dir;
}

describe('ClickHouse engine over HTTP (chdb)', { timeout: 15 * 60_000 }, () => {
  let server: ClickHouseHttpServer;
  let duck: Engine;
  let ch: ClickHouseEngine;
  let dir: string;

  before(async () => {
    dir = await sampleSnapshot();
    server = await startClickHouseHttpServer();
    await loadSnapshot({ snapshotDir: dir, target: { url: server.url, database: 'onchain' } });
    duck = await Engine.open(dir);
    ch = await ClickHouseEngine.open({ url: server.url, database: 'onchain' });
  });
  after(async () => {
    ch?.close();
    duck?.close();
    await server?.close();
  });

  test('the loaded tables hold the snapshot: the manifest facts agree', () => {
    const local = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
    assert.deepEqual(ch.manifest.rowCounts, local.rowCounts);
    assert.deepEqual(ch.manifest.blockRange, local.blockRange);
    assert.equal(ch.manifest.timeRange.last, local.timeRange.last);
  });

  async function equivalence(cases: Array<{ id: string; sql: string }>): Promise<{ same: number; misses: string[] }> {
    const misses: string[] = [];
    let same = 0;
    for (const c of cases) {
      const ref = await duck.query(c.sql, { maxRows: 100_000 });
      try {
        const got = await ch.query(c.sql, { maxRows: 100_000 });
        const cmp = compareResults(ref, got, hasTopLevelOrderBy(c.sql));
        if (cmp.match && got.rowCount === ref.rowCount) same++;
        else misses.push(`${c.id}: ${cmp.reason} — ${ch.translate(c.sql)}`);
      } catch (e) {
        misses.push(`${c.id}: ${(e as Error).message} — ${c.sql}`);
      }
    }
    return { same, misses };
  }

  test('every dev-set reference query gives the same result as DuckDB', async () => {
    const cases = load('dev-questions.jsonl').filter((c) => c.sql).map((c) => ({ id: c.id, sql: c.sql! }));
    assert.equal(cases.length, 30);
    const { same, misses } = await equivalence(cases);
    console.log(`dev-set equivalence: ${same} of ${cases.length} identical`);
    assert.deepEqual(misses, []);
  });

  test('every offline answer (dev set and paraphrases) gives the same result as DuckDB', async () => {
    const provider = await OfflineProvider.forEngine(duck);
    const chProvider = await OfflineProvider.forEngine(ch);
    const cases: Array<{ id: string; sql: string }> = [];
    for (const c of [...load('dev-questions.jsonl'), ...load('paraphrases.jsonl')]) {
      try {
        const history = (c.history ?? []).map((h) => (typeof h === 'string' ? { question: h } : h));
        const t = provider.translate(c.question, history as never);
        // The same translator fed by the ClickHouse engine writes the same SQL.
        assert.equal(chProvider.translate(c.question, history as never).sql, t.sql);
        cases.push({ id: c.id, sql: t.sql });
      } catch { /* declined questions have no SQL to compare */ }
    }
    assert.ok(cases.length >= 100, `only ${cases.length} offline answers`);
    const { same, misses } = await equivalence(cases);
    console.log(`offline answers: ${same} of ${cases.length} identical`);
    assert.deepEqual(misses, []);
  });
});

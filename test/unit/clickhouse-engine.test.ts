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
import { MANIFEST_FILE, type Manifest } from '../../src/core/snapshot/layout.js';
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
    const local = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
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

  test("the dialect's traps give DuckDB's answers on ClickHouse", async () => {
    const traps = [
      ['integer division', 'select 7 // 2 as q, 7 / 2 as f, gas_used // 1000 as k from ethereum.blocks order by block_number limit 3'],
      ['count filter and ilike', "select count(*) filter (where success) as ok, count(*) filter (where symbol ilike 'us%') as us from tokens.transfers t join ethereum.transactions x on x.tx_hash = t.tx_hash"],
      ['outer join keeps NULL', 'select l.address, t.tx_hash from labels.addresses l left join ethereum.transactions t on t.to_address = l.address and t.block_number < 0 order by 1 limit 5'],
      ['aggregate over no rows is NULL', 'select sum(value_eth) as s, avg(fee_eth) as a, max(block_time) as m, count(*) as n from ethereum.transactions where block_number < 0'],
      ['HUGEINT sums stay exact', 'select sum(value_wei) as wei, sum(amount_raw) as raw from ethereum.transactions, (select sum(amount_raw) as amount_raw from tokens.transfers)'],
      ['casts', "select value_wei::DOUBLE as d, cast(gas_used as varchar) as s, try_cast(tx_type::VARCHAR as integer) as i, try_cast(from_address as integer) as n, block_time::DATE as day, 5::HUGEINT * 3 as h from ethereum.transactions order by tx_hash limit 5"],
      ['median and quantiles', 'select median(gas_price_gwei) as m, quantile_cont(fee_eth, 0.9) as q from ethereum.transactions'],
      ['week, month and hour buckets', "select date_trunc('week', block_time) as w, date_trunc('month', block_time) as m, count(*) as n from ethereum.blocks group by 1, 2 order by 1, 2"],
      ['timestamp literals and plural intervals', "select count(*) as n from ethereum.blocks where block_time >= TIMESTAMP '2025-06-29 12:00:00' and block_time < snapshot_time() - interval 2 hours"],
      ['union is distinct, ORDER BY and LIMIT apply to the whole union', 'select symbol from tokens.erc20 where symbol is not null union select token_bought_symbol from dex.trades order by 1 limit 600'],
      ['a CTE before a union', "with s as (select symbol from tokens.erc20) select symbol from s where symbol like 'U%' union all select token_sold_symbol from dex.trades where token_sold_symbol like 'U%' order by symbol desc"],
      ['CTE, window and case', "with d as (select date_trunc('day', block_time) as day, count(*) as n from ethereum.transactions group by 1) select day, n, row_number() over (order by n desc) as r, case when n > 20000 then 'busy' else 'quiet' end as kind from d order by day"],
      ['NULL-safe string functions', "select lower(symbol) as s, length(name) as l, coalesce(symbol, '?') as c, starts_with(name, 'U') as u from tokens.erc20 order by contract_address limit 20"],
      ['identifiers are case-insensitive', 'SELECT Block_Number AS N, "TX_HASH" FROM Ethereum.Transactions ORDER BY n, 2 LIMIT 5'],
      ['backslashes and quotes in strings', "select 'a\\b' as s, 'it''s' as q, length('\\') as l, count(*) filter (where method_id like '0x%\\') as n from ethereum.transactions"],
      // One string to DuckDB's validator; were it passed through, ClickHouse would run the system.tables subquery.
      ['a backslash before a quote stays inside the string', "select '\\'' , (select count(*) from system.tables) , ''' as s"],
      ['division by zero: integer // and % give NULL, DOUBLE / gives inf', 'select sum(value_eth) / count(*) filter (where false) as d, -1.5::DOUBLE / 0 as m, 0::DOUBLE / 0 as n, max(gas_used) // 0 as b, max(gas_used) % 0 as c, sum(fee_eth) / sum(value_eth) * 100 as pct from ethereum.transactions'],
      ['rounding of non-tie values', 'select project, round(avg(amount_usd), 2) as usd, round(sum(token_bought_amount)) as bought from dex.trades group by 1 order by 1'],
      ['day-of-week and hour', 'select dayofweek(block_time) as dow, hour(block_time) as h, count(*) as n from ethereum.blocks group by 1, 2 order by 1, 2'],
    ];
    const { same, misses } = await equivalence(traps.map(([id, sql]) => ({ id: id, sql: sql })));
    assert.deepEqual(misses, []);
    assert.equal(same, traps.length);
  });

  test('every offline answer (dev set and paraphrases) gives the same result as DuckDB', async () => {
    const provider = await OfflineProvider.forEngine(duck);
    const chProvider = await OfflineProvider.forEngine(ch);
    const cases: Array<{ id: string; sql: string }> = [];
    for (const c of [...load('dev-questions.jsonl'), ...load('paraphrases.jsonl')]) {
      try {
        const history = (c.history ?? []).map((h) => (typeof h === 'string' ? { question: h } : h));
        const t = provider.translate(c.question, history);
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

/**
 * The dev-set reference SQL on ClickHouse (chdb, the ClickHouse engine
 * in-process) against DuckDB over the same snapshot, as ratios per scale:
 *  - engines: raw DuckDB over the Parquet views vs chdb over MergeTree tables
 *    loaded from the same Parquet (the translated SQL; no HTTP, no checks);
 *  - end to end: our DuckDB Engine vs our ClickHouseEngine talking HTTP to a
 *    local server that runs chdb (validation, translation, streaming, cells).
 * Ratio = ClickHouse / DuckDB medians: below 1 ClickHouse wins.
 *
 *   npx tsx bench/clickhouse.ts [--scales 1,10,30] [--runs N]   standalone
 *   npm run bench                                               via bench/run.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClickHouseEngine } from '../src/core/engine/clickhouse/engine.js';
import { loadSnapshot } from '../src/core/engine/clickhouse/load.js';
import { Engine } from '../src/core/engine/engine.js';
import { buildSnapshot } from '../src/core/snapshot/build.js';
import { MANIFEST_FILE } from '../src/core/snapshot/layout.js';
import { startClickHouseHttpServer } from '../test/support/clickhouse-http-server.js';
import { openRaw } from './raw-duckdb.js';
import { fmt, geomean, measure, type Stat } from './stats.js';

export interface ClickHouseQueryFigure {
  id: string;
  duckdbRaw: Stat;
  chdbRaw: Stat;
  engineRatio: number;
  duckdbEngine: Stat;
  clickhouseEngine: Stat;
  endToEndRatio: number;
}

export interface ClickHouseScaleFigures {
  scale: number;
  loadMs: number;
  queries: ClickHouseQueryFigure[];
  engineGeomeanRatio: number;
  endToEndGeomeanRatio: number;
}

export interface DevSql {
  id: string;
  sql: string;
}

const note = (s: string) => process.stderr.write(`[bench:clickhouse] ${s}\n`);

export async function clickhouseBench(snapshots: Array<{ scale: number; dir: string }>, cases: DevSql[], runs: number, threads: number): Promise<ClickHouseScaleFigures[]> {
  const out: ClickHouseScaleFigures[] = [];
  for (const { scale, dir } of snapshots) {
    note(`scale ${scale}: loading the snapshot into chdb over HTTP…`);
    const server = await startClickHouseHttpServer();
    const duck = await Engine.open(dir, { threads });
    const raw = await openRaw(dir, threads);
    let ch: ClickHouseEngine | undefined;
    try {
      const t0 = performance.now();
      await loadSnapshot({ snapshotDir: dir, target: { url: server.url, database: 'bench' } });
      const loadMs = performance.now() - t0;
      ch = await ClickHouseEngine.open({ url: server.url, database: 'bench' });
      const queries: ClickHouseQueryFigure[] = [];
      for (const c of cases) {
        const translated = ch.translate((await ch.validate(c.sql)).sql);
        const duckdbRaw = await measure(() => raw.run(c.sql), runs);
        const chdbRaw = await measure(async () => server.exec(translated), runs);
        const duckdbEngine = await measure(() => duck.query(c.sql, { timeoutMs: 0 }), runs);
        const engine = ch;
        const clickhouseEngine = await measure(() => engine.query(c.sql, { timeoutMs: 0 }), runs);
        queries.push({
          id: c.id, duckdbRaw, chdbRaw, duckdbEngine, clickhouseEngine,
          engineRatio: chdbRaw.median / duckdbRaw.median,
          endToEndRatio: clickhouseEngine.median / duckdbEngine.median,
        });
      }
      out.push({
        scale, loadMs, queries,
        engineGeomeanRatio: geomean(queries.map((q) => q.engineRatio)),
        endToEndGeomeanRatio: geomean(queries.map((q) => q.endToEndRatio)),
      });
    } finally {
      ch?.close();
      duck.close();
      raw.close();
      await server.close();
    }
  }
  return out;
}

/** Report lines: per query and scale, the two ratios; then where each engine wins. */
export function clickhouseLines(figures: ClickHouseScaleFigures[]): string[] {
  const lines = ['ClickHouse (chdb) vs DuckDB, dev-set reference SQL: ratio = ClickHouse / DuckDB medians (below 1: ClickHouse faster)',
    '(engine: raw DuckDB vs chdb on the translated SQL; e2e: our DuckDB Engine vs our ClickHouseEngine over local HTTP)'];
  const head = ['query', ...figures.flatMap((f) => [`duckdb@${f.scale}`, `chdb@${f.scale}`, `engine@${f.scale}`, `e2e@${f.scale}`])];
  const rows = (figures[0]?.queries ?? []).map((q, i) => [q.id, ...figures.flatMap((f) => {
    const x = f.queries[i];
    return [fmt(x.duckdbRaw.median), fmt(x.chdbRaw.median), x.engineRatio.toFixed(2), x.endToEndRatio.toFixed(2)];
  })]);
  rows.push(['geomean', ...figures.flatMap((f) => ['', '', f.engineGeomeanRatio.toFixed(3), f.endToEndGeomeanRatio.toFixed(3)])]);
  const widths = head.map((_, c) => Math.max(...[head, ...rows].map((r) => (r[c] ?? '').length)));
  for (const r of [head, ...rows]) lines.push(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  for (const f of figures) {
    const wins = f.queries.filter((q) => q.engineRatio < 1).map((q) => q.id);
    lines.push(`scale ${f.scale}: chdb faster on ${wins.length} of ${f.queries.length} (${wins.join(', ') || 'none'}); load ${(f.loadMs / 1000).toFixed(1)} s`);
  }
  return lines;
}

async function standalone(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const scales = (arg('--scales') ?? '1').split(',').map(Number).filter((n) => n > 0);
  const runs = Number(arg('--runs')) || 5;
  const root = path.resolve(__dirname, '..');
  const cases = fs.readFileSync(path.join(root, 'eval', 'dev-questions.jsonl'), 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; sql?: string }).filter((c): c is DevSql => !!c.sql);
  const snapshots = [];
  for (const scale of scales) {
    // The same cache as bench/run.ts.
    const dir = path.join(os.homedir(), '.cache', 'onchain-sql', 'bench', `scale-${scale}-seed-1`);
    if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) await buildSnapshot({ outDir: dir, scale, seed: 1 });
    snapshots.push({ scale, dir });
  }
  const figures = await clickhouseBench(snapshots, cases, runs, Math.max(1, Math.min(4, os.cpus().length)));
  process.stdout.write(`${clickhouseLines(figures).join('\n')}\n`);
}

if (require.main === module) {
  standalone().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}

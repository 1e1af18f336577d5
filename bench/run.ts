/**
 * `npm run bench`: performance as ratios against raw DuckDB, measured in one
 * process and one run (see README "Performance"). Every figure is the median of
 * several runs after a warm-up, with min and max. Writes bench/results.json.
 * It also packages the VSIX, which leaves the production bundles in dist/.
 *
 *   npm run bench                       scales 1, 10 and 30
 *   npm run bench -- --scales 1,10      fewer scales
 *   npm run bench -- --quick            scale 1 only, fewer runs
 *
 * Bench snapshots are cached in ~/.cache/onchain-sql/bench/scale-<S>-seed-1/.
 */
import { execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ask } from '../src/core/ask.js';
import { Engine } from '../src/core/engine/engine.js';
import { OfflineProvider } from '../src/core/nl2sql/offline/index.js';
import { buildSnapshot } from '../src/core/snapshot/build.js';
import { MANIFEST_FILE, type Manifest } from '../src/core/snapshot/layout.js';
import { openRaw } from './raw-duckdb.js';
import { clickhouseBench, clickhouseLines } from './clickhouse.js';
import { fmt, fmtStat, geomean, measure, quantile, summarise, type Stat } from './stats.js';

const ROOT = path.resolve(__dirname, '..');
const SEED = 1;
const CACHE = path.join(os.homedir(), '.cache', 'onchain-sql', 'bench');
/** Five representative shapes: hourly buckets, fraction, join + top-N, daily group by project, top senders. */
const SCALING_IDS = ['d02', 'd03', 'd12', 'd18', 'd16'];

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '1,10,30' },
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
  },
});
const quick = values.quick;
const scales = quick ? [1] : values.scales.split(',').map(Number).filter((n) => n > 0);
const RUNS = Number(values.runs) || (quick ? 3 : 7);
const CHILD_RUNS = quick ? 1 : 3;
const THREADS = Math.max(1, Math.min(4, os.cpus().length));

interface DevCase { id: string; question: string; sql?: string }
const dev: DevCase[] = fs.readFileSync(path.join(ROOT, 'eval', 'dev-questions.jsonl'), 'utf8')
  .split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as DevCase);
const devSql = dev.filter((c): c is DevCase & { sql: string } => !!c.sql);

const note = (s: string) => process.stderr.write(`[bench] ${s}\n`);

async function ensureSnapshot(scale: number): Promise<{ dir: string; buildMs: number | null }> {
  const dir = path.join(CACHE, `scale-${scale}-seed-${SEED}`);
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest & { scale?: number; seed?: number };
    if (m.scale === scale && m.seed === SEED) return { dir, buildMs: null };
  } catch { /* not built yet */ }
  note(`building the scale-${scale} bench snapshot into ${dir} (cached for later runs)…`);
  fs.rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  await buildSnapshot({ outDir: dir, scale, seed: SEED });
  const buildMs = performance.now() - t0;
  note(`scale-${scale} snapshot built in ${(buildMs / 1000).toFixed(1)} s`);
  return { dir, buildMs };
}

/**
 * `ours` re-runs the same text (what paging, sorting, refresh and notebooks do);
 * `oursFresh` gets a new text each run (a trailing comment), so it pays the
 * whole validation every time: the cost of a newly generated statement.
 */
interface QueryFigure { id: string; ours: Stat; oursFresh: Stat; raw: Stat; ratio: number; freshRatio: number; rows: number }
interface ScaleFigures {
  scale: number;
  snapshotBuildMs: number | null;
  queries: QueryFigure[];
  geomeanRatio: number;
  summedMedianRatio: number;
  freshGeomeanRatio: number;
  freshSummedMedianRatio: number;
}

async function overhead(scale: number, dir: string, buildMs: number | null): Promise<ScaleFigures> {
  const engine = await Engine.open(dir, { threads: THREADS });
  const raw = await openRaw(dir, THREADS);
  const queries: QueryFigure[] = [];
  try {
    for (const c of devSql) {
      let rows = 0;
      const runOurs = async () => { rows = (await engine.query(c.sql, { timeoutMs: 0 })).rowCount; };
      const runRaw = () => raw.run(c.sql);
      await runOurs();
      await runRaw();
      // Interleaved so that load on the shared machine hits both sides alike.
      const o: number[] = [];
      const f: number[] = [];
      const r: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        let t0 = performance.now();
        await runOurs();
        o.push(performance.now() - t0);
        t0 = performance.now();
        await runRaw();
        r.push(performance.now() - t0);
        t0 = performance.now();
        await engine.query(`${c.sql}\n-- bench ${scale}.${i}`, { timeoutMs: 0 });
        f.push(performance.now() - t0);
      }
      const ours = summarise(o);
      const oursFresh = summarise(f);
      const rawStat = summarise(r);
      queries.push({ id: c.id, ours, oursFresh, raw: rawStat, ratio: ours.median / rawStat.median, freshRatio: oursFresh.median / rawStat.median, rows });
      note(`scale ${scale} ${c.id}: ours ${fmt(ours.median)} ms, raw ${fmt(rawStat.median)} ms`);
    }
  } finally {
    engine.close();
    raw.close();
  }
  const sum = (f: (q: QueryFigure) => number) => queries.reduce((a, q) => a + f(q), 0);
  return {
    scale,
    snapshotBuildMs: buildMs,
    queries,
    geomeanRatio: geomean(queries.map((q) => q.ratio)),
    summedMedianRatio: sum((q) => q.ours.median) / sum((q) => q.raw.median),
    freshGeomeanRatio: geomean(queries.map((q) => q.freshRatio)),
    freshSummedMedianRatio: sum((q) => q.oursFresh.median) / sum((q) => q.raw.median),
  };
}

async function validationCost(dir: string): Promise<{ perStatement: Stat; perQueryMedians: Record<string, number> }> {
  const engine = await Engine.open(dir, { threads: THREADS });
  const medians: Record<string, number> = {};
  try {
    for (const c of devSql) {
      const s = await measure(async () => (await engine.validate(c.sql)).prepared.destroySync(), RUNS);
      medians[c.id] = s.median;
    }
  } finally {
    engine.close();
  }
  return { perStatement: summarise(Object.values(medians)), perQueryMedians: medians };
}

interface AskFigures { endToEnd: { p50: number; p95: number; min: number; max: number }; generate: { p50: number; p95: number }; duckdbOnly: { p50: number }; answered: number; total: number }

async function askLatency(dir: string): Promise<AskFigures> {
  const engine = await Engine.open(dir, { threads: THREADS });
  const raw = await openRaw(dir, THREADS);
  const provider = await OfflineProvider.forEngine(engine);
  const e2e: number[] = [];
  const gen: number[] = [];
  const duck: number[] = [];
  let answered = 0;
  try {
    for (const c of dev) {
      let sql: string | undefined;
      const once = async () => {
        try {
          const a = await ask(engine, c.question, { provider, timeoutMs: 0 });
          sql = a.sql;
          return true;
        } catch { return false; }
      };
      if (await once()) answered++;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await once();
        e2e.push(performance.now() - t0);
        const t1 = performance.now();
        try { await provider.generate({ question: c.question, history: [], context: '' }); } catch { /* a refusal is timed too */ }
        gen.push(performance.now() - t1);
      }
      // DuckDB's own time for the SQL the translator wrote (the "plus DuckDB's own time" of the target).
      if (sql) duck.push((await measure(() => raw.run(sql!), RUNS)).median);
    }
  } finally {
    engine.close();
    raw.close();
  }
  const s = (a: number[]) => [...a].sort((x, y) => x - y);
  return {
    endToEnd: { p50: quantile(s(e2e), 0.5), p95: quantile(s(e2e), 0.95), min: s(e2e)[0], max: s(e2e)[e2e.length - 1] },
    generate: { p50: quantile(s(gen), 0.5), p95: quantile(s(gen), 0.95) },
    duckdbOnly: { p50: quantile(s(duck), 0.5) },
    answered,
    total: dev.length,
  };
}

interface LargeFigure { variant: string; rows: number; ms: Stat; growthMb: Stat; peakRssMb: number }

function child(args: string[]): Record<string, unknown> {
  const out = execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

function largeResults(dir: string): LargeFigure[] {
  const variants: Array<[string, number]> = [['first-page', 1_000_000], ['first-page', 10_000_000], ['last-page', 1_000_000], ['engine-all', 1_000_000], ['raw-all', 1_000_000]];
  const out: LargeFigure[] = [];
  for (const [variant, rows] of variants) {
    const ms: number[] = [];
    const growth: number[] = [];
    let peak = 0;
    for (let i = 0; i < CHILD_RUNS; i++) {
      const r = child(['--import', 'tsx', 'bench/large-child.ts', variant, String(rows), dir]);
      ms.push(r.ms as number);
      growth.push(r.growthMb as number);
      peak = Math.max(peak, r.peakRssMb as number);
    }
    out.push({ variant, rows, ms: summarise(ms), growthMb: summarise(growth), peakRssMb: peak });
    note(`large ${variant} ${rows}: ${fmt(summarise(ms).median)} ms, +${summarise(growth).median} MB`);
  }
  return out;
}

interface StartupFigures {
  bundleRequireMs: Stat;
  activateMs: Stat | null;
  /** Load plus activate(): what VS Code's "activation" of an extension costs. */
  activationTotalMs: Stat | null;
  activationError: string | null;
  integrationActivationMs: number | null;
  firstAnswer: { loadMs: number; openMs: number; askMs: number; totalMs: number } | null;
  sampleBuildMs: number;
  vsixBytes: number;
  bundleBytes: number;
}

/** The VSIX as shipped; packaging also leaves the production bundles in dist/, which the start-up figures load. */
function packageVsixBytes(tmp: string): number {
  const file = path.join(tmp, 'onchain-sql.vsix');
  try {
    execFileSync(process.execPath, ['scripts/package.mjs', '--out', file], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`npm run package failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: e });
  }
  return fs.statSync(file).size;
}

/** The first-answer child, bundled like the extension's lazily loaded core (tsx would time TypeScript compilation). */
async function bundledFirstAnswerChild(): Promise<string> {
  // Under the project, so that the bundle finds DuckDB in node_modules.
  const outdir = path.join(ROOT, '.tmp', 'bench');
  // The engine's worker process sits next to the bundle, as dist/engine-worker.js does next to dist/extension.js.
  await esbuild.build({
    entryPoints: { 'first-answer-child': path.join(ROOT, 'bench', 'first-answer-child.ts'), 'engine-worker': path.join(ROOT, 'src', 'core', 'engine', 'worker.ts') },
    outdir, bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true,
    external: ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*', '@anthropic-ai/sdk', 'esbuild'], logLevel: 'warning',
  });
  return path.join(outdir, 'first-answer-child.js');
}

async function startup(dir: string): Promise<StartupFigures> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sql-bench-'));
  note('packaging the VSIX (production bundles)…');
  const vsixBytes = packageVsixBytes(tmp);
  const bundle = path.join(ROOT, 'dist', 'extension.js');
  let activationError: string | null = null;
  const req: number[] = [];
  const act: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const r = child(['bench/activation-child.cjs', bundle]);
    if (i === 0) continue; // warm-up (file cache)
    req.push(r.requireMs as number);
    if (typeof r.activateMs === 'number') {
      act.push(r.activateMs);
      total.push((r.requireMs as number) + r.activateMs);
    } else activationError = String(r.error);
  }
  const bundleRequireMs = summarise(req);
  const activateMs = act.length ? summarise(act) : null;
  const activationTotalMs = total.length ? summarise(total) : null;
  let integrationActivationMs: number | null = null;
  const log = path.join(ROOT, 'test-results', 'integration-console.log');
  if (fs.existsSync(log)) {
    const m = /activation: ([\d.]+) ms/.exec(fs.readFileSync(log, 'utf8'));
    if (m) integrationActivationMs = Number(m[1]);
  }
  let firstAnswer: StartupFigures['firstAnswer'] = null;
  try {
    const firstAnswerChild = await bundledFirstAnswerChild();
    const runs = Array.from({ length: CHILD_RUNS }, () => child([firstAnswerChild, dir, dev[0].question]) as NonNullable<StartupFigures['firstAnswer']>);
    firstAnswer = runs.sort((a, b) => a.totalMs - b.totalMs)[runs.length >> 1]!;
  } catch (e) {
    note(`first answer failed: ${(e as Error).message}`);
  }
  const t0 = performance.now();
  await buildSnapshot({ outDir: path.join(tmp, 'sample'), scale: 1, seed: SEED });
  const sampleBuildMs = performance.now() - t0;
  fs.rmSync(tmp, { recursive: true, force: true });
  const bundleBytes = fs.statSync(bundle).size;
  return { bundleRequireMs, activateMs, activationTotalMs, activationError, integrationActivationMs, firstAnswer, sampleBuildMs, vsixBytes, bundleBytes };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const snapshots = new Map<number, { dir: string; buildMs: number | null }>();
  for (const s of scales) snapshots.set(s, await ensureSnapshot(s));
  const base = snapshots.get(scales[0])!;

  const perScale: ScaleFigures[] = [];
  for (const s of scales) perScale.push(await overhead(s, snapshots.get(s)!.dir, snapshots.get(s)!.buildMs));
  note('validation cost…');
  const validation = await validationCost(base.dir);
  note('offline ask latency…');
  const askFig = await askLatency(base.dir);
  note('large results (child processes)…');
  const large = largeResults(base.dir);
  note('start-up…');
  const start = await startup(base.dir);
  note('ClickHouse (chdb) vs DuckDB…');
  const clickhouse = await clickhouseBench(scales.map((s) => ({ scale: s, dir: snapshots.get(s)!.dir })), devSql, RUNS, THREADS);

  const scaling = SCALING_IDS.map((id) => {
    const at = perScale.map((p) => ({ scale: p.scale, q: p.queries.find((q) => q.id === id)! }));
    const first = at[0].q;
    return {
      id,
      byScale: at.map(({ scale, q }) => ({ scale, oursMs: q.ours.median, rawMs: q.raw.median, oursGrowth: q.ours.median / first.ours.median, rawGrowth: q.raw.median / first.raw.median })),
    };
  });

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), loadavg: os.loadavg(), node: process.version },
    settings: { scales, runs: RUNS, warmup: 1, childRuns: CHILD_RUNS, threads: THREADS, quick },
    overhead: perScale,
    validation,
    ask: askFig,
    largeResults: large,
    scaling,
    startup: start,
    clickhouse,
    sync: await (await import('./sync.js')).benchSync(),
    benchSeconds: (performance.now() - started) / 1000,
  };
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');

  const out: string[] = [];
  out.push(`Onchain SQL bench — ${results.date}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; median (min–max) ms of ${RUNS} runs after a warm-up`);
  out.push('');
  out.push('Overhead over raw DuckDB (dev-set reference SQL)');
  out.push('(ours: same text re-run; fresh: new text each run, full validation; ratios = ours/raw medians)');
  const head = ['query', ...perScale.flatMap((p) => [`ours@${p.scale}`, `fresh@${p.scale}`, `raw@${p.scale}`, `ratio@${p.scale}`, `fresh/raw@${p.scale}`])];
  const body = devSql.map((c) => [c.id, ...perScale.flatMap((p) => {
    const q = p.queries.find((x) => x.id === c.id)!;
    return [fmtStat(q.ours), fmt(q.oursFresh.median), fmtStat(q.raw), q.ratio.toFixed(2), q.freshRatio.toFixed(2)];
  })]);
  body.push(['geomean ratio', ...perScale.flatMap((p) => ['', '', '', p.geomeanRatio.toFixed(3), p.freshGeomeanRatio.toFixed(3)])]);
  body.push(['sum-of-medians ratio', ...perScale.flatMap((p) => ['', '', '', p.summedMedianRatio.toFixed(3), p.freshSummedMedianRatio.toFixed(3)])]);
  out.push(table([head, ...body]));
  out.push('');
  out.push(table([
    ['figure', 'value'],
    ['validation per statement (parser+binder), median of per-query medians', `${fmtStat(validation.perStatement)} ms`],
    [`offline ask end to end (${askFig.answered}/${askFig.total} answered), p50 / p95`, `${fmt(askFig.endToEnd.p50)} / ${fmt(askFig.endToEnd.p95)} ms`],
    ['offline generation only (provider.generate), p50 / p95', `${fmt(askFig.generate.p50)} / ${fmt(askFig.generate.p95)} ms`],
    ["DuckDB's own time for the generated SQL, p50", `${fmt(askFig.duckdbOnly.p50)} ms`],
    ...large.map((l) => [`large result ${l.variant} of ${l.rows.toLocaleString('en-US')} rows: time, RSS growth`, `${fmtStat(l.ms)} ms, +${l.growthMb.median} MB (peak ${l.peakRssMb} MB)`]),
    ['require(dist/extension.js), production, stub vscode, outside VS Code', `${fmtStat(start.bundleRequireMs)} ms (${(start.bundleBytes / 2 ** 10).toFixed(0)} KB bundle)`],
    ['activate() on a fake context, outside VS Code', start.activateMs ? `${fmtStat(start.activateMs)} ms` : `n/a (${start.activationError})`],
    ['activation = require + activate(), outside VS Code', start.activationTotalMs ? `${fmtStat(start.activationTotalMs)} ms` : `n/a (${start.activationError})`],
    ['activation inside VS Code (integration test log)', start.integrationActivationMs !== null ? `${start.integrationActivationMs} ms` : 'n/a (run npm run test:integration)'],
    ['first answer, fresh process: load bundled core + open + first offline ask', start.firstAnswer ? `${fmt(start.firstAnswer.totalMs)} ms (load ${fmt(start.firstAnswer.loadMs)}, open ${fmt(start.firstAnswer.openMs)}, ask ${fmt(start.firstAnswer.askMs)})` : 'failed'],
    ['sample snapshot build (scale 1, temp dir)', `${(start.sampleBuildMs / 1000).toFixed(1)} s`],
    ...perScale.filter((p) => p.snapshotBuildMs !== null).map((p) => [`bench snapshot build, scale ${p.scale}`, `${(p.snapshotBuildMs! / 1000).toFixed(1)} s`]),
    ['VSIX size (npm run package)', `${(start.vsixBytes / 2 ** 20).toFixed(1)} MB`],
  ]));
  if (perScale.length > 1) {
    out.push('');
    out.push('Scaling: median ms and growth factor vs the first scale (ours / raw)');
    out.push(table([
      ['query', ...perScale.map((p) => `scale ${p.scale}`)],
      ...scaling.map((s) => [s.id, ...s.byScale.map((b) => `${fmt(b.oursMs)}/${fmt(b.rawMs)} ×${b.oursGrowth.toFixed(1)}/×${b.rawGrowth.toFixed(1)}`)]),
    ]));
  }
  out.push('', ...clickhouseLines(clickhouse));
  out.push('');
  out.push(`bench took ${results.benchSeconds.toFixed(0)} s; results in bench/results.json`);
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

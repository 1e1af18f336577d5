/**
 * One large-result variant in its own process, so its memory figure is not
 * polluted by the others. Prints one JSON line:
 * { variant, rows, ms, rowsRead, baselineRssMb, peakRssMb, growthMb }.
 *   first-page : engine cursor, first page of 500 rows only (what the panel shows first)
 *   engine-all : engine.query with maxRows = rows (whole result as JSON-safe cells)
 *   raw-all    : plain DuckDB runAndReadAll + getRows (whole result)
 */
import { Engine } from '../src/core/engine/engine.js';
import { openRaw } from './raw-duckdb.js';

const [variant, rowsArg, snapshotDir] = process.argv.slice(2);
const rows = Number(rowsArg);
const sql = `select range as n, range * 2 as doubled, 'row ' || range as label from range(${rows})`;
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
const threads = 2;

async function main(): Promise<void> {
  let ms = 0;
  let rowsRead = 0;
  let baseline = 0;
  if (variant === 'raw-all') {
    const raw = await openRaw(snapshotDir!, threads);
    await raw.run('select 1');
    global.gc?.();
    baseline = process.memoryUsage().rss;
    const t0 = performance.now();
    rowsRead = (await raw.run(sql)).length;
    ms = performance.now() - t0;
    raw.close();
  } else {
    const engine = await Engine.open(snapshotDir!, { threads });
    await engine.query('select 1');
    global.gc?.();
    baseline = process.memoryUsage().rss;
    const t0 = performance.now();
    if (variant === 'first-page') {
      const cursor = await engine.openCursor(sql, { maxRows: rows, timeoutMs: 0 });
      rowsRead = (await cursor.next(500))?.length ?? 0;
      ms = performance.now() - t0;
      cursor.close();
    } else {
      rowsRead = (await engine.query(sql, { maxRows: rows, timeoutMs: 0 })).rowCount;
      ms = performance.now() - t0;
    }
    engine.close();
  }
  // maxRSS is the process's peak resident set, in KiB.
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ variant, rows, ms, rowsRead, baselineRssMb: mb(baseline), peakRssMb: mb(peak), growthMb: mb(Math.max(0, peak - baseline)) }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

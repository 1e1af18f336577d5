/**
 * One large-result variant in its own process, so its memory figure is not
 * polluted by the others. Prints one JSON line:
 * { variant, rows, ms, rowsRead, messageBytes, baselineRssMb, peakRssMb, growthMb }.
 *   first-page : the results panel's host-side paging (RowSource over an engine
 *                cursor, capped at the panel's 1,000,000 rows): the first page,
 *                serialised as the message the webview receives
 *   last-page  : the same, for the last page the panel can reach (a scrollbar
 *                drag to the end): reads forward through the result, caching a
 *                bounded number of pages
 *   engine-all : engine.query with maxRows = rows (whole result as JSON-safe cells)
 *   raw-all    : plain DuckDB runAndReadAll + getRows (whole result)
 */
import { Engine } from '../src/core/engine/engine.js';
import { RowSource } from '../src/extension/webviews/rowSource.js';
import { PAGE_SIZE } from '../src/webview/protocol.js';
import { openRaw } from './raw-duckdb.js';

const [variant, rowsArg, snapshotDir] = process.argv.slice(2);
const rows = Number(rowsArg);
const sql = `select range as n, range * 2 as doubled, 'row ' || range as label from range(${rows})`;
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
const threads = 2;
/** PANEL_MAX_ROWS in src/extension/webviews/resultsPanel.ts (which imports vscode). */
const PANEL_MAX_ROWS = 1_000_000;

async function main(): Promise<void> {
  let ms: number;
  let rowsRead: number;
  let messageBytes = 0;
  let baseline: number;
  /** DuckDB runs in the engine's worker process: its peak resident memory, bytes. */
  let workerPeak = 0;
  if (variant === 'raw-all') {
    const raw = await openRaw(snapshotDir, threads);
    await raw.run('select 1');
    global.gc?.();
    baseline = process.memoryUsage().rss;
    const t0 = performance.now();
    rowsRead = (await raw.run(sql)).length;
    ms = performance.now() - t0;
    raw.close();
  } else {
    const engine = await Engine.open(snapshotDir, { threads });
    await engine.query('select 1');
    global.gc?.();
    baseline = process.memoryUsage().rss;
    const t0 = performance.now();
    if (variant === 'first-page' || variant === 'last-page') {
      const source = new RowSource((s, o) => engine.openCursor(s, { ...o, timeoutMs: 0 }), sql, { maxRows: PANEL_MAX_ROWS });
      const start = variant === 'first-page' ? 0 : Math.min(rows, PANEL_MAX_ROWS) - PAGE_SIZE;
      const page = await source.rows(start, PAGE_SIZE);
      // What postMessage carries to the webview.
      messageBytes = JSON.stringify({ type: 'rows', start, rows: page }).length;
      ms = performance.now() - t0;
      rowsRead = page.length;
      source.close();
    } else {
      rowsRead = (await engine.query(sql, { maxRows: rows, timeoutMs: 0 })).rowCount;
      ms = performance.now() - t0;
    }
    workerPeak = Math.max(0, ...engine.workerStats().live.map((w) => w.peakRssBytes));
    engine.close();
  }
  // maxRSS is the process's peak resident set, in KiB.
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ variant, rows, ms, rowsRead, messageBytes, baselineRssMb: mb(baseline), peakRssMb: mb(peak), growthMb: mb(Math.max(0, peak - baseline)), workerPeakRssMb: mb(workerPeak) }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

/**
 * Cold path in a fresh process: load the core, open the snapshot, build the
 * offline provider and answer one question. Prints one JSON line.
 */
const [snapshotDir, question] = process.argv.slice(2);

async function main(): Promise<void> {
  const t0 = performance.now();
  const [{ Engine }, { ask }, { OfflineProvider }] = await Promise.all([
    import('../src/core/engine/engine.js'),
    import('../src/core/ask.js'),
    import('../src/core/nl2sql/offline/index.js'),
  ]);
  const loadMs = performance.now() - t0;
  const engine = await Engine.open(snapshotDir);
  const openMs = performance.now() - t0 - loadMs;
  const provider = await OfflineProvider.forEngine(engine);
  const t1 = performance.now();
  const answer = await ask(engine, question, { provider });
  const askMs = performance.now() - t1;
  engine.close();
  process.stdout.write(JSON.stringify({ loadMs, openMs, askMs, totalMs: performance.now() - t0, rows: answer.rowCount }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

import { loadSnapshot } from '../../src/core/engine/clickhouse/load.js';
import { startClickHouseHttpServer } from './clickhouse-http-server.js';

/**
 * The tests' ClickHouse HTTP server as a process of its own, for the editor
 * tests (the extension host must not load chdb itself):
 *   node --import tsx test/support/clickhouse-http-server-main.ts SNAPSHOT_DIR DATABASE
 * Loads the snapshot into DATABASE, then prints one JSON line {"url": …} and,
 * for every statement it later receives, a line {"received": sql}. Stops on SIGTERM
 * or when stdin closes (its parent is gone).
 */
async function main(): Promise<void> {
  const [snapshotDir, database] = process.argv.slice(2);
  if (!snapshotDir || !database) throw new Error('usage: clickhouse-http-server-main.ts SNAPSHOT_DIR DATABASE');
  const server = await startClickHouseHttpServer();
  await loadSnapshot({ snapshotDir, target: { url: server.url, database } });
  const reported = server.received.length;
  const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  print({ url: server.url });
  let seen = reported;
  const timer = setInterval(() => {
    for (; seen < server.received.length; seen++) print({ received: server.received[seen].sql });
  }, 50);
  const stop = () => {
    clearInterval(timer);
    void server.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop).resume();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

// Run by bad-input.test.ts inside `unshare -rm` (a private mount namespace) with
// two small tmpfs mounts: one read-only, one of 16 KiB that fills up. Exports a
// real result there through exportResult and prints what happened as JSON.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { exportResult, type ExportFormat } from '../../src/core/export.js';

async function main(): Promise<void> {
const [snapshot, readOnlyDir, fullDir] = process.argv.slice(2) as [string, string, string];
const engine = await Engine.open(snapshot, { connections: 1, threads: 1 });
const outcomes: Array<{ target: string; format: ExportFormat; code: string; message: string; leftover: string[] }> = [];
try {
  for (const [target, dir] of [['read-only', readOnlyDir], ['full', fullDir]] as const) {
    for (const format of ['csv', 'json', 'parquet'] as const) {
      const file = path.join(dir, `out.${format}`);
      try {
        const summary = await exportResult(engine, 'SELECT * FROM ethereum.transactions', { format, file });
        outcomes.push({ target, format, code: 'none', message: `export succeeded: ${summary.rows} rows, ${summary.bytes} bytes on disk`, leftover: fs.readdirSync(dir) });
      } catch (e) {
        const err = e instanceof OnchainSqlError ? e : null;
        outcomes.push({ target, format, code: err?.code ?? 'crash', message: err?.message ?? String(e), leftover: fs.readdirSync(dir) });
      }
    }
  }
} finally {
  engine.close();
}
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

void main();

// Run by load.test.ts and killed with SIGKILL while its query runs: opens a
// snapshot, writes a notebook file through the serializer's pure format module,
// starts a long query, says "running", and waits to be killed.
import * as fs from 'node:fs';
import { Engine } from '../../src/core/engine/engine.js';
import { formatNotebook, type RawCell } from '../../src/extension/notebook/format.js';

export const NOTEBOOK_CELLS: RawCell[] = [
  { kind: 'markdown', language: 'markdown', value: '# Killed mid-query\nThe notebook must read back whole.' },
  { kind: 'code', language: 'onchain-question', value: 'How many transactions failed?' },
  { kind: 'code', language: 'sql', value: "SELECT count(*) AS n FROM ethereum.transactions -- ``` a fence inside\nWHERE NOT success" },
];

async function main(): Promise<void> {
  const [snapshot, notebook] = process.argv.slice(2) as [string, string];
  fs.writeFileSync(notebook, formatNotebook(NOTEBOOK_CELLS));
  const engine = await Engine.open(snapshot, { connections: 1, threads: 1 });
  const running = engine.query(
    'SELECT count(*) FROM ethereum.transactions a, ethereum.transactions b, ethereum.transactions c, ethereum.transactions d WHERE a.nonce + b.nonce + c.nonce + d.nonce = -1',
    { timeoutMs: 120_000, onValidated: () => setTimeout(() => process.stdout.write('running\n'), 200) },
  );
  await running;
  process.stdout.write('finished (should have been killed)\n');
}

if (require.main === module) void main();

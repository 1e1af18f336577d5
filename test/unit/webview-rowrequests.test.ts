import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Engine } from '../../src/core/engine/engine.js';
import { RowSource, type OpenCursor, type RowCount } from '../../src/extension/webviews/rowSource.js';
import { RowRequestQueue, MAX_QUEUED, type RowRequest } from '../../src/extension/webviews/rowRequests.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';
import type { PanelToWebview } from '../../src/webview/protocol.js';

let engine: Engine;
let snapshot: string;
const SQL = 'SELECT tx_hash, block_number FROM ethereum.transactions ORDER BY tx_hash';
const open: OpenCursor = (sql, o) => engine.openCursor(sql, { maxRows: o.maxRows, signal: o.signal });

before(async () => {
  snapshot = await makeTinySnapshot();
  engine = await Engine.open(snapshot, { threads: 1, connections: 2 });
});
after(() => {
  engine.close();
  fs.rmSync(snapshot, { recursive: true, force: true });
});

function setup(generation = 1) {
  const state: { generation: number; source: RowSource; count: RowCount | undefined } = { generation, source: new RowSource(open, SQL, { maxRows: 1_000_000, pageSize: 100 }), count: undefined };
  const replies: PanelToWebview[] = [];
  const queue = new RowRequestQueue({
    generation: () => state.generation, source: () => state.source, knownCount: () => state.count, setKnownCount: (c) => { state.count = c; },
  }, (m) => replies.push(m));
  return { state, replies, queue };
}

const req = (requestId: number, start: number, generation = 1): RowRequest => ({ type: 'requestRows', requestId, generation, start, count: 50 });
const until = async (f: () => boolean) => { for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 5)); };

test('a reply carries its request id and generation; a stale generation is dropped with an empty message', async () => {
  const { replies, queue, state } = setup();
  queue.add(req(1, 100));
  queue.add(req(2, 0, 0));
  await until(() => replies.some((m) => m.type === 'rows'));
  const rows = replies.find((m) => m.type === 'rows') as Extract<PanelToWebview, { type: 'rows' }>;
  assert.deepEqual([rows.requestId, rows.generation, rows.start, rows.rows.length], [1, 1, 100, 50]);
  assert.deepEqual(replies.find((m) => m.type === 'rowsError'), { type: 'rowsError', requestId: 2, generation: 0, message: '' });
  state.source.close();
});

test('newest first; beyond the queue limit the oldest are dropped; the exact count is told once', async () => {
  const { replies, queue, state } = setup();
  for (let i = 1; i <= MAX_QUEUED + 3; i++) queue.add(req(i, i * 100));
  await until(() => replies.filter((m) => m.type === 'rows').length >= MAX_QUEUED);
  const served = replies.filter((m) => m.type === 'rows').map((m) => (m as { requestId: number }).requestId);
  // The first one starts at once; of the rest the newest go first and the oldest beyond the limit are dropped.
  assert.equal(served[0], 1);
  assert.deepEqual(served.slice(1), [9, 8, 7, 6, 5, 4].slice(0, served.length - 1));
  const dropped = replies.filter((m) => m.type === 'rowsError').map((m) => (m as { requestId: number }).requestId);
  assert.deepEqual(dropped, [2, 3]);
  // Request 9 read to row 950 of 1,000 rows... the count is known once the cursor reached the end.
  queue.add(req(99, 990));
  await until(() => replies.some((m) => m.type === 'rowCount'));
  assert.deepEqual(replies.filter((m) => m.type === 'rowCount'), [{ type: 'rowCount', generation: 1, rowCount: 1000, exact: true, truncated: false }]);
  state.source.close();
});

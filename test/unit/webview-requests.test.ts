import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PageCache, type RowReply, type RowRequest } from '../../media/common/pageCache.js';
import { PANEL_REPLIES, type PanelFromWebview, type PanelReply } from '../../src/webview/protocol.js';
import { RequestCorrelator, RequestEndedError, type EndReason } from '../../src/webview/requests.js';

/** A correlator for the panel's messages whose sent requests are kept for the test to answer. */
function panel(defaults: { timeoutMs?: number } = {}) {
  const sent: PanelFromWebview[] = [];
  const requests = new RequestCorrelator<PanelFromWebview, PanelReply, typeof PANEL_REPLIES>((m) => sent.push(m), PANEL_REPLIES, defaults);
  return { sent, requests };
}

function idOf(m: PanelFromWebview | undefined): number {
  assert.ok(m && 'requestId' in m, `a request with an id: ${JSON.stringify(m)}`);
  return m.requestId;
}

async function endReason(p: Promise<unknown>): Promise<EndReason> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RequestEndedError, String(e));
    return e.reason;
  }
  assert.fail('the request was answered');
}

test('each request goes out with a fresh id, in the order made', () => {
  const { sent, requests } = panel();
  const a = requests.request({ type: 'copyColumn', column: 2 });
  const b = requests.request({ type: 'requestRows', generation: 1, start: 0, count: 200 });
  assert.deepEqual(sent, [
    { type: 'copyColumn', column: 2, requestId: a.requestId },
    { type: 'requestRows', generation: 1, start: 0, count: 200, requestId: b.requestId },
  ]);
  assert.ok(b.requestId > a.requestId);
  assert.equal(requests.waiting, 2);
});

test('replies settle their own request, in any order', async () => {
  const { requests } = panel();
  const rows = [0, 1, 2].map((i) => requests.request({ type: 'requestRows', generation: 1, start: i * 200, count: 200 }));
  // Answered last first, one as an error.
  assert.equal(requests.settle({ type: 'rows', requestId: rows[2].requestId, generation: 1, start: 400, rows: [['c']] }), true);
  assert.equal(requests.settle({ type: 'rowsError', requestId: rows[0].requestId, generation: 1, message: 'boom' }), true);
  assert.equal(requests.settle({ type: 'rows', requestId: rows[1].requestId, generation: 1, start: 200, rows: [['b']] }), true);
  const [r0, r1, r2] = await Promise.all(rows.map((r) => r.reply));
  assert.deepEqual(r0, { type: 'rowsError', requestId: rows[0].requestId, generation: 1, message: 'boom' });
  assert.equal(r1.type === 'rows' && r1.start, 200);
  assert.equal(r2.type === 'rows' && r2.start, 400);
  assert.equal(requests.waiting, 0);
});

test('a reply with an unknown id, a second reply, or a reply of another kind is ignored', async () => {
  const { requests } = panel();
  const copy = requests.request({ type: 'copyColumn', column: 0 });
  assert.equal(requests.settle({ type: 'copied', requestId: 9999, message: 'stray' }), false);
  // A rows reply does not answer a copy request, even with its id.
  assert.equal(requests.settle({ type: 'rows', requestId: copy.requestId, generation: 1, start: 0, rows: [] }), false);
  assert.equal(requests.waiting, 1);
  assert.equal(requests.settle({ type: 'copied', requestId: copy.requestId, message: 'Copied 3 values of n.' }), true);
  assert.equal(requests.settle({ type: 'copied', requestId: copy.requestId, message: 'again' }), false);
  assert.deepEqual(await copy.reply, { type: 'copied', requestId: copy.requestId, message: 'Copied 3 values of n.' });
});

test('isReply tells the reply kinds of the table from other messages', () => {
  const { requests } = panel();
  assert.equal(requests.isReply({ type: 'copied', requestId: 1, message: '' } as PanelReply), true);
  assert.equal(requests.isReply({ type: 'rowsError', requestId: 1, generation: 0, message: '' } as PanelReply), true);
  assert.equal(requests.isReply({ type: 'notice' }), false);
  assert.equal(requests.isReply({ type: 'copied' }), false, 'no id, no reply');
});

test('cancel ends one request; its late reply is ignored; the others still settle', async () => {
  const { sent, requests } = panel();
  const a = requests.request({ type: 'copySql' });
  const b = requests.request({ type: 'copySql' });
  assert.equal(requests.cancel(a.requestId), true);
  assert.equal(requests.cancel(a.requestId), false);
  assert.equal(await endReason(a.reply), 'cancelled');
  assert.equal(requests.settle({ type: 'copied', requestId: idOf(sent[0]), message: 'late' }), false);
  requests.settle({ type: 'copied', requestId: b.requestId, message: 'ok' });
  assert.equal((await b.reply).message, 'ok');
});

test('an aborted signal cancels; one aborted before the request refuses it', async () => {
  const { sent, requests } = panel();
  const abort = new AbortController();
  const a = requests.request({ type: 'copySql' }, { signal: abort.signal });
  abort.abort();
  assert.equal(await endReason(a.reply), 'cancelled');
  const b = requests.request({ type: 'copySql' }, { signal: abort.signal });
  assert.equal(await endReason(b.reply), 'cancelled');
  assert.equal(sent.length, 1, 'a request refused up front is not sent');
  assert.equal(requests.waiting, 0);
});

test('a request without a reply in time ends with timeout (per request, or the default)', async () => {
  const { requests } = panel({ timeoutMs: 30 });
  const quick = requests.request({ type: 'copySql' }, { timeoutMs: 5 });
  const byDefault = requests.request({ type: 'copySql' });
  const answered = requests.request({ type: 'copySql' });
  requests.settle({ type: 'copied', requestId: answered.requestId, message: 'in time' });
  assert.equal(await endReason(quick.reply), 'timeout');
  assert.equal(await endReason(byDefault.reply), 'timeout');
  assert.equal((await answered.reply).message, 'in time');
  assert.equal(requests.waiting, 0);
});

test('dispose rejects every waiting request and refuses new ones', async () => {
  const { sent, requests } = panel({ timeoutMs: 60_000 });
  const waiting = [requests.request({ type: 'copySql' }), requests.request({ type: 'requestRows', generation: 1, start: 0, count: 1 })];
  requests.dispose();
  assert.deepEqual(await Promise.all(waiting.map((w) => endReason(w.reply))), ['disposed', 'disposed']);
  const after = requests.request({ type: 'copySql' });
  assert.equal(await endReason(after.reply), 'disposed');
  assert.equal(sent.length, 2);
  assert.equal(requests.settle({ type: 'copied', requestId: waiting[0].requestId, message: 'late' }), false);
});

test('a send that throws rejects that request and leaves nothing waiting', async () => {
  const requests = new RequestCorrelator<PanelFromWebview, PanelReply, typeof PANEL_REPLIES>(() => { throw new Error('webview gone'); }, PANEL_REPLIES);
  await assert.rejects(requests.request({ type: 'copySql' }).reply, /webview gone/);
  assert.equal(requests.waiting, 0);
});

test('the grid\'s page cache over the correlator: out-of-order pages land where they belong; a new order cancels what was asked', async () => {
  const { sent, requests } = panel();
  const errors: string[] = [];
  let redraws = 0;
  const cache = new PageCache({
    request: (r: RowRequest) => requests.request({ type: 'requestRows', ...r }),
    cancel: (id) => requests.cancel(id),
    onRows: () => { redraws++; },
    onError: (m) => errors.push(m),
  }, 1000, 250, 100);
  cache.reset(1, 1000);
  cache.ensure(0, 100);
  cache.ensure(500, 600);
  assert.equal(sent.length, 2);
  // Asking again for pages already asked for sends nothing.
  cache.ensure(0, 100);
  assert.equal(sent.length, 2);
  const page = (start: number) => Array.from({ length: 100 }, (_, i) => [start + i]);
  const reply = (m: PanelFromWebview, over: Partial<RowReply> = {}) => {
    const r = m as Extract<PanelFromWebview, { type: 'requestRows' }>;
    return { type: 'rows', requestId: r.requestId, generation: r.generation, start: r.start, rows: page(r.start), ...over } as PanelReply;
  };
  requests.settle(reply(sent[1]));
  requests.settle(reply(sent[0]));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual([cache.get(0), cache.get(550), cache.get(99)], [[0], [550], [99]]);
  assert.equal(redraws, 2);
  // A failed request is forgotten (the next scroll asks again) and its message shown; a dropped one (no message) is silent.
  cache.ensure(200, 300);
  requests.settle({ type: 'rowsError', requestId: idOf(sent[2]), generation: 1, message: 'Could not read rows: disk gone' });
  cache.ensure(300, 400);
  requests.settle({ type: 'rowsError', requestId: idOf(sent[3]), generation: 1, message: '' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(errors, ['Could not read rows: disk gone']);
  cache.ensure(200, 400);
  assert.equal(sent.length, 5, 'both failed ranges asked again, in one request');
  // Sorted: the waiting request is cancelled, and its late reply stores nothing.
  cache.reset(2, 1000);
  assert.equal(requests.waiting, 0);
  assert.equal(requests.settle(reply(sent[4])), false);
  assert.equal(cache.get(250), undefined);
});

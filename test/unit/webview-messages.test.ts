import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMessage, CHAT_MESSAGES, PANEL_MESSAGES, MAX_TEXT, type MessageSchemas } from '../../src/webview/messageSchema.js';

test('well-formed panel and chat messages pass as they are', () => {
  const ok = [
    { type: 'ready' },
    { type: 'requestRows', requestId: 3, generation: 1, start: 200, count: 200 },
    { type: 'sort', sort: { column: 2, direction: 'desc' } },
    { type: 'sort', sort: null },
    { type: 'copyRange', requestId: 4, top: 0, bottom: 99_999, left: 0, right: 6 },
    { type: 'copySql', requestId: 5 },
    { type: 'ask', question: 'Daily DEX volume by project' },
  ];
  for (const m of ok) assert.deepEqual(checkMessage(PANEL_MESSAGES, m), { ok: true, message: m });
  assert.equal(checkMessage(CHAT_MESSAGES, { type: 'insertIntoNotebook', turnId: 'ab12' }).ok, true);
});

test('anything else is refused with the reason: unknown type, missing, extra or ill-typed fields', () => {
  const bad: Array<[unknown, RegExp]> = [
    [null, /not an object/],
    [[{ type: 'ready' }], /not an object/],
    [{ type: 'eval', code: 'x' }, /unknown type/],
    [{ type: '__proto__' }, /unknown type/],
    [{ type: 'toString' }, /unknown type/],
    [{ type: 'copyColumn', requestId: 1 }, /column is not a valid nat/],
    [{ type: 'copyColumn', requestId: 1, column: -1 }, /column/],
    [{ type: 'copyColumn', requestId: 1, column: 1.5 }, /column/],
    [{ type: 'copyColumn', requestId: 1, column: '1' }, /column/],
    // A copy is a request: without its id the reply could not be matched.
    [{ type: 'copyColumn', column: 1 }, /requestId is not a valid nat/],
    [{ type: 'copySql', requestId: -2 }, /requestId/],
    [{ type: 'requestRows', requestId: 1, generation: 1, start: 0, count: 1e12 }, /count/],
    [{ type: 'sort', sort: { column: 0, direction: 'sideways' } }, /sort/],
    [{ type: 'sort', sort: { column: 0, direction: 'asc', extra: 1 } }, /sort/],
    [{ type: 'ask', question: 'x'.repeat(MAX_TEXT + 1) }, /question/],
    [{ type: 'ask', question: 'q', sql: 'DROP TABLE x' }, /unexpected field sql/],
  ];
  for (const [raw, why] of bad) {
    const r = checkMessage(PANEL_MESSAGES, raw);
    assert.equal(r.ok, false, JSON.stringify(raw)?.slice(0, 80));
    assert.match((r as { reason: string }).reason, why);
  }
  assert.equal(checkMessage(CHAT_MESSAGES, { type: 'copySql', requestId: 1, turnId: 7 }).ok, false);
  assert.equal(checkMessage(CHAT_MESSAGES, { type: 'copySql', turnId: 'ab12' }).ok, false);
  assert.equal(checkMessage(CHAT_MESSAGES, { type: 'copySql', requestId: 1, turnId: 'ab12' }).ok, true);
});

test('a schema must name exactly its message type\'s fields (checked by the compiler)', () => {
  type M = { type: 'a'; x: number } | { type: 'b' };
  // @ts-expect-error a schema without the field x does not compile
  const missing: MessageSchemas<M> = { a: {}, b: {} };
  // @ts-expect-error a schema without the type b does not compile
  const lacking: MessageSchemas<M> = { a: { x: 'int' } };
  const good: MessageSchemas<M> = { a: { x: 'int' }, b: {} };
  assert.ok(missing && lacking && good);
  assert.equal(checkMessage(good, { type: 'a', x: -3 }).ok, true);
});

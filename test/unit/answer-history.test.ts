import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Answer } from '../../src/core/answer.js';
import {
  entryDescription, entryOf, entryTitle, HISTORY_MAX, isHistoryEntry, MAX_SQL_CHARS, readEntries, searchEntries, timeAgo, withEntry, type HistoryEntry,
} from '../../src/core/answerHistory.js';

const AT = new Date('2026-03-01T12:00:00.000Z');
const NOW = AT.getTime();

function answer(over: Partial<Answer> = {}): Answer {
  return {
    question: 'How many transfers of USDC today?',
    sql: 'SELECT count(*) AS n FROM tokens.transfers WHERE symbol = \'USDC\'',
    explanation: 'Counts the transfers.',
    chart: null,
    provider: 'offline',
    attempts: [],
    columns: [{ name: 'n', type: 'BIGINT' }],
    rows: [[42]],
    rowCount: 1,
    truncated: false,
    timings: { generateMs: 1, validateMs: 1, executeMs: 1, totalMs: 3 },
    ...over,
  };
}

let ids = 0;
const entry = (over: Partial<Answer> = {}, surface = 'panel', at = AT): HistoryEntry => entryOf(answer(over), surface, { id: `e${++ids}`, at });

test('an entry holds the question, its reading, SQL, author, counts, time and surface, and no rows', () => {
  const e = entryOf(answer({ resolvedQuestion: 'How many transfers of USDC on 2026-03-01?', model: 'claude-x', rowCount: 1000, truncated: true }), 'chat', { id: 'abc', at: AT });
  assert.deepEqual(e, {
    id: 'abc', question: 'How many transfers of USDC today?', resolvedQuestion: 'How many transfers of USDC on 2026-03-01?',
    sql: answer().sql, provider: 'offline', model: 'claude-x', rowCount: 1000, truncated: true, at: '2026-03-01T12:00:00.000Z', surface: 'chat',
  });
  assert.ok(isHistoryEntry(e));
  // A resolved question equal to the question is not stored twice; no model, no field.
  const plain = entryOf(answer({ resolvedQuestion: answer().question }), 'panel', { id: 'p', at: AT });
  assert.equal('resolvedQuestion' in plain, false);
  assert.equal('model' in plain, false);
});

test('an entry never holds a secret: known secrets by value and key-shaped text are redacted in question, reading and SQL', () => {
  const rpc = 'https://eth.example/v2/s3cr3t-rpc-token-123';
  const key = 'sk-ant-api03-abcdefghijklmnop';
  const e = entryOf(answer({
    question: `Use ${rpc} and ${key} for transfers`,
    resolvedQuestion: `transfers via ${rpc}`,
    sql: `SELECT '${key}', '${rpc}' AS x`,
  }), 'panel', { id: 's', at: AT, secrets: [rpc] });
  const stored = JSON.stringify(e);
  assert.ok(!stored.includes('s3cr3t-rpc-token-123'), stored);
  assert.ok(!stored.includes('abcdefghijklmnop'), stored);
  assert.match(e.question, /\[redacted\]/);
  assert.match(e.resolvedQuestion ?? '', /\[redacted\]/);
  assert.match(e.sql, /sk-ant-\[redacted\]/);
});

test('SQL is kept to MAX_SQL_CHARS', () => {
  const e = entry({ sql: `SELECT ${'1 + '.repeat(MAX_SQL_CHARS)}1` });
  assert.equal(e.sql.length, MAX_SQL_CHARS);
});

test('withEntry: newest first, capped, and a repeat replaces its older copy', () => {
  const a = entry({ question: 'a' });
  const b = entry({ question: 'b' });
  let list = withEntry(withEntry([], a), b);
  assert.deepEqual(list.map((e) => e.question), ['b', 'a']);
  // The same question, reading, SQL and author again: one entry, now on top with the new time.
  const a2 = entry({ question: 'a' }, 'chat', new Date(NOW + 60_000));
  list = withEntry(list, a2);
  assert.deepEqual(list.map((e) => e.id), [a2.id, b.id]);
  // Same question but other SQL or another author: a different answer, both kept.
  list = withEntry(list, entry({ question: 'a', sql: 'SELECT 2' }));
  list = withEntry(list, entry({ question: 'a', provider: 'claude' }));
  assert.equal(list.length, 4);
  // The cap drops the oldest.
  let capped: HistoryEntry[] = [];
  for (let i = 0; i < 7; i++) capped = withEntry(capped, entry({ question: `q${i}` }), 5);
  assert.deepEqual(capped.map((e) => e.question), ['q6', 'q5', 'q4', 'q3', 'q2']);
  assert.equal(HISTORY_MAX, 500);
});

test('searchEntries: every word, any case, in the question, the resolved question or the SQL', () => {
  const list = [
    entry({ question: 'Top DEX pairs by volume', sql: 'SELECT pair FROM dex.trades' }),
    entry({ question: 'and for USDC?', resolvedQuestion: 'Top tokens by USDC volume', sql: 'SELECT token FROM tokens.transfers' }),
    entry({ question: 'blocks per day', sql: 'SELECT date_trunc(\'day\', block_time) FROM ethereum.blocks' }),
  ];
  const q = (s: string) => searchEntries(list, s).map((e) => e.question);
  assert.deepEqual(q('volume'), ['Top DEX pairs by volume', 'and for USDC?']);
  assert.deepEqual(q('usdc TOP'), ['and for USDC?']);
  assert.deepEqual(q('DATE_TRUNC blocks'), ['blocks per day']);
  assert.deepEqual(q('volume blocks'), []);
  assert.equal(searchEntries(list, '   ').length, 3);
});

test('readEntries keeps only well-formed entries from stored state', () => {
  const good = entry();
  const saved: unknown = [good, null, 7, 'x', { ...good, rowCount: '3' }, { ...good, provider: 'evil' }, { ...good, truncated: undefined }, { id: 'x' }];
  assert.deepEqual(readEntries(saved), [good]);
  assert.deepEqual(readEntries({ 0: good }), []);
  assert.deepEqual(readEntries(undefined), []);
});

test('titles and descriptions', () => {
  assert.equal(entryTitle(entry({ question: 'q', resolvedQuestion: 'resolved q' })), 'resolved q');
  assert.equal(entryTitle(entry({ question: '', sql: '\n  SELECT 1\nFROM x' })), 'SELECT 1');
  const e = entry({ provider: 'claude', rowCount: 1234, truncated: true }, 'chat');
  assert.equal(entryDescription(e, NOW + 5 * 60_000), 'Claude · 1,234+ rows · 5 min ago · chat');
  assert.equal(entryDescription(entry({ provider: 'user', rowCount: 1 }), NOW), 'Your SQL · 1 row · just now · panel');
  assert.equal(timeAgo(AT.toISOString(), NOW + 3 * 3_600_000), '3 h ago');
  assert.equal(timeAgo(AT.toISOString(), NOW + 3 * 86_400_000), '2026-03-01');
  assert.equal(timeAgo(AT.toISOString(), NOW - 1000), AT.toISOString());
  assert.equal(timeAgo('not a time', NOW), 'not a time');
});

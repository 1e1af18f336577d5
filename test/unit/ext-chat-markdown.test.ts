import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from '../../src/core/answer.js';
import { answerMarkdown, errorMarkdown, followupPrompts, schemaMarkdown } from '../../src/extension/chatMarkdown.js';
import { errorText, resultHtml, resultPayload, resultText } from '../../src/extension/notebook/outputs.js';

function answer(rows: unknown[][], extra: Partial<Answer> = {}): Answer {
  return {
    question: 'top tokens', sql: 'SELECT symbol, n FROM t', explanation: 'Counts *transfers* <b>per</b> token.', chart: null, provider: 'offline',
    attempts: [{ sql: 'SELECT symbol, n FROM t' }], columns: [{ name: 'symbol', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }],
    rows: rows as Answer['rows'], rowCount: rows.length, truncated: false, timings: { validateMs: 1, executeMs: 2, totalMs: 3, generateMs: 0 }, ...extra,
  };
}

const evil = '<script>alert(1)</script>|`x`[a](javascript:alert(1))\u202E';

test('chat answer: fenced SQL, escaped explanation and table, counts, truncation note', () => {
  const rows = Array.from({ length: 30 }, (_, i) => [i === 0 ? evil : `T${i}`, i]);
  const md = answerMarkdown(answer(rows, { truncated: true, rowCount: 30 }));
  assert.match(md, /^Counts \\\*transfers\\\* &lt;b&gt;per&lt;\/b&gt; token\./);
  assert.match(md, /```sql\nSELECT symbol, n FROM t\n```/);
  const table = md.split('\n').filter((l) => l.startsWith('| '));
  assert.equal(table.length, 2 + 20, 'header, rule and the first 20 rows');
  assert.ok(!md.includes('<script') && !md.includes('\u202E'));
  assert.match(md, /30\+ rows \(showing the first 20; open the panel for all\)/);
  assert.match(md, /SQL by the offline translator/);
  assert.match(answerMarkdown(answer([['a', 1]], { question: '' })), /SQL by you/);
});

test('chat errors carry the code, hints and each attempt', () => {
  const md = errorMarkdown({ code: 'unknown_column', message: 'Column "amout" not found', suggestions: ['Did you mean amount?'], attempts: [{ sql: 'SELECT amout FROM tokens.transfers', error: { code: 'unknown_column', message: 'x' } }] });
  assert.match(md, /\*\*Could not answer\*\* \(`unknown_column`\)/);
  assert.match(md, /- Did you mean amount\?/);
  assert.match(md, /```sql\nSELECT amout FROM tokens.transfers\n```/);
});

test('/schema: all tables, one table, an unknown one', () => {
  assert.match(schemaMarkdown(), /\| ethereum\.transactions \|/);
  assert.match(schemaMarkdown('dex.trades'), /\*\*dex\.trades\*\*/);
  assert.match(schemaMarkdown('trades'), /amount\\_usd/);
  assert.match(schemaMarkdown('nope'), /No table named/);
});

test('follow-ups follow the result shape', () => {
  assert.deepEqual(followupPrompts({ question: 'q', columns: [{ name: 'day', type: 'TIMESTAMP' }, { name: 'symbol', type: 'VARCHAR' }], rowCount: 50 }), ['Make it weekly', 'Only the top 10', 'Now only USDC']);
  assert.deepEqual(followupPrompts({}), []);
});

test('notebook outputs: payload capped at 500 rows; html escaped; text and error text neutralised', () => {
  const rows = Array.from({ length: 600 }, (_, i) => [i ? `T${i}` : evil, i]);
  const a = answer(rows);
  const p = resultPayload(a);
  assert.equal(p.rows.length, 500);
  assert.equal(p.rowCount, 600);
  assert.equal(p.question, 'top tokens');
  const html = resultHtml(a);
  assert.ok(!html.includes('<script') && !html.includes('<b>per'));
  assert.match(html, /<pre><code class="language-sql">SELECT symbol, n FROM t<\/code><\/pre>/);
  const text = resultText(a);
  assert.ok(!text.includes('\u202E'));
  assert.match(text, /600 rows in 3 ms$/);
  const err = errorText({ code: 'timeout', message: 'too slow', suggestions: ['add a LIMIT'], attempts: [{ sql: 'SELECT 1', error: { code: 'timeout', message: 'too slow' } }] });
  assert.equal(err, 'timeout: too slow\n  hint: add a LIMIT\n\nAttempt 1 (timeout):\nSELECT 1\n  → too slow');
});

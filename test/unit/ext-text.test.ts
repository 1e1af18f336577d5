import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdownInline, markdownTable, plainTable, fencedCode, neutraliseInvisible } from '../../src/extension/text.js';
import { checkApiKeyFormat } from '../../src/extension/apiKeyFormat.js';
import { redactSecrets as redact } from '../../src/core/text/redact.js';

const hostile = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[click](javascript:alert(1))',
  '![x](https://evil.example/x.png)',
  'a | b | c',
  '`code` ``more``',
  'line1\nline2\r\nline3',
  '**bold** _it_ ~~s~~',
  'https://evil.example/path',
  'www.evil.example',
  'ab\u202Edc\u2066x\u200B',
  'x'.repeat(10_000),
];

test('markdown escaping leaves no live syntax in hostile token names', () => {
  for (const h of hostile) {
    const e = escapeMarkdownInline(h);
    assert.ok(!/[<>]/.test(e), `raw angle bracket in ${e}`);
    assert.ok(!/\n|\r/.test(e), 'newline');
    assert.ok(!/(^|[^\\])[|`[\]*_]/.test(e), `unescaped markdown char in ${e}`);
    assert.ok(!/https?:\/\//.test(e), `autolink in ${e}`);
    assert.ok(!/www\.|www\\\./i.test(e), `www autolink in ${e}`);
    assert.ok(!/[\u202A-\u202E\u2066-\u2069\u200B]/.test(e), 'bidi control kept');
    assert.ok(e.length <= 1000, 'long values truncated');
  }
  assert.equal(escapeMarkdownInline('USDC'), 'USDC');
  assert.equal(neutraliseInvisible('a\u202Eb'), 'a<U+202E>b');
});

test('a markdown table keeps its shape whatever the cells hold', () => {
  const md = markdownTable({ columns: [{ name: 'symbol' }, { name: 'n|x' }], rows: hostile.map((h, i) => [h, i]) }, 20);
  const lines = md.split('\n');
  assert.equal(lines.length, 2 + hostile.length);
  for (const l of lines) {
    // Exactly three unescaped pipes per row: the table's own.
    assert.equal((l.match(/(^|[^\\])\|/g) ?? []).length, 3, l);
  }
  assert.equal(markdownTable({ columns: [{ name: 'a' }], rows: Array.from({ length: 50 }, (_, i) => [i]) }, 20).split('\n').length, 22);
});

test('plain tables are one line per row', () => {
  const plain = plainTable({ columns: [{ name: 'v' }], rows: [['a\nb'], [null], [12]] });
  assert.deepEqual(plain.split('\n'), ['v', '----', 'a b', 'NULL', '12']);
});

test('a fenced block cannot be closed from inside', () => {
  const f = fencedCode('SELECT \'```\' AS x', 'sql');
  assert.ok(f.startsWith('````sql\n') && f.endsWith('\n````'));
});

test('keys are redacted by value and by shape', () => {
  const key = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789';
  assert.equal(redact(`key=${key} end`, [key]), 'key=[redacted] end');
  assert.equal(redact('x sk-ant-api03-ZZZZZZZZZZZZ y'), 'x sk-ant-[redacted] y');
  assert.equal(redact('sk-custom-secret-value-123', ['sk-custom-secret-value-123']), '[redacted]');
  assert.equal(checkApiKeyFormat(key), undefined);
  assert.match(checkApiKeyFormat('')!, /empty/);
  assert.match(checkApiKeyFormat('sk-ant with space xxxxxxxxxxxxx')!, /spaces/);
});

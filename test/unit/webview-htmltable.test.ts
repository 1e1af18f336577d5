import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtmlTable, escapeHtml } from '../../src/webview/htmlTable.js';

const cols = [{ name: 'name<script>', type: 'VARCHAR' }, { name: 'amount', type: 'DOUBLE' }, { name: 'token_address', type: 'VARCHAR' }];
const hostile = [
  ['<script>alert(1)</script>', 1.5, '0x' + 'a'.repeat(40)],
  ['<img src=x onerror="alert(1)">', -2, null],
  ['<a href="javascript:alert(1)">click</a>', 3, 'x" onmouseover="alert(1)'],
  ["it's \u202Eevil\u2066 `tick`", 4, 'A'.repeat(10_000)],
];

test('hostile values come out as inert text', () => {
  const html = renderHtmlTable(cols, hostile);
  // No tag other than the table's own structure and <bdi>
  const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase());
  assert.deepEqual([...new Set(tags)].sort(), ['bdi', 'table', 'tbody', 'td', 'th', 'thead', 'tr']);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'));
  assert.ok(html.includes('&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;'));
  assert.ok(html.includes('name&lt;script&gt;'));
  // Text never contains a raw < or >, so every <...> is one of our tags; each tag's
  // attributes are ours (title/align) with double-quoted values holding no raw quote.
  for (const [, , rest] of html.matchAll(/<\/?([a-z]+)([^>]*)>/g)) {
    const leftover = rest.replace(/\s(title|align)="[^"<>]*"/g, '');
    assert.equal(leftover, '', `unexpected attribute text: ${rest}`);
  }
  // bidi controls are gone, quotes/backticks escaped
  assert.doesNotMatch(html, /[\u202A-\u202E\u2066-\u2069]/);
  assert.ok(html.includes('it&#39;s evil &#96;tick&#96;'));
  // 10,000-char values are cut
  assert.ok(html.length < 6000, `html is ${html.length} chars`);
  // addresses shortened, full value in title
  assert.ok(html.includes(`title="0x${'a'.repeat(40)}"><bdi>0xaaaa…aaaa</bdi>`));
});

test('numbers are right-aligned and a note tells how many rows exist', () => {
  const html = renderHtmlTable(cols, hostile, { maxRows: 2, rowCount: 1000, truncated: true });
  assert.equal((html.match(/<tr>/g) ?? []).length, 3);
  assert.ok(html.includes('<td align="right"><bdi>1.5</bdi></td>'));
  assert.ok(html.includes('Showing 2 of 1,000+ rows.'));
});

test('escapeHtml', () => {
  assert.equal(escapeHtml(`<>&"'\``), '&lt;&gt;&amp;&quot;&#39;&#96;');
});

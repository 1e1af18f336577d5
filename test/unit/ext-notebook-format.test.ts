import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatNotebook, parseNotebook, NOTEBOOK_HEADER, type RawCell } from '../../src/extension/notebook/format.js';

const cells: RawCell[] = [
  { kind: 'markdown', language: 'markdown', value: '# Title\n\nSome *prose*.' },
  { kind: 'code', language: 'onchain-question', value: 'How many transactions were there in the last 24 hours?' },
  { kind: 'code', language: 'sql', value: 'SELECT count(*)\nFROM ethereum.transactions\nWHERE block_time >= snapshot_time() - INTERVAL 1 DAY' },
];

test('a notebook round-trips through text byte for byte', () => {
  const text = formatNotebook(cells);
  assert.ok(text.startsWith(`${NOTEBOOK_HEADER}\n\n\`\`\`markdown\n# Title`));
  assert.deepEqual(parseNotebook(text), cells);
  assert.equal(formatNotebook(parseNotebook(text)), text);
});

test('each line of a cell is a line of the file (diff-friendly)', () => {
  const text = formatNotebook(cells);
  assert.ok(text.includes('\nFROM ethereum.transactions\n'));
  assert.ok(text.includes('\n```question\nHow many transactions were there in the last 24 hours?\n```\n'));
});

test('awkward contents survive: fences, empty cells, blank lines, CRLF, trailing newlines, unicode', () => {
  const awkward: RawCell[] = [
    { kind: 'code', language: 'sql', value: '' },
    { kind: 'code', language: 'sql', value: '\n' },
    { kind: 'code', language: 'sql', value: 'SELECT 1\n\n\n' },
    { kind: 'markdown', language: 'markdown', value: 'text\n```sql\nSELECT 2\n```\nmore ```` ticks' },
    { kind: 'code', language: 'onchain-question', value: 'windows\r\nline\r\n' },
    { kind: 'code', language: 'onchain-question', value: '<!-- onchain-sql-notebook v1 -->' },
    { kind: 'code', language: 'python', value: 'print("héllo 🚀 \u202E")' },
    { kind: 'code', language: 'sql', value: '```' },
  ];
  const text = formatNotebook(awkward);
  assert.deepEqual(parseNotebook(text), awkward);
  assert.equal(formatNotebook(parseNotebook(text)), text);
});

test('random cells round-trip', () => {
  const alphabet = ['a', ' ', '\n', '`', '```', '\r', '|', 'é', '#', '<', '-->', '\t'];
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  for (let k = 0; k < 200; k++) {
    const list: RawCell[] = [];
    for (let c = rnd(5); c > 0; c--) {
      let value = '';
      for (let j = rnd(30); j > 0; j--) value += alphabet[rnd(alphabet.length)];
      const kind = rnd(3);
      list.push(kind === 0 ? { kind: 'markdown', language: 'markdown', value } : { kind: 'code', language: kind === 1 ? 'sql' : 'onchain-question', value });
    }
    const text = formatNotebook(list);
    assert.deepEqual(parseNotebook(text), list, JSON.stringify(text));
    assert.equal(formatNotebook(parseNotebook(text)), text);
  }
});

test('hand-written prose outside fences becomes a markdown cell; an unclosed fence is kept as text', () => {
  const parsed = parseNotebook('Intro line\n\n```sql\nSELECT 1\n```\n\n```question\nunclosed');
  assert.deepEqual(parsed, [
    { kind: 'markdown', language: 'markdown', value: 'Intro line' },
    { kind: 'code', language: 'sql', value: 'SELECT 1' },
    { kind: 'markdown', language: 'markdown', value: '```question\nunclosed' },
  ]);
});

test('the shipped example notebook is in the canonical form', () => {
  const file = path.join(__dirname, '../../examples/getting-started.onchain-nb');
  const text = fs.readFileSync(file, 'utf8');
  const parsed = parseNotebook(text);
  assert.ok(parsed.some((c) => c.language === 'onchain-question'));
  assert.ok(parsed.some((c) => c.language === 'sql'));
  assert.equal(formatNotebook(parsed), text);
});

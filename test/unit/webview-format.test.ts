import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  displayCell, shortenHex, sanitizeText, truncate, formatNumber, cellToText, rowToTsv, groupDigits, MAX_TITLE_CHARS,
} from '../../src/webview/format.js';

const addr = '0x' + 'ab'.repeat(20);
const hash = '0x' + '12'.repeat(32);

test('addresses and hashes are shortened for display, full value in title and on copy', () => {
  assert.equal(shortenHex(addr), '0xabab…abab');
  assert.equal(shortenHex(hash), '0x1212…1212');
  assert.equal(shortenHex('0x1234'), '0x1234');
  const d = displayCell(addr, { name: 'to_address', type: 'VARCHAR' });
  assert.equal(d.text, '0xabab…abab');
  assert.equal(d.title, addr);
  assert.equal(d.kind, 'hex');
  assert.equal(cellToText(addr), addr);
});

test('bidi and control characters are stripped from what is shown, never from what is copied', () => {
  const evil = 'USDT\u202Egnp.exe\u2066x\u2069\u0000';
  assert.equal(sanitizeText(evil), 'USDTgnp.exex');
  const d = displayCell(evil, { name: 'name', type: 'VARCHAR' });
  // eslint-disable-next-line no-control-regex -- the test looks for control characters
  assert.doesNotMatch(d.text + d.title, /[\u202A-\u202E\u2066-\u2069\u0000]/);
  assert.equal(cellToText(evil), evil);
});

test('a 10,000-character string is cut for display and for the title', () => {
  const long = 'A'.repeat(10_000);
  const d = displayCell(long, { name: 'name', type: 'VARCHAR' });
  assert.equal(d.text.length, 200);
  assert.ok(d.text.endsWith('…'));
  assert.equal(d.title.length, MAX_TITLE_CHARS);
  // never splits a surrogate pair
  assert.equal(truncate('😀'.repeat(10), 5), '😀😀😀😀…');
});

test('numbers are right-aligned and formatted; identifier-like integers are not grouped', () => {
  assert.deepEqual(displayCell(1234567, { name: 'tx_count', type: 'BIGINT' }).text, '1,234,567');
  assert.equal(displayCell(19000000, { name: 'block_number', type: 'BIGINT' }).text, '19000000');
  assert.equal(displayCell(0.000012345678, { name: 'x', type: 'DOUBLE' }).text, '0.0000123457');
  assert.equal(formatNumber(3.14159265), '3.141593');
  assert.equal(formatNumber(-2.5), '-2.5');
  const big = displayCell('123456789012345678901234567890', { name: 'value_wei', type: 'HUGEINT' });
  assert.equal(big.text, '123,456,789,012,345,678,901,234,567,890');
  assert.equal(big.numeric, true);
  assert.equal(big.title, '123456789012345678901234567890');
  assert.equal(groupDigits('-1000'), '-1,000');
  // a numeric-looking string in a text column stays text
  assert.equal(displayCell('12345', { name: 'symbol', type: 'VARCHAR' }).numeric, false);
});

test('NULL, booleans and nested values', () => {
  assert.equal(displayCell(null).kind, 'null');
  assert.equal(displayCell(true).text, 'true');
  assert.equal(displayCell({ a: [1, 2] }).text, '{"a":[1,2]}');
});

test('rowToTsv keeps one line per row', () => {
  assert.equal(rowToTsv(['a\tb', 'c\nd', null, 5]), 'a b\tc d\t\t5');
});

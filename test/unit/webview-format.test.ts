import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  displayCell, shortenHex, sanitizeText, truncate, formatNumber, cellToText, rowToTsv, groupDigits, MAX_TITLE_CHARS, formatMoney, formatTimeCell,
} from '../../src/webview/format.js';
import { layoutSql } from '../../src/webview/sqlLayout.js';
import { errorText } from '../../src/extension/notebook/outputs.js';

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

test('money to the cent (full precision kept for copy), small prices keep their digits, day buckets without midnight', () => {
  const usd = { name: 'volume_usd', type: 'DOUBLE' };
  const d = displayCell(1234567.891234, usd);
  assert.equal(d.text, '1,234,567.89');
  assert.equal(d.title, '1234567.891234');
  assert.equal(cellToText(1234567.891234), '1234567.891234');
  assert.equal(displayCell(0.000012345678, { name: 'price_usd', type: 'DOUBLE' }).text, '0.00001235');
  assert.equal(displayCell('91234.5678', { name: 'usd', type: 'DECIMAL(38,4)' }).text, '91,234.57');
  assert.equal(formatMoney(-2.5), '-2.50');
  // not money: six decimals as before; integers in a money column stay integers
  assert.equal(displayCell(1.123456789, { name: 'amount', type: 'DOUBLE' }).text, '1.123457');
  assert.equal(displayCell(12, usd).text, '12');
  const day = displayCell('2025-06-24 00:00:00', { name: 'day', type: 'TIMESTAMP' });
  assert.equal(day.text, '2025-06-24');
  assert.equal(day.title, '2025-06-24 00:00:00');
  assert.equal(formatTimeCell('2025-06-24 13:00:00', 'day'), '2025-06-24 13:00:00');
  assert.equal(displayCell('2025-06-24 00:00:00', { name: 'block_time', type: 'TIMESTAMP' }).text, '2025-06-24 00:00:00');
  assert.equal(formatTimeCell('2025-06-01T00:00:00.000', 'block_month'), '2025-06-01');
});

test('one-line SQL is laid out a clause a line for the editor; literals, comments and written layouts are kept', () => {
  const sql = "SELECT date_trunc('day', block_time) AS day, sum(amount_usd) AS usd FROM dex.trades WHERE symbol = 'a FROM b, c' AND x IN (SELECT a FROM b) GROUP BY 1 ORDER BY usd DESC LIMIT 10";
  const out = layoutSql(sql);
  assert.equal(out.split('\n')[0], 'SELECT');
  assert.match(out, /\n {2}date_trunc\('day', block_time\) AS day,\n {2}sum\(amount_usd\) AS usd\nFROM dex\.trades\nWHERE symbol = 'a FROM b, c' AND/);
  assert.match(out, /\nGROUP BY 1\nORDER BY usd DESC\nLIMIT 10$/);
  // nothing but whitespace changes
  assert.equal(out.replace(/\s+/g, ''), sql.replace(/\s+/g, ''));
  const written = 'SELECT a\nFROM t';
  assert.equal(layoutSql(written), written);
  assert.equal(layoutSql('select 1'), 'select 1');
});

test('a notebook error names its code once', () => {
  const info = { code: 'unknown_table', message: 'Table tokens.transfer does not exist.', suggestions: ['tokens.transfers'], attempts: [] };
  assert.equal(errorText(info, false).split('\n')[0], 'Table tokens.transfer does not exist.');
  assert.equal((errorText(info, false).match(/unknown_table/g) ?? []).length, 0);
  assert.match(errorText(info), /^unknown_table: Table/);
});

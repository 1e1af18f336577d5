import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../src/core/engine/engine.js';
import { exportResult, csvField, uniqueNames } from '../../src/core/export.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';
import { parseCsv } from '../support/csv.js';

let engine: Engine;
let snapshot: string;
let out: string;

before(async () => {
  snapshot = await makeTinySnapshot();
  engine = await Engine.open(snapshot, { threads: 1, connections: 2 });
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-export-'));
});
after(() => {
  engine.close();
  fs.rmSync(snapshot, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

// Hostile strings as the chain could carry them, next to negative numbers that must stay numbers.
const HOSTILE_SQL = `
SELECT block_number,
  CASE block_number % 6
    WHEN 0 THEN '=HYPERLINK("http://evil","x")'
    WHEN 1 THEN '+1+cmd|'' /C calc''!A0'
    WHEN 2 THEN '-2+3'
    WHEN 3 THEN '@SUM(A1)'
    WHEN 4 THEN 'say "hi", then' || chr(10) || 'newline'
    ELSE chr(9) || 'tabbed'
  END AS name,
  -(block_number - 1000) AS delta,
  block_number::HUGEINT * -1000000000000000000 AS big_negative,
  base_fee_per_gas_gwei * -1 AS neg_double
FROM ethereum.blocks ORDER BY block_number LIMIT 6`;

test('CSV: RFC 4180 quoting, formula neutralisation, negative numbers stay numbers', async () => {
  const file = path.join(out, 'hostile.csv');
  const summary = await exportResult(engine, HOSTILE_SQL, { format: 'csv', file });
  assert.equal(summary.rows, 6);
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.endsWith('\r\n'));
  const rows = parseCsv(text);
  assert.deepEqual(rows[0], ['block_number', 'name', 'delta', 'big_negative', 'neg_double']);
  const names = rows.slice(1).map((r) => r[1]);
  // block numbers start at 1000 (1000 % 6 = 4)
  assert.deepEqual(names, [
    'say "hi", then\nnewline', `'\ttabbed`, `'=HYPERLINK("http://evil","x")`, `'+1+cmd|' /C calc'!A0`, `'-2+3`, `'@SUM(A1)`,
  ]);
  // No field a spreadsheet would evaluate, except numbers in numeric columns
  for (const r of rows.slice(1)) {
    assert.match(r[2], /^-?\d+$/);
    assert.match(r[3], /^-\d{21,}$/, 'a 256-bit negative stays an exact integer');
    assert.match(r[4], /^-\d+(\.\d+)?$/);
  }
  assert.equal(rows[2][3], '-1001000000000000000000');
  // No partial file left behind
  assert.deepEqual(fs.readdirSync(out).filter((f) => f.includes('partial')), []);
});

test('csvField unit cases', () => {
  assert.equal(csvField(-5, true), '-5');
  assert.equal(csvField('-5', true), '-5');
  assert.equal(csvField('-5', false), "'-5");
  assert.equal(csvField('=1+1', true), "'=1+1");
  assert.equal(csvField('\r=x', false), `"'\r=x"`);
  assert.equal(csvField(null, false), '');
  assert.equal(csvField(['=a'], false), '"[""=a""]"');
  assert.deepEqual(uniqueNames(['a', 'a', 'b', 'a']), ['a', 'a_2', 'b', 'a_3']);
});

test('JSON: array of objects, big integers exact as strings, duplicate names kept apart', async () => {
  const file = path.join(out, 'result.json');
  const sql = `SELECT t.tx_hash, t.value_wei, t.value_eth, t.block_number, b.block_number FROM ethereum.transactions t JOIN ethereum.blocks b USING (block_number) ORDER BY t.value_wei DESC LIMIT 3`;
  const summary = await exportResult(engine, sql, { format: 'json', file, pageSize: 2 });
  assert.equal(summary.rows, 3);
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
  assert.equal(data.length, 3);
  assert.deepEqual(Object.keys(data[0]), ['tx_hash', 'value_wei', 'value_eth', 'block_number', 'block_number_2']);
  assert.equal(data[0].value_wei, '999000000000000000');
  assert.equal(typeof data[0].value_eth, 'number');
  // empty result: still valid JSON
  const empty = path.join(out, 'empty.json');
  await exportResult(engine, 'SELECT tx_hash FROM ethereum.transactions WHERE false', { format: 'json', file: empty });
  assert.deepEqual(JSON.parse(fs.readFileSync(empty, 'utf8')), []);
});

test('Parquet: HUGEINT (exact, as DECIMAL(38,0)), TIMESTAMP, DOUBLE and VARCHAR survive; columns named as the result names them; the row limit says truncated', async () => {
  const file = path.join(out, 'types.parquet');
  const sql = `SELECT * FROM (VALUES (123456789012345678901234567::HUGEINT, TIMESTAMP '2024-05-01 12:34:56', 0.1::DOUBLE, 'x''y', 'a'), (-5::HUGEINT, NULL, 2.5e300, NULL, 'b')) t(big, ts, d, s, s)`;
  const summary = await exportResult(engine, sql, { format: 'parquet', file });
  assert.equal(summary.rows, 2);
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    const f = `'${file.replace(/'/g, "''")}'`;
    const types = (await c.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${f}))`)).getRowObjectsJson();
    assert.deepEqual(types.map((t) => `${t.column_name} ${t.column_type}`), ['big DECIMAL(38,0)', 'ts TIMESTAMP', 'd DOUBLE', 's VARCHAR', 's_1 VARCHAR']);
    const rows = (await c.runAndReadAll(`SELECT big::VARCHAR, ts::VARCHAR, d, s, s_1 FROM read_parquet(${f}) ORDER BY s_1`)).getRowsJson();
    assert.deepEqual(rows, [['123456789012345678901234567', '2024-05-01 12:34:56', 0.1, "x'y", 'a'], ['-5', null, 2.5e300, null, 'b']]);
    // Past 10^38 a HUGEINT column cannot be DECIMAL(38,0): it is written as exact text instead of rounded.
    const huge = path.join(out, 'huge.parquet');
    await exportResult(engine, `SELECT 170141183460469231731687303715884105727::HUGEINT AS max_huge`, { format: 'parquet', file: huge });
    const back = (await c.runAndReadAll(`SELECT max_huge, typeof(max_huge) FROM read_parquet('${huge}')`)).getRowsJson();
    assert.deepEqual(back, [['170141183460469231731687303715884105727', 'VARCHAR']]);
    const limited = await exportResult(engine, 'SELECT block_number FROM ethereum.blocks', { format: 'parquet', file: path.join(out, 'limited.parquet'), maxRows: 10 });
    assert.deepEqual([limited.rows, limited.truncated], [10, true]);
  } finally {
    c.closeSync();
    inst.closeSync();
  }
});

test('Parquet: round trip keeps rows, names and types (read back with DuckDB)', async () => {
  const file = path.join(out, "it's.parquet");
  const sql = `SELECT block_number, tx_hash, value_wei, value_eth, block_time, success, to_address FROM ethereum.transactions ORDER BY block_number, tx_index`;
  const progress: number[] = [];
  const summary = await exportResult(engine, sql, { format: 'parquet', file, onProgress: (n) => progress.push(n) });
  assert.equal(summary.rows, 1000);
  assert.equal(summary.truncated, false);
  assert.deepEqual(progress, [1000], 'the engine writes the file in one COPY and reports its row count');
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  const q = (s: string) => c.runAndReadAll(s).then((r) => r.getRowObjectsJson());
  const f = `'${file.replace(/'/g, "''")}'`;
  const types = await q(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${f}))`);
  assert.deepEqual(types.map((t) => `${t.column_name} ${t.column_type}`), [
    'block_number BIGINT', 'tx_hash VARCHAR', 'value_wei DECIMAL(38,0)', 'value_eth DOUBLE', 'block_time TIMESTAMP', 'success BOOLEAN', 'to_address VARCHAR',
  ]);
  const agg = await q(`SELECT count(*) AS n, sum(value_wei)::VARCHAR AS s, count(to_address) AS nonnull, max(block_time)::VARCHAR AS t FROM read_parquet(${f})`);
  const ref = (await engine.query(`SELECT count(*) AS n, sum(value_wei)::VARCHAR AS s, count(to_address) AS nonnull, max(block_time)::VARCHAR AS t FROM ethereum.transactions`)).rows[0];
  assert.deepEqual([agg[0].n, agg[0].s, agg[0].nonnull, agg[0].t], [String(ref[0]), ref[1], String(ref[2]), ref[3]]);
  c.closeSync();
  inst.closeSync();
});

test('a read-only or missing target gives a specific error and leaves nothing behind', async () => {
  // /sys refuses writes even for root; skip only if this machine allows it.
  let readOnly = '/sys/onchain-sql-export-test';
  try { fs.writeFileSync(readOnly, 'x'); fs.rmSync(readOnly); readOnly = ''; } catch { /* expected */ }
  for (const format of ['csv', 'json', 'parquet'] as const) {
    if (readOnly) {
      const file = `/sys/result.${format}`;
      await assert.rejects(exportResult(engine, 'SELECT block_number FROM ethereum.blocks', { format, file }), (e: unknown) => {
        assert.ok(e instanceof OnchainSqlError);
        assert.equal(e.code, 'export_failed');
        assert.match(e.message, /^Cannot write \/sys\/result\.\w+: (permission denied|the location is read-only)\. Choose another folder\.$/);
        return true;
      });
    }
    const missing = path.join(out, 'no-such-folder', `r.${format}`);
    await assert.rejects(exportResult(engine, 'SELECT 1', { format, file: missing }), /the folder does not exist\. Choose another folder\./);
  }
  await assert.rejects(exportResult(engine, 'SELECT 1', { format: 'csv', file: out }), /that name is a folder/);
});

test('a cancelled export leaves no file', async () => {
  const file = path.join(out, 'cancelled.csv');
  const ac = new AbortController();
  await assert.rejects(
    exportResult(engine, 'SELECT * FROM ethereum.transactions', { format: 'csv', file, pageSize: 100, signal: ac.signal, onProgress: () => ac.abort() }),
    (e: unknown) => e instanceof OnchainSqlError && e.code === 'cancelled',
  );
  assert.equal(fs.existsSync(file), false);
  assert.deepEqual(fs.readdirSync(out).filter((f) => f.startsWith('.cancelled')), []);
});

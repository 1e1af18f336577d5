import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../sql/literal.js';

/** A DuckDB list literal of file paths, for read_csv / read_json / read_parquet. */
export function fileList(files: string[]): string {
  return `[${files.map(sqlString).join(', ')}]`;
}

/**
 * DuckDB's error text without its generic advice: keeps what failed, the line,
 * its text and the file (reader errors echo their options as "name = value").
 * A long quoted value (a raw CSV line, a huge field) is shortened in place, so
 * the file name and line number that follow it are never clipped away.
 */
export function summarizeError(e: unknown, maxLength = 600): string {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim()).filter((l) =>
    l && !l.startsWith('*') && !/^(Possible fixes|LINE \d+:|\^)/.test(l) && (!/^[a-z_]+ = /.test(l) || l.startsWith('file = ')));
  const text = lines.map(clipLong).join('; ');
  if (text.length <= maxLength) return text;
  // Still too long: keep the head and, always, the parts that say where.
  const where = lines.filter((l) => /^file = |\bline \d+/i.test(l)).map(clipLong).join('; ');
  return `${text.slice(0, Math.max(80, maxLength - where.length - 3))}… ${where}`;
}

/** Quoted values and raw lines over 120 characters keep their first 60 and last 20 characters. */
function clipLong(line: string): string {
  const clip = (v: string) => (v.length > 120 ? `${v.slice(0, 60)}…(${v.length} characters)…${v.slice(-20)}` : v);
  const quoted = line.replace(/'([^']{121,})'|"([^"]{121,})"/g, (_m, a: string | undefined, b: string | undefined) => (a !== undefined ? `'${clip(a)}'` : `"${clip(b ?? '')}"`));
  return quoted.length > 400 && !/^file = /.test(quoted) ? clip(quoted) : quoted;
}

/** Column name → DuckDB type of a relation, read from its schema only (no rows are scanned). */
export async function describeColumns(c: DuckDBConnection, relation: string): Promise<Map<string, string>> {
  const r = await c.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
  return new Map(r.getRows().map((row) => [String(row[0]).toLowerCase(), String(row[1])]));
}

/**
 * Macros that keep 256-bit integers exact. The contract's exact columns are
 * HUGEINT, stored in Parquet as DECIMAL(38,0) (see writeTable), so the exact
 * range is |v| < 10^38. Decision for values beyond it (e.g. 2^255, seen in spam
 * tokens): the row is kept, the exact column (`amount_raw`, `value_wei`) is
 * NULL, and the DOUBLE columns (`amount`, `value_eth`) are still filled from
 * the approximate value. Nothing is clamped, so a NULL never looks like a real
 * but wrong number.
 *
 * - u256_fit(h): h when it is exactly storable, else NULL.
 * - u256_dec_exact(text): decimal text → HUGEINT, NULL when it does not fit.
 * - u256_hex_exact(hex): big-endian hex (with or without 0x, ≤ 64 digits) → HUGEINT, NULL when it does not fit.
 * - u256_hex_double(hex): the same value as DOUBLE (approximate, never NULL for valid hex).
 */
export async function defineU256Macros(c: DuckDBConnection): Promise<void> {
  // TRY_CAST to DECIMAL(38,0) is NULL outside ±(10^38 - 1): one evaluation of h, no CASE.
  await c.run(`CREATE OR REPLACE TEMP MACRO u256_fit(h) AS CAST(TRY_CAST(h AS DECIMAL(38,0)) AS HUGEINT)`);
  await c.run(`CREATE OR REPLACE TEMP MACRO u256_dec_exact(s) AS u256_fit(TRY_CAST(trim(s) AS HUGEINT))`);
  await c.run(`CREATE OR REPLACE TEMP MACRO u256_hex_pad(h) AS
    CASE WHEN h IS NULL THEN NULL
         WHEN length(regexp_replace(lower(h), '^0x', '')) > 64 THEN NULL
         ELSE lpad(regexp_replace(lower(h), '^0x', ''), 64, '0') END`);
  // Four 64-bit words w1..w4 (most significant first); UBIGINT parses '0x…' itself.
  await c.run(`CREATE OR REPLACE TEMP MACRO u256_word(p, i) AS TRY_CAST('0x' || substr(p, 16 * (i - 1) + 1, 16) AS UBIGINT)`);
  await c.run(`CREATE OR REPLACE TEMP MACRO u256_hex_exact(h) AS
    CASE WHEN substr(u256_hex_pad(h), 1, 32) = repeat('0', 32) AND substr(u256_hex_pad(h), 33, 1) < '8'
         THEN u256_fit(u256_word(u256_hex_pad(h), 3)::HUGEINT * 18446744073709551616::HUGEINT + u256_word(u256_hex_pad(h), 4)::HUGEINT)
         ELSE NULL END`);
  await c.run(`CREATE OR REPLACE TEMP MACRO u256_hex_double(h) AS
    u256_word(u256_hex_pad(h), 1)::DOUBLE * pow(2.0, 192) + u256_word(u256_hex_pad(h), 2)::DOUBLE * pow(2.0, 128)
      + u256_word(u256_hex_pad(h), 3)::DOUBLE * pow(2.0, 64) + u256_word(u256_hex_pad(h), 4)::DOUBLE`);
  // Epoch seconds → TIMESTAMP in UTC, independent of the session's time zone.
  await c.run(`CREATE OR REPLACE TEMP MACRO unix_to_timestamp(s) AS make_timestamp(CAST(s AS BIGINT) * 1000000)`);
}

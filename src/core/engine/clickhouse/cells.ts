import type { Cell } from '../values.js';

/**
 * ClickHouse JSON values → the cells the DuckDB engine gives for the same
 * statement, guided by the DuckDB type the validator bound for each column (so
 * every surface sees one shape whichever engine ran the query). Integers of 64
 * bits and wider arrive quoted (output_format_json_quote_64bit_integers) and
 * stay exact: numbers while |n| <= 2^53 - 1, decimal text beyond.
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INTEGER_TEXT = /^-?\d+$/;

function integerCell(text: string): Cell {
  const n = BigInt(text);
  return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n.toString();
}

/** DuckDB's TIMESTAMP text: 'YYYY-MM-DD HH:MM:SS', with the fraction only when non-zero (trailing zeros dropped). */
function timestampCell(text: string): string {
  const [date, time = '00:00:00'] = text.split(' ');
  const [hms, fraction = ''] = time.split('.');
  const kept = fraction.replace(/0+$/, '');
  return `${date} ${hms}${kept ? `.${kept}` : ''}`;
}

export function toDuckDbCell(value: unknown, duckType: string): Cell {
  if (value === null || value === undefined) return null;
  const type = duckType.toUpperCase();
  if (Array.isArray(value)) {
    const inner = type.endsWith('[]') ? type.slice(0, -2) : type;
    return value.map((v) => toDuckDbCell(v, inner));
  }
  if (type === 'BOOLEAN') return value === true || value === 1 || value === '1' || value === 'true';
  if (typeof value === 'string') {
    if (type.startsWith('TIMESTAMP')) return timestampCell(value);
    if (type === 'DATE') return value.slice(0, 10);
    if (INTEGER_TEXT.test(value) && /INT|DECIMAL|NUMERIC/.test(type)) return integerCell(value);
    if (/^DECIMAL|^NUMERIC/.test(type) && /^-?\d+\.\d+$/.test(value)) {
      // A decimal whose digits fit a double is a number, as in values.ts; a wider one stays text.
      return value.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15 ? Number(value) : value;
    }
    // Infinity and NaN as DuckDB's cells spell them (String(Infinity), String(NaN)).
    if (/^-?inf$/i.test(value) && /DOUBLE|FLOAT|REAL/.test(type)) return value.startsWith('-') ? '-Infinity' : 'Infinity';
    if (/^-?nan$/i.test(value) && /DOUBLE|FLOAT|REAL/.test(type)) return 'NaN';
    if ((type === 'DOUBLE' || type === 'FLOAT') && value !== '' && Number.isFinite(Number(value))) return Number(value);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object') {
    const out: { [key: string]: Cell } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toDuckDbCell(v, '');
    return out;
  }
  // What is left: bigint, symbol, function; ClickHouse's JSON has none of them.
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value) ?? '';
}

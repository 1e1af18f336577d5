import {
  DuckDBDecimalValue, DuckDBListValue, DuckDBArrayValue, DuckDBStructValue, DuckDBMapValue,
  type DuckDBValue,
} from '@duckdb/node-api';

/** A JSON-safe cell: what every surface (CLI JSON, webview, notebook) receives. */
export type Cell = string | number | boolean | null | Cell[] | { [key: string]: Cell };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A DECIMAL whose digits fit a double's 53-bit mantissa is a number (1.25, a
 * USD amount); a wider one (DECIMAL(38,0) wei sums) is its exact decimal text.
 */
function decimalCell(v: DuckDBDecimalValue): Cell {
  return v.value <= MAX_SAFE && v.value >= -MAX_SAFE ? v.toDouble() : v.toString();
}

/**
 * Integers stay numbers only while exact (|n| <= 2^53 - 1); wider ones become
 * strings so that 256-bit amounts are never silently rounded.
 */
export function toCell(v: DuckDBValue): Cell {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint':
      return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v.toString();
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'boolean':
    case 'string':
      return v;
    default:
  }
  if (v instanceof DuckDBDecimalValue) return decimalCell(v);
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(toCell);
  if (v instanceof DuckDBStructValue) {
    const out: { [key: string]: Cell } = {};
    for (const [k, item] of Object.entries(v.entries)) out[k] = toCell(item);
    return out;
  }
  if (v instanceof DuckDBMapValue) return v.entries.map((e) => [toCell(e.key), toCell(e.value)]);
  return String(v);
}

// DOM-free formatting of result cells, shared by the results panel, the sidebar
// chat, the notebook renderer (all bundled for the browser) and the static HTML
// table (extension host). Chain data is untrusted: everything here produces
// plain text that callers put into `textContent` / `title` or escape.
import type { ColumnInfo } from '../core/engine/engine.js';
import type { Cell } from '../core/engine/values.js';
import { isIntegerType, isNumericText, isNumericType, isTimeType } from '../core/columnTypes.js';
import { replaceInvisible } from '../core/text/invisible.js';
import { cellToText } from '../core/text/cell.js';

export { isNumericType, isTimeType } from '../core/columnTypes.js';

/** Characters shown at most in a cell before an ellipsis. */
export const MAX_CELL_CHARS = 200;
/** Characters at most in a hover title; a 10,000-char name must not make a giant tooltip. */
export const MAX_TITLE_CHARS = 1000;

// Bidi controls can make a name display as something else ("Trojan Source");
// other controls are invisible or break layout. Tab and newline are kept only
// for copy, never shown.
const LINE_BREAKS = /[\t\n\r\u2028\u2029]+/g;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;
// Integers whose thousands separators would mislead: heights, ids, years, counters of positions.
const IDENTIFIER_LIKE = /(^|_)(number|block|id|index|nonce|year|type|decimals|chain_id|log_index|tx_index)$/i;

/** Removes bidi and invisible control characters and folds line breaks to spaces. */
export function sanitizeText(s: string): string {
  return replaceInvisible(s, '').replace(LINE_BREAKS, ' ');
}

/** Cuts a string to `max` characters (by code point, never splitting a surrogate pair), adding an ellipsis. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  // Code points never outnumber UTF-16 units, so a prefix of 2·max units holds max code points.
  const cps = Array.from(s.length > max * 2 ? s.slice(0, max * 2) : s);
  if (cps.length <= max && s.length <= max * 2) return s;
  return cps.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** `0x1234…abcd` for a 42-char address or a 66-char hash; anything else unchanged. */
export function shortenHex(s: string): string {
  return ADDRESS.test(s) || HASH.test(s) ? `${s.slice(0, 6)}…${s.slice(-4)}` : s;
}

export function isAddressOrHash(s: string): boolean {
  return ADDRESS.test(s) || HASH.test(s);
}

/** The exact value as text, for the clipboard and for exports: nothing shortened. */
export { cellToText };

export interface DisplayCell {
  /** What the cell shows: sanitised, shortened, truncated. */
  text: string;
  /** Hover text: the full value (sanitised, at most MAX_TITLE_CHARS), or '' when the text says it all. */
  title: string;
  /** Right-align (numbers). */
  numeric: boolean;
  /** For styling: NULLs dimmed, hex values monospaced. */
  kind: 'null' | 'number' | 'text' | 'hex' | 'boolean' | 'nested';
}

// Made on first use: the first Intl.NumberFormat loads ICU data (~20 ms), which
// would otherwise land on the extension's activation.
function numberFormat(options: Intl.NumberFormatOptions): () => Intl.NumberFormat {
  let made: Intl.NumberFormat | undefined;
  return () => (made ??= new Intl.NumberFormat('en-US', options));
}
const integerFormat = numberFormat({ maximumFractionDigits: 0 });
const moneyFormat = numberFormat({ minimumFractionDigits: 2, maximumFractionDigits: 2 });
const centsFormat = numberFormat({ maximumSignificantDigits: 4 });
const decimalFormat = numberFormat({ maximumFractionDigits: 6 });
const smallFormat = numberFormat({ maximumSignificantDigits: 6 });

/** Formats a number for display: grouped integers (except identifier-like columns), at most 6 decimals, exponent for extremes. */
export function formatNumber(n: number, columnName = ''): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) {
    if (IDENTIFIER_LIKE.test(columnName) || Math.abs(n) >= 1e21) return String(n);
    return integerFormat().format(n);
  }
  const a = Math.abs(n);
  if (a >= 1e15) return n.toExponential(4);
  if (a < 1e-4) return a === 0 ? '0' : a < 1e-9 ? n.toExponential(3) : smallFormat().format(n);
  return decimalFormat().format(n);
}

/** Columns of US dollars (amount_usd, volume_usd, price_usd, usd): shown to the cent. */
const MONEY_COLUMN = /(^|_)usd($|_)/i;
/** Time columns that are buckets of a day or longer (day, date, block_date, week, month). */
const DAY_BUCKET_COLUMN = /(^|_)(day|date|week|month|year)$/i;
const MIDNIGHT = /^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$/;

export function isMoneyColumn(name: string): boolean {
  return MONEY_COLUMN.test(name);
}

/**
 * Dollars to the cent (1,234.50); amounts under a dollar keep four significant
 * digits (a token price of 0.00001234 is not 0.00). Copy and export keep every digit.
 */
export function formatMoney(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n !== 0 && Math.abs(n) < 1) return centsFormat().format(n);
  if (Math.abs(n) >= 1e15) return n.toExponential(4);
  return moneyFormat().format(n);
}

/** `2025-06-24` for `2025-06-24 00:00:00` in a day-bucket column; anything else unchanged. */
export function formatTimeCell(text: string, columnName: string): string {
  if (!DAY_BUCKET_COLUMN.test(columnName)) return text;
  const m = MIDNIGHT.exec(text);
  return m ? m[1] : text;
}

/** Groups the digits of an integer given as text (256-bit amounts arrive as strings). */
export function groupDigits(s: string): string {
  const m = /^([+-]?)(\d+)$/.exec(s);
  if (!m) return s;
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Everything a renderer needs to show one cell safely. */
export function displayCell(cell: Cell, column?: ColumnInfo, maxChars = MAX_CELL_CHARS): DisplayCell {
  if (cell === null) return { text: 'NULL', title: '', numeric: false, kind: 'null' };
  const numericColumn = column ? isNumericType(column.type) : false;
  if (typeof cell === 'number') {
    const text = column && !Number.isInteger(cell) && isMoneyColumn(column.name) ? formatMoney(cell) : formatNumber(cell, column?.name);
    return { text, title: text === String(cell) ? '' : String(cell), numeric: true, kind: 'number' };
  }
  if (typeof cell === 'boolean') return { text: String(cell), title: '', numeric: false, kind: 'boolean' };
  if (typeof cell === 'string') {
    if (column && isTimeType(column.type)) {
      const text = formatTimeCell(cell, column.name);
      if (text !== cell) return { text, title: cell, numeric: false, kind: 'text' };
    }
    if (numericColumn && isNumericText(cell)) {
      if (column && isMoneyColumn(column.name) && /[.eE]/.test(cell) && Number.isFinite(Number(cell))) {
        const text = formatMoney(Number(cell));
        return { text, title: cell, numeric: true, kind: 'number' };
      }
      const integer = column && isIntegerType(column.type) && !IDENTIFIER_LIKE.test(column.name);
      const text = truncate(integer ? groupDigits(cell) : cell, maxChars);
      return { text, title: text === cell ? '' : truncate(cell, MAX_TITLE_CHARS), numeric: true, kind: 'number' };
    }
    if (isAddressOrHash(cell)) return { text: shortenHex(cell), title: cell, numeric: false, kind: 'hex' };
    // Only the part that can be shown is cleaned: a 10,000-char name costs no more than a short one.
    const clean = sanitizeText(cell.length > MAX_TITLE_CHARS * 2 ? cell.slice(0, MAX_TITLE_CHARS * 2) : cell);
    const text = truncate(clean, maxChars);
    return { text, title: text === cell ? '' : truncate(clean, MAX_TITLE_CHARS), numeric: false, kind: 'text' };
  }
  const json = sanitizeText(JSON.stringify(cell));
  const text = truncate(json, maxChars);
  return { text, title: text === json ? '' : truncate(json, MAX_TITLE_CHARS), numeric: false, kind: 'nested' };
}

/** Sanitised, truncated text for labels (column names, chart labels, questions). */
export function displayLabel(s: string, max = MAX_CELL_CHARS): string {
  return truncate(sanitizeText(s), max);
}

export function formatCount(n: number): string {
  return integerFormat().format(n);
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Tab-separated line of full values, for "copy row". Tabs/newlines inside values become spaces so the line stays one row. */
export function rowToTsv(row: Cell[]): string {
  return row.map((c) => cellToText(c).replace(/[\t\r\n]+/g, ' ')).join('\t');
}

import type { ColumnInfo } from '../core/engine/engine.js';
import type { Cell } from '../core/engine/values.js';
import { isNumericType } from '../core/columnTypes.js';
import { replaceInvisible } from '../core/text/invisible.js';

/** Control and bidi characters would let chain data rewrite the terminal; show them escaped. */
function inert(s: string): string {
  return replaceInvisible(s, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`, { lineBreaks: true });
}

export function formatCell(v: Cell, type: string): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    return v.toLocaleString('en-US', { maximumSignificantDigits: 8 });
  }
  if (typeof v === 'string' && isNumericType(type) && /^-?\d+$/.test(v)) return BigInt(v).toLocaleString('en-US');
  if (typeof v === 'string') return inert(v.length > 80 ? `${v.slice(0, 77)}…` : v);
  return inert(JSON.stringify(v));
}

/** An aligned text table with readable numbers (right-aligned) for people at a terminal. */
export function formatTable(columns: ColumnInfo[], rows: Cell[][]): string {
  const cells = rows.map((r) => r.map((v, i) => formatCell(v, columns[i]?.type ?? '')));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...cells.map((r) => [...r[i]].length)));
  const right = columns.map((c) => isNumericType(c.type));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, widths[i] - [...s].length));
    return right[i] ? fill + s : s + fill;
  };
  const lines = [
    columns.map((c, i) => pad(c.name, i)).join('  '),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.map((r) => r.map(pad).join('  ')),
  ];
  return lines.join('\n');
}

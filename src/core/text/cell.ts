import type { Cell } from '../engine/values.js';

/** A cell as plain text: '' for NULL, strings as they are, numbers and booleans printed, nested values as JSON. */
export function cellToText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return JSON.stringify(cell);
}

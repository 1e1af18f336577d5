// A small static table (first rows of a result) for the sidebar chat and
// notebook outputs. Cells are text nodes; long/hex values shortened with the
// full value (sanitised, length-limited) in the title.
import type { ColumnInfo } from '../../src/core/engine/engine.js';
import type { Cell } from '../../src/core/engine/values.js';
import { displayCell, displayLabel } from '../../src/webview/format.js';
import { h } from './dom.js';

export function compactTable(columns: ColumnInfo[], rows: Cell[][], maxRows: number, maxChars = 80): HTMLTableElement {
  const table = h('table', { class: 'compact-table' });
  const headRow = h('tr');
  for (const c of columns) {
    const th = h('th', { scope: 'col' }, displayLabel(c.name, 60));
    th.title = displayLabel(`${c.name} (${c.type})`, 200);
    headRow.append(th);
  }
  table.append(h('thead', {}, headRow));
  const body = h('tbody');
  for (const r of rows.slice(0, maxRows)) {
    const tr = h('tr');
    columns.forEach((c, i) => {
      const d = displayCell(r[i] ?? null, c, maxChars);
      const td = h('td', { class: `cell-${d.kind}${d.numeric ? ' num' : ''}` }, d.text);
      if (d.title) td.title = d.title;
      tr.append(td);
    });
    body.append(tr);
  }
  table.append(body);
  return table;
}

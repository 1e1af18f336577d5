// A virtualized data grid for results of any size: only the rows in view (plus a
// small overscan) exist in the DOM, positioned with transforms inside a body as
// tall as all rows. Rows have one fixed height, so the visible range is simple
// arithmetic on scrollTop: no measuring, no layout reads per row (why not
// @tanstack/virtual-core: with fixed heights it adds nothing but indirection).
// Chromium allows elements up to ~33.5M px tall: 1,000,000 rows × 24 px fits.
//
// Accessibility: ARIA grid pattern (role grid/row/columnheader/gridcell,
// aria-rowcount/rowindex/colindex, aria-sort) with a roving tabindex: exactly one
// cell is tabbable; arrows, Home/End, PageUp/PageDown, Ctrl+Home/End move it.
// Shift with a move or a click selects a range (aria-selected); Ctrl+A selects
// the grid; Ctrl+C copies the range as tab-separated lines.
import type { ColumnInfo } from '../../src/core/engine/engine.js';
import type { Cell } from '../../src/core/engine/values.js';
import type { SortState } from '../../src/webview/protocol.js';
import { displayCell, displayLabel, cellToText, rowToTsv, formatCount, isNumericType } from '../../src/webview/format.js';
import { h, clear } from './dom.js';

export const ROW_HEIGHT = 24;
const OVERSCAN = 8;
const GUTTER_WIDTH = 64;

export interface GridOptions {
  columns: ColumnInfo[];
  rowCount: number;
  /** A loaded row, or undefined while its page is being fetched. */
  getRow(index: number): Cell[] | undefined;
  /** Rows [start, end) are about to be shown; fetch what is missing. */
  requestRange(start: number, end: number): void;
  onSort?(sort: SortState | null): void;
  onCopy(text: string, what: string): void;
  onCopyColumn?(column: number): void;
  /** Copies a range whose rows are not all loaded here (the host reads them). */
  onCopyRange?(range: CellRange): void;
  sort?: SortState | null;
  label: string;
  /** Rows used to guess initial column widths. */
  sampleRows?: Cell[][];
}

/** A rectangle of cells, inclusive on both ends, rows and columns 0-based. */
export interface CellRange {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Rows of a range copied from the webview's own pages at most; larger ones go to the host. */
const LOCAL_COPY_MAX_ROWS = 5_000;

interface RowEl {
  el: HTMLDivElement;
  index: number;
  loaded: boolean;
}

export class Grid {
  readonly element: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly grid: HTMLDivElement;
  private readonly head: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly headerCells: HTMLDivElement[] = [];
  private readonly widths: number[];
  private readonly rows = new Map<number, RowEl>();
  private readonly free: RowEl[] = [];
  private rowCount: number;
  private sort: SortState | null;
  private focusRow = -1; // -1: the header row
  private focusCol = 0;
  private frame = 0;
  private refill = false;
  private lastFirst = 0;
  private menu: HTMLElement | undefined;
  /** The fixed corner of a range selection; null: only the focused cell. */
  private anchor: { row: number; col: number } | null = null;

  constructor(private readonly options: GridOptions) {
    this.rowCount = options.rowCount;
    this.sort = options.sort ?? null;
    this.widths = options.columns.map((c, i) => initialWidth(c, i, options.sampleRows ?? []));
    this.head = h('div', { role: 'rowgroup', class: 'grid-head' });
    this.body = h('div', { role: 'rowgroup', class: 'grid-body' });
    this.grid = h('div', { role: 'grid', class: 'grid', 'aria-label': options.label, 'aria-colcount': options.columns.length, 'aria-multiselectable': 'true' }, this.head, this.body);
    this.scroller = h('div', { class: 'grid-scroll' }, this.grid);
    this.element = h('div', { class: 'grid-wrap' }, this.scroller);
    this.buildHeader();
    this.applyWidths();
    this.setRowCount(options.rowCount);
    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.grid.addEventListener('keydown', (e) => this.onKey(e));
    this.grid.addEventListener('click', (e) => this.onClick(e));
    // Shift+Click selects cells, not the page's text.
    this.grid.addEventListener('mousedown', (e) => { if (e.shiftKey) e.preventDefault(); });
    this.grid.addEventListener('contextmenu', (e) => this.onContextMenu(e));
    this.grid.addEventListener('focus', () => this.focusCell(this.focusRow, this.focusCol), false);
    this.updateTabStops();
  }

  setRowCount(n: number): void {
    this.rowCount = n;
    this.grid.setAttribute('aria-rowcount', String(n + 1));
    this.body.style.height = `${n * ROW_HEIGHT}px`;
    // A short result gets a short grid (header + rows + a scrollbar's room); CSS caps it at 60vh.
    this.scroller.style.setProperty('--grid-content-height', `${(n + 1) * ROW_HEIGHT + 18}px`);
    if (this.focusRow >= n) this.focusRow = n - 1;
    this.schedule();
  }

  setSort(sort: SortState | null): void {
    this.sort = sort;
    this.headerCells.forEach((cell, i) => {
      const dir = sort && sort.column === i ? sort.direction : null;
      cell.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none');
      cell.querySelector('.sort-indicator')!.textContent = dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '';
    });
  }

  /** Drops every rendered row (new data order) and redraws. */
  reset(rowCount: number): void {
    for (const r of this.rows.values()) this.free.push(r);
    this.rows.clear();
    this.scroller.scrollTop = 0;
    this.setRowCount(rowCount);
  }

  /**
   * New rows arrived: refill rows still showing placeholders, in the next frame.
   * Coalesced with scrolling, so that a fast drag lays rows out once per frame,
   * not once for the placeholders and again for each reply (that halved the
   * frame rate of a 100,000-row sweep); rows left behind are never filled.
   */
  refresh(): void {
    this.refill = true;
    this.schedule();
  }

  /** Scrolls by pixels; used by the UI test's frame-time measurement. */
  get scrollElement(): HTMLElement {
    return this.scroller;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
      if (this.refill) {
        this.refill = false;
        for (const r of this.rows.values()) if (!r.loaded) this.fillRow(r);
      }
    });
  }

  /** Puts rows [first, last) of the current viewport in the DOM, reusing row elements. */
  private render(): void {
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 400;
    const headH = this.head.offsetHeight;
    const first = Math.max(0, Math.floor((top - headH) / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rowCount, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    // Rows leaving the viewport are reused for rows entering it: no DOM insertion or removal while scrolling.
    for (const [i, r] of this.rows) {
      if (i < first || i >= last) {
        this.rows.delete(i);
        this.free.push(r);
      }
    }
    let fragment: DocumentFragment | undefined;
    for (let i = first; i < last; i++) {
      if (this.rows.has(i)) continue;
      let r = this.free.pop();
      if (!r) {
        r = this.createRow();
        (fragment ??= document.createDocumentFragment()).appendChild(r.el);
      }
      r.index = i;
      if (r.el.hidden) r.el.hidden = false;
      r.el.setAttribute('aria-rowindex', String(i + 2));
      r.el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
      r.el.classList.toggle('odd', i % 2 === 1);
      (r.el.firstChild as HTMLElement).textContent = String(i + 1);
      this.fillRow(r);
      this.rows.set(i, r);
    }
    if (fragment) this.body.appendChild(fragment);
    // Spare rows (the viewport shrank or the result is short) stay in the DOM, hidden, for later reuse.
    for (const r of this.free) {
      if (!r.el.hidden) { r.el.hidden = true; r.index = -1; }
    }
    // A jump of more than two screens in one frame is a fast drag: ask for the rows once the view
    // settles (the next frame re-renders), not for every screen flown over.
    const jumped = Math.abs(first - this.lastFirst) > 2 * (last - first);
    this.lastFirst = first;
    if (last > first) {
      if (jumped) this.schedule();
      else this.options.requestRange(first, last);
    }
    this.updateTabStops();
  }

  private createRow(): RowEl {
    const el = h('div', { role: 'row', class: 'grid-row' });
    el.append(h('div', { class: 'grid-gutter', 'aria-hidden': 'true' }));
    this.options.columns.forEach((_, c) => el.append(h('div', { role: 'gridcell', class: 'grid-cell', 'aria-colindex': c + 1, tabindex: -1 })));
    return { el, index: -1, loaded: false };
  }

  private fillRow(r: RowEl): void {
    const data = this.options.getRow(r.index);
    r.loaded = data !== undefined;
    r.el.toggleAttribute('aria-busy', !r.loaded);
    const cells = r.el.children;
    this.options.columns.forEach((col, c) => {
      const cell = cells[c + 1] as HTMLElement;
      if (!data) {
        cell.textContent = '';
        cell.className = 'grid-cell loading';
        cell.removeAttribute('title');
        return;
      }
      const d = displayCell(data[c] ?? null, col);
      cell.textContent = d.text;
      cell.className = `grid-cell cell-${d.kind}${d.numeric ? ' num' : ''}${this.inRange(r.index, c) ? ' selected' : ''}`;
      cell.setAttribute('aria-selected', String(this.inRange(r.index, c)));
      if (d.title) cell.title = d.title;
      else cell.removeAttribute('title');
    });
  }

  private buildHeader(): void {
    const row = h('div', { role: 'row', class: 'grid-row grid-header-row', 'aria-rowindex': 1 });
    row.append(h('div', { class: 'grid-gutter', 'aria-hidden': 'true' }, '#'));
    this.options.columns.forEach((col, c) => {
      const resizer = h('div', { class: 'grid-resizer', 'aria-hidden': 'true' });
      const cell = h('div', { role: 'columnheader', class: 'grid-cell grid-header', 'aria-colindex': c + 1, 'aria-sort': 'none', tabindex: -1 },
        h('span', { class: 'col-name' }, displayLabel(col.name, 200)), h('span', { class: 'sort-indicator', 'aria-hidden': 'true' }), resizer);
      // The full name on hover; drag the header's right edge to widen the column.
      cell.title = displayLabel(`${col.name} (${col.type}) — click to sort, drag the edge to resize`, 300);
      if (isNumericType(col.type)) cell.classList.add('num');
      this.attachResize(resizer, c);
      this.headerCells.push(cell);
      row.append(cell);
    });
    this.head.append(row);
    this.setSort(this.sort);
  }

  private attachResize(handle: HTMLElement, col: number): void {
    handle.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      e.stopPropagation();
      const startX = e.clientX;
      const startW = this.widths[col];
      handle.setPointerCapture(e.pointerId);
      const move = (ev: PointerEvent) => {
        this.widths[col] = Math.max(40, Math.min(2000, startW + ev.clientX - startX));
        this.applyWidths();
      };
      const up = () => {
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', up);
      };
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', up);
    });
    handle.addEventListener('click', (e) => e.stopPropagation());
  }

  /** Column widths live in one CSS custom property on the grid, so resizing touches one style. */
  private applyWidths(): void {
    const template = `${GUTTER_WIDTH}px ${this.widths.map((w) => `${w}px`).join(' ')}`;
    this.grid.style.setProperty('--grid-columns', template);
    this.grid.style.width = `${GUTTER_WIDTH + this.widths.reduce((a, b) => a + b, 0)}px`;
  }

  // ------------------------------------------------------------- focus & keys

  private cellElement(row: number, col: number): HTMLElement | undefined {
    if (row < 0) return this.headerCells[col];
    const r = this.rows.get(row);
    return r ? (r.el.children[col + 1] as HTMLElement) : undefined;
  }

  /** Exactly one tabbable element: the focused cell if rendered, else the grid itself. */
  private updateTabStops(): void {
    const target = this.cellElement(this.focusRow, this.focusCol);
    const current = this.grid.querySelectorAll<HTMLElement>('[tabindex="0"]');
    current.forEach((el) => { if (el !== target) el.tabIndex = -1; });
    if (target) target.tabIndex = 0;
    this.grid.tabIndex = target ? -1 : 0;
  }

  private focusCell(row: number, col: number): void {
    if (this.options.columns.length === 0) return;
    this.focusRow = Math.max(-1, Math.min(this.rowCount - 1, row));
    this.focusCol = Math.max(0, Math.min(this.options.columns.length - 1, col));
    if (this.focusRow >= 0) {
      const headH = this.head.offsetHeight;
      const y = this.focusRow * ROW_HEIGHT;
      const viewTop = this.scroller.scrollTop;
      const viewH = this.scroller.clientHeight - headH;
      if (y < viewTop) this.scroller.scrollTop = y;
      else if (y + ROW_HEIGHT > viewTop + viewH) this.scroller.scrollTop = y + ROW_HEIGHT - viewH;
    }
    if (this.frame) { cancelAnimationFrame(this.frame); this.frame = 0; }
    this.render();
    const el = this.cellElement(this.focusRow, this.focusCol);
    if (el) {
      el.focus({ preventScroll: true });
      // Horizontal only: the vertical position was set above (the sticky header would fool scrollIntoView).
      const left = el.offsetLeft - GUTTER_WIDTH;
      const right = el.offsetLeft + el.offsetWidth;
      if (left < this.scroller.scrollLeft) this.scroller.scrollLeft = left;
      else if (right > this.scroller.scrollLeft + this.scroller.clientWidth) this.scroller.scrollLeft = right - this.scroller.clientWidth;
    }
  }

  private pageRows(): number {
    return Math.max(1, Math.floor((this.scroller.clientHeight - this.head.offsetHeight) / ROW_HEIGHT) - 1);
  }

  private onKey(e: KeyboardEvent): void {
    const ctrl = e.ctrlKey || e.metaKey;
    const lastRow = this.rowCount - 1;
    const lastCol = this.options.columns.length - 1;
    let row = this.focusRow;
    let col = this.focusCol;
    if (ctrl && !e.altKey && !e.shiftKey && (e.key === 'a' || e.key === 'A')) {
      // The grid, not the page.
      e.preventDefault();
      this.selectAll();
      return;
    }
    switch (e.key) {
      case 'ArrowDown': row++; break;
      case 'ArrowUp': row--; break;
      case 'ArrowRight': col++; break;
      case 'ArrowLeft': col--; break;
      case 'Home': if (ctrl) row = 0; col = 0; break;
      case 'End': if (ctrl) row = lastRow; col = lastCol; break;
      case 'PageDown': row = Math.min(lastRow, Math.max(0, row) + this.pageRows()); break;
      case 'PageUp': row = Math.max(0, row - this.pageRows()); break;
      case 'Enter':
      case ' ':
        if (this.focusRow === -1) { e.preventDefault(); this.cycleSort(this.focusCol); }
        return;
      case 'c':
      case 'C':
        if (ctrl && !e.altKey) {
          e.preventDefault();
          const range = this.range();
          if (range && !e.shiftKey) this.copyRange(range);
          else if (e.shiftKey) this.copyRow(this.focusRow); else this.copyCell(this.focusRow, this.focusCol);
        }
        return;
      case 'ContextMenu':
      case 'F10':
        if (e.key === 'F10' && !e.shiftKey) return;
        e.preventDefault();
        this.openMenu(this.cellElement(this.focusRow, this.focusCol));
        return;
      case 'Escape':
        this.closeMenu();
        this.setAnchor(null);
        return;
      default:
        return;
    }
    e.preventDefault();
    // Shift extends a range from where the focus was; a plain move drops it.
    if (e.shiftKey && this.focusRow >= 0) this.setAnchor(this.anchor ?? { row: this.focusRow, col: this.focusCol }, false);
    else this.setAnchor(null, false);
    this.focusCell(Math.max(e.shiftKey ? 0 : -1, row), col);
    this.paintSelection();
  }

  // ------------------------------------------------------------- range selection

  /** The selected range, or null when only the focused cell is selected. */
  range(): CellRange | null {
    if (!this.anchor || this.focusRow < 0) return null;
    const r: CellRange = {
      top: Math.min(this.anchor.row, this.focusRow), bottom: Math.max(this.anchor.row, this.focusRow),
      left: Math.min(this.anchor.col, this.focusCol), right: Math.max(this.anchor.col, this.focusCol),
    };
    return r.top === r.bottom && r.left === r.right ? null : r;
  }

  private inRange(row: number, col: number): boolean {
    const r = this.range();
    return !!r && row >= r.top && row <= r.bottom && col >= r.left && col <= r.right;
  }

  private setAnchor(anchor: { row: number; col: number } | null, paint = true): void {
    this.anchor = anchor;
    if (paint) this.paintSelection();
  }

  /** Marks the rendered cells inside the range (aria-selected), and says how many are selected. */
  private paintSelection(): void {
    for (const r of this.rows.values()) {
      const cells = r.el.children;
      for (let c = 0; c < this.options.columns.length; c++) {
        const cell = cells[c + 1] as HTMLElement;
        const on = this.inRange(r.index, c);
        cell.classList.toggle('selected', on);
        cell.setAttribute('aria-selected', String(on));
      }
    }
    const range = this.range();
    this.grid.dataset.selection = range ? `${range.bottom - range.top + 1}x${range.right - range.left + 1}` : '';
  }

  /** Ctrl+A: every row and column of the result. */
  selectAll(): void {
    if (this.rowCount === 0 || this.options.columns.length === 0) return;
    this.anchor = { row: 0, col: 0 };
    this.focusCell(this.rowCount - 1, this.options.columns.length - 1);
    this.paintSelection();
  }

  /** Copies a range as tab-separated lines, from loaded rows when it can, else through the host. */
  copyRange(range: CellRange): void {
    const height = range.bottom - range.top + 1;
    const lines: string[] = [];
    if (height <= LOCAL_COPY_MAX_ROWS) {
      for (let i = range.top; i <= range.bottom; i++) {
        const row = this.options.getRow(i);
        if (!row) break;
        lines.push(rowToTsv(row.slice(range.left, range.right + 1)));
      }
    }
    if (lines.length === height) {
      this.options.onCopy(lines.join('\n'), `${formatCount(height)} row${height === 1 ? '' : 's'} × ${range.right - range.left + 1} columns`);
    } else if (this.options.onCopyRange) {
      this.options.onCopyRange(range);
    } else {
      this.options.onCopy(lines.join('\n'), `the ${formatCount(lines.length)} loaded rows of the selection`);
    }
  }

  private locate(target: EventTarget | null): { row: number; col: number } | undefined {
    const cell = (target as HTMLElement | null)?.closest?.('[role="gridcell"], [role="columnheader"]') as HTMLElement | null;
    if (!cell) return undefined;
    const col = Number(cell.getAttribute('aria-colindex')) - 1;
    const rowIndex = Number(cell.parentElement?.getAttribute('aria-rowindex'));
    return { row: rowIndex - 2, col };
  }

  private onClick(e: MouseEvent): void {
    const at = this.locate(e.target);
    if (!at) return;
    if (at.row === -1) {
      this.setAnchor(null);
      this.cycleSort(at.col);
      this.focusCell(at.row, at.col);
      return;
    }
    // Shift+Click extends a range from the focused cell (or the range's anchor).
    if (e.shiftKey && this.focusRow >= 0) this.anchor ??= { row: this.focusRow, col: this.focusCol };
    else this.anchor = null;
    this.focusCell(at.row, at.col);
    this.paintSelection();
  }

  private cycleSort(col: number): void {
    if (!this.options.onSort) return;
    const current = this.sort && this.sort.column === col ? this.sort.direction : null;
    const next: SortState | null = current === null ? { column: col, direction: 'asc' } : current === 'asc' ? { column: col, direction: 'desc' } : null;
    this.setSort(next);
    this.options.onSort(next);
  }

  // ------------------------------------------------------------- copy

  copyCell(row: number, col: number): void {
    if (row < 0) { this.options.onCopy(this.options.columns[col].name, 'column name'); return; }
    const data = this.options.getRow(row);
    if (data) this.options.onCopy(cellToText(data[col] ?? null), 'cell');
  }

  copyRow(row: number): void {
    if (row < 0) { this.options.onCopy(this.options.columns.map((c) => c.name).join('\t'), 'header'); return; }
    const data = this.options.getRow(row);
    if (data) this.options.onCopy(rowToTsv(data), 'row');
  }

  copyColumn(col: number): void {
    this.options.onCopyColumn?.(col);
  }

  get focused(): { row: number; col: number } {
    return { row: this.focusRow, col: this.focusCol };
  }

  private onContextMenu(e: MouseEvent): void {
    const at = this.locate(e.target);
    if (!at) return;
    e.preventDefault();
    this.focusCell(at.row, at.col);
    this.openMenu(this.cellElement(at.row, at.col), e.clientX, e.clientY);
  }

  private openMenu(anchor: HTMLElement | undefined, x?: number, y?: number): void {
    this.closeMenu();
    const row = this.focusRow;
    const col = this.focusCol;
    const items: Array<[string, () => void]> = [
      ['Copy cell', () => this.copyCell(row, col)],
      ['Copy row', () => this.copyRow(row)],
      ['Copy column', () => this.copyColumn(col)],
    ];
    if (this.options.onSort) {
      items.push(['Sort ascending', () => { this.setSort({ column: col, direction: 'asc' }); this.options.onSort!({ column: col, direction: 'asc' }); }]);
      items.push(['Sort descending', () => { this.setSort({ column: col, direction: 'desc' }); this.options.onSort!({ column: col, direction: 'desc' }); }]);
    }
    const menu = h('div', { class: 'grid-menu', role: 'menu', 'aria-label': 'Cell actions' });
    const buttons = items.map(([label, run]) => {
      const b = h('button', { type: 'button', role: 'menuitem', tabindex: -1 }, label);
      b.addEventListener('click', () => { this.closeMenu(); run(); this.focusCell(row, col); });
      menu.append(b);
      return b;
    });
    menu.addEventListener('keydown', (e) => {
      const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
      if (e.key === 'ArrowDown') { e.preventDefault(); buttons[(i + 1) % buttons.length].focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); buttons[(i - 1 + buttons.length) % buttons.length].focus(); }
      else if (e.key === 'Escape' || e.key === 'Tab') { e.preventDefault(); this.closeMenu(); this.focusCell(row, col); }
      e.stopPropagation();
    });
    const rect = anchor?.getBoundingClientRect();
    menu.style.left = `${Math.round(x ?? rect?.left ?? 0)}px`;
    menu.style.top = `${Math.round(y ?? rect?.bottom ?? 0)}px`;
    document.body.append(menu);
    this.menu = menu;
    buttons[0].focus();
    setTimeout(() => document.addEventListener('pointerdown', this.outside, true));
  }

  private readonly outside = (e: Event): void => {
    if (this.menu && !this.menu.contains(e.target as Node)) this.closeMenu();
  };

  private closeMenu(): void {
    document.removeEventListener('pointerdown', this.outside, true);
    this.menu?.remove();
    this.menu = undefined;
  }

  /** A summary line for screen readers and the status row. */
  describe(): string {
    return `${formatCount(this.rowCount)} rows, ${this.options.columns.length} columns`;
  }

  destroy(): void {
    this.closeMenu();
    clear(this.element);
  }
}

/** A first guess at a column width from its name and the first rows' display text. */
function initialWidth(col: ColumnInfo, index: number, sample: Cell[][]): number {
  let chars = Math.min(col.name.length, 40) + 3;
  for (const r of sample.slice(0, 50)) chars = Math.max(chars, Math.min(displayCell(r[index] ?? null, col, 60).text.length, 48));
  return Math.max(64, Math.min(420, Math.round(chars * 7.5 + 20)));
}

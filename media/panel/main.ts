/// <reference types="vscode-webview" />
// Results panel front end: question, progress + Cancel, explanation, highlighted
// SQL, counts/timings/provider, errors with every repair attempt, a chart and a
// virtualized grid fed page by page by the host (see src/webview/protocol.ts).
import '../styles/panel.css';
import type { PanelFromWebview, PanelToWebview, ResultView, SortState } from '../../src/webview/protocol.js';
import type { Attempt } from '../../src/core/answer.js';
import { displayLabel, formatCount, formatMs } from '../../src/webview/format.js';
import { h, clear, button, hostApi } from '../common/dom.js';
import { highlightSql } from '../common/sqlHighlight.js';
import { ChartView } from '../common/chartView.js';
import { Grid } from '../common/grid.js';
import { PageCache } from '../common/pageCache.js';
import { PANEL_REPLIES, type PanelReply } from '../../src/webview/protocol.js';
import { RequestCorrelator, RequestEndedError, type Unsent } from '../../src/webview/requests.js';
import { answerContextSection, suggestionList, wayForwardActions } from '../common/wayForward.js';

const host = hostApi<PanelFromWebview>();
const root = document.getElementById('root') ?? document.body;
/** Requests that expect a reply (rows, copies), matched to it by id. A row request unanswered after 2 min is asked again on the next scroll. */
const requests = new RequestCorrelator<PanelFromWebview, PanelReply, typeof PANEL_REPLIES>((m) => host.post(m), PANEL_REPLIES, { timeoutMs: 120_000 });

let grid: Grid | undefined;
let chart: ChartView | undefined;
let cache: PageCache | undefined;
let current: ResultView | undefined;

const ask = (question: string): void => host.post({ type: 'ask', question });
const providerText = h('span', { class: 'provider-label', id: 'provider-label' });
// Who answers, with the two ways to change it, above everything (never scrolled out of view).
const providerBar = h('header', { class: 'panel-bar' },
  h('span', { class: 'muted' }, 'Answers by ', providerText),
  wayForwardActions({ setApiKey: () => host.post({ type: 'setApiKey' }), chooseModel: () => host.post({ type: 'chooseModel' }) }));

const live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
const toast = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });

function announce(text: string): void {
  live.textContent = text;
}

function showToast(text: string): void {
  toast.textContent = text;
  toast.classList.add('visible');
  setTimeout(() => toast.classList.remove('visible'), 1800);
}

function teardown(): void {
  grid?.destroy();
  chart?.destroy();
  grid = undefined;
  chart = undefined;
  cache = undefined;
  current = undefined;
  clear(root);
}

function questionHeader(question: string | undefined, sql: string | undefined): HTMLElement {
  const text = question ? displayLabel(question, 500) : 'SQL';
  const h1 = h('h1', { class: 'question' }, h('bdi', {}, text));
  if (question && question.length > 500) h1.title = displayLabel(question, 1000);
  if (!question && sql) h1.textContent = 'Run SQL';
  return h1;
}

function renderRunning(question: string | undefined, sql: string | undefined, stage: string): void {
  teardown();
  const status = h('span', { class: 'stage', id: 'stage' }, stage);
  root.append(
    questionHeader(question, sql),
    h('div', { class: 'running', 'aria-busy': 'true' },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }), status,
      button('Cancel', () => host.post({ type: 'cancel' }), { class: 'secondary', id: 'cancel' })),
  );
  if (sql) root.append(sqlSection(sql));
  announce(stage);
}

/** The SQL with its actions; `answered` adds "Save as example" (an answer to a question that ran). */
function sqlSection(sql: string, answered = false): HTMLElement {
  const code = h('code');
  highlightSql(code, sql);
  return h('section', { class: 'sql', 'aria-label': 'SQL' },
    h('div', { class: 'section-head' }, h('h2', {}, 'SQL'),
      h('div', { class: 'actions' },
        button('Copy SQL', () => copy({ type: 'copySql' })),
        button('Open in Editor', () => host.post({ type: 'openInEditor' }), { class: 'secondary' }),
        answered ? button('Save as example', () => host.post({ type: 'saveExample' }), { class: 'secondary', id: 'save-example', title: 'Keep this question and its SQL as an example for this workspace: similar questions are answered the same way' }) : null)),
    h('pre', {}, code));
}

function attemptsSection(attempts: Attempt[]): HTMLElement | null {
  const failed = attempts.filter((a) => a.error);
  if (failed.length === 0) return null;
  const list = h('ol', { class: 'attempts' });
  attempts.forEach((a, i) => {
    const code = h('code');
    highlightSql(code, a.sql || '(no SQL)');
    list.append(h('li', {},
      h('div', { class: 'attempt-title' }, `Attempt ${i + 1}${a.error ? ` — ${a.error.code}` : ' — succeeded'}`),
      h('pre', {}, code),
      a.error ? h('p', { class: 'error-text' }, displayLabel(a.error.message, 2000)) : null));
  });
  return h('details', { class: 'attempts-box', open: !attempts.some((a) => !a.error) },
    h('summary', {}, `${attempts.length} attempt${attempts.length === 1 ? '' : 's'} (${failed.length} repaired)`), list);
}

function renderError(msg: Extract<PanelToWebview, { type: 'error' }>): void {
  teardown();
  root.append(questionHeader(msg.question, msg.sql));
  const box = h('section', { class: 'error-box', role: 'alert' },
    h('h2', {}, msg.code === 'cancelled' ? 'Cancelled' : 'Could not answer'),
    h('p', {}, displayLabel(msg.message, 3000)));
  const suggestions = msg.code === 'cancelled' ? null : suggestionList(msg.suggestions, ask);
  if (suggestions) box.append(suggestions);
  if (msg.code === 'cancelled' && msg.question) box.append(h('div', { class: 'actions' }, button('Ask again', () => ask(msg.question!))));
  box.append(wayForwardActions({ writeSql: () => host.post({ type: 'writeSql' }), setApiKey: () => host.post({ type: 'setApiKey' }), chooseModel: () => host.post({ type: 'chooseModel' }) }));
  root.append(box);
  const attempts = attemptsSection(msg.attempts);
  if (attempts) root.append(attempts);
  else if (msg.sql) root.append(sqlSection(msg.sql));
}

function metaLine(r: ResultView): HTMLElement {
  const parts: Array<HTMLElement | string> = [];
  const count = h('span', { id: 'row-count' }, rowCountText(r));
  parts.push(count);
  const t = r.timings;
  if (t) {
    const bits = [
      t.generateMs ? `generate ${formatMs(t.generateMs)}` : '',
      t.validateMs !== undefined ? `validate ${formatMs(t.validateMs)}` : '',
      t.executeMs !== undefined ? `run ${formatMs(t.executeMs)}` : '',
      t.totalMs !== undefined ? `total ${formatMs(t.totalMs)}` : '',
    ].filter(Boolean);
    if (bits.length) parts.push(h('span', { class: 'timings' }, bits.join(' · ')));
  }
  const provider = r.providerLabel ?? (r.provider ? ({ claude: 'Claude', 'vscode-lm': 'Editor model', offline: 'Offline', user: 'Your SQL' } as const)[r.provider] : '');
  if (provider) parts.push(h('span', { class: 'provider' }, displayLabel(r.model ? `${provider} (${r.model})` : provider, 120)));
  return h('div', { class: 'meta' }, ...parts);
}

function rowCountText(r: ResultView): string {
  const n = formatCount(r.rowCount);
  if (!r.rowCountExact) return `${n}+ rows (counting…)`;
  return `${n} row${r.rowCount === 1 ? '' : 's'}${r.truncated ? ` (first ${formatCount(r.maxRows)} shown; more exist)` : ''}`;
}

function renderResult(r: ResultView, generation: number): void {
  teardown();
  current = r;
  root.append(questionHeader(r.question, r.sql));
  if (r.explanation) root.append(h('p', { class: 'explanation' }, h('bdi', {}, displayLabel(r.explanation, 2000))));
  const context = answerContextSection(r, ask);
  if (context) root.append(context);
  root.append(metaLine(r));
  if (r.truncated) {
    root.append(h('p', { class: 'notice', role: 'note' }, `The result has more than ${formatCount(r.maxRows)} rows; the grid shows the first ${formatCount(r.maxRows)}. Export writes every row.`));
  }
  const attempts = attemptsSection(r.attempts);
  if (attempts) root.append(attempts);
  root.append(sqlSection(r.sql, !!r.question));

  chart = new ChartView({ columns: r.columns, rows: r.firstRows, hint: r.chart, sql: r.sql, totalRows: r.rowCount });
  root.append(chart.element);

  cache = new PageCache({
    request: (req) => requests.request({ type: 'requestRows', ...req }),
    cancel: (id) => requests.cancel(id),
    onRows: () => grid?.refresh(),
    onError: (message) => showToast(displayLabel(message, 300)),
  }, r.rowCount);
  cache.reset(generation, r.rowCount, r.firstRows);
  const c = cache;
  grid = new Grid({
    columns: r.columns,
    rowCount: r.rowCount,
    getRow: (i) => c.get(i),
    requestRange: (s, e) => c.ensure(s, e),
    onSort: (sort: SortState | null) => host.post({ type: 'sort', sort }),
    onCopy: (text, what) => copy({ type: 'copy', text, what }),
    onCopyColumn: (column) => copy({ type: 'copyColumn', column }),
    onCopyRange: (range) => copy({ type: 'copyRange', ...range }),
    label: r.question ? `Result of: ${displayLabel(r.question, 200)}` : 'Query result',
    sampleRows: r.firstRows,
  });
  const g = grid;
  const toolbar = h('div', { class: 'grid-toolbar', role: 'toolbar', 'aria-label': 'Result actions' },
    button('Copy cell', () => g.copyCell(g.focused.row, g.focused.col), { title: 'Copy the focused cell (Ctrl+C)' }),
    button('Copy row', () => g.copyRow(g.focused.row), { title: 'Copy the focused row, tab-separated (Ctrl+Shift+C)' }),
    button('Copy column', () => g.copyColumn(g.focused.col), { title: 'Copy the focused column' }),
    button('Copy selection', () => { const r = g.range(); if (r) g.copyRange(r); else g.copyCell(g.focused.row, g.focused.col); }, { title: 'Copy the selected cells as tab-separated lines (Shift+Arrows or Shift+Click select, Ctrl+A selects all; Ctrl+C)' }),
    button('Export…', () => host.post({ type: 'export' }), { class: 'secondary', title: 'Export every row as CSV, JSON or Parquet' }));
  root.append(h('section', { class: 'results', 'aria-label': 'Rows' }, toolbar, g.element));
  announce(`Answer ready: ${rowCountText(r)}.`);
}

/** Asks the host to copy; its reply (or why none came) is shown as a toast. */
function copy(request: Unsent<PanelFromWebview, 'copy' | 'copyColumn' | 'copyRange' | 'copySql'>): void {
  requests.request(request).reply.then(
    (r) => showToast(displayLabel(r.message, 300)),
    (e: unknown) => { if (e instanceof RequestEndedError && e.reason === 'timeout') showToast('The copy did not finish.'); },
  );
}

function updateCount(rowCount: number, exact: boolean, truncated: boolean): void {
  if (!current) return;
  current = { ...current, rowCount, rowCountExact: exact, truncated };
  cache?.setRowCount(rowCount);
  grid?.setRowCount(rowCount);
  const el = document.getElementById('row-count');
  if (el) el.textContent = rowCountText(current);
}

window.addEventListener('message', (event: MessageEvent<PanelToWebview>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'running':
      renderRunning(msg.question, msg.sql, msg.stage);
      break;
    case 'progress': {
      const el = document.getElementById('stage');
      if (el) el.textContent = msg.stage;
      announce(msg.stage);
      break;
    }
    case 'result':
      renderResult(msg.result, msg.generation);
      break;
    case 'error':
      renderError(msg);
      break;
    case 'rows':
    case 'rowsError':
    case 'copied':
      requests.settle(msg);
      break;
    case 'rowCount':
      if (cache && msg.generation === cache.generation) updateCount(msg.rowCount, msg.exact, msg.truncated);
      break;
    case 'sorted':
      if (cache && grid) {
        cache.reset(msg.generation, msg.rowCount);
        grid.setSort(msg.sort);
        grid.reset(msg.rowCount);
        updateCount(msg.rowCount, msg.exact, msg.truncated);
        announce(msg.sort ? `Sorted by ${current?.columns[msg.sort.column]?.name ?? ''} ${msg.sort.direction === 'asc' ? 'ascending' : 'descending'}` : 'Original order');
      }
      break;
    case 'notice':
      showToast(displayLabel(msg.message, 300));
      break;
    case 'provider':
      providerText.textContent = displayLabel(msg.label || 'Offline', 80);
      break;
  }
});

document.body.prepend(providerBar);
document.body.append(live, toast);
host.post({ type: 'ready' });

/// <reference types="vscode-webview" />
// Sidebar chat front end: the conversation (each answer: explanation, SQL in a
// collapsible block, a compact table, a small chart, actions), a composer
// (Enter sends, Shift+Enter new line), starter questions when empty, the
// answering provider with a one-click "Set API key". State lives on the host.
import '../styles/chat.css';
import type { ChatFromWebview, ChatReply, ChatToWebview, ChatTurn } from '../../src/webview/protocol.js';
import { CHAT_REPLIES, CHAT_ROWS_SHOWN } from '../../src/webview/protocol.js';
import { RequestCorrelator, RequestEndedError } from '../../src/webview/requests.js';
import { displayLabel, formatCount } from '../../src/webview/format.js';
import { h, clear, button, hostApi } from '../common/dom.js';
import { highlightSql } from '../common/sqlHighlight.js';
import { compactTable } from '../common/compactTable.js';
import { ChartView } from '../common/chartView.js';
import { answerContextSection, suggestionList, wayForwardActions } from '../common/wayForward.js';

const host = hostApi<ChatFromWebview>();
/** Requests that expect a reply (Copy SQL), matched to it by id. */
const requests = new RequestCorrelator<ChatFromWebview, ChatReply, typeof CHAT_REPLIES>((m) => host.post(m), CHAT_REPLIES, { timeoutMs: 30_000 });
const root = document.getElementById('root') ?? document.body;

const STARTERS = [
  'How many transactions happened today?',
  'Transactions per hour over the last 24 hours',
  'Top 10 addresses by ETH received yesterday',
  'Top 5 tokens by number of transfers in the last 7 days',
  'Daily average gas price in gwei',
];

const providerText = h('span', { class: 'provider-label' });
const setKey = button('Set API key', () => host.post({ type: 'setApiKey' }), { class: 'link', title: 'Store an Anthropic API key in VS Code\'s secret storage' });
const chooseModel = button('Choose model', () => host.post({ type: 'chooseModel' }), { class: 'link', title: 'Choose who turns questions into SQL' });
const newChat = button('New conversation', () => host.post({ type: 'newConversation' }), { class: 'secondary small-button' });
const header = h('header', { class: 'chat-header' }, h('div', { class: 'provider' }, 'Answers by ', providerText, ' · ', setKey, ' · ', chooseModel), newChat);
const ask = (question: string): void => { if (!busy) host.post({ type: 'ask', question }); };

const log = h('div', { class: 'conversation', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Conversation' });
const empty = h('section', { class: 'starters', 'aria-label': 'Starter questions' });
const pending = h('div', { class: 'pending hidden', 'aria-busy': 'true' });
const pendingStage = h('span', { class: 'stage' }, 'Answering…');
const cancel = button('Cancel', () => host.post({ type: 'cancel' }), { class: 'secondary' });
const live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
const toast = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });

const input = h('textarea', { rows: 2, placeholder: 'Ask about the chain data… (Enter to send, Shift+Enter for a new line)', 'aria-label': 'Ask a question' });
const send = button('Ask', () => submit(), { class: 'send' });
const composer = h('form', { class: 'composer' }, input, send);

const rendered = new Map<string, { el: HTMLElement; chart?: ChartView }>();
let busy = false;

function submit(): void {
  const q = input.value.trim();
  if (!q || busy) return;
  host.post({ type: 'ask', question: q });
  input.value = '';
  input.focus();
}

composer.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    submit();
  }
});

function showToast(message: string): void {
  toast.textContent = displayLabel(message, 200);
  toast.classList.add('visible');
  setTimeout(() => toast.classList.remove('visible'), 1500);
}

/** Asks the host to copy a turn's SQL; its reply (or why none came) is the toast. */
function copySql(turnId: string): void {
  requests.request({ type: 'copySql', turnId }).reply.then(
    (r) => showToast(r.message),
    (e: unknown) => { if (e instanceof RequestEndedError && e.reason === 'timeout') showToast('The copy did not finish.'); },
  );
}

function renderStarters(): void {
  clear(empty);
  empty.append(h('h2', {}, 'Ask a question about the chain data'), h('p', { class: 'muted' }, 'Answers come as checked DuckDB SQL run on your local snapshot. Try one:'));
  const list = h('ul', {});
  for (const q of STARTERS) {
    list.append(h('li', {}, button(q, () => { host.post({ type: 'ask', question: q }); input.focus(); }, { class: 'starter' })));
  }
  empty.append(list);
}

function providerName(t: ChatTurn): string {
  const name = t.provider === 'claude' ? 'Claude' : t.provider === 'vscode-lm' ? 'Editor model' : t.provider === 'offline' ? 'Offline' : t.provider === 'user' ? 'Your SQL' : '';
  return name && t.model ? `${name} (${t.model})` : name;
}

function renderTurn(t: ChatTurn): { el: HTMLElement; chart?: ChartView } {
  const el = h('article', { class: `turn ${t.status}`, 'aria-label': `Question: ${displayLabel(t.question, 120)}` });
  el.append(h('div', { class: 'question' }, h('bdi', {}, displayLabel(t.question, 1000))));
  const answer = h('div', { class: 'answer' });
  el.append(answer);
  let chart: ChartView | undefined;
  if (t.status !== 'done') {
    answer.append(h('p', { class: t.status === 'cancelled' ? 'muted' : 'error-text', role: t.status === 'error' ? 'alert' : undefined }, displayLabel(t.error?.message ?? 'No answer.', 2000)));
    const suggestions = t.status === 'error' ? suggestionList(t.error?.suggestions, ask) : null;
    if (suggestions) answer.append(suggestions);
    if (t.status === 'cancelled') answer.append(h('div', { class: 'actions' }, button('Ask again', () => ask(t.question), { class: 'secondary' })));
    else answer.append(wayForwardActions({ writeSql: () => host.post({ type: 'writeSql', turnId: t.id }), setApiKey: () => host.post({ type: 'setApiKey' }), chooseModel: () => host.post({ type: 'chooseModel' }) }));
  } else {
    if (t.explanation) answer.append(h('p', { class: 'explanation' }, h('bdi', {}, displayLabel(t.explanation, 1500))));
    const context = answerContextSection(t, ask);
    if (context) answer.append(context);
    const columns = t.columns ?? [];
    const rows = t.rows ?? [];
    const count = t.rowCount ?? rows.length;
    answer.append(h('p', { class: 'muted small' },
      `${formatCount(count)}${t.truncated ? '+' : ''} row${count === 1 ? '' : 's'}${count > CHAT_ROWS_SHOWN ? ` · first ${Math.min(CHAT_ROWS_SHOWN, rows.length)} shown` : ''}${providerName(t) ? ` · ${providerName(t)}` : ''}`));
    if (columns.length) {
      chart = new ChartView({ columns, rows, hint: t.chart, sql: t.sql, totalRows: t.rowCount, compact: true });
      answer.append(chart.element);
      answer.append(h('div', { class: 'table-scroll' }, compactTable(columns, rows, CHAT_ROWS_SHOWN, 40)));
    }
  }
  if (t.sql) {
    const code = h('code');
    highlightSql(code, t.sql);
    answer.append(h('details', { class: 'sql' }, h('summary', {}, 'SQL'), h('pre', {}, code)));
  }
  const actions = h('div', { class: 'actions' });
  if (t.sql) {
    actions.append(
      button('Open in Panel', () => host.post({ type: 'openInPanel', turnId: t.id }), { class: 'secondary' }),
      button('Insert into Notebook', () => host.post({ type: 'insertIntoNotebook', turnId: t.id }), { class: 'secondary' }),
      button('Copy SQL', () => copySql(t.id), { class: 'secondary' }),
    );
    // Only an answer that ran can become an example (an error turn keeps its last SQL too).
    if (t.status === 'done') actions.append(button('Save as example', () => host.post({ type: 'saveExample', turnId: t.id }), { class: 'secondary', title: 'Keep this question and its SQL as an example for this workspace' }));
  }
  if (actions.childElementCount) answer.append(actions);
  return { el, chart };
}

function renderState(turns: ChatTurn[], pendingQuestion: string | undefined): void {
  const ids = new Set(turns.map((t) => t.id));
  for (const [id, r] of rendered) {
    if (!ids.has(id)) {
      r.chart?.destroy();
      r.el.remove();
      rendered.delete(id);
    }
  }
  let added: ChatTurn | undefined;
  for (const t of turns) {
    if (rendered.has(t.id)) continue;
    const r = renderTurn(t);
    rendered.set(t.id, r);
    log.insertBefore(r.el, pending);
    added = t;
  }
  busy = !!pendingQuestion;
  pending.classList.toggle('hidden', !busy);
  clear(pending);
  if (pendingQuestion) {
    pending.append(h('div', { class: 'question' }, h('bdi', {}, displayLabel(pendingQuestion, 1000))),
      h('div', { class: 'running' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), pendingStage, cancel));
    pendingStage.textContent = 'Answering…';
    pending.scrollIntoView({ block: 'end' });
  }
  send.disabled = busy;
  empty.classList.toggle('hidden', turns.length > 0 || busy);
  if (added && !pendingQuestion) {
    live.textContent = added.status === 'done'
      ? `Answer: ${formatCount(added.rowCount ?? 0)} rows. ${displayLabel(added.explanation ?? '', 200)}`
      : `No answer: ${displayLabel(added.error?.message ?? '', 200)}`;
    rendered.get(added.id)?.el.scrollIntoView({ block: 'start' });
  }
}

function setProvider(label: string): void {
  providerText.textContent = displayLabel(label || 'Offline', 80);
  const needsKey = /no API key|^Offline/i.test(label);
  setKey.textContent = needsKey ? 'Set API key' : 'Change API key';
}

window.addEventListener('message', (event: MessageEvent<ChatToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'state':
      setProvider(m.providerLabel);
      renderState(m.turns, m.pendingQuestion);
      break;
    case 'progress':
      pendingStage.textContent = displayLabel(m.stage, 200);
      break;
    case 'provider':
      setProvider(m.label);
      break;
    case 'notice':
      showToast(m.message);
      break;
    case 'copied':
      requests.settle(m);
      break;
    case 'focusInput':
      input.focus();
      break;
  }
});

renderStarters();
log.append(pending);
root.append(header, empty, log, composer, live, toast);
input.focus();
host.post({ type: 'ready' });

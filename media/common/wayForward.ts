// What an answer says beyond its rows (summary, the reading taken, honest
// limits) and the ways forward from a refusal (suggestions that re-ask, Write
// SQL, Set API key, Choose model). Shared by the panel, the chat and notebooks.
import type { AnswerContext } from '../../src/webview/protocol.js';
import { displayLabel } from '../../src/webview/format.js';
import { h, button } from './dom.js';

/** Summary, assumptions (an alternative reading re-asks) and notes; null when the answer has none. */
export function answerContextSection(ctx: AnswerContext, ask: ((question: string) => void) | undefined): HTMLElement | null {
  const parts: HTMLElement[] = [];
  if (ctx.summary) parts.push(h('p', { class: 'answer-summary' }, h('bdi', {}, displayLabel(ctx.summary, 600))));
  if (ctx.resolvedQuestion) parts.push(h('p', { class: 'resolved-question muted small' }, 'Answered as: ', h('bdi', {}, displayLabel(ctx.resolvedQuestion, 400))));
  for (const a of ctx.assumptions ?? []) {
    const line = h('p', { class: 'assumption small' }, h('span', { class: 'muted' }, 'Read as: '), h('bdi', {}, displayLabel(a.text, 400)));
    const alt = a.alternative;
    if (alt && ask) line.append(' ', button(displayLabel(alt.label, 120), () => ask(alt.question), { class: 'link suggestion', title: displayLabel(`Ask: ${alt.question}`, 300) }));
    // Notebook outputs: the cell's status bar carries the one-click item (src/extension/notebook/cellActions.ts).
    else if (alt) line.append(h('span', { class: 'muted' }, ` (or: ${displayLabel(alt.question, 300)}; one click in the cell's status bar)`));
    parts.push(line);
  }
  if (ctx.notes?.length) {
    parts.push(h('ul', { class: 'answer-notes', role: 'note', 'aria-label': 'Limits of this answer' }, ...ctx.notes.slice(0, 6).map((n) => h('li', {}, displayLabel(n, 500)))));
  }
  return parts.length ? h('section', { class: 'answer-context', 'aria-label': 'About this answer' }, ...parts) : null;
}

/** Suggested questions as buttons that ask them. */
export function suggestionList(suggestions: string[] | undefined, ask: (question: string) => void): HTMLElement | null {
  if (!suggestions?.length) return null;
  return h('div', { class: 'suggestions-box' },
    h('p', { class: 'muted small' }, 'Try one of these:'),
    h('ul', { class: 'suggestions' }, ...suggestions.slice(0, 8).map((s) =>
      h('li', {}, button(displayLabel(s, 300), () => ask(s), { class: 'suggestion', title: 'Ask this question' })))));
}

export interface WayForwardActions {
  writeSql?: () => void;
  setApiKey?: () => void;
  chooseModel?: () => void;
}

/** The buttons under a refusal: write the SQL by hand, set a key, choose who answers. */
export function wayForwardActions(a: WayForwardActions): HTMLElement {
  return h('div', { class: 'actions way-forward' },
    a.writeSql ? button('Write SQL', a.writeSql, { class: 'secondary', title: 'Open an SQL editor with a starter query over the likely tables' }) : null,
    a.setApiKey ? button('Set API key', a.setApiKey, { class: 'secondary', title: 'Store an Anthropic API key for Claude' }) : null,
    a.chooseModel ? button('Choose model', a.chooseModel, { class: 'secondary', title: 'Choose who turns questions into SQL' }) : null);
}

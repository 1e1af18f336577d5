/**
 * The ways forward from a question cell's output, as plain data (no `vscode`
 * import: unit-tested in plain Node): each alternative reading of an answer
 * and each suggested question of a refusal becomes a one-click item in the
 * cell's status bar (cellActions.ts), which asks it in a new cell below.
 */
import type { AnswerContext } from '../../webview/protocol.js';
import { neutraliseInvisible } from '../text.js';
import { displayLabel } from '../../webview/format.js';

/** Where an error output keeps the refusal's suggested questions (output metadata). */
export const SUGGESTIONS_METADATA_KEY = 'onchainSqlSuggestions';
/** Error codes whose suggestions are questions to ask (other codes suggest actions: "Choose Snapshot"). */
const QUESTION_SUGGESTION_CODES: ReadonlySet<string> = new Set(['cannot_answer']);
/** Items per cell at most: the status bar is one line. */
export const MAX_WAYS_FORWARD = 4;

export interface WayForward {
  kind: 'reading' | 'suggestion';
  /** Short text for the status bar. */
  label: string;
  /** The question asked when clicked. */
  question: string;
  /** Hover text: why it is offered and what it asks. */
  tooltip: string;
}

/** Error output metadata holding a refusal's suggested questions; empty when they are not questions. */
export function suggestionsMetadata(code: string, suggestions: readonly string[]): Record<string, string[]> {
  const questions = QUESTION_SUGGESTION_CODES.has(code) ? suggestions.filter((s) => typeof s === 'string' && s.trim()).slice(0, 8) : [];
  return questions.length ? { [SUGGESTIONS_METADATA_KEY]: questions } : {};
}

/** The suggested questions an error output's metadata holds (anything else in it is ignored). */
export function suggestionsFromMetadata(metadata: Record<string, unknown> | undefined): string[] {
  const v = metadata?.[SUGGESTIONS_METADATA_KEY];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];
}

/** A question text as it goes into a new cell: one line, no invisible characters (chain text may be hostile). */
function cleanQuestion(q: string): string {
  return neutraliseInvisible(q).replace(/\s+/g, ' ').trim();
}

/** Alternative readings of an answer first, then a refusal's suggestions; at most MAX_WAYS_FORWARD, no repeats. */
export function waysForward(answer: AnswerContext | undefined, suggestions: readonly string[]): WayForward[] {
  const out: WayForward[] = [];
  const seen = new Set<string>();
  const add = (w: WayForward) => {
    if (!w.question || seen.has(w.question) || out.length >= MAX_WAYS_FORWARD) return;
    seen.add(w.question);
    out.push(w);
  };
  for (const a of answer?.assumptions ?? []) {
    if (!a.alternative) continue;
    const question = cleanQuestion(a.alternative.question);
    add({ kind: 'reading', label: displayLabel(a.alternative.label, 48), question, tooltip: `${displayLabel(a.text, 300)}\nAsk instead (new cell below): ${displayLabel(question, 300)}` });
  }
  for (const s of suggestions) {
    const question = cleanQuestion(s);
    add({ kind: 'suggestion', label: displayLabel(question, 48), question, tooltip: `Ask (new cell below): ${displayLabel(question, 300)}` });
  }
  return out;
}

/** Status bar text: an icon, then the label with `$(` defused (it would render as an icon). */
export function statusBarText(w: WayForward): string {
  return `${w.kind === 'reading' ? '$(arrow-swap)' : '$(lightbulb)'} ${w.label.replace(/\$\(/g, '$ (')}`;
}

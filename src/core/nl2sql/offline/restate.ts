import { tokenize, type Word } from './tokenize.js';
import type { Frame } from './frame.js';
import { describeTime, extractTime, type DateRef, type TimeWindow } from './time.js';

/**
 * A follow-up restated as one standalone question ("Top 5 tokens by transfers in the
 * last 7 days" + "now only for USDC" → "Top 5 tokens by transfers for USDC in the last
 * 7 days"). It is stored with the answer and reused alone (notebooks, panel, history),
 * so a wording counts only when asking it alone gives the follow-up's SQL: candidates
 * are built from the two questions' words and checked by `sqlOf`.
 */
export interface Restatement {
  question: string;
  /** Asking `question` alone gives the same SQL as the follow-up did. */
  roundTrips: boolean;
}

/** Words that only mark a refinement ("now", "instead", "what about"); alone they say nothing. */
const MARKERS = new Set(['now', 'instead', 'rather', 'and', 'same', 'but', 'also', 'then', 'again', 'ok', 'okay', 'alright', 'cool', 'great', 'thanks', 'thank', 'right', 'so', 'just', 'only', 'what', 'how', 'about', 'them', 'those', 'these', 'it', 'ones', 'that', 'this', 'is', 'are', 'was', 'were', 'please', 'if', 'thing', 'show', 'give', 'me']);

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = ['', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A date as the time parser reads it back, or undefined when no phrase does. */
function datePhrase(d: DateRef): string | undefined {
  if ('iso' in d) return d.iso;
  if ('daysAgo' in d) return ['today', 'yesterday', 'the day before yesterday'][d.daysAgo];
  if ('weekday' in d) return WEEKDAY_NAMES[d.weekday];
  if ('dayOfMonth' in d) return `the ${d.dayOfMonth}${d.dayOfMonth === 1 || d.dayOfMonth === 21 || d.dayOfMonth === 31 ? 'st' : d.dayOfMonth === 2 || d.dayOfMonth === 22 ? 'nd' : d.dayOfMonth === 3 || d.dayOfMonth === 23 ? 'rd' : 'th'}`;
  return `${MONTH_NAMES[d.month]} ${d.day}`;
}

/** A window in words the time parser reads back as the same window, or undefined when there are none. */
export function timePhrase(w: TimeWindow): string | undefined {
  const dated = (prefix: string, d: DateRef) => { const p = datePhrase(d); return p === undefined ? undefined : `${prefix} ${p}`; };
  switch (w.kind) {
    case 'last': return w.n === 1 ? `in the last ${w.unit}` : `in the last ${w.n} ${w.unit}s`;
    case 'today': return 'today';
    case 'yesterday': return 'yesterday';
    case 'thisWeek': return 'this week';
    case 'thisMonth': return 'this month';
    case 'sinceWeekday': return `since ${WEEKDAY_NAMES[w.isodow]}`;
    case 'day': return dated('on', w.date);
    case 'since': return dated('since', w.date);
    case 'before': return dated('before', w.date);
    case 'between': {
      const from = datePhrase(w.from);
      const to = datePhrase(w.to);
      return from && to ? `between ${from} and ${to}` : undefined;
    }
    case 'all': return 'over the whole snapshot';
    case 'daysAgo': return w.n <= 2 ? ['today', 'yesterday', 'the day before yesterday'][w.n] : undefined;
    case 'earlier': return undefined;
  }
}

/** The question's words without its time expression, and for a follow-up without its refinement markers. */
function contentWords(question: string, followUp: boolean): Word[] {
  let words = tokenize(question);
  const time = extractTime(words);
  if (time) {
    const used = new Set(time.used);
    words = words.filter((_, i) => !used.has(i));
  }
  if (!followUp) return words;
  // "the amount instead of the count": what follows "instead of" is what the refinement replaces
  const insteadOf = words.findIndex((w, i) => w.text === 'instead' && words[i + 1]?.text === 'of');
  if (insteadOf >= 0) words = words.slice(0, insteadOf);
  return words.filter((w) => !MARKERS.has(w.text));
}

/** The kinds of slot some words fill ("LINK" → tokens, "top 5" → rank), to find what a refinement replaces. */
function slotsOf(frame: Frame): Set<string> {
  const slots = new Set<string>();
  const lists = ['nouns', 'fields', 'aggs', 'conds', 'dirs', 'sides', 'units', 'tokens', 'projects', 'versions', 'categories', 'addresses', 'entities', 'groupBy'] as const;
  for (const k of lists) if (frame[k].length) slots.add(k);
  if (frame.pair) slots.add('tokens');
  if (frame.bucket || frame.cyclic) slots.add('groupBy');
  if (frame.rank || frame.limit !== undefined || frame.superlative) slots.add('rank');
  if (frame.threshold) slots.add('threshold');
  if (frame.dex) slots.add('dex');
  return slots;
}

/** Runs of the first question's words that fill only slots the refinement fills too: what it replaces. */
function replacedRuns(words: Word[], refinement: Set<string>, frameOf: (q: string) => Frame): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let start = 0; start < words.length; start++) {
    for (let len = 1; len <= 3 && start + len <= words.length; len++) {
      const slots = slotsOf(frameOf(words.slice(start, start + len).map((w) => w.raw).join(' ')));
      if (slots.size && [...slots].every((x) => refinement.has(x))) runs.push([start, len]);
    }
  }
  return runs;
}

function sentence(parts: Array<Word[] | string | undefined>, question: boolean): string {
  const text = parts
    .map((p) => (typeof p === 'string' || p === undefined ? p ?? '' : p.map((w) => w.raw).join(' ')))
    .filter(Boolean)
    .join(' ')
    .replace(/\$ (?=\d)/g, '$')
    .replace(/ % /g, '% ')
    .trim();
  return text.charAt(0).toUpperCase() + text.slice(1) + (question ? '?' : '');
}

/**
 * Restates `followUp` after `base` (itself standalone) as one question whose SQL, asked alone,
 * is `targetSql`. `window` is the merged question's time window; `sqlOf` answers a question
 * alone (undefined when it cannot). When no candidate round-trips, the first (most natural)
 * wording is returned with `roundTrips: false`, its time said in the explanation's words.
 */
export function restate(base: string, followUp: string, window: TimeWindow | undefined, targetSql: string, sqlOf: (question: string) => string | undefined, frameOf: (question: string) => Frame, lastDay?: string): Restatement {
  const baseWords = contentWords(base, false);
  const followFrame = frameOf(followUp);
  // "show 20", "give me 10": a new limit, said as the ranking it sets
  const followWords = followFrame.limit !== undefined && followFrame.limit > 1 ? tokenize(`top ${followFrame.limit}`) : contentWords(followUp, true);
  const asked = /\?\s*$/.test(base) || /\?\s*$/.test(followUp);
  const time = window ? timePhrase(window) : undefined;
  const spoken = window && time === undefined ? describeTime(window, lastDay) : time;
  // The refinement in place of the words it replaces ("the median" for "Average"), else added at the end.
  const candidates: Array<Array<Word[] | string | undefined>> = replacedRuns(baseWords, slotsOf(frameOf(sentence([followWords], false))), frameOf)
    .map(([start, len]) => [baseWords.slice(0, start), followWords, baseWords.slice(start + len), time]);
  candidates.push([baseWords, followWords, time], [followWords, baseWords, time]);
  // A refinement that replaces something the first question said ("by USD volume instead" after
  // "by transfers"): leave out one run of the first question's words, shortest runs first.
  for (let len = 1; len < baseWords.length; len++) {
    for (let start = 0; start + len <= baseWords.length; start++) {
      const kept = [...baseWords.slice(0, start), ...baseWords.slice(start + len)];
      candidates.push([kept, followWords, time]);
    }
  }
  if (window === undefined || time !== undefined) {
    for (const parts of candidates) {
      const question = sentence(parts, asked);
      if (sqlOf(question) === targetSql) return { question, roundTrips: true };
    }
  }
  return { question: sentence([baseWords, followWords, spoken], asked), roundTrips: false };
}

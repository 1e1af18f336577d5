import lexiconData from './lexicon.json';
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

/**
 * Words that only mark a refinement ("now", "instead", "what about"), interjections ("nah", "hmm") and
 * assent ("top 4 is enough", "5 will do"); alone they say nothing.
 */
const MARKERS = new Set([
  'now', 'instead', 'rather', 'and', 'same', 'but', 'also', 'then', 'again', 'ok', 'okay', 'alright', 'cool', 'great', 'thanks', 'thank', 'right', 'so', 'just', 'only', 'them', 'those', 'these', 'it', 'ones', 'that', 'this', 'is', 'are', 'was', 'were', 'please', 'if', 'thing', 'show', 'give', 'me', 'rank', 'break', 'down', 'each',
  'enough', 'fine', 'plenty', 'suffice', 'suffices', 'sufficient', 'will', 'should', 'do', 'works', 'good', 'window', 'add', 'too', 'plus', 'include',
  ...lexiconData.interjections.filter((w) => !w.includes(' ')),
]);

const PRONOUNS = new Set(['that', 'this', 'it', 'those', 'these', 'they']);

/** Words a modifier starts with ("by USD volume", "on sushiswap"): such a refinement is added, or replaces the first question's run that starts the same way. */
const PREPOSITIONS = new Set(['by', 'per', 'for', 'on', 'in', 'over', 'with', 'to', 'from', 'as', 'of']);

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
  // "what about", "what was", "what's that worth" open a refinement; "what share of all transactions" keeps its "what"
  const opener = (i: number) => (words[i]?.text === 'what' || words[i]?.text === 'how') && (['about', 'is', 'was', 'are', 'were'].includes(words[i + 1]?.text ?? '') || (words[i + 2]?.text === 'worth' && PRONOUNS.has(words[i + 1]?.text ?? '')));
  words = words.filter((w, i) => !MARKERS.has(w.text) && !opener(i) && !(w.text === 'about' && opener(i - 1)));
  // "the median", "the ones over 1000 USDC": the article goes with the words the refinement replaces
  return words[0]?.text === 'the' ? words.slice(1) : words;
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

/** Slots that words name like an adjective ("failed", "DAI", "Uniswap"): said before the thing they qualify. */
const QUALIFIERS = new Set(['tokens', 'projects', 'versions', 'conds', 'categories', 'entities']);

/** Where a qualifier goes: before the first word that names what is measured ("failed transactions", "Uniswap DEX volume"). */
function qualifierPosition(words: Word[], refinement: Word[], frameOf: (q: string) => Frame): number | undefined {
  const slots = slotsOf(frameOf(sentence([refinement], false)));
  if (PREPOSITIONS.has(refinement[0]?.text ?? '') || !slots.size || ![...slots].every((x) => QUALIFIERS.has(x))) return undefined;
  const at = words.findIndex((w) => {
    const f = frameOf(w.raw);
    return f.nouns.length > 0 || f.fields.length > 0 || f.dex;
  });
  return at < 0 ? undefined : at;
}

/** The parts of a frame that words set, to tell whether a word at the edge of a run adds anything. */
function frameKey(frame: Frame): string {
  const { followup: _f, plural: _p, pluralNouns: _n, partOf: _o, ...meaning } = frame;
  return JSON.stringify(meaning);
}

/**
 * Runs of the first question's words that fill only slots the refinement fills too: what it replaces
 * ("LINK" for "USDT", "Top 5" for "top 10"). A run starting with the refinement's own preposition
 * may be longer ("by number of trades" for "by USD volume"); a run's edge words must each add something.
 */
function replacedRuns(words: Word[], refinement: Word[], frameOf: (q: string) => Frame): Array<[number, number]> {
  const wanted = slotsOf(frameOf(sentence([refinement], false)));
  const lead = PREPOSITIONS.has(refinement[0]?.text ?? '') ? refinement[0].text : undefined;
  const key = (start: number, len: number) => frameKey(frameOf(words.slice(start, start + len).map((w) => w.raw).join(' ')));
  const runs: Array<[number, number]> = [];
  for (let start = 0; start < words.length; start++) {
    const sameLead = lead !== undefined && words[start].text === lead;
    for (let len = 1; len <= (sameLead ? 5 : 3) && start + len <= words.length; len++) {
      const slots = slotsOf(frameOf(words.slice(start, start + len).map((w) => w.raw).join(' ')));
      if (!sameLead && (!slots.size || ![...slots].every((x) => wanted.has(x)))) continue;
      const whole = key(start, len);
      if (len > 1 && !sameLead && (key(start + 1, len - 1) === whole || key(start, len - 1) === whole)) continue;
      runs.push([start, len]);
    }
  }
  // A modifier replaces a run that starts as it does, longest first; anything else, whole runs (not a part of a longer one).
  if (lead !== undefined) return runs.filter(([s]) => words[s].text === lead).sort((a, b) => b[1] - a[1]);
  return runs.filter(([s, l]) => !runs.some(([s2, l2]) => l2 > l && s2 <= s && s + l <= s2 + l2));
}

function sentence(parts: Array<Word[] | string | undefined>, question: boolean): string {
  const text = parts
    .map((p) => (typeof p === 'string' || p === undefined ? p ?? '' : p.map((w) => w.raw).join(' ')))
    .filter(Boolean)
    .join(' ')
    .replace(/\$ (?=\d)/g, '$')
    .replace(/(\d) % /g, '$1% ')
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
  const runs = replacedRuns(baseWords, followWords, frameOf);
  // "add kraken too" after "… to Coinbase …": the new value joins the one it would otherwise replace
  const joined = followFrame.addsValues
    ? runs.map(([start, len]): Array<Word[] | string | undefined> => [baseWords.slice(0, start + len), 'and', followWords, baseWords.slice(start + len), time])
    : [];
  const replaced = [...joined, ...runs.map(([start, len]): Array<Word[] | string | undefined> => [baseWords.slice(0, start), followWords, baseWords.slice(start + len), time])];
  const added: Array<Array<Word[] | string | undefined>> = [[baseWords, followWords, time], [followWords, baseWords, time]];
  const at = qualifierPosition(baseWords, followWords, frameOf);
  if (at !== undefined) added.unshift([baseWords.slice(0, at), followWords, baseWords.slice(at), time]);
  // A modifier ("as a share of the total") reads best added at the end unless it replaces its own kind of run.
  const candidates = PREPOSITIONS.has(followWords[0]?.text ?? '') && !replaced.length ? added : [...replaced, ...added];
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

import { isAddress, tokenize, type Word } from './tokenize.js';
import { extractTime, type TimeWindow } from './time.js';
import { normaliseWord, type Lexicon } from './lexicon.js';

export type Noun =
  | 'transaction' | 'block' | 'transfer' | 'trade' | 'token' | 'tokenlist' | 'address' | 'sender' | 'receiver'
  | 'trader' | 'pool' | 'pair' | 'project' | 'version' | 'category' | 'entity' | 'miner' | 'txtype' | 'contract' | 'method' | 'zeroaddress';
export type Field = 'value' | 'volume' | 'fee' | 'gas' | 'gas_price' | 'gas_used' | 'gas_limit' | 'utilization' | 'base_fee' | 'tx_count' | 'price' | 'size';
export type AggWord = 'count' | 'sum' | 'avg' | 'median' | 'min' | 'max' | 'share' | 'percent' | 'distinct' | 'latest';
export type Cond = 'failed' | 'success' | 'created' | 'type0' | 'type1' | 'type2' | 'type3' | 'plain' | 'call' | 'mint' | 'burn' | 'priced';
export type Bucket = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'auto';

/** Nouns that can be a GROUP BY dimension or the thing a ranking ranks. */
export const DIMENSIONS: ReadonlySet<Noun> = new Set<Noun>([
  'token', 'address', 'sender', 'receiver', 'trader', 'pool', 'pair', 'project', 'version', 'category', 'entity', 'miner', 'txtype', 'contract', 'method',
]);

/**
 * Everything recognised in one question, as slots. A follow-up question fills
 * only some slots; merging frames slot by slot is how refinements work.
 */
export interface Frame {
  time?: TimeWindow;
  nouns: Noun[];
  fields: Field[];
  aggs: AggWord[];
  conds: Cond[];
  dirs: Array<'to' | 'from'>;
  sides: Array<'bought' | 'sold'>;
  units: Array<'usd' | 'eth' | 'gwei' | 'token'>;
  verbs: Array<'transfer' | 'trade' | 'listed' | 'active'>;
  dex: boolean;
  tokens: string[];
  pair?: string;
  projects: string[];
  versions: string[];
  categories: string[];
  addresses: string[];
  /** Named entities ("Binance"): label names in labels.addresses. */
  entities: string[];
  bucket?: Bucket;
  /** "hour of the day", "day of the week": a cyclic grouping across days. */
  cyclic?: 'hour_of_day' | 'day_of_week';
  /** Dimensions introduced by "by"/"per". */
  groupBy: Noun[];
  rank?: { dir: 'asc' | 'desc'; n?: number };
  /** A bare number and nothing else ("show 20"): a new limit for the ranking a follow-up refines. */
  limit?: number;
  /** "over 10 ETH", "below 20 gwei": a bound on the measured amount. */
  threshold?: { op: '>' | '>=' | '<' | '<='; value: number };
  superlative?: 'asc' | 'desc';
  /** "give me 2 more", "3 fewer": a change to the ranking's length. */
  limitDelta?: number;
  /** "all tokens", "every project": a follow-up drops the filter of that kind. */
  clear: Array<'tokens' | 'projects' | 'versions'>;
  /** "as percentages of those three": the previous answer's rows are the whole. */
  withinAnswer?: boolean;
  /** "which exchange got how much": every one of them with its amount, not the top one. */
  splitWhich?: boolean;
  /** "add kraken too": the organisations, tokens or projects named join the answer's instead of replacing them. */
  addsValues?: boolean;
  /** "how much did they pay", "the median there": a pronoun that may stand for the previous answer's rows. */
  refersBack?: boolean;
  /** "and the max too", "add each one's share": the aggregates named join the ones already shown. */
  additive?: boolean;
  /** "flip it", "the other way round": the ranking or sort in the other direction. */
  flip?: boolean;
  /** "replace USDC with DAI", "swap curve for balancer": of two values named, the second is the new one. */
  swap?: boolean;
  /** "sort it biggest first", "low to high": order the groups by the measure, keeping them all. */
  sort?: 'asc' | 'desc';
  perRow: boolean;
  /** The counted/ranked row noun was written in the plural ("largest transfers"). */
  plural: boolean;
  /** Nouns written in the plural ("top senders" ranks ten, "the top sender" one). */
  pluralNouns: Noun[];
  /** A size superlative right before a row noun: "the largest trade" lists rows even when a dimension is named. */
  superRow: boolean;
  which: boolean;
  when: boolean;
  versus: boolean;
  followup: boolean;
  /** "each day's share of the total", "their share": each row's part of the total, not a condition's share. */
  rowShare?: boolean;
  /** "as a share of all ETH sent": the words after "of" name the total, not a new filter or direction. */
  partOf?: boolean;
  /** In a follow-up: the noun the conversation ranks, kept ranked when a filter names one of its values. */
  keepTarget?: Noun;
  /** "without curve", "except USDT", "not counting Binance": values the answer leaves out. */
  exclude: Exclusions;
  /** "put curve back": values left out earlier that come back. */
  restore: Pick<Exclusions, 'projects' | 'tokens' | 'entities'>;
  /** Words that carry meaning the translator does not understand. */
  unknown: string[];
  unsupported: string[];
}

export interface Exclusions {
  projects: string[];
  tokens: string[];
  entities: string[];
  /** "leave out the zero address": no mints or burns on the side the answer is about. */
  zeroAddress?: boolean;
  /** "leave out mints and burns": no transfers from (mints) or to (burns) the zero address. */
  events?: Array<'mint' | 'burn'>;
  /** "leave out the ones going to exchanges": no labelled address of these categories on that side. */
  categories?: string[];
}

/** Nouns that, negated ("drop the version"), name a kind of filter to remove. */
const CLEARABLE: Partial<Record<string, Frame['clear'][number]>> = { version: 'versions', token: 'tokens', project: 'projects', pair: 'tokens' };

const EXCLUDABLE: Record<string, 'projects' | 'tokens' | 'entities'> = { project: 'projects', token: 'tokens', entity: 'entities' };

/**
 * "without curve" after "uniswap and curve volume": the value is left out of the named ones too; earlier
 * exclusions stay unless the new question names the value again ("now only USDT" after "except USDT").
 */
export function mergeExclusions(m: Frame, prev: Frame, cur: Frame): void {
  const named: Exclusions = { projects: cur.projects, tokens: cur.tokens, entities: cur.entities };
  for (const key of ['projects', 'tokens', 'entities'] as const) {
    // "drop the WETH part" after "WETH transfers per day": the filter goes; the token is not then left out
    const dropped = cur.exclude[key].filter((v) => prev[key].includes(v));
    if (dropped.length) m[key] = m[key].filter((v) => !dropped.includes(v));
    const left = [...new Set([...prev.exclude[key].filter((v) => !named[key].includes(v) && !cur.restore[key].includes(v)), ...cur.exclude[key].filter((v) => !dropped.includes(v))])];
    m.exclude = { ...m.exclude, [key]: left };
    m[key] = m[key].filter((v) => !left.includes(v));
  }
  if (cur.exclude.zeroAddress) m.exclude = { ...m.exclude, zeroAddress: true };
  if (cur.exclude.events?.length) {
    m.exclude = { ...m.exclude, events: [...new Set([...(prev.exclude.events ?? []), ...cur.exclude.events])] };
    m.conds = m.conds.filter((c) => !cur.exclude.events!.includes(c as 'mint' | 'burn'));
  }
  if (cur.exclude.categories?.length) {
    m.exclude = { ...m.exclude, categories: [...new Set([...(prev.exclude.categories ?? []), ...cur.exclude.categories])] };
    m.categories = m.categories.filter((c) => !cur.exclude.categories!.includes(c));
  }
}

export function emptyFrame(): Frame {
  return {
    nouns: [], fields: [], aggs: [], conds: [], dirs: [], sides: [], units: [], verbs: [], dex: false, tokens: [], projects: [],
    versions: [], categories: [], addresses: [], entities: [], groupBy: [], perRow: false, plural: false, pluralNouns: [], superRow: false, which: false, when: false, versus: false, followup: false,
    exclude: { projects: [], tokens: [], entities: [] }, restore: { projects: [], tokens: [], entities: [] }, clear: [], unknown: [], unsupported: [],
  };
}

interface Cue {
  kind: string;
  value: string;
  pos: number;
}

function tokenOf(word: string, lex: Lexicon): string | undefined {
  const cues = lex.phrases.get(word);
  const t = cues?.find((c) => c.startsWith('token:'));
  if (t) return t.slice(6);
  return lex.symbols.get(word);
}

/**
 * Openers that refine the previous question. Politeness and discourse fillers ("cool", "alright", "so", "thanks")
 * are only filler words: a question after them is a follow-up when it names no subject of its own.
 */
const FOLLOW_UP_START = /^\s*(actually|sorry|oops|whoops|no wait|wait|my bad|now|and|what about|how about|same|but|instead|make (?:it|that|this)|change (?:it|that|this)|switch|only|just|then|also|ok|okay|what if|nah|nope|naw|try|so)\b/i;
/** "how much did they pay", "who deployed them", "the median trade size there": the previous answer's rows. */
const THEY = /\b(?:they|them|their)\b|(?<!\b(?:is|are|was|were|be|been)\s+)\bthere\b(?!\s+(?:is|are|was|were|be|been)\b)/i;
/** "as a share of all DEX volume", "as a percentage of total transfers": the previous answer's part of a total. */
/** "show each as a % of all transfers", "give me those as a share of the total" lead in the same way. */
const AS_PART_OF = /^\s*(?:(?:ok|okay|now|and|so)\W+)*(?:(?:show|give|make|express|display|put|turn|convert|present|have)\s+(?:me\s+)?)?(?:(?:it|that|this|them|those|these|each|each one|each of them|each of those|all of them|the results?|the numbers?)\s+)?as\s+(?:a|the)?\s*(?:share|fraction|percentage|percent|proportion|ratio|rate|%)\s+of\b/i;
/** "what share of all transactions is that?": a question that ends by pointing back at the previous answer. */
const POINTS_BACK = /\b(is|are|was|were|does|do)\s+(that|those|this|these|it)\s*[?.!]*\s*$/i;
/** "and the max too", "also show the median", "add each one's share": a measure beside the one shown. */
const ADDITIVE = /\b(?:too|as well|add|plus|alongside|in addition|additionally|also|include|together with)\b/i;
/** "add kraken too", "include USDT as well": the values named join the ones the answer has. */
const ADDS_VALUES = /^\s*(?:\W*(?:ok|okay|and|now|so)\W+)*(?:add|include|plus)\b|\b(?:too|as well)\s*[?.!]*\s*$/i;
/** "what's that in usd volume", "how much is it in ETH": the previous answer, measured another way. */
const THAT_IN = /\b(?:what|how much)(?:'s|s|\s+is|\s+was|\s+are|\s+were)?\s+(?:that|this|it|those|these)\s+(?:in|as)\b/i;
/** "a few more, like 15", "a couple more, say 7": the number at the end is the new limit. */
const MORE_THEN_NUMBER = /\b(?:a\s+)?(?:few|couple(?:\s+of)?|some|bit|little|\d+)\s+more\b[\s,;:-]*(?:like|say|maybe|perhaps|so|to|around|about|let's say|lets say)?\s*(?=\d+\s*[?.!]*\s*$)/i;
const ADDS_TO_ANSWER = /^\s*(?:add|also|plus|include|along with|together with)\b/i;
/** "how many of those were mints", "which of them failed": a part of the previous answer. */
const PART_OF_ANSWER = /\b(?:of|among|from)\s+(?:those|them|these)\b/i;
/** "who sent it?", "who received those": the people behind the previous answer. */
const WHO_DID_IT = /\bwho\s+\w+\s+(?:it|that|those|them|these|this)\b/i;
/** "for type 2 txs only", "binance only": a restriction of the previous answer. */
const ONLY_AT_END = /\bonly\s*[?.!]*\s*$/i;
/** "avg trade size in usd for that", "the median of those": a question that ends on the previous answer. */
const ENDS_ON_ANSWER = /\b(?:for|of|in|on|about|from|with|to)\s+(?:that|those|these|it|them|this)\s*[?.!]*\s*$/i;
/** "rank them by number of transactions", "sort those by fees": a verb whose object is the previous answer. */
const VERB_ON_ANSWER = /^\s*(?:rank|re-?rank|sort|order|show|give|list|split|break|filter|limit|restrict|narrow|plot|chart|graph|express|convert|turn|display|group|bucket|redo|recompute)\s+(?:me\s+)?(?:them|those|these|it|that|this|the same)\b/i;
/** "rank them by volume", "break it down by project": a pronoun standing for the previous answer. */
const PRONOUN = /\b(them|those|these|it|ones)\b/i;

/** Row nouns an event word written in the plural counts ("USDT burns", "deposits to Binance"). */
const EVENT_KINDS = new Set(['cond:mint', 'cond:burn', 'dir:to', 'dir:from']);

/** "no, top 4 is enough": a leading "no" set off by punctuation turns down the last answer; it negates nothing. */
const REFUSING_NO = /^\s*no\s*[,.!;:\u2013\u2014-]+\s*/i;

/** "put curve back", "bring binance back in": read as "put back curve". */
/** "those three combined", "the two together": the previous answer's rows, as "those". */
const THOSE_N = /\b(?:those|these)\s+(?:two|three|four|five|six|both|[2-9])\b(?:\s+(?:combined|together|put together|in total)\b)?|\b(?:the|all)\s+(?:two|three|both)\s+(?:combined|together)\b|\b(?:those|them|these)\s+(?:combined|together)\b/gi;
const PUT_BACK = /\b(put|bring|add)\s+([\w.$-]+)\s+back\b(?:\s+in\b)?/gi;

export function lexQuestion(asked: string, lex: Lexicon): Frame {
  const question = asked.replace(REFUSING_NO, '').replace(MORE_THEN_NUMBER, '').replace(PUT_BACK, '$1 back $2').replace(THOSE_N, 'those');
  let words: Word[] = tokenize(question);
  const frame = emptyFrame();
  if (question !== asked) frame.followup = true;
  const time = extractTime(words);
  if (time) {
    frame.time = time.window;
    const used = new Set(time.used);
    words = words.filter((_, i) => !used.has(i));
  }
  // Split hyphenated/slashed words that are not token pairs.
  const expanded: Word[] = [];
  for (const w of words) {
    const m = /^([^/-]+)[/-]([^/-]+)$/.exec(w.text);
    if (m && !isAddress(w.text)) {
      const a = tokenOf(m[1], lex);
      const b = tokenOf(m[2], lex);
      if (a && b) {
        expanded.push({ text: `pair:${[a, b].sort().join('-')}`, raw: w.raw });
        continue;
      }
      for (const part of w.raw.split(/[/-]/)) if (part) expanded.push({ text: part.toLowerCase(), raw: part });
      continue;
    }
    expanded.push(w);
  }
  // "break those down", "split it out": the pronoun between a phrasal verb and its particle points back
  words = expanded.filter((w, i) => !(PHRASAL_OBJECT.test(w.text) && PHRASAL_VERB.test(expanded[i - 1]?.text ?? '') && PHRASAL_PARTICLE.test(expanded[i + 1]?.text ?? '')));
  if (words.length < expanded.length) frame.followup = true;

  const norm = words.map((w) => normaliseWord(w.text, lex));
  const mixedCase = /[a-z]/.test(question);
  const cues: Cue[] = [];
  for (let i = 0; i < words.length;) {
    const w = words[i];
    if (w.text.startsWith('pair:')) {
      cues.push({ kind: 'pair', value: w.text.slice(5), pos: i });
      i++;
      continue;
    }
    // "the amount instead of the count": what follows "instead of" is what the follow-up replaces
    if ((norm[i] === 'instead' && norm[i + 1] === 'of') || (norm[i] === 'rather' && norm[i + 1] === 'than')) {
      frame.followup = true;
      break;
    }
    let matched = 0;
    for (let len = Math.min(lex.maxPhraseWords, words.length - i); len >= 1; len--) {
      // The normalised words first ("transfers" → "transfer"), then the words as written ("gas used").
      const key = norm.slice(i, i + len).join(' ');
      const found = lex.phrases.get(key) ?? lex.phrases.get(words.slice(i, i + len).map((w) => w.text).join(' '));
      if (found) {
        for (const c of found) {
          const [kind, value = ''] = c.split(/:(.*)/s);
          cues.push({ kind: kind, value, pos: i });
          // "top DEXes": the plural of "DEX" ranks several projects
          if (kind === 'dex' && len === 1 && words[i].text !== norm[i] && !frame.pluralNouns.includes('project')) frame.pluralNouns.push('project');
          // "which bridges", "top exchanges": several of the category's labelled addresses
          if (kind === 'category' && words[i + len - 1].text !== norm[i + len - 1] && !frame.pluralNouns.includes('entity')) frame.pluralNouns.push('entity');
          if (kind === 'noun' && words[i + len - 1].text !== norm[i + len - 1]) {
            frame.plural = true;
            if (!frame.pluralNouns.includes(value as Noun)) frame.pluralNouns.push(value as Noun);
          }
        }
        // "burns", "mints", "deposits", "withdrawals": events written as a plural noun are rows to count, not amounts
        if (len === 1 && words[i].text.endsWith('s') && !norm[i].endsWith('s') && !found.some((c) => c.startsWith('noun:') || c.startsWith('field:')) && found.some((c) => EVENT_KINDS.has(c))) {
          cues.push({ kind: 'noun', value: 'transfer', pos: i });
        }
        matched = len;
        break;
      }
    }
    if (matched) {
      i += matched;
      continue;
    }
    const n = norm[i];
    if (/^\d+(\.\d+)?$/.test(n)) cues.push({ kind: 'number', value: n, pos: i });
    else if (/^v\d$/.test(n)) cues.push({ kind: 'version', value: n.slice(1), pos: i });
    else if (isAddress(n)) cues.push({ kind: 'address', value: n, pos: i });
    else if (mixedCase && /^[A-Z0-9$]{2,}$/.test(w.raw) && /[A-Z]/.test(w.raw) && lex.symbols.has(w.text)) {
      // A ticker written in capitals ("PEOPLE") is the token even when the lowercase word is filler (not in an all-caps question).
      cues.push({ kind: 'token', value: lex.symbols.get(w.text)!, pos: i });
    } else if (lex.stopwords.has(n) || lex.followupWords.has(n)) {
      // filler
    } else if (lex.symbols.has(w.text) || lex.symbols.has(w.text.replace(/s$/, ''))) {
      cues.push({ kind: 'token', value: lex.symbols.get(w.text) ?? lex.symbols.get(w.text.replace(/s$/, ''))!, pos: i });
    } else frame.unknown.push(w.raw);
    i++;
  }
  // "hmm, and today?", "thanks. as a share of …": openers are read after the interjections before them
  const opener = withoutInterjections(question, lex);
  if (AS_PART_OF.test(opener)) frame.partOf = true;
  if (ADDITIVE.test(question)) frame.additive = true;
  if (THEY.test(question)) frame.refersBack = true;
  if (PART_OF_ANSWER.test(question)) frame.withinAnswer = true;
  if (ADDS_VALUES.test(question)) frame.addsValues = true;
  if (THAT_IN.test(question)) frame.followup = true;
  // "add each one's share", "… as well": a measure beside the previous answer's
  if (ADDS_TO_ANSWER.test(opener) || /\b(?:too|as well)\s*[?.!]*\s*$/i.test(question)) frame.followup = true;
  if (FOLLOW_UP_START.test(question) || FOLLOW_UP_START.test(opener) || VERB_ON_ANSWER.test(opener) || ONLY_AT_END.test(question) || ENDS_ON_ANSWER.test(question) || WHO_DID_IT.test(question) || PART_OF_ANSWER.test(question) || POINTS_BACK.test(question) || frame.partOf || /\b(instead|rather)\b/i.test(question)) frame.followup = true;
  applyCues(frame, sizeOfExtreme(negated(ofLabelled(cues), lex)));
  // "replace USDC with DAI", "swap the count for the total amount": of two named, the second is the new one
  if (frame.swap) for (const key of ['tokens', 'projects', 'aggs'] as const) if (frame[key].length === 2) (frame[key] as string[]).splice(0, 1);
  resolveGas(frame, cues);
  namedPair(frame);
  // A pronoun refers back only when the question names no rows of its own ("rank them by volume", not "tokens that moved it").
  if (PRONOUN.test(question) && frame.nouns.every((n) => frame.groupBy.includes(n))) frame.followup = true;
  return frame;
}

/**
 * "swaps on the USDC-WETH pair", "trades in the WETH/USDC pool": a pair named by its tokens is a
 * filter, so "pair" or "pool" is not a dimension to count or rank; two tokens and the word name one too.
 */
function namedPair(frame: Frame): void {
  const noun = (['pair', 'pool'] as const).find((n) => frame.nouns.includes(n) && !frame.groupBy.includes(n));
  if (!noun || frame.rank || frame.which || frame.superlative || frame.addresses.length) return;
  if (!frame.pair && frame.tokens.length === 2) frame.pair = [...frame.tokens].sort().join('-');
  if (!frame.pair) return;
  if (frame.tokens.every((t) => frame.pair!.split('-').includes(t))) frame.tokens = [];
  frame.nouns = frame.nouns.filter((n) => n !== noun);
  frame.pluralNouns = frame.pluralNouns.filter((n) => n !== noun);
}

const PHRASAL_VERB = /^(break|split)$/;
const PHRASAL_OBJECT = /^(it|that|this|them|those|these)$/;
const PHRASAL_PARTICLE = /^(down|out|up)$/;

/** The question from its first word that is not an interjection ("hmm", "thanks", "thank you", "I meant"). */
function withoutInterjections(question: string, lex: Lexicon): string {
  const words = tokenize(question).map((w) => w.text);
  let i = 0;
  for (;;) {
    if (i + 1 < words.length && lex.interjections.has(`${words[i]} ${words[i + 1]}`)) i += 2;
    else if (i < words.length && lex.interjections.has(words[i])) i++;
    else break;
  }
  return words.slice(i).join(' ');
}

/** "binance wallets", "bridge addresses": the organisation's own addresses, not addresses to count or rank. */
function ofLabelled(cues: Cue[]): Cue[] {
  return cues.filter((c, k) => !(c.kind === 'noun' && c.value === 'address' && k > 0 && (cues[k - 1].kind === 'entity' || cues[k - 1].kind === 'category') && cues[k - 1].pos === c.pos - 1));
}

/** "not failed", "with no method call": a negation turns the next condition into its opposite. */
function negated(cues: Cue[], lex: Lexicon): Cue[] {
  const out: Cue[] = [];
  let pending: Cue | undefined;
  let restoring: Cue | undefined;
  for (const c of cues) {
    if (c.kind === 'negate') { pending = c; continue; }
    if (c.kind === 'restore') { restoring = c; continue; }
    // "put curve back", "bring binance back": a value left out earlier comes back
    if (restoring && c.pos - restoring.pos <= 3 && EXCLUDABLE[c.kind]) {
      out.push({ kind: 'restore', value: `${c.kind}:${c.value}`, pos: c.pos });
      restoring = undefined;
      continue;
    }
    // "the peak, not the mean", "not the average but the max": the aggregate named after "not" is the one replaced
    if (pending && c.kind === 'agg' && c.pos - pending.pos <= 2) {
      pending = undefined;
      continue;
    }
    if (pending && c.kind === 'cond' && lex.negations.has(c.value)) {
      out.push({ ...c, value: lex.negations.get(c.value)! });
      pending = undefined;
      continue;
    }
    // "without curve", "except USDT and DAI", "not counting Binance": a named value left out (a list continues it)
    const last = out[out.length - 1];
    const listed = last?.kind === 'exclude' && c.pos - last.pos <= 2 && (c.kind === 'project' || c.kind === 'token' || c.kind === 'entity');
    // "drop the version", "forget the token": the filter of that kind goes
    const cleared = c.kind === 'noun' ? CLEARABLE[c.value] : undefined;
    if (pending && c.pos - pending.pos <= 2 && cleared) {
      out.push({ kind: 'clear', value: cleared, pos: c.pos });
      pending = undefined;
      continue;
    }
    // "leave out mints and burns", "excluding burns": transfers from or to the zero address left out (a list continues it)
    const lastExcluded = [...out].reverse().find((x) => x.kind === 'exclude');
    const eventListed = Boolean(lastExcluded?.value.startsWith('event:')) && c.pos - lastExcluded!.pos <= 2;
    if ((pending || eventListed) && c.kind === 'cond' && (c.value === 'mint' || c.value === 'burn') && (eventListed || c.pos - pending!.pos <= 3)) {
      out.push({ kind: 'exclude', value: `event:${c.value}`, pos: c.pos });
      pending = undefined;
      continue;
    }
    // "leave out the ones going to exchanges", "without bridge deposits": a category of labelled addresses left out
    if (pending && c.pos - pending.pos <= 6 && c.kind === 'category') {
      out.push({ kind: 'exclude', value: `category:${c.value}`, pos: c.pos });
      pending = undefined;
      continue;
    }
    if (pending && c.pos - pending.pos <= 3 && c.kind === 'noun' && c.value === 'zeroaddress') {
      out.push({ kind: 'exclude', value: 'zero:', pos: c.pos });
      pending = undefined;
      continue;
    }
    if ((pending && c.pos - pending.pos <= 3 && EXCLUDABLE[c.kind]) || listed) {
      out.push({ kind: 'exclude', value: `${c.kind}:${c.value}`, pos: c.pos });
      pending = undefined;
      continue;
    }
    // "exclude curve from that": the "from" points back at the answer, it is no direction
    if (last?.kind === 'exclude' && c.kind === 'dir' && c.value === 'from' && c.pos === last.pos + 1 && c === cues[cues.length - 1]) continue;
    out.push(c);
  }
  // A negation that governs nothing we can flip ("not USDC", "no transfers") is not understood; one with nothing
  // after it but filler ("the number of mints, not the amount") only names what the question replaces.
  if (pending && cues.some((c) => c.pos > pending.pos)) out.push({ kind: 'unknownWord', value: pending.value, pos: pending.pos });
  return out;
}

/** Nouns whose rows a listing shows (as opposed to dimensions a ranking groups by). */
export const ROW_NOUNS: ReadonlySet<Noun> = new Set<Noun>(['transaction', 'transfer', 'trade', 'block']);

/**
 * "how big was the largest swap", "how much was the smallest USDC transfer": the size of one row,
 * which is the max (or min) of its measure rather than a listing or a total.
 */
function sizeOfExtreme(cues: Cue[]): Cue[] {
  const ask = cues.find((c) => c.kind === 'howsize');
  const rest = cues.filter((c) => c.kind !== 'howsize');
  const sup = ask && rest.find((c) => c.kind === 'super' && c.pos > ask.pos);
  const nextNoun = sup && rest.find((c) => c.kind === 'noun' && c.pos > sup.pos);
  const ranked = rest.some((c) => c.kind === 'rank' || c.kind === 'which' || c.kind === 'number' || c.kind === 'many' || c.kind === 'by');
  if (!ask || !sup || !nextNoun || !ROW_NOUNS.has(nextNoun.value as Noun) || ranked || rest.some((c) => c.kind === 'noun' && DIMENSIONS.has(c.value as Noun))) return rest;
  return rest
    .filter((c) => !(c.kind === 'agg' && c.pos === ask.pos))
    .map((c) => (c === sup ? { kind: 'agg', value: sup.value === 'desc' ? 'max' : 'min', pos: sup.pos } : c));
}

/** Bare "gas" is the gas used, unless a price word ("cheapest", "expensive") asks what it costs. */
function resolveGas(frame: Frame, cues: Cue[]): void {
  const i = frame.fields.indexOf('gas');
  if (i < 0) return;
  const priced = cues.some((c) => c.kind === 'priceword');
  frame.fields = [...new Set(frame.fields.map((f) => (f === 'gas' ? (priced ? 'gas_price' : 'gas_used') : f)).filter((f) => !(priced && f === 'fee')))];
}

function applyCues(frame: Frame, cues: Cue[]): void {
  const push = <T>(list: T[], v: T) => { if (!list.includes(v)) list.push(v); };
  for (let k = 0; k < cues.length; k++) {
    const c = cues[k];
    switch (c.kind) {
      case 'noun': push(frame.nouns, c.value as Noun); break;
      case 'field': push(frame.fields, c.value as Field); break;
      case 'agg': if (c.value !== 'soft') push(frame.aggs, c.value as AggWord); break;
      case 'cond': push(frame.conds, c.value as Cond); break;
      case 'dir': push(frame.dirs, c.value as 'to' | 'from'); break;
      case 'side': push(frame.sides, c.value as 'bought' | 'sold'); break;
      case 'unit': if (['usd', 'eth', 'gwei', 'token'].includes(c.value)) push(frame.units, c.value as 'usd' | 'eth' | 'gwei' | 'token'); else frame.unknown.push(c.value); break;
      case 'verb': push(frame.verbs, c.value as 'transfer' | 'trade' | 'listed' | 'active'); break;
      case 'dex': frame.dex = true; break;
      case 'token': push(frame.tokens, c.value); break;
      case 'pair': frame.pair = c.value; break;
      case 'project': push(frame.projects, c.value); break;
      case 'version': push(frame.versions, c.value); break;
      case 'category': push(frame.categories, c.value); break;
      case 'address': push(frame.addresses, c.value); break;
      case 'entity': for (const name of c.value.split('\n')) push(frame.entities, name); break;
      case 'unknownWord': frame.unknown.push(c.value); break;
      case 'exclude': {
        const [kind, value] = c.value.split(/:(.*)/s);
        if (kind === 'zero') frame.exclude.zeroAddress = true;
        else if (kind === 'category') frame.exclude.categories = [...new Set([...(frame.exclude.categories ?? []), value])];
        else if (kind === 'event') frame.exclude.events = [...new Set([...(frame.exclude.events ?? []), value as 'mint' | 'burn'])];
        else for (const v of kind === 'entity' ? value.split('\n') : [value]) push(frame.exclude[EXCLUDABLE[kind]], v);
        // "excluding WETH trades", "without curve": a question that opens by leaving something out refines the answer before
        if (cues.slice(0, k).every((x) => x.kind === 'filler' || x.kind === 'followup')) frame.followup = true;
        break;
      }
      case 'bucket': frame.bucket = c.value as Bucket; break;
      case 'cyclic': frame.cyclic = c.value as 'hour_of_day' | 'day_of_week'; break;
      case 'per': frame.perRow = true; break;
      case 'which': frame.which = true; break;
      case 'when': frame.when = true; break;
      case 'versus': frame.versus = true; break;
      case 'followup': frame.followup = true; break;
      case 'unsupported': push(frame.unsupported, c.value); break;
      case 'rank': frame.rank = { dir: c.value as 'asc' | 'desc', n: frame.rank?.n }; break;
      case 'limit1': frame.limit = 1; break;
      case 'rowshare': frame.rowShare = true; break;
      case 'restore': {
        const [kind, value] = c.value.split(/:(.*)/s);
        if (EXCLUDABLE[kind]) for (const v of kind === 'entity' ? value.split('\n') : [value]) push(frame.restore[EXCLUDABLE[kind]], v);
        frame.followup = true;
        break;
      }
      case 'splitby': frame.splitWhich = true; frame.followup = true; break;
      case 'flip': frame.flip = true; frame.followup = true; break;
      case 'swap': frame.swap = true; frame.followup = true; break;
      case 'sort': frame.sort = c.value as 'asc' | 'desc'; break;
      case 'clear': push(frame.clear, c.value as Frame['clear'][number]); frame.followup = true; break;
      case 'one': {
        // "the single biggest", "only the top one": one row of the ranking; elsewhere "one"/"single" is filler
        const cue = cues.find((x) => (x.kind === 'rank' || x.kind === 'super') && Math.abs(x.pos - c.pos) === 1);
        if (cue) frame.rank = { dir: frame.rank?.dir ?? (cue.value as 'asc' | 'desc'), n: 1 };
        break;
      }
      case 'super': {
        frame.superlative = c.value as 'asc' | 'desc';
        // "the most transfers", "fewest trades": a count of the row noun that follows
        const next = cues.slice(k + 1).find((x) => x.pos > c.pos);
        const many = cues.some((x) => x.kind === 'many' && x.pos === c.pos);
        const rowNext = next?.kind === 'noun' && ['transaction', 'transfer', 'trade', 'block'].includes(next.value) && next.pos === c.pos + 1;
        if (many && rowNext) push(frame.aggs, 'count');
        if (!many && rowNext) frame.superRow = true;
        break;
      }
      case 'by': {
        const next = cues[k + 1];
        if (next && next.kind === 'noun' && DIMENSIONS.has(next.value as Noun)) {
          push(frame.groupBy, next.value as Noun);
          push(frame.nouns, next.value as Noun);
          k++;
          // "by project and version"
          while (cues[k + 1]?.kind === 'noun' && DIMENSIONS.has(cues[k + 1].value as Noun) && cues[k + 1].pos - cues[k].pos <= 2) {
            push(frame.groupBy, cues[k + 1].value as Noun);
            push(frame.nouns, cues[k + 1].value as Noun);
            k++;
          }
        } else if (next && next.kind === 'dex' && next.pos - c.pos <= 1) {
          // "per DEX", "each DEX": the project
          push(frame.groupBy, 'project');
          push(frame.nouns, 'project');
          k++;
        } else if (next && next.kind === 'category' && cues[k + 2]?.kind !== 'noun' && (c.value === 'per' || (cues[k - 1]?.kind !== 'dir' && cues[k - 1]?.kind !== 'verb'))) {
          // "per exchange": one row per labelled address (its name)
          push(frame.groupBy, 'entity');
        } else if (next && (next.kind === 'project' || next.kind === 'token') && frame.versus) {
          // "by uniswap vs curve" is a comparison; handled by versus
        }
        break;
      }
      case 'cmp': {
        // "over 10 ETH", "above $1000", "more than 1 million USDC"; a comparison word without a number is filler ("over the day").
        let j = k + 1;
        if (cues[j]?.kind === 'unit' && cues[j].value === 'usd') { push(frame.units, 'usd'); j++; }
        const num = cues[j];
        if (num?.kind === 'number' && num.pos - c.pos <= 3) {
          let value = Number(num.value);
          const scale = cues[j + 1]?.kind === 'unit' ? { thousand: 1e3, million: 1e6, billion: 1e9 }[cues[j + 1].value] : undefined;
          if (scale) { value *= scale; j++; }
          frame.threshold = { op: c.value as '>' | '>=' | '<' | '<=', value };
          k = j;
        }
        break;
      }
      case 'number': {
        const n = Number(c.value);
        const prev = cues[k - 1];
        const next = cues[k + 1];
        const adjacent = (x: Cue | undefined) => x && (x.kind === 'rank' || x.kind === 'super' || x.kind === 'which' || (x.kind === 'agg' && x.value === 'latest')) && Math.abs(x.pos - c.pos) <= 2;
        const more = next?.kind === 'super' && next.pos === c.pos + 1 && cues.some((x) => x.kind === 'many' && x.pos === next.pos);
        if (prev?.kind === 'noun' && prev.value === 'version' && Number.isInteger(n)) {
          push(frame.versions, c.value);
        } else if (more && Number.isInteger(n) && n > 0 && cues.every((x) => x.pos <= next.pos || x.kind === 'filler' || x.kind === 'noun')) {
          // "give me 2 more", "3 fewer rows": the ranking grows or shrinks by that many
          frame.limitDelta = next.value === 'desc' ? n : -n;
          frame.followup = true;
          k++;
          frame.superlative = undefined;
        } else if ((adjacent(prev) || adjacent(next)) && Number.isInteger(n) && n > 0 && n <= 10_000) {
          const cue = (adjacent(prev) ? prev : next);
          const dir = (cue.kind === 'agg' || cue.kind === 'which' ? 'desc' : cue.value) as 'asc' | 'desc';
          frame.rank = { dir: frame.rank?.dir ?? dir, n };
        } else if ((next?.kind === 'noun' || next?.kind === 'bucket') && next.pos === c.pos + 1 && Number.isInteger(n) && n > 0 && n <= 10_000 && cues.some((x) => x.kind === 'super' || x.kind === 'rank')) {
          // "the 10 addresses that sent the most": a count before the ranked noun
          frame.rank = { dir: frame.rank?.dir ?? 'desc', n };
        } else if (cues.every((x) => x === c || x.kind === 'filler') && Number.isInteger(n) && n > 0 && n <= 10_000) {
          // "show 20", "20 please": only a number; a follow-up reads it as the new limit
          frame.limit = n;
        } else {
          frame.unknown.push(c.value);
        }
        break;
      }
    }
  }
  // "need the tx hash", "with sender and receiver": columns a row listing already shows; elsewhere not understood
  const column = cues.find((c) => c.kind === 'column');
  if (column && !frame.superlative && !frame.rank && !frame.aggs.includes('latest')) frame.unknown.push(column.value);
  // "the hash and value of the largest ETH transfer": named columns ask for the row itself, not the largest value
  if (column && frame.superlative && !frame.aggs.length) frame.superRow = true;
  // "top 10 … by X": rank direction lives on the rank cue; a bare "largest 5" ranks too; "the 10 … most" takes the superlative's direction.
  if (frame.rank && frame.superlative && (!frame.rank.n || !cues.some((x) => x.kind === 'rank'))) frame.rank = { ...frame.rank, dir: frame.superlative };
}

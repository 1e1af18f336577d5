import lexiconData from './lexicon.json';
import tokenList from '../../../../schemas/tokens.json';

/** The translator's vocabulary (lexicon.json) compiled into lookup tables. */
export interface Lexicon {
  /** Phrase (normalised words joined by one space) → cue strings such as "noun:transaction". */
  phrases: Map<string, string[]>;
  maxPhraseWords: number;
  stopwords: Set<string>;
  followupWords: Set<string>;
  /** Discourse markers and politeness ("hmm", "thanks", "pls", "I meant"): filler anywhere, skipped before an opener. */
  interjections: Set<string>;
  /** Every word that appears anywhere in the vocabulary: used to decide singular forms. */
  vocabulary: Set<string>;
  /** Lowercase symbol → symbol as the token list spells it (long-tail tokens). */
  symbols: Map<string, string>;
  /** Canonical symbols of the well-known tokens (aliases in lexicon.json). */
  majorSymbols: Set<string>;
  projects: string[];
  categories: string[];
  /** Condition → its opposite, for a negated condition ("did not fail" → success). */
  negations: Map<string, string>;
}

interface LexiconFile {
  stopwords: string[];
  followupWords: string[];
  interjections: string[];
  tokens: Array<{ symbol: string; aliases: string[] }>;
  projects: Record<string, string[]>;
  categories: Record<string, string[]>;
  phrases: Record<string, string>;
  negations: Record<string, string>;
  ratios: { fields: Array<{ a: string[]; b: string[]; cue: string }>; connectors: string[]; prefixes: string[] };
  refinementVerbs: { verbs: string[]; objects: string[]; prepositions: string[] };
}

/** "cut it to", "bump the list up to": every verb [object] preposition that only leads in a new limit or window. */
function refinementPhrases(r: LexiconFile['refinementVerbs']): string[] {
  return r.verbs.flatMap((v) => ['', ...r.objects].flatMap((o) => r.prepositions.map((p) => [v, o, p].filter(Boolean).join(' '))));
}

/** "gas used divided by gas limit", "ratio of gas used to gas limit": every spelling of a ratio of two fields. */
function ratioPhrases(r: LexiconFile['ratios']): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const f of r.fields) {
    for (const a of f.a) for (const b of f.b) for (const prefix of r.prefixes) {
      const connectors = prefix ? [...r.connectors, 'and'] : r.connectors;
      for (const c of connectors) out.push([`${prefix} ${a} ${c} ${b}`.trim(), f.cue]);
    }
  }
  return out;
}

const data = lexiconData as LexiconFile;

/** A labelled address as the snapshot names it (labels.addresses). */
export interface LabelName {
  name: string;
  category: string;
}

/** Categories whose labels name an organisation a question can name ("Binance", "Arbitrum"). */
const NAMED_CATEGORIES = new Set(['cex', 'bridge', 'lending', 'fund', 'nft', 'dex']);

export function buildLexicon(extraSymbols: Iterable<string> = [], labels: Iterable<LabelName> = []): Lexicon {
  const phrases = new Map<string, string[]>();
  const add = (phrase: string, cue: string) => {
    const key = phrase.toLowerCase().trim().split(/\s+/).join(' ');
    const list = phrases.get(key) ?? [];
    for (const c of cue.split(' ')) if (!list.includes(c)) list.push(c);
    phrases.set(key, list);
  };
  for (const [p, cue] of Object.entries(data.phrases)) add(p, cue);
  for (const [p, cue] of ratioPhrases(data.ratios)) add(p, cue);
  for (const p of refinementPhrases(data.refinementVerbs)) if (!phrases.has(p)) add(p, 'filler');
  for (const t of data.tokens) {
    add(t.symbol.toLowerCase(), `token:${t.symbol}`);
    for (const a of t.aliases) add(a, `token:${t.symbol}`);
  }
  for (const [project, aliases] of Object.entries(data.projects)) for (const a of aliases) add(a, `project:${project}`);
  // "per exchange label", "by bridge name": the labelled addresses of that category, as "per exchange" says
  for (const [category, aliases] of Object.entries(data.categories)) for (const a of aliases) for (const x of [a, `${a} label`, `${a} name`, `${a} label name`]) add(x, `category:${category}`);

  const vocabulary = new Set<string>();
  for (const p of phrases.keys()) for (const w of p.split(' ')) vocabulary.add(w);
  // Filler words may still be tickers written in capitals ("PEOPLE"); phrase words never are.
  const phraseWords = new Set(vocabulary);
  for (const w of data.stopwords) vocabulary.add(w);
  const fillers = [...data.followupWords, ...data.interjections];
  for (const w of fillers) for (const x of w.split(' ')) vocabulary.add(x);

  const symbols = new Map<string, string>();
  const consider = (s: string) => {
    // Symbols are attacker-controlled text: only plain ticker-like ones become matchable words.
    if (!/^\$?[A-Za-z0-9][A-Za-z0-9.+-]{0,14}$/.test(s)) return;
    const lower = s.toLowerCase();
    if (phraseWords.has(lower) || fillers.includes(lower) || /^\d+$/.test(lower)) return;
    if (!symbols.has(lower)) symbols.set(lower, s);
  };
  for (const t of (tokenList as { tokens: Array<{ symbol: string }> }).tokens) consider(t.symbol);
  for (const s of extraSymbols) consider(s);

  // An organisation's first word ("Binance 14" → "binance") names all its labelled addresses;
  // words that are already a phrase, a stopword or a token keep their meaning. Names are chain data: only plain words become phrases.
  const entities = new Map<string, string[]>();
  for (const l of labels) {
    if (!NAMED_CATEGORIES.has(l.category)) continue;
    const word = /^([A-Za-z][A-Za-z0-9]{2,20})\b/.exec(l.name)?.[1]?.toLowerCase();
    if (!word || phrases.has(word) || symbols.has(word) || data.stopwords.includes(word)) continue;
    entities.set(word, [...(entities.get(word) ?? []), l.name]);
  }
  for (const [word, names] of entities) phrases.set(word, [`entity:${[...new Set(names)].sort().join('\n')}`]);
  // A label's whole name ("the Uniswap Universal Router", "Curve.fi stETH Pool") names that one address
  // (longest phrase wins); plain words only, and never in place of a phrase the lexicon already has.
  for (const l of labels) {
    const words = l.name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ');
    const key = words.join(' ');
    if (words.length < 2 || words.length > 6 || phrases.has(key) || !/^[a-z0-9 ]+$/.test(key)) continue;
    phrases.set(key, [`entity:${l.name}`]);
  }

  return {
    phrases,
    maxPhraseWords: Math.max(...[...phrases.keys()].map((p) => p.split(' ').length)),
    stopwords: new Set(data.stopwords),
    followupWords: new Set(fillers),
    interjections: new Set(data.interjections),
    vocabulary,
    symbols,
    majorSymbols: new Set(data.tokens.map((t) => t.symbol)),
    projects: Object.keys(data.projects),
    categories: Object.keys(data.categories),
    negations: new Map(Object.entries(data.negations)),
  };
}

/** Singular form when that form is a known word ("transactions" → "transaction", "addresses" → "address"). */
export function normaliseWord(word: string, lex: Lexicon): string {
  const candidates: string[] = [];
  // A filler word keeps its form ("mined" is not "min").
  if (word.length < 4 || lex.stopwords.has(word)) return word;
  if (word.endsWith('ies')) candidates.push(word.slice(0, -3) + 'y');
  if (word.endsWith('es')) candidates.push(word.slice(0, -2));
  if (word.endsWith('s')) candidates.push(word.slice(0, -1));
  if (word.endsWith('ed')) candidates.push(word.slice(0, -2), word.slice(0, -1));
  // The singular wins when both are known words ("transactions" → "transaction").
  for (const c of candidates) if (lex.vocabulary.has(c)) return c;
  return word;
}

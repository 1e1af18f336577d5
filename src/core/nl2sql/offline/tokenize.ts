/**
 * Turns a question into normalised words: lowercase, punctuation removed,
 * numbers in words and compact forms ("24h", "ten", "1,000") as digits, ISO
 * dates and 0x addresses kept whole, token pairs ("USDC/WETH") kept whole.
 */
export interface Word {
  /** Normalised form used for matching. */
  text: string;
  /** The word as typed (for symbols, whose case carries meaning). */
  raw: string;
}

const SMALL: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, dozen: 12, couple: 2,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

const UNIT_SUFFIX: Record<string, string> = {
  h: 'hour', hr: 'hour', hrs: 'hour', d: 'day', w: 'week', wk: 'week', wks: 'week', m: 'minute', min: 'minute', mins: 'minute',
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ADDRESS = /^0x[0-9a-f]{40}$/;

export function isIsoDate(s: string): boolean {
  return ISO_DATE.test(s);
}

export function isAddress(s: string): boolean {
  return ADDRESS.test(s);
}

export function tokenize(question: string): Word[] {
  const cleaned = question
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u2032`]/g, "'")
    .replace(/\b(can|won)'t\b/gi, (_m, w: string) => (w.toLowerCase() === 'won' ? 'will not' : 'can not'))
    .replace(/n't\b/gi, ' not')
    .replace(/'s\b/gi, '')
    .replace(/\bwhat's\b/gi, 'what is')
    .replace(/\b(\d+)(st|nd|rd|th)\b/gi, '$1')
    .replace(/(\d),(\d{3})\b/g, '$1$2')
    .replace(/\$\s?(\d+(?:\.\d+)?)\s?(k|m|mm|b|bn)\b/gi, (_m, n: string, u: string) => `$ ${n} ${{ k: 'thousand', m: 'million', mm: 'million', b: 'billion', bn: 'billion' }[u.toLowerCase()]}`)
    .replace(/%/g, ' % ')
    .replace(/\$(?=\s|\d|$)/g, ' $ ');
  const out: Word[] = [];
  for (const piece of cleaned.split(/[\s,;:!?()"'[\]{}<>=*+|\\\u2013\u2014]+/)) {
    const raw = piece.replace(/^[.\-/]+|[.\-/]+$/g, '');
    if (!raw) continue;
    const lower = raw.toLowerCase();
    if (ISO_DATE.test(lower) || ADDRESS.test(lower) || /^\d+(\.\d+)?$/.test(lower)) {
      out.push({ text: lower, raw });
      continue;
    }
    const thousands = /^(\d+(?:\.\d+)?)k$/.exec(lower);
    if (thousands) {
      out.push({ text: String(Number(thousands[1]) * 1000), raw });
      continue;
    }
    const compact = /^(\d+)(h|hr|hrs|d|w|wk|wks|m|min|mins)$/.exec(lower);
    if (compact) {
      out.push({ text: compact[1], raw: compact[1] }, { text: UNIT_SUFFIX[compact[2]], raw: compact[2] });
      continue;
    }
    if (/^[^/-]*[a-z][^/-]*[/-][^/-]*[a-z][^/-]*$/i.test(raw)) {
      // Kept whole so the lexer can read it as a token pair; split later if it is not one.
      out.push({ text: lower, raw });
      continue;
    }
    if (/[-/.]/.test(raw) && !/^\$?[a-z0-9]+(\.[a-z0-9]+)*$/i.test(raw)) {
      for (const part of raw.split(/[-/.]+/)) if (part) out.push({ text: part.toLowerCase(), raw: part });
      continue;
    }
    out.push({ text: lower.replace(/\.$/, ''), raw });
  }
  return numberWords(out);
}

/** "twenty four" → 24, "ten" → 10; leaves "one" alone when it is not followed by something countable. */
function numberWords(words: Word[]): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const tens = TENS[w.text];
    if (tens !== undefined) {
      const next = words[i + 1];
      const unit = next ? SMALL[next.text] : undefined;
      if (unit !== undefined && unit < 10) {
        out.push({ text: String(tens + unit), raw: `${w.raw} ${next.raw}` });
        i++;
      } else out.push({ text: String(tens), raw: w.raw });
      continue;
    }
    const small = SMALL[w.text];
    if (small !== undefined && w.text !== 'one') {
      out.push({ text: String(small), raw: w.raw });
      continue;
    }
    if (w.text === 'hundred' && out.length && /^\d+$/.test(out[out.length - 1].text)) {
      const prev = out.pop()!;
      out.push({ text: String(Number(prev.text) * 100), raw: `${prev.raw} ${w.raw}` });
      continue;
    }
    out.push(w);
  }
  return out;
}

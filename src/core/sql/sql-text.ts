/**
 * Cheap, parser-free views of SQL text: what is code and what is a string
 * literal, quoted identifier or comment. Used for the first keyword, for
 * hints (unquoted addresses, look-alike characters) and never as the authority
 * on what a statement does: that is DuckDB's parser.
 */

/**
 * The SQL with every string literal, quoted identifier and comment replaced by
 * spaces (same length, so offsets still match). Handles '' escapes, E'\''
 * escapes, $tag$ dollar quotes and nested block comments as DuckDB does.
 */
export function blankNonCode(sql: string): string {
  if (sql === lastInput) return lastOutput;
  const out: string[] = [];
  const n = sql.length;
  let copied = 0;
  // Copies code as is and the inside of strings/comments as spaces (newlines kept), in slices.
  const blank = (from: number, to: number) => {
    out.push(sql.slice(copied, from), sql.slice(from, to).replace(/[^\n]/g, ' '));
    copied = to;
  };
  let i = 0;
  while (i < n) {
    const ch = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    if (ch === 45 /* - */ && next === 45) {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (ch === 47 /* / */ && next === 42 /* * */) {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        const a = sql.charCodeAt(j);
        const b = sql.charCodeAt(j + 1);
        if (a === 47 && b === 42) { depth++; j += 2; } else if (a === 42 && b === 47) { depth--; j += 2; } else j++;
      }
      blank(i, j);
      i = j;
    } else if (ch === 39 /* ' */ || ch === 34 /* " */) {
      const quote = sql[i];
      const backslashEscapes = ch === 39 && i > 0 && /[eE]/.test(sql[i - 1]) && !/\w/.test(sql[i - 2] ?? '');
      let j = i + 1;
      while (j < n) {
        const c = sql[j];
        if (backslashEscapes && c === '\\') { j += 2; continue; }
        if (c === quote) {
          if (sql[j + 1] === quote) { j += 2; continue; }
          break;
        }
        j++;
      }
      // Keep the quotes themselves, so `'…'` still reads as a literal.
      blank(i + 1, Math.min(j, n));
      i = j + 1;
    } else if (ch === 36 /* $ */ && !/\w/.test(sql[i - 1] ?? '')) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))?.[0];
      if (!tag) { i++; continue; }
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end === -1 ? n : end + tag.length;
      out.push(sql.slice(copied, i), "'");
      copied = i + 1;
      blank(i + 1, Math.max(i + 1, stop - 1));
      if (stop - i > 1) { out.push("'"); copied = stop; }
      i = stop;
    } else {
      i++;
    }
  }
  out.push(sql.slice(copied));
  lastInput = sql;
  lastOutput = out.join('');
  return lastOutput;
}

// One-entry cache: validation asks for the code view of the same text several times.
let lastInput = '';
let lastOutput = '';

/** The first few keywords of the statement, upper-cased (leading parentheses skipped). */
export function leadingKeywords(sql: string, count = 3): string[] {
  const code = blankNonCode(sql);
  // Unicode-aware, so a keyword spelt with a look-alike letter stays one (non-ASCII) word.
  return (code.match(/[\p{L}_][\p{L}\p{N}_]*/gu) ?? []).slice(0, count).map((w) => w.toUpperCase());
}

/** Every top-level keyword, in order: words outside parentheses, strings and comments. */
export function topLevelWords(sql: string): string[] {
  const code = blankNonCode(sql);
  const words: string[] = [];
  let depth = 0;
  const re = /[A-Za-z_][A-Za-z_0-9]*|[()]/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    if (m[0] === '(') depth++;
    else if (m[0] === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) words.push(m[0].toUpperCase());
  }
  return words;
}

/**
 * Hex literals written without quotes (`to_address = 0xabc…`): DuckDB has no
 * such literal, so it reads `0` followed by an alias or a syntax error.
 */
export function unquotedHexLiterals(sql: string): string[] {
  return [...blankNonCode(sql).matchAll(/(?<![\w$.])0x[0-9a-fA-F]+\b/g)].map((m) => m[0]);
}

/** Deepest parenthesis nesting outside strings and comments. */
export function maxParenDepth(sql: string): number {
  const code = blankNonCode(sql);
  let depth = 0;
  let max = 0;
  for (const ch of code) {
    if (ch === '(' || ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
  }
  return max;
}

export interface OddCharacter {
  char: string;
  codePoint: string;
  kind: 'invisible' | 'look-alike';
  index: number;
}

// eslint-disable-next-line no-misleading-character-class -- tested one code point at a time, so no entry combines with another
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]/u;
// Fullwidth ASCII, Cyrillic, Greek and mathematical alphanumerics: letters that look like SQL keywords but are not.
const LOOK_ALIKE = /[\uFF01-\uFF5E\u0370-\u03FF\u0400-\u04FF\u{1D400}-\u{1D7FF}]/u;

/** Invisible or look-alike characters in the code part (outside strings and quoted identifiers). */
export function oddCharacters(sql: string): OddCharacter[] {
  const code = blankNonCode(sql);
  const found: OddCharacter[] = [];
  let index = 0;
  for (const char of code) {
    const kind = INVISIBLE.test(char) ? 'invisible' : LOOK_ALIKE.test(char) ? 'look-alike' : null;
    if (kind) found.push({ char, codePoint: 'U+' + char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0'), kind, index });
    index += char.length;
  }
  return found;
}

/**
 * Lower case as DuckDB folds identifiers: ASCII letters only. JavaScript's
 * toLowerCase also folds look-alikes (the Kelvin sign K becomes k), which would
 * make two names equal here that DuckDB binds as different ones.
 */
export function asciiLower(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

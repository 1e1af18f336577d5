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
  const out: string[] = [];
  let i = 0;
  const n = sql.length;
  const blank = (from: number, to: number) => { for (let k = from; k < to; k++) out.push(sql[k] === '\n' ? '\n' : ' '); };
  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (ch === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') { depth++; j += 2; } else if (sql[j] === '*' && sql[j + 1] === '/') { depth--; j += 2; } else j++;
      }
      blank(i, j);
      i = j;
    } else if (ch === "'" || ch === '"') {
      const backslashEscapes = ch === "'" && i > 0 && /[eE]/.test(sql[i - 1]!) && !/\w/.test(sql[i - 2] ?? '');
      let j = i + 1;
      while (j < n) {
        if (backslashEscapes && sql[j] === '\\') { j += 2; continue; }
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) { j += 2; continue; }
          break;
        }
        j++;
      }
      out.push(ch);
      blank(i + 1, Math.min(j, n));
      if (j < n) out.push(ch);
      i = j + 1;
    } else if (ch === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 64)) && !/\w/.test(sql[i - 1] ?? '')) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))![0];
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end === -1 ? n : end + tag.length;
      out.push("'");
      blank(i + 1, stop - 1);
      if (stop - i > 1) out.push("'");
      i = stop;
    } else {
      out.push(ch);
      i++;
    }
  }
  return out.join('');
}

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

/**
 * The one list of characters that hide or reorder text: C0/C1 controls (but
 * tab, line feed and carriage return, which callers fold themselves), bidi
 * marks, embeddings, overrides and isolates ("Trojan Source"), zero-width
 * characters and the byte-order mark. Chain data is attacker-written; every
 * surface scrubs it with this list, each in its own way (remove, escape, show).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's whole job
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
/** The same plus tab, line feed, carriage return and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- as above, with the line breaks
const INVISIBLE_OR_BREAK = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/**
 * Replaces each invisible character (and, with `lineBreaks`, each tab and line
 * break) by `by`: a fixed string, or a function of the character.
 */
export function replaceInvisible(s: string, by: string | ((c: string) => string), options: { lineBreaks?: boolean } = {}): string {
  const pattern = options.lineBreaks ? INVISIBLE_OR_BREAK : INVISIBLE;
  return typeof by === 'string' ? s.replace(pattern, by) : s.replace(pattern, by);
}

/** `U+200B` for a character: how a hidden character is shown instead of acting. */
export function codePointLabel(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

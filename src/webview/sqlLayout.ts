// Lays out one-line SQL (as models write it) for reading in an editor: each
// clause on its own line, the select list one item a line, subqueries
// indented. Strings, quoted names and comments are copied untouched; SQL that
// already has line breaks is the writer's layout and is left as it is.

const CLAUSES = [
  'select', 'from', 'where', 'group by', 'having', 'qualify', 'window', 'order by', 'limit', 'offset',
  'union all', 'union', 'intersect', 'except',
  'left join', 'right join', 'inner join', 'full join', 'full outer join', 'left outer join', 'cross join', 'join',
];
// Longest first, so "left join" wins over "join" and "union all" over "union".
const CLAUSE_RE = new RegExp(`^(${[...CLAUSES].sort((a, b) => b.length - a.length).map((c) => c.replace(' ', '\\s+')).join('|')})\\b`, 'i');

/** Formats `sql` when it is on one line; returns it unchanged otherwise. */
export function layoutSql(sql: string): string {
  const text = sql.trim();
  if (text.includes('\n') || text.length < 60) return text;
  let out = '';
  let depth = 0;
  // Per depth: whether we are inside a SELECT list (commas there break the line).
  const inSelect: boolean[] = [false];
  // Per depth: whether a SELECT began there (else FROM is `extract(year FROM t)`, not a clause).
  const query: boolean[] = [false];
  const indent = () => '  '.repeat(depth);
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    // Literals and comments are copied as they are.
    const quote = ch === "'" || ch === '"' ? ch : undefined;
    if (quote) {
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === quote) {
          if (text[j + 1] === quote) { j += 2; continue; }
          break;
        }
        j++;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '-' && text[i + 1] === '-') { out += text.slice(i); break; }
    if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const j = end < 0 ? text.length : end + 2;
      out += text.slice(i, j);
      i = j;
      continue;
    }
    if (ch === '(') { depth++; inSelect[depth] = false; query[depth] = false; out += ch; i++; continue; }
    if (ch === ')') {
      depth = Math.max(0, depth - 1);
      out += ch;
      i++;
      continue;
    }
    if (ch === ',' && inSelect[depth]) {
      out += `,\n${indent()}  `;
      i++;
      while (text[i] === ' ') i++;
      continue;
    }
    const atWord = /[a-z]/i.test(ch) && (i === 0 || !/[\w.]/.test(text[i - 1]));
    const m = atWord ? CLAUSE_RE.exec(text.slice(i)) : null;
    if (m && (query[depth] || /^select$/i.test(m[1]))) {
      const isSelect = /^select$/i.test(m[1]);
      if (isSelect) query[depth] = true;
      inSelect[depth] = isSelect;
      out = out.replace(/[ \t]+$/, '');
      if (out.length && !out.endsWith('(') && !out.endsWith('\n')) out += `\n${indent()}`;
      else if (out.endsWith('(')) out += `\n${indent()}`;
      out += m[1].replace(/\s+/g, ' ') + (isSelect ? `\n${indent()}  ` : '');
      i += m[0].length;
      while (isSelect && text[i] === ' ') i++;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

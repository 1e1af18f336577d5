/**
 * The `.onchain-nb` file format (no `vscode` import: unit-tested in plain Node).
 *
 * A notebook is a header line followed by one fenced block per cell:
 *
 *     <!-- onchain-sql-notebook v1 -->
 *
 *     ```question
 *     How many transactions were there in the last 24 hours?
 *     ```
 *
 *     ```sql
 *     SELECT count(*) FROM ethereum.transactions
 *     ```
 *
 * Why this shape: every line of a cell is a line of the file, so `git diff`
 * shows exactly the words that changed, and the file reads as Markdown anywhere.
 * The fence grows (```` etc.) when a cell itself contains a backtick run, so any
 * text round-trips. Outputs are NOT persisted: they are re-computed from the
 * snapshot, keep diffs free of result noise, and never write (possibly hostile)
 * chain data into files people commit.
 *
 * Round trip: formatNotebook(parseNotebook(x)) === x for every file this module
 * wrote. Hand-written prose outside fences is read as a Markdown cell.
 */

export const NOTEBOOK_HEADER = '<!-- onchain-sql-notebook v1 -->';

/** Info string of question cells; their VS Code language id is `onchain-question`. */
export const QUESTION_INFO = 'question';
export const QUESTION_LANGUAGE = 'onchain-question';
export const MARKDOWN_INFO = 'markdown';

export interface RawCell {
  kind: 'markdown' | 'code';
  /** VS Code language id: `onchain-question`, `sql`, `markdown`, … */
  language: string;
  value: string;
}

function fenceFor(value: string): string {
  let longest = 0;
  for (const m of value.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function infoFor(cell: RawCell): string {
  if (cell.kind === 'markdown') return MARKDOWN_INFO;
  if (cell.language === QUESTION_LANGUAGE) return QUESTION_INFO;
  // An info string is one word; anything odd falls back to plain text.
  return /^[\w.+-]+$/.test(cell.language) ? cell.language : 'plaintext';
}

function cellFor(info: string, value: string): RawCell {
  if (info === MARKDOWN_INFO) return { kind: 'markdown', language: 'markdown', value };
  if (info === QUESTION_INFO) return { kind: 'code', language: QUESTION_LANGUAGE, value };
  return { kind: 'code', language: info, value };
}

export function formatNotebook(cells: RawCell[]): string {
  const parts = [NOTEBOOK_HEADER];
  for (const cell of cells) {
    const fence = fenceFor(cell.value);
    const body = cell.value === '' ? [] : cell.value.split('\n');
    parts.push([`${fence}${infoFor(cell)}`, ...body, fence].join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

export function parseNotebook(text: string): RawCell[] {
  const lines = text.split('\n');
  const cells: RawCell[] = [];
  let prose: string[] = [];
  const flushProse = () => {
    const value = prose.join('\n').trim();
    if (value) cells.push({ kind: 'markdown', language: 'markdown', value });
    prose = [];
  };
  let i = 0;
  if (lines[0]?.trim() === NOTEBOOK_HEADER) i = 1;
  while (i < lines.length) {
    const open = /^(`{3,})([\w.+-]+)\s*$/.exec(lines[i]);
    if (!open) {
      prose.push(lines[i]);
      i++;
      continue;
    }
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && lines[end] !== fence) end++;
    if (end >= lines.length) {
      // An unclosed fence (a hand edit): keep its text rather than lose it.
      prose.push(...lines.slice(i));
      break;
    }
    flushProse();
    cells.push(cellFor(open[2], lines.slice(i + 1, end).join('\n')));
    i = end + 1;
  }
  flushProse();
  return cells;
}

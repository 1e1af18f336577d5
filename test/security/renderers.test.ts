import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Answer } from '../../src/core/answer.js';
import { exportResult } from '../../src/core/export.js';
import { answerMarkdown, errorMarkdown } from '../../src/extension/chatMarkdown.js';
import { errorText, resultHtml, resultText } from '../../src/extension/notebook/outputs.js';
import { displayCell, displayLabel, MAX_CELL_CHARS, MAX_TITLE_CHARS } from '../../src/webview/format.js';
import { renderHtmlTable } from '../../src/webview/htmlTable.js';
import { HOSTILE_SYMBOLS, makeHostileSnapshot } from './hostile-snapshot.js';
import { Counter } from './tally.js';
import { parseCsv } from '../support/csv.js';
import { snapshotSuite } from '../support/snapshot-suite.js';

// Category 3: hostile chain data through every pure renderer: the notebook's text/html
// and text/plain outputs, the chat participant's Markdown, the webviews' cell text, CSV.

const LONG = `${'W'.repeat(9_990)}<b>end</b>`;
/** Values an attacker can put in a token name or label. */
const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(1)">',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)>",
  'javascript:alert(document.cookie)',
  '[click me](javascript:alert(1))',
  '![x](https://evil.example/track.png)',
  '<a href="javascript:alert(1)">x</a>',
  'https://evil.example/phish',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '`code` **bold** | pipe | ~~strike~~',
  '```\n</code></pre><script>alert(1)</script>',
  'line1\nline2\r\n| injected | row |',
  '\u202egnp.exe\u202c',
  'USDC\u2066\u202e CSU\u2069',
  'tab\there\u0000nul\u0007bell',
  LONG,
  ...HOSTILE_SYMBOLS,
];
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
const ALLOWED_TAGS = new Set(['table', 'thead', 'tbody', 'tr', 'th', 'td', 'bdi', 'p', 'pre', 'code']);
const ALLOWED_ATTRS = new Set(['title', 'align', 'class']);

/** Problems in an HTML fragment: a tag or attribute we did not write, a bidi control, a javascript: URL in markup. */
function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    if (!ALLOWED_TAGS.has(m[1].toLowerCase())) problems.push(`tag <${m[1]}>`);
    for (const a of m[2].replace(/"[^"]*"/g, '""').matchAll(/\s([^\s=]+)=/g)) if (!ALLOWED_ATTRS.has(a[1].toLowerCase())) problems.push(`attribute ${a[1]}`);
    // Every attribute value is one quoted string without quotes inside.
    if (!/^(\s+[a-z]+="[^"<>]*")*\s*$/.test(m[2])) problems.push(`odd attributes: ${m[2].slice(0, 60)}`);
  }
  if (BIDI.test(html)) problems.push('bidi control');
  return problems;
}

/** Problems in chat Markdown: HTML, links, images, bidi, a table row broken by a value. */
function markdownProblems(md: string): string[] {
  const problems: string[] = [];
  const outsideFences = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
  if (/<[a-zA-Z/!]/.test(outsideFences)) problems.push('raw HTML');
  if (/(?<!\\)\[[^\]]*(?<!\\)\]\(/.test(outsideFences)) problems.push('link or image');
  // javascript: as plain text is inert in Markdown; as an autolink it would need `<`, refused above.
  if (/<javascript:/i.test(outsideFences)) problems.push('javascript: autolink');
  if (/https?:\/\//.test(outsideFences)) problems.push('autolinked URL');
  if (BIDI.test(md)) problems.push('bidi control');
  return problems;
}

function answerOf(columns: Answer['columns'], rows: Answer['rows'], sql = 'SELECT 1'): Answer {
  return {
    question: 'q', sql, explanation: HOSTILE[0], chart: null, provider: 'claude', model: 'm', attempts: [{ sql }],
    columns, rows, rowCount: rows.length, truncated: false, timings: { validateMs: 1, executeMs: 1, totalMs: 2, generateMs: 0 },
  };
}

describe('security 3: hostile data in renderers', () => {
  const live = snapshotSuite({ snapshot: makeHostileSnapshot, scratchPrefix: 'onchain-sec-render-', engine: { connections: 1, threads: 1 }, onDone: () => { for (const c of Object.values(counters)) c.flush(); } });
  const counters = {
    html: new Counter('hostile data in renderers', 'notebook text/html (htmlTable, outputs)'),
    markdown: new Counter('hostile data in renderers', 'chat participant Markdown'),
    text: new Counter('hostile data in renderers', 'webview cell text (format.ts), text/plain'),
    csv: new Counter('hostile data in renderers', 'CSV export'),
  };


  /** The hostile values as a real result: the snapshot's own symbols plus literals, through DuckDB. */
  async function hostileResult(): Promise<Answer> {
    const literals = HOSTILE.map((s) => `(${sqlText(s)})`).join(', ');
    const r = await live.engine.query(`SELECT v AS "<b>name</b>\u202e", length(v) AS n FROM (VALUES ${literals}) t(v) UNION ALL SELECT name, length(name) FROM tokens.erc20`);
    assert.equal(r.rowCount, HOSTILE.length + HOSTILE_SYMBOLS.length);
    return answerOf(r.columns, r.rows, "SELECT '```' AS fence -- ```\n</code></pre><script>alert(1)</script>");
  }

  it('notebook text/html (renderHtmlTable, resultHtml): only our tags, escaped text, bounded size', async () => {
    const answer = await hostileResult();
    for (const row of answer.rows) {
      const html = renderHtmlTable(answer.columns, [row]);
      const problems = htmlProblems(html);
      counters.html.check(problems.length === 0 && html.length < 3 * MAX_TITLE_CHARS + 1_000);
      assert.deepEqual(problems, [], html.slice(0, 300));
      assert.ok(html.length < 3 * MAX_TITLE_CHARS + 1_000, `${html.length} chars of HTML for one row`);
    }
    const whole = resultHtml(answer);
    counters.html.check(htmlProblems(whole).length === 0);
    assert.deepEqual(htmlProblems(whole), []);
    assert.ok(!whole.includes('<script>') && whole.includes('&lt;script&gt;'), 'the script shows as text');
  });

  it('chat participant Markdown: no HTML, links, images or bidi; the SQL fence cannot be closed; rows stay rows', async () => {
    const answer = await hostileResult();
    for (const row of answer.rows) {
      const md = answerMarkdown({ ...answer, explanation: String(row[0]), rows: [row], rowCount: 1 });
      const problems = markdownProblems(md);
      const tableLines = md.split('\n').filter((l) => l.startsWith('| '));
      const ok = problems.length === 0 && tableLines.length === 3 && md.length < 2_500;
      counters.markdown.check(ok);
      assert.deepEqual(problems, [], md.slice(0, 400));
      assert.equal(tableLines.length, 3, 'header, rule, one row: a value cannot add rows');
      assert.ok(md.length < 2_500, `${md.length} chars`);
    }
    for (const s of HOSTILE) {
      const md = errorMarkdown({ code: 'cannot_answer', message: s, suggestions: [s], attempts: [{ sql: s, error: { code: 'parse_error', message: s } }] });
      const problems = markdownProblems(md);
      counters.markdown.check(problems.length === 0);
      assert.deepEqual(problems, [], md.slice(0, 400));
    }
  });

  it('webview cell text (format.ts) and notebook text/plain: no controls, bounded, hex intact', async () => {
    const answer = await hostileResult();
    for (const row of answer.rows) {
      const d = displayCell(row[0], answer.columns[0]);
      // eslint-disable-next-line no-control-regex -- the test looks for control characters
      const ok = !BIDI.test(d.text + d.title) && !/[\u0000-\u001f]/.test(d.text + d.title)
        && [...d.text].length <= MAX_CELL_CHARS && [...d.title].length <= MAX_TITLE_CHARS;
      counters.text.check(ok);
      assert.ok(ok, JSON.stringify(d).slice(0, 300));
    }
    const label = displayLabel(answer.columns[0].name);
    counters.text.check(!BIDI.test(label));
    assert.ok(!BIDI.test(label));
    const plain = resultText(answer);
    const err = errorText({ code: 'runtime_error', message: HOSTILE.join(' '), suggestions: HOSTILE, attempts: [{ sql: LONG }] });
    for (const text of [plain, err]) {
      counters.text.check(!BIDI.test(text));
      assert.ok(!BIDI.test(text), 'bidi controls are shown as <U+…>, never act');
    }
    // A table row of text/plain stays one line per row.
    assert.equal(plain.split('\n').filter((l) => /^\S/.test(l)).length >= answer.rowCount, true);
  });

  it('CSV export: formula starts neutralised, numbers stay numbers, quoting intact', async () => {
    const starts = ['=HYPERLINK("http://evil.example","x")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '=1+1'];
    const literals = starts.map((s, i) => `(${i}, '${s.replace(/'/g, "''")}', ${-(i + 1)}, ${(i + 1) * -1.5}, ${i}::HUGEINT * -1000000000000000000000)`).join(', ');
    const file = path.join(live.scratch, 'out.csv');
    await exportResult(live.engine, `SELECT * FROM (VALUES ${literals}) t(i, s, n, d, big) ORDER BY i`, { format: 'csv', file });
    const text = fs.readFileSync(file, 'utf8');
    const records = parseCsv(text);
    assert.deepEqual(records[0], ['i', 's', 'n', 'd', 'big']);
    for (const [i, s] of starts.entries()) {
      const rec = records[i + 1];
      const ok = rec[1] === `'${s}` && rec[2] === String(-(i + 1)) && Number(rec[3]) === (i + 1) * -1.5 && /^-?\d+$/.test(rec[4]);
      counters.csv.check(ok);
      assert.equal(rec[1], `'${s}`, `formula start of ${JSON.stringify(s)} neutralised`);
      assert.equal(rec[2], String(-(i + 1)), 'negative integers stay numbers');
      assert.equal(Number(rec[3]), (i + 1) * -1.5, 'negative decimals stay numbers');
      assert.match(rec[4], /^-?\d+$/, 'huge integers stay digits');
    }
    // The hostile symbols too: every text cell that starts like a formula is neutralised.
    const file2 = path.join(live.scratch, 'tokens.csv');
    await exportResult(live.engine, `SELECT symbol, name, decimals FROM tokens.erc20 UNION ALL SELECT '=' || symbol, '@' || name, -1 FROM tokens.erc20`, { format: 'csv', file: file2 });
    for (const rec of parseCsv(fs.readFileSync(file2, 'utf8')).slice(1)) {
      const ok = !/^[=+\-@\t\r]/.test(rec[0]) && !/^[=+\-@\t\r]/.test(rec[1]) && /^-?\d+$/.test(rec[2]);
      counters.csv.check(ok);
      assert.ok(ok, JSON.stringify(rec).slice(0, 200));
    }
  });
});

/** A SQL string expression for any text: control characters (refused raw by the guard) via chr(). */
function sqlText(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters become chr(n) in the SQL literal
  return `'${s.replace(/'/g, "''").replace(/[\u0000-\u001f]/g, (c) => `' || chr(${c.charCodeAt(0)}) || '`)}'`;
}

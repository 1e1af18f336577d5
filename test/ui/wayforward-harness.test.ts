// The ways forward from an answer or a refusal, in the real panel and chat
// bundles in headless Chromium behind their CSP, with the harness's fake host
// (test/ui/harness): suggestions are buttons that re-ask, "Set API key" and
// "Choose model" stay in view, an answer's summary, reading and limits show.
// Needs no code-server. Screenshots go to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHarness, type Harness, type Entry, type Theme } from './harness/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(process.env.UI_SCREENSHOTS ?? 'test-results/screenshots');

let harness: Harness;
let browser: Browser;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  harness = await startHarness();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

async function open(entry: Entry, theme: Theme, size = { width: 1100, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: size });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(60_000);
  await page.goto(harness.url(entry, theme));
  return { page, errors };
}

/** Plays the host: delivers one message to the page as VS Code would. */
async function hostSends(page: Page, msg: unknown): Promise<void> {
  await page.evaluate((m) => window.dispatchEvent(new MessageEvent('message', { data: m })), msg);
}

async function posted(page: Page): Promise<Array<{ type: string; question?: string }>> {
  return page.evaluate(() => (window as unknown as { __posted: Array<{ type: string; question?: string }> }).__posted);
}

const SUGGESTIONS = ['How many transactions happened today?', 'Daily DEX volume by project'];

for (const theme of ['light', 'dark'] as const) {
  test(`panel (${theme}): a refusal's suggestion is a button that re-asks; Write SQL, Set API key, Choose model are offered`, async () => {
    const { page, errors } = await open('panel', theme);
    await page.waitForSelector('[role="grid"]');
    await hostSends(page, { type: 'provider', label: 'Offline' });
    await hostSends(page, { type: 'error', question: 'what is the meaning of life', code: 'cannot_answer', message: "I can't answer that offline: no known measure.", suggestions: SUGGESTIONS, attempts: [] });
    const suggestion = page.getByRole('button', { name: SUGGESTIONS[1] });
    await suggestion.waitFor();
    for (const name of ['Write SQL', 'Set API key', 'Choose model']) assert.ok(await page.locator('.error-box').getByRole('button', { name }).isVisible(), `${name} in the error box`);
    await page.screenshot({ path: path.join(SHOTS, `panel-refusal-${theme}.png`) });
    await page.locator('.error-box').getByRole('button', { name: 'Write SQL' }).click();
    await suggestion.click();
    await page.waitForSelector(`h1.question:has-text("${SUGGESTIONS[1]}")`);
    await page.waitForSelector('[role="grid"]');
    const sent = await posted(page);
    assert.ok(sent.some((m) => m.type === 'writeSql'), 'Write SQL posted');
    assert.deepEqual(sent.filter((m) => m.type === 'ask').map((m) => m.question), [SUGGESTIONS[1]]);
    // The provider bar stays in view at the bottom of a long answer.
    await page.mouse.wheel(0, 5000);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const bar = await page.locator('.panel-bar').boundingBox();
    assert.ok(bar && bar.y >= 0 && bar.y < 60, `provider bar in view (y=${bar?.y})`);
    assert.ok(await page.locator('.panel-bar').getByRole('button', { name: 'Choose model' }).isVisible());
    assert.equal(await page.locator('#provider-label').textContent(), 'Offline');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`panel (${theme}): summary, the reading taken (an alternative re-asks) and the limits show above the table`, async () => {
    const { page } = await open('panel', theme);
    await page.waitForSelector('[role="grid"]');
    const base = await page.evaluate(() => document.querySelector('h1.question')?.textContent ?? '');
    assert.ok(base.length > 0);
    await hostSends(page, {
      type: 'result', generation: 5, result: {
        question: 'Transfers last 30 days', sql: 'SELECT 1 AS n', explanation: 'Counts.', chart: null, attempts: [],
        columns: [{ name: 'n', type: 'BIGINT' }], rowCount: 1, rowCountExact: true, truncated: false, maxRows: 1000, firstRows: [[1]],
        summary: '1,234 transfers in the 7 days the snapshot holds.',
        assumptions: [{ text: '"transfers" as ERC-20 token transfers', alternative: { label: 'ETH transfers instead', question: 'ETH transfers last 30 days' } }],
        notes: ['The snapshot holds 7 days (2026-01-01 to 2026-01-07); the answer covers those, not 30.'],
      },
    });
    await page.waitForSelector('.answer-summary');
    assert.match(await page.locator('.answer-notes').innerText(), /holds 7 days/);
    await page.screenshot({ path: path.join(SHOTS, `panel-answer-context-${theme}.png`) });
    await page.getByRole('button', { name: 'ETH transfers instead' }).click();
    await page.waitForSelector('h1.question:has-text("ETH transfers last 30 days")');
    await page.close();
  });

  test(`chat (${theme}): a refusal lists clickable suggestions; clicking one asks it`, async () => {
    const { page, errors } = await open('chat', theme, { width: 420, height: 800 });
    await page.waitForSelector('.starters');
    await hostSends(page, {
      type: 'state', providerLabel: 'Offline', busy: false,
      turns: [{ id: 'e1', question: 'what is the meaning of life', status: 'error', at: new Date(0).toISOString(), error: { code: 'cannot_answer', message: "I can't answer that offline.", suggestions: SUGGESTIONS } }],
    });
    const suggestion = page.getByRole('button', { name: SUGGESTIONS[0] }).last();
    await suggestion.waitFor();
    assert.ok(await page.locator('.turn.error').getByRole('button', { name: 'Write SQL' }).isVisible());
    assert.ok(await page.locator('.chat-header').getByRole('button', { name: 'Choose model' }).isVisible());
    await page.screenshot({ path: path.join(SHOTS, `chat-refusal-${theme}.png`) });
    await suggestion.click();
    await page.waitForSelector(`.turn.done .question:has-text("${SUGGESTIONS[0]}")`);
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'ask').map((m) => m.question), [SUGGESTIONS[0]]);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

for (const theme of ['light', 'dark'] as const) {
  test(`chart (${theme}): the measure the SQL orders by is plotted; x, y and series can be picked; a partial chart says so`, async () => {
    const { page, errors } = await open('panel', theme);
    await page.waitForSelector('[role="grid"]');
    // The harness's own 100,000-row result charts its first 5,000 rows and says so.
    assert.match(await page.locator('.chart-note').innerText(), /first 5,000 of 100,000 rows/);
    const rows = [['uniswap', 120, 91234.5678], ['curve', 300, 1234.5], ['balancer', 80, 999.125]];
    await hostSends(page, {
      type: 'result', generation: 9, result: {
        question: 'DEX volume by project', sql: 'SELECT project, count(*) AS n, sum(amount_usd) AS usd\nFROM dex.trades GROUP BY 1\nORDER BY usd DESC', explanation: '', chart: null, attempts: [],
        columns: [{ name: 'project', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }, { name: 'usd', type: 'DOUBLE' }],
        rowCount: 3, rowCountExact: true, truncated: false, maxRows: 1000, firstRows: rows,
      },
    });
    await page.waitForSelector('select.chart-y');
    assert.equal(await page.locator('select.chart-y option:checked').innerText(), 'usd');
    assert.equal(await page.locator('select.chart-x option:checked').innerText(), 'project');
    assert.equal(await page.locator('select.chart-type').inputValue(), 'bar');
    assert.equal(await page.locator('.chart-note').count(), 0);
    await page.screenshot({ path: path.join(SHOTS, `panel-chart-${theme}.png`) });
    await page.locator('select.chart-y').selectOption({ label: 'n' });
    assert.match(await page.locator('canvas').getAttribute('aria-label') ?? '', /of n by project/);
    // A raw preview gets no chart at all.
    await hostSends(page, {
      type: 'result', generation: 10, result: {
        question: 'Preview tokens.transfers', sql: 'SELECT * FROM tokens.transfers LIMIT 100', explanation: '', chart: null, attempts: [],
        columns: [{ name: 'block_time', type: 'TIMESTAMP' }, { name: 'amount_raw', type: 'HUGEINT' }, { name: 'amount', type: 'DOUBLE' }],
        rowCount: 2, rowCountExact: true, truncated: false, maxRows: 1000, firstRows: [['2026-01-01 00:00:00', '5000000000000000000000000000', 5e9], ['2026-01-01 00:00:12', '7', 7e-18]],
      },
    });
    await page.waitForSelector('h1.question:has-text("Preview tokens.transfers")');
    assert.equal(await page.locator('canvas').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

for (const theme of ['light', 'dark'] as const) {
  test(`SQL box (${theme}): date_trunc keeps its underscore on screen (nothing paints over it) and keywords are coloured`, async () => {
    const { page } = await open('panel', theme);
    await page.waitForSelector('[role="grid"]');
    const sql = "SELECT\n  date_trunc('day', block_time) AS day,\n  sum(amount_usd) AS volume_usd\nFROM dex.trades\nGROUP BY 1\nORDER BY 1";
    await hostSends(page, {
      type: 'result', generation: 11, result: {
        question: 'Daily DEX volume', sql, explanation: '', chart: null, attempts: [],
        columns: [{ name: 'day', type: 'TIMESTAMP' }, { name: 'volume_usd', type: 'DOUBLE' }],
        rowCount: 2, rowCountExact: true, truncated: false, maxRows: 1000, firstRows: [['2025-06-24 00:00:00', 1234567.891234], ['2025-06-25 00:00:00', 2.5]],
      },
    });
    await page.waitForSelector('h1.question:has-text("Daily DEX volume")');
    const report = await page.evaluate(() => {
      const code = document.querySelector('section.sql pre code') as HTMLElement;
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      const hits: Array<{ text: string; top: string; bottomGap: number }> = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = n.textContent ?? '';
        for (let i = t.indexOf('_'); i >= 0; i = t.indexOf('_', i + 1)) {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          const box = r.getBoundingClientRect();
          // The underscore is drawn at the bottom of its glyph box: whatever is hit there is what covers it.
          const top = document.elementFromPoint(box.left + box.width / 2, box.bottom - 2) as HTMLElement | null;
          const owner = n.parentElement!;
          hits.push({ text: t, top: top === owner || owner.contains(top) || top?.contains(owner) ? 'self' : `${top?.tagName}.${top?.className}: ${top?.textContent?.slice(0, 30)}`, bottomGap: box.bottom });
        }
      }
      const keyword = code.querySelector('.hljs-keyword') as HTMLElement;
      return {
        text: code.textContent,
        hits,
        keywordColor: getComputedStyle(keyword).color,
        plainColor: getComputedStyle(code).color,
        spanBackgrounds: [...code.querySelectorAll('span')].map((s) => getComputedStyle(s).backgroundColor).filter((c) => c !== 'rgba(0, 0, 0, 0)'),
        codeBackground: getComputedStyle(code).backgroundColor,
      };
    });
    assert.match(report.text ?? '', /date_trunc\('day', block_time\)/);
    assert.ok(report.hits.length >= 4, 'underscores found');
    for (const hit of report.hits) assert.equal(hit.top, 'self', `underscore in "${hit.text}" is covered`);
    assert.notEqual(report.keywordColor, report.plainColor, 'keywords are coloured');
    assert.deepEqual(report.spanBackgrounds, []);
    assert.equal(report.codeBackground, 'rgba(0, 0, 0, 0)');
    // Money to the cent and day buckets without midnight, in the grid.
    assert.equal(await page.locator('[role="gridcell"][aria-colindex="2"]').first().innerText(), '1,234,567.89');
    assert.equal(await page.locator('[role="gridcell"][aria-colindex="1"]').first().innerText(), '2025-06-24');
    await page.locator('section.sql').screenshot({ path: path.join(SHOTS, `panel-sql-${theme}.png`) });
    await page.close();
  });
}

test('grid: Shift+Arrow and Shift+Click select a range, Ctrl+C copies it as TSV, Ctrl+A selects the grid (not the page)', async () => {
  const { page, errors } = await open('panel', 'light');
  await page.waitForSelector('[role="gridcell"]');
  const cell = (row: number, col: number) => page.locator(`[role="row"][aria-rowindex="${row + 2}"] [role="gridcell"][aria-colindex="${col + 1}"]`);
  await cell(0, 0).click();
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowRight');
  assert.equal(await page.locator('[role="grid"]').getAttribute('data-selection'), '3x2');
  assert.equal(await page.locator('[role="gridcell"][aria-selected="true"]').count(), 6);
  await page.keyboard.press('Control+c');
  const copies = async () => (await page.evaluate(() => (window as unknown as { __posted: Array<{ type: string; text?: string }> }).__posted)).filter((m) => m.type === 'copy' || m.type === 'copyRange');
  const last = (await copies()).pop() as { type: string; text: string };
  assert.equal(last.type, 'copy');
  const lines = last.text.split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(lines.map((l) => l.split('\t').length), [2, 2, 2]);
  assert.equal(lines[0].split('\t')[0], '19000000');
  assert.equal(lines[2].split('\t')[1], '2026-01-01 00:00:24');
  // Shift+Click from the focused cell
  await cell(4, 1).click();
  await cell(6, 3).click({ modifiers: ['Shift'] });
  assert.equal(await page.locator('[role="grid"]').getAttribute('data-selection'), '3x3');
  // A plain arrow drops the range
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.locator('[role="grid"]').getAttribute('data-selection'), '');
  // Ctrl+A: the whole grid, the page's text stays unselected; copying 100,000 rows goes through the host.
  await page.keyboard.press('Control+a');
  assert.equal(await page.locator('[role="grid"]').getAttribute('data-selection'), '100000x7');
  assert.equal(await page.evaluate(() => String(window.getSelection() ?? '').length), 0);
  await page.keyboard.press('Control+c');
  const range = (await copies()).pop() as { type: string; requestId?: unknown };
  // A request the host answers by its id (src/webview/requests.ts).
  assert.equal(typeof range.requestId, 'number');
  assert.deepEqual({ ...range, requestId: undefined }, { type: 'copyRange', requestId: undefined, top: 0, bottom: 99_999, left: 0, right: 6 });
  await page.screenshot({ path: path.join(SHOTS, 'panel-grid-range-light.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

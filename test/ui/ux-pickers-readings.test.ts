// UI in code-server: the sidebar chat's chart has the panel's X / Y / Series
// pickers, and picking another measure redraws the chart with it (asserted on
// the chart's accessible description, not pixels); in a notebook, an answer's
// alternative reading, and a refusal's suggested question, are one-click items
// in the question cell's status bar that ask them in a new cell below, which
// runs and answers.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { openEditor, type Editor } from './support/editor.js';

// Offline: the reading "gas price = price transactions paid", with "Use the block base fee" as the other.
const GAS_QUESTION = 'Daily average gas price in gwei this week';
const BASE_FEE_QUESTION = 'Daily average base fee in gwei this week';
const notebookOf = (question: string) => `<!-- onchain-sql-notebook v1 -->\n\n\`\`\`question\n${question}\n\`\`\`\n`;
const REFUSED = 'What is the meaning of life, the universe and everything?';

let editor: Editor;
before(async () => { editor = await openEditor({ files: { 'readings.onchain-nb': notebookOf(GAS_QUESTION), 'refused.onchain-nb': notebookOf(REFUSED) } }); }, { timeout: 300_000 });
after(async () => { await editor?.close(); });

const chartLabel = (frame: Frame) => frame.locator('.turn.done .chart-view canvas').last().getAttribute('aria-label');

test('the sidebar chat chart: X, Y and Series pickers, by keyboard too; another measure redraws the chart', { timeout: 600_000 }, async () => {
  await editor.step('sidebar-chart-pickers', async () => {
    await editor.runCommand('View: Show Onchain SQL');
    const frame = await editor.frameWith('textarea', 120_000);
    // Offline: the latest blocks with three measures (transactions, gas used, base fee) over time.
    await frame.locator('textarea').fill('Show the latest 20 blocks');
    await frame.locator('textarea').press('Enter');
    const turn = frame.locator('.turn.done').last();
    const y = turn.locator('select.chart-y');
    await y.waitFor({ state: 'visible', timeout: 180_000 });
    // Each picker has its own accessible name and sits inside the narrow sidebar.
    assert.equal(await turn.getByRole('combobox', { name: 'Chart x axis' }).count(), 1);
    assert.equal(await turn.getByRole('combobox', { name: 'Chart measure (y axis)' }).count(), 1);
    assert.equal(await turn.getByRole('combobox', { name: /^Chart series/ }).count(), 1);
    // Boxes in page coordinates: the webview's own frame bounds the pickers.
    const view = await (await frame.frameElement()).boundingBox();
    assert.ok(view, 'the sidebar webview has no box');
    for (const sel of ['select.chart-x', 'select.chart-y', 'select.chart-series', 'select.chart-type']) {
      const box = await turn.locator(sel).boundingBox();
      assert.ok(box && box.x >= view.x && box.x + box.width <= view.x + view.width + 1, `${sel} is outside the sidebar (${JSON.stringify(box)}, view ${JSON.stringify(view)})`);
    }
    const measures = await y.locator('option').allTextContents();
    assert.deepEqual([...measures].sort(), ['base_fee_per_gas_gwei', 'gas_used', 'transaction_count']);
    const before = await chartLabel(frame);
    assert.match(before ?? '', /^line chart of transaction_count by block_time$/);
    await editor.shot('sidebar-chart-pickers');

    await y.selectOption({ label: 'base_fee_per_gas_gwei' });
    await frame.waitForFunction(() => /of base_fee_per_gas_gwei by block_time/.test([...document.querySelectorAll('.turn.done .chart-view canvas')].pop()?.getAttribute('aria-label') ?? ''), undefined, { timeout: 10_000 });
    assert.match(await turn.locator('.chart-caption').innerText(), /Showing a line chart of base_fee_per_gas_gwei by block_time/);

    // Keyboard: the measure picker takes focus and the arrow keys pick the measure next to it.
    await y.focus();
    const options = await y.locator('option').allTextContents();
    const at = options.indexOf('base_fee_per_gas_gwei');
    const next = options[at === options.length - 1 ? at - 1 : at + 1];
    await editor.page.keyboard.press(at === options.length - 1 ? 'ArrowUp' : 'ArrowDown');
    await frame.waitForFunction((m) => new RegExp(`of ${m} by block_time`).test([...document.querySelectorAll('.turn.done .chart-view canvas')].pop()?.getAttribute('aria-label') ?? ''), next, { timeout: 10_000 });
    assert.equal(await y.evaluate((el) => el === document.activeElement), true);
    // Tab moves on to the Series picker.
    await editor.page.keyboard.press('Tab');
    assert.equal(await turn.locator('select.chart-series').evaluate((el) => el === document.activeElement), true);
    await editor.shot('sidebar-chart-picked');
    assert.deepEqual(editor.dialogs, []);
  });
});

test('a notebook answer\'s other reading is one click in the cell status bar: a new cell below asks it and answers', { timeout: 600_000 }, async () => {
  await editor.step('notebook-alternative-reading', async () => {
    const { page } = editor;
    await editor.openFile('readings.onchain-nb');
    const rows = page.locator('.notebook-editor .code-cell-row');
    await rows.first().waitFor({ state: 'visible', timeout: 180_000 });
    assert.equal(await rows.count(), 1);
    await editor.runCommand('Notebook: Run All');
    const item = page.locator('.notebook-editor .cell-statusbar-container .cell-status-item', { hasText: 'Use the block base fee' }).first();
    await item.waitFor({ state: 'visible', timeout: 180_000 });
    // The other ambiguity of the question ("this week") has its own item.
    assert.ok(await page.locator('.notebook-editor .cell-status-item', { hasText: 'Use the last 7 days' }).first().isVisible());
    await editor.shot('notebook-alternative-items');
    await item.click();
    // A second question cell, below the first, holding the other reading, run to success.
    await page.waitForFunction(() => document.querySelectorAll('.notebook-editor .code-cell-row').length === 2, undefined, { timeout: 60_000 });
    const second = rows.nth(1);
    await second.locator('.view-lines', { hasText: BASE_FEE_QUESTION }).waitFor({ state: 'visible', timeout: 30_000 });
    // Monaco lays text out with no-break spaces.
    assert.equal((await rows.nth(0).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ').trim(), GAS_QUESTION);
    await second.locator('.codicon-notebook-state-success').waitFor({ state: 'attached', timeout: 180_000 });
    // Its output answers with the base fee: the renderer's SQL and chart measure name it.
    const output = await editor.frameWith('select.chart-y option:checked:text-matches("base_fee", "i")', 120_000);
    assert.ok(await output.locator('code', { hasText: 'base_fee_per_gas_gwei' }).count() >= 1, 'the re-asked answer\'s SQL does not read the base fee');
    await editor.shot('notebook-alternative-answered');
    assert.deepEqual(editor.dialogs, []);
  });
});

test('a refused notebook question\'s suggestions are one click too: the suggested question answers in a new cell below', { timeout: 600_000 }, async () => {
  await editor.step('notebook-refusal-suggestion', async () => {
    const { page } = editor;
    await editor.openFile('refused.onchain-nb');
    const editorPane = page.locator('.notebook-editor', { has: page.locator('.view-lines', { hasText: 'meaning of life' }) }).first();
    const rows = editorPane.locator('.code-cell-row');
    await rows.first().waitFor({ state: 'visible', timeout: 120_000 });
    await editor.runCommand('Notebook: Run All');
    await rows.first().locator('.codicon-notebook-state-error').waitFor({ state: 'attached', timeout: 180_000 });
    const items = rows.first().locator('.cell-status-item:has(.codicon-lightbulb)');
    await items.first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(await items.count() >= 2, 'a refusal offers its suggested questions');
    const label = (await items.first().innerText()).trim().replace(/…$/, '');
    await editor.shot('notebook-refusal-suggestions');
    await items.first().click();
    await rows.nth(1).waitFor({ state: 'visible', timeout: 60_000 });
    const asked = (await rows.nth(1).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ').trim();
    assert.ok(label.length > 10 && asked.startsWith(label), `the new cell asks "${asked}", the item said "${label}"`);
    await rows.nth(1).locator('.codicon-notebook-state-success').waitFor({ state: 'attached', timeout: 180_000 });
    // The refused cell keeps its question.
    assert.equal((await rows.nth(0).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ').trim(), REFUSED);
    await editor.shot('notebook-refusal-answered');
    assert.deepEqual(editor.dialogs, []);
  });
});

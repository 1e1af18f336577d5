// UI: what a user sees in Dark Modern, saved to
// test-results/screenshots/ (the panel with an answer, the sidebar chat, the
// History view, a notebook with "+ Question" / "+ SQL" and Ctrl+Enter running a
// cell as in Jupyter, and the Chat view where @onchain cannot be reached
// without Copilot).
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openEditor, type Editor } from './support/editor.js';

let editor: Editor;
// Dark Modern (the other UI tests run in the default Light Modern and save their own screenshots).
before(async () => { editor = await openEditor({ settings: { 'workbench.colorTheme': 'Default Dark Modern' } }); }, { timeout: 300_000 });
after(async () => { await editor?.close(); });

test('a notebook: "+ Question" adds a question cell and Ctrl+Enter runs it', { timeout: 600_000 }, async () => {
  await editor.step('notebook-keys', async () => {
    const { page } = editor;
    await editor.runCommand('Onchain SQL: New Notebook');
    await page.locator('.notebook-editor .code-cell-row').first().waitFor({ state: 'visible', timeout: 180_000 });
    const before = await page.locator('.notebook-editor .code-cell-row').count();
    await page.locator('.notebook-toolbar-container .action-item', { hasText: /^\s*Question\s*$/ }).first().click();
    await page.waitForFunction((n) => document.querySelectorAll('.notebook-editor .code-cell-row').length > n, before, { timeout: 30_000 });
    // Type only once the new cell's editor has the focus.
    await page.locator('.notebook-editor .code-cell-row.focused .monaco-editor.focused').waitFor({ timeout: 30_000 });
    await page.keyboard.type('How many blocks were produced in the last 24 hours?');
    await page.keyboard.press('Control+Enter');
    // The new cell ran: a success mark appears, and its text has no extra line.
    await page.locator('.notebook-editor .code-cell-row.focused .codicon-notebook-state-success, .notebook-editor .code-cell-row .codicon-notebook-state-success').first().waitFor({ state: 'visible', timeout: 180_000 });
    const lang = await page.locator('.notebook-editor .code-cell-row.focused .cell-language-picker, .notebook-editor .code-cell-row.focused .cell-status-item').allTextContents();
    assert.ok(lang.join(' ').includes('Onchain Question'), `the new cell is a question cell: ${lang.join(' | ')}`);
    assert.deepEqual(editor.dialogs, []);
  });
});

test('screenshots in Dark Modern', { timeout: 600_000 }, async () => {
  const tag = 'dark';
  await editor.step(`screens-${tag}`, async () => {
    assert.ok(await editor.page.locator('.monaco-workbench.vs-dark').count(), 'the dark theme is on');
    await editor.shot(`code-server-notebook-${tag}`);
    await editor.runCommand('Onchain SQL: Ask a Question');
    await editor.answerInput('Daily DEX volume by project');
    const panel = await editor.frameWith('[role=gridcell]', 180_000);
    await panel.locator('canvas, .big-number').first().waitFor({ state: 'visible', timeout: 60_000 });
    await editor.shot(`code-server-panel-${tag}`);
    await editor.runCommand('View: Show Onchain SQL');
    const chat = await editor.frameWith('textarea', 120_000);
    await chat.locator('textarea').fill('What is the meaning of life?');
    await chat.locator('textarea').press('Enter');
    await chat.locator('.turn').last().waitFor({ state: 'visible', timeout: 180_000 });
    await editor.runCommand('Onchain SQL: Focus on History View');
    await editor.shot(`code-server-chat-history-${tag}`);
    await editor.runCommand('Chat: Open Chat', 60_000);
    await editor.page.waitForTimeout(2_000);
    await editor.shot(`code-server-chatview-${tag}`);
    assert.deepEqual(editor.dialogs, []);
  });
});

// UI in code-server (no GitHub Copilot, so the editor has no chat model of its
// own): @onchain in the Chat view answers through the Onchain SQL chat model;
// an answer is kept in the History view and one click reopens it in the panel;
// a refusal's suggestion is a button that re-asks.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openEditor, type Editor } from './support/editor.js';

let editor: Editor;
before(async () => { editor = await openEditor(); }, { timeout: 300_000 });
after(async () => { await editor?.close(); });

const QUESTION = 'How many blocks were produced in the last 24 hours?';

test('a refusal in the panel offers suggestions that re-ask; the answer is kept in History and reopens with one click', { timeout: 600_000 }, async () => {
  await editor.step('history', async () => {
    await editor.runCommand('Onchain SQL: Ask a Question');
    await editor.answerInput('What is the meaning of life, the universe and everything?');
    let frame = await editor.frameWith('.error-box button.suggestion', 180_000);
    await editor.shot('code-server-panel-refusal');
    const suggestion = frame.locator('.error-box button.suggestion').first();
    const asked = (await suggestion.innerText()).trim();
    await suggestion.click();
    frame = await editor.frameWith(`h1.question:has-text("${asked.replace(/"/g, '\\"')}")`, 180_000);
    await frame.locator('[role=gridcell]').first().waitFor({ state: 'visible', timeout: 180_000 });

    await editor.runCommand('Onchain SQL: Ask a Question');
    await editor.answerInput(QUESTION);
    await editor.frameWith(`h1.question:has-text("${QUESTION}")`, 180_000);
    // The History view lists both answers, newest first.
    await editor.runCommand('Onchain SQL: Focus on History View');
    const rows = editor.page.locator('.pane-body .monaco-list-row', { hasText: QUESTION });
    await rows.first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(await editor.page.locator('.pane-body .monaco-list-row', { hasText: asked }).first().isVisible());
    await editor.shot('code-server-history-view');
    // Another answer in the panel, then one click on the history entry brings the first back.
    await editor.runCommand('Onchain SQL: Ask a Question');
    await editor.answerInput('How many transactions happened today?');
    await editor.frameWith('h1.question:has-text("How many transactions happened today?")', 180_000);
    await rows.first().click();
    frame = await editor.frameWith(`h1.question:has-text("${QUESTION}")`, 180_000);
    await frame.locator('.big-number-value, [role=gridcell]').first().waitFor({ state: 'visible', timeout: 120_000 });
    await editor.shot('code-server-history-reopened');
    assert.deepEqual(editor.dialogs, []);
  });
});

test('@onchain answers in the Chat view of an editor without Copilot', { timeout: 600_000 }, async () => {
  await editor.step('onchain-chat', async () => {
    const page = editor.page;
    await editor.runCommand('Chat: Open Chat', 60_000).catch(() => editor.runCommand('View: Toggle Chat'));
    await page.waitForTimeout(3_000);
    await editor.shot('code-server-chat-view-opened');
    const input = page.locator('.interactive-input-part .monaco-editor textarea, .chat-input-container textarea, .interactive-input-editor textarea').first();
    await input.waitFor({ state: 'attached', timeout: 60_000 });
    await input.focus();
    await page.keyboard.type('@onchain /schema');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(5_000);
    await editor.shot('code-server-onchain-schema');
    const response = page.locator('.interactive-response, .chat-response, .interactive-item-container').last();
    await response.waitFor({ state: 'visible', timeout: 120_000 });
    await page.locator('.interactive-item-container', { hasText: 'ethereum.transactions' }).last().waitFor({ state: 'visible', timeout: 120_000 });
    await input.focus();
    await page.keyboard.type(`@onchain ${QUESTION}`);
    await page.keyboard.press('Enter');
    await page.locator('.interactive-item-container', { hasText: /offline translator|rows?/ }).last().waitFor({ state: 'visible', timeout: 180_000 });
    await editor.shot('code-server-onchain-answer');
    assert.deepEqual(editor.dialogs, []);
  });
});

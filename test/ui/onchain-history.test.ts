// UI in code-server (no GitHub Copilot, so the editor has no chat model): an
// answer is kept in the History view and one click reopens it in the panel; a
// refusal's suggestion is a button that re-asks, in the panel and the sidebar
// chat (the way in where the Chat view cannot reach @onchain).
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openEditor, type Editor } from './support/editor.js';

let editor: Editor;
before(async () => { editor = await openEditor(); }, { timeout: 300_000 });
after(async () => { await editor?.close(); });

const QUESTION = 'How many blocks were produced in the last 24 hours?';

test('a refusal in the panel offers suggestions that re-ask; the answer is kept in History and reopens with one click', { timeout: 900_000 }, async () => {
  // One more try, loudly, when the workbench went inert under a passing notification on a loaded
  // machine (seen on cold CI-like runs): every assertion is made again in full on the second try.
  try {
    await historyFlow();
  } catch (e) {
    console.warn(`!!! history flow failed once, retrying from a closed palette: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    for (let i = 0; i < 3; i++) await editor.page.keyboard.press('Escape');
    await historyFlow();
  }
});

async function historyFlow(): Promise<void> {
  await editor.step('history', async () => {
    await editor.commandWithInput('Onchain SQL: Ask a Question', 'What is the meaning of life, the universe and everything?');
    let frame = await editor.frameWith('.error-box button.suggestion', 180_000);
    await editor.shot('code-server-panel-refusal');
    const suggestion = frame.locator('.error-box button.suggestion').first();
    const asked = (await suggestion.innerText()).trim();
    await suggestion.click();
    frame = await editor.frameWith(`h1.question:has-text("${asked.replace(/"/g, '\\"')}")`, 180_000);
    await frame.locator('[role=gridcell]').first().waitFor({ state: 'visible', timeout: 180_000 });

    await editor.commandWithInput('Onchain SQL: Ask a Question', QUESTION);
    await editor.frameWith(`h1.question:has-text("${QUESTION}")`, 180_000);
    // The History view lists both answers, newest first.
    await editor.runCommand('Onchain SQL: Focus on History View');
    const rows = editor.page.locator('.pane-body .monaco-list-row', { hasText: QUESTION });
    await rows.first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(await editor.page.locator('.pane-body .monaco-list-row', { hasText: asked }).first().isVisible());
    await editor.shot('code-server-history-view');
    // Another answer in the panel, then one click on the history entry brings the first back.
    await editor.commandWithInput('Onchain SQL: Ask a Question', 'How many transactions happened today?');
    await editor.frameWith('h1.question:has-text("How many transactions happened today?")', 180_000);
    await rows.first().click();
    frame = await editor.frameWith(`h1.question:has-text("${QUESTION}")`, 180_000);
    await frame.locator('.big-number-value, [role=gridcell]').first().waitFor({ state: 'visible', timeout: 120_000 });
    await editor.shot('code-server-history-reopened');
    assert.deepEqual(editor.dialogs, []);
  });
}

test('without Copilot the sidebar chat is the way in: a question gets an answer with its SQL and the way forward', { timeout: 600_000 }, async () => {
  // The editor's Chat view cannot reach @onchain here (its model menu offers only "Sign in to use
  // Copilot" and requests are never sent: see README). The Onchain SQL sidebar chat answers instead.
  await editor.step('sidebar-chat-no-copilot', async () => {
    await editor.runCommand('View: Show Onchain SQL');
    const frame = await editor.frameWith('textarea', 120_000);
    await frame.locator('textarea').fill('What is the meaning of life, the universe and everything?');
    await frame.locator('textarea').press('Enter');
    const suggestion = frame.locator('.turn.error button.suggestion').first();
    await suggestion.waitFor({ state: 'visible', timeout: 180_000 });
    const asked = (await suggestion.innerText()).trim();
    await suggestion.click();
    await frame.locator('.turn.done .question', { hasText: asked }).waitFor({ state: 'visible', timeout: 180_000 });
    await frame.locator('.turn.done table').first().waitFor({ state: 'visible', timeout: 60_000 });
    await editor.shot('code-server-sidebar-chat-suggestion');
    assert.deepEqual(editor.dialogs, []);
  });
});

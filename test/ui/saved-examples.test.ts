// UI in code-server: an answer in the results panel is saved as an example with
// the keyboard ("Save as example"), is kept in this workspace's storage; saved
// again from the sidebar chat it replaces the pair; "Onchain SQL: Manage Saved
// Examples" lists it and deletes it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { openEditor, type Editor } from './support/editor.js';

let editor: Editor;
before(async () => { editor = await openEditor(); }, { timeout: 300_000 });
after(async () => { await editor?.close(); });

const QUESTION = 'How many failed transactions in the last 7 days?';

function findFiles(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? findFiles(p, name) : e.name === name ? [p] : [];
  });
}

test('Save as example in the panel and the chat; Manage Saved Examples lists it once and deletes it', { timeout: 900_000 }, async () => {
  await editor.step('saved-examples', async () => {
    await editor.runCommand('Onchain SQL: Ask a Question');
    await editor.answerInput(QUESTION);
    const frame = await editor.frameWith(`h1.question:has-text("${QUESTION}")`, 180_000);
    // The answer sentence names the filter and the window it used.
    await frame.locator('.answer-summary', { hasText: /^Failed transactions in the last 7 days: [\d,]+\.$/ }).waitFor({ state: 'visible', timeout: 180_000 });
    const save = frame.locator('#save-example');
    await save.waitFor({ state: 'visible', timeout: 60_000 });
    // Keyboard reachable: focused and pressed with Enter, as a keyboard user would.
    await save.focus();
    await save.press('Enter');
    try {
      await frame.locator('.toast', { hasText: 'Saved as an example for this workspace.' }).waitFor({ state: 'visible', timeout: 60_000 });
    } catch (e) {
      // What the extension logged, to say why nothing was saved.
      for (const log of findFiles(path.dirname(editor.workspace), 'Onchain SQL.log')) console.error(fs.readFileSync(log, 'utf8').slice(-3000));
      throw e;
    }
    await editor.shot('code-server-saved-example');

    // Kept per workspace: in this workspace's storage folder, one pair.
    const files = findFiles(path.dirname(editor.workspace), 'saved-examples.jsonl');
    assert.equal(files.length, 1, `one saved-examples file, found ${files.join(', ')}`);
    assert.match(files[0], /workspaceStorage/);
    const saved = fs.readFileSync(files[0], 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { question: string; sql: string });
    assert.equal(saved.length, 1);
    assert.equal(saved[0].question, QUESTION);
    assert.match(saved[0].sql, /not success/);

    // The same question saved again from the sidebar chat replaces the pair, not adds one.
    await editor.runCommand('View: Show Onchain SQL');
    const chat = await editor.frameWith('textarea', 120_000);
    await chat.locator('textarea').fill(QUESTION);
    await chat.locator('textarea').press('Enter');
    const turn = chat.locator('.turn.done', { hasText: QUESTION }).last();
    await turn.waitFor({ state: 'visible', timeout: 180_000 });
    const before = fs.statSync(files[0]).mtimeMs;
    await turn.locator('button', { hasText: 'Save as example' }).click();
    const deadline = Date.now() + 60_000;
    while (fs.statSync(files[0]).mtimeMs === before) {
      assert.ok(Date.now() < deadline, 'the chat\'s Save as example wrote the file within 60 s');
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(fs.readFileSync(files[0], 'utf8').trim().split('\n').length, 1, 'one pair for the question');

    await editor.runCommand('Onchain SQL: Manage Saved Examples');
    const row = editor.page.locator('.quick-input-list .monaco-list-row', { hasText: QUESTION }).first();
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await editor.page.locator('.quick-input-list .monaco-list-row').count(), 1);
    await editor.shot('code-server-manage-saved-examples');
    await row.hover();
    await row.locator('.action-label[aria-label="Delete Example"], .action-label[title="Delete Example"]').first().click();
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(fs.readFileSync(files[0], 'utf8').trim(), '');
    await editor.page.keyboard.press('Escape');
    assert.deepEqual(editor.dialogs, []);
  });
});

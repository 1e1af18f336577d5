// UI: the sidebar chat answers a question, then a follow-up, in one conversation.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { openEditor, type Editor } from './support/editor.js';

let editor: Editor;
before(async () => { editor = await openEditor(); }, { timeout: 300_000 });
after(async () => { await editor?.close(); });

async function ask(frame: Frame, question: string): Promise<void> {
  const input = frame.locator('textarea').first();
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(question);
  await input.press('Enter');
}

/** Answers in the conversation that carry a result table (compact table or grid). */
const answerTables = (frame: Frame) => frame.locator('table, [role=grid]');

test('the sidebar chat answers a question and a follow-up', { timeout: 600_000 }, async () => {
  await editor.step('sidebar-chat', async () => {
    await editor.runCommand('View: Show Onchain SQL');
    const frame = await editor.frameWith('textarea', 120_000);
    await ask(frame, 'Top 5 tokens by number of transfers in the last 7 days');
    await answerTables(frame).first().waitFor({ state: 'visible', timeout: 180_000 });
    const first = await answerTables(frame).count();
    await frame.getByText(/select/i).first().waitFor({ state: 'attached', timeout: 10_000 }); // the SQL is there (collapsible)
    await ask(frame, 'and in the last 24 hours?');
    await frame.waitForFunction((n) => document.querySelectorAll('table, [role=grid]').length > n, first, { timeout: 180_000 });
    const cells = await frame.locator('td, [role=gridcell]').count();
    assert.ok(cells > 0, 'the follow-up answer has no table cells');
    await editor.shot('sidebar-chat');
    assert.deepEqual(editor.dialogs, []);
  });
});

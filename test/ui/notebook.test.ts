// UI: the example notebook runs (Run All) and every cell gets an output.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openEditor, type Editor } from './support/editor.js';

let editor: Editor;
before(async () => { editor = await openEditor(); }, { timeout: 300_000 });
after(async () => { await editor?.close(); });

test('the example notebook runs with outputs', { timeout: 300_000 }, async () => {
  const { page } = editor;
  await editor.openFile('getting-started.onchain-nb');
  await page.locator('.notebook-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
  const codeCells = await page.locator('.notebook-editor .code-cell-row').count();
  assert.ok(codeCells >= 2, `expected the example's question and SQL cells, found ${codeCells}`);
  await editor.runCommand('Notebook: Run All');
  // Each executed cell shows a success tick in its status bar; outputs render in the notebook's webview.
  await page.waitForFunction((n) => document.querySelectorAll('.notebook-editor .code-cell-row .codicon-notebook-state-success').length >= n,
    codeCells, { timeout: 240_000, polling: 1000 });
  const failed = await page.locator('.notebook-editor .code-cell-row .codicon-notebook-state-error').count();
  assert.equal(failed, 0, 'a cell failed');
  const output = await editor.frameWith('table, [role=gridcell]', 60_000);
  assert.ok(await output.locator('td, [role=gridcell]').count() > 0, 'no table cells in the outputs');
  await editor.shot('notebook-run-all');
  assert.deepEqual(editor.dialogs, []);
});

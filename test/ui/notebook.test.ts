// UI: the example notebook runs (Run All) and every cell gets an output.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../scripts/code-server.mjs';
import { openEditor, type Editor } from './support/editor.js';

// Question and SQL cells in examples/getting-started.onchain-nb.
const CODE_CELLS = (fs.readFileSync(path.join(REPO_ROOT, 'examples', 'getting-started.onchain-nb'), 'utf8').match(/^```(question|sql)\s*$/gm) ?? []).length;

let editor: Editor;
before(async () => { editor = await openEditor(); }, { timeout: 300_000 });
after(async () => { await editor?.close(); });

test('the example notebook runs with outputs', { timeout: 600_000 }, async () => {
  await editor.step('notebook', async () => {
    const { page } = editor;
    await editor.openFile('getting-started.onchain-nb');
    // The cells appear once the extension host has activated the notebook serializer.
    await page.locator('.notebook-editor .code-cell-row').first().waitFor({ state: 'visible', timeout: 180_000 });
    await editor.runCommand('Notebook: Run All');
    // Every code cell gets an execution order [n] and a check (or an error mark) in its status bar. The
    // cell list is virtualized, so scroll through it while collecting what has been seen.
    const seen = new Set<string>();
    let errors = 0;
    let pass = 0;
    const deadline = Date.now() + 240_000;
    while (seen.size < CODE_CELLS && Date.now() < deadline) {
      const rows = await page.evaluate(() => [...document.querySelectorAll('.notebook-editor .code-cell-row')].map((row) => ({
        order: /\[(\d+)\]/.exec(row.querySelector('.cell-execution-order')?.textContent ?? '')?.[1],
        ok: !!row.querySelector('.codicon-notebook-state-success'),
        error: !!row.querySelector('.codicon-notebook-state-error'),
      })));
      for (const r of rows) {
        if (r.order && r.ok) seen.add(r.order);
        if (r.error) errors++;
      }
      await page.locator('.notebook-editor .monaco-list').first().hover();
      await page.mouse.wheel(0, ++pass % 5 === 0 ? -10_000 : 600); // down, and every fifth pass back to the top
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(errors, 0, 'a cell failed');
    assert.equal(seen.size, CODE_CELLS, `only ${seen.size} of ${CODE_CELLS} code cells finished: ${[...seen].join(', ')}`);
    const output = await editor.frameWith('table, [role=gridcell]', 60_000);
    assert.ok(await output.locator('td, [role=gridcell]').count() > 0, 'no table cells in the outputs');
    await editor.shot('notebook-run-all');
    assert.deepEqual(editor.dialogs, []);
  });
});

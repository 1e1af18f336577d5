// Results panel, export and chat persistence inside a real VS Code extension host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportResult } from '../../../src/core/export.js';
import { turnFromAnswer } from '../../../src/extension/webviews/chatView.js';
import { CHAT_ROWS_KEPT } from '../../../src/webview/protocol.js';
import { api, waitFor } from './helpers.js';

function resultsTab(): vscode.Tab | undefined {
  for (const g of vscode.window.tabGroups.all) {
    for (const t of g.tabs) if (t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('onchainSql.results')) return t;
  }
  return undefined;
}

suite('Results panel and export', () => {
  test('Run SQL opens the results panel (a webview) titled after the query', async () => {
    await api();
    await vscode.commands.executeCommand('onchainSql.runSql', 'SELECT block_number, block_time FROM ethereum.blocks ORDER BY block_number LIMIT 50');
    const tab = await waitFor('the results panel tab', resultsTab);
    assert.match(tab.label, /^Onchain SQL/);
  });

  test('export streams every row to CSV and Parquet through the session', async () => {
    const { session } = await api();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-export-it-'));
    try {
      const sql = 'SELECT block_number, block_hash FROM ethereum.blocks ORDER BY block_number LIMIT 1234';
      const csv = await exportResult(session, sql, { format: 'csv', file: path.join(dir, 'r.csv'), pageSize: 500 });
      assert.equal(csv.rows, 1234);
      assert.equal(fs.readFileSync(path.join(dir, 'r.csv'), 'utf8').trimEnd().split('\r\n').length, 1235);
      const pq = await exportResult(await session.getEngine(), sql, { format: 'parquet', file: path.join(dir, 'r.parquet') });
      assert.equal(pq.rows, 1234);
      assert.equal(fs.readFileSync(path.join(dir, 'r.parquet')).subarray(0, 4).toString(), 'PAR1');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a chat turn keeps only the first rows, long strings cut', async () => {
    const { session } = await api();
    const answer = await session.runSql("SELECT block_number, repeat('x', 5000) AS long_text FROM ethereum.blocks LIMIT 200");
    const turn = turnFromAnswer('q', answer);
    assert.equal(turn.rows?.length, CHAT_ROWS_KEPT);
    assert.ok(JSON.stringify(turn).length < 40_000, `stored turn is ${JSON.stringify(turn).length} chars`);
  });
});

// Smoke: the extension is installed in a real VS Code, activates, and registers its commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'onchain-sql.onchain-sql';

suite('Smoke', () => {
  test('the extension is present', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not installed`);
  });

  test('it activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('the Ask command is registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('onchainSql.ask'), 'onchainSql.ask is not registered');
  });
});

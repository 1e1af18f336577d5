// The Anthropic key: only in SecretStorage; nowhere in settings, logs, notebooks or results.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SECRET_KEY } from '../../../src/extension/secrets.js';
import { api, setSetting } from './helpers.js';

/** Every regular file under dir (bounded), for searching. */
function files(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || !fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files(p, out, depth + 1);
    else if (e.isFile() && fs.statSync(p).size < 20_000_000) out.push(p);
  }
  return out;
}

function containing(paths: string[], needle: string): string[] {
  return paths.filter((p) => {
    try {
      return fs.readFileSync(p).includes(needle);
    } catch {
      return false;
    }
  });
}

suite('Secrets', () => {
  const key = `sk-ant-api03-${crypto.randomBytes(24).toString('hex')}`;
  // The tail alone must not leak either (e.g. a log that cut the prefix).
  const tail = key.slice(-24);

  suiteTeardown(async () => {
    await setSetting('provider', undefined);
    await setSetting('apiBaseUrl', undefined);
    await vscode.commands.executeCommand('onchainSql.clearApiKey');
  });

  test('the key round-trips through SecretStorage and appears nowhere else', async function () {
    this.timeout(120_000);
    const { session } = await api();
    const ctx = session.context;
    assert.equal(await vscode.commands.executeCommand('onchainSql.setApiKey', key), true);
    assert.equal(await ctx.secrets.get(SECRET_KEY), key);
    assert.equal(await session.keys.get(), key);
    assert.match(await session.providerLabel(), /Claude/);

    // Use it: Claude pointed at a closed local port fails fast; its error text must not carry the key.
    await setSetting('provider', 'claude');
    await setSetting('apiBaseUrl', 'http://127.0.0.1:9');
    let message = '';
    try {
      await session.ask('How many transactions happened today?', { userAction: true });
    } catch (e) {
      message = e instanceof Error ? `${e.message} ${JSON.stringify(e)}` : String(e);
    }
    assert.ok(message, 'the request to a closed port should fail');
    assert.ok(!message.includes(tail), 'the key is in the error text');
    session.output.info(`test line mentioning ${key} must be redacted`);

    // Results and a saved notebook after a run with the key set.
    await setSetting('provider', 'offline');
    const answer = await session.ask('How many blocks were produced in the last 24 hours?');
    assert.ok(!JSON.stringify(answer).includes(tail));
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? ctx.globalStorageUri.fsPath;
    const nbFile = vscode.Uri.file(path.join(ws, `secrets-${Date.now()}.onchain-nb`));
    await vscode.workspace.fs.writeFile(nbFile, new Uint8Array());
    const saved = await vscode.workspace.openNotebookDocument(nbFile);
    const edit = new vscode.WorkspaceEdit();
    edit.set(saved.uri, [vscode.NotebookEdit.insertCells(0, [
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, answer.question, 'onchain-question'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, answer.sql, 'sql'),
    ])]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await saved.save());
    assert.match(fs.readFileSync(nbFile.fsPath, 'utf8'), /```question/);

    // Let the log channel flush to disk.
    await new Promise((r) => setTimeout(r, 1_500));
    // logUri = <logs>/<session>/<window>/exthost/<extension id>: search the whole session's logs.
    const logsRoot = path.resolve(ctx.logUri.fsPath, '..', '..', '..');
    const logFiles = files(logsRoot);
    const ours = logFiles.filter((f) => /onchain/i.test(f));
    assert.ok(ours.length > 0, `no Onchain SQL log file under ${logsRoot}`);
    assert.ok(containing(ours, 'redacted').length > 0, 'the test line did not reach the log file');
    // globalStorageUri = <user data>/User/globalStorage/<id>: settings.json sits in <user data>/User.
    const userDir = path.resolve(ctx.globalStorageUri.fsPath, '..', '..');
    const settingsFiles = [path.join(userDir, 'settings.json'), ...files(path.join(ws, '.vscode'))];
    const searched = [...logFiles, ...settingsFiles.filter((f) => fs.existsSync(f)), nbFile.fsPath, ...files(ctx.globalStorageUri.fsPath)];
    assert.deepEqual(containing(searched, tail), [], 'the key leaked into these files');
    assert.ok(searched.length > 3);

    assert.equal(await vscode.commands.executeCommand('onchainSql.clearApiKey'), true);
    assert.equal(await ctx.secrets.get(SECRET_KEY), undefined);
    if (!process.env.ANTHROPIC_API_KEY) assert.equal(await session.keys.get(), undefined);
  });
});

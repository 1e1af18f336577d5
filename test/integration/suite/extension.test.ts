// The extension host side: activation, commands, Ask through the command API, schema tree, snapshot switching.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Answer } from '../../../src/core/answer.js';
import { catalog } from '../../../src/core/schema/catalog.js';
import { SchemaTreeProvider, type SchemaNode } from '../../../src/extension/schemaTree.js';
import { api, EXTENSION_ID, setSetting } from './helpers.js';

suite('Extension host', () => {
  suiteSetup(async () => {
    await setSetting('provider', 'offline');
  });
  suiteTeardown(async () => {
    await setSetting('provider', undefined);
    await setSetting('snapshotPath', undefined);
  });

  test('activates fast, without loading DuckDB, and returns its API', async () => {
    const a = await api();
    assert.equal(a.commandsReady, true);
    assert.equal(a.duckdbLoadedAtActivation, false, 'activation loaded the DuckDB native binding');
    // Lines with the mocha prefix reach the launcher's output.
    console.log(`[mocha]       activation: ${a.activationMs} ms (activate() only; DuckDB not loaded)`);
  });

  test('every contributed command is registered', async () => {
    await api();
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = pkg.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 15);
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
  });

  test('Ask through the command returns an Answer with rows (offline provider)', async () => {
    await api();
    const answer = await vscode.commands.executeCommand<Answer>('onchainSql.ask', 'How many blocks were produced in the last 24 hours?');
    assert.ok(answer, 'no answer returned');
    assert.equal(answer.provider, 'offline');
    assert.match(answer.sql, /ethereum\.blocks/i);
    assert.equal(answer.rowCount, 1);
    const n = Number(answer.rows[0][0]);
    assert.ok(n > 1000, `expected thousands of blocks in 24 h, got ${n}`);
  });

  test('Ask with a question the core refuses rejects with its code', async () => {
    await api();
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('onchainSql.ask', 'What is the meaning of life, the universe and everything?')),
      (e: Error) => /cannot|answer/i.test(e.message),
    );
  });

  test('runSql through the session gives the same Answer shape', async () => {
    const { session } = await api();
    const a = await session.runSql('SELECT count(*) AS n FROM ethereum.blocks');
    assert.deepEqual(a.columns.map((c) => c.name), ['n']);
    assert.ok(Number(a.rows[0][0]) > 0);
    assert.deepEqual(a.attempts, [{ sql: a.sql }]);
    await assert.rejects(session.runSql('DROP TABLE ethereum.blocks'));
  });

  test('Explain SQL without a model gives the structural reading', async () => {
    await api();
    const ex = await vscode.commands.executeCommand<{ markdown: string; source: string }>('onchainSql.explainSql', "SELECT symbol, count(*) FROM tokens.transfers WHERE block_time > snapshot_time() - INTERVAL 7 DAY GROUP BY 1 ORDER BY 2 DESC LIMIT 5");
    assert.equal(ex.source, 'structure');
    assert.match(ex.markdown, /tokens\.transfers/);
    assert.match(ex.markdown, /Groups by/);
    assert.match(ex.markdown, /snapshot_time\(\)/);
  });

  test('Preview Table and Open in Panel run without error; an unknown table is refused', async () => {
    await api();
    await vscode.commands.executeCommand('onchainSql.previewTable', 'ethereum.blocks');
    await vscode.commands.executeCommand('onchainSql.openInPanel', { question: 'blocks', sql: 'SELECT block_number FROM ethereum.blocks LIMIT 3' });
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('onchainSql.previewTable', 'nope.table')));
  });

  test('the schema tree lists namespaces, tables and typed columns from the catalog', () => {
    const tree = new SchemaTreeProvider();
    const namespaces = tree.getChildren();
    assert.deepEqual(namespaces.map((n) => (n as { namespace: string }).namespace), [...new Set(catalog.tables.map((t) => t.namespace))]);
    const tables = namespaces.flatMap((n) => tree.getChildren(n));
    assert.equal(tables.length, catalog.tables.length);
    const cols = tree.getChildren(tables[0]) as Extract<SchemaNode, { kind: 'column' }>[];
    assert.equal(cols.length, catalog.tables[0].columns.length);
    const item = tree.getTreeItem(cols[0]);
    assert.equal(item.description, catalog.tables[0].columns[0].type);
    // A click only selects: inserting is an explicit action (context menu / inline button).
    assert.equal(item.command, undefined);
    assert.equal(item.contextValue, 'onchainSql.column');
    assert.ok(item.tooltip instanceof vscode.MarkdownString && item.tooltip.isTrusted !== true);
  });

  test('Choose Snapshot refuses a folder without manifest.json and switches back to the sample', async () => {
    const { session } = await api();
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-not-a-snapshot-'));
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('onchainSql.chooseSnapshot', empty)), /manifest\.json/);
    assert.equal(session.activeSnapshot().isSample, true);
    // The sample itself is a valid folder to choose explicitly, and '' goes back to the bundled sample.
    const sample = session.sampleDir();
    await vscode.commands.executeCommand('onchainSql.chooseSnapshot', sample);
    assert.equal(session.activeSnapshot().dir, sample);
    assert.equal(session.activeSnapshot().isSample, false);
    const a = await session.runSql('SELECT count(*) FROM ethereum.blocks');
    assert.ok(Number(a.rows[0][0]) > 0);
    await vscode.commands.executeCommand('onchainSql.chooseSnapshot', '');
    assert.equal(session.activeSnapshot().isSample, true);
    assert.equal(session.activeSnapshot().label, 'sample (synthetic)');
    fs.rmSync(empty, { recursive: true, force: true });
  });

  test('Build Sample builds a small snapshot through a progress notification, and it can be chosen', async function () {
    this.timeout(180_000);
    const { session } = await api();
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-build-'));
    const out = path.join(parent, 'tiny');
    let fired = 0;
    const sub = session.onDidChangeSnapshot(() => fired++);
    const manifest = await session.buildSample({ scale: 0.02, outDir: out });
    sub.dispose();
    assert.equal(manifest.synthetic, true);
    assert.ok(fs.existsSync(path.join(out, 'manifest.json')));
    assert.deepEqual(fs.readdirSync(parent), ['tiny'], 'no temporary build folder left behind');
    assert.equal(fired, 0, 'building a folder that is not active does not switch snapshots');
    await vscode.commands.executeCommand('onchainSql.chooseSnapshot', out);
    assert.equal(session.activeSnapshot().dir, out);
    const a = await session.runSql('SELECT count(*) FROM ethereum.transactions');
    assert.ok(Number(a.rows[0][0]) > 0);
    assert.equal(Number(a.rows[0][0]), manifest.rowCounts['ethereum.transactions'] ?? Number(a.rows[0][0]));
    await vscode.commands.executeCommand('onchainSql.chooseSnapshot', '');
    fs.rmSync(parent, { recursive: true, force: true });
  });

  test('Import Snapshot turns the ethereum-etl fixture into a snapshot that can be chosen and queried', async function () {
    this.timeout(120_000);
    // The real two-block mainnet export in the repo; its CSV files alone (the folder also holds the
    // same blocks as stream JSON, which the importer rightly refuses as a mixed export).
    const fixture = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'ethereum-etl-mainnet-17173049'); // out/test/ at run time
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-import-'));
    const csv = path.join(parent, 'export');
    fs.mkdirSync(csv);
    for (const f of fs.readdirSync(fixture).filter((n) => n.endsWith('.csv'))) fs.copyFileSync(path.join(fixture, f), path.join(csv, f));
    const { session } = await api();
    const out = path.join(parent, 'etl');
    const manifest = await session.importSnapshot('ethereum-etl', csv, out);
    assert.equal(manifest.source, 'ethereum-etl');
    await vscode.commands.executeCommand('onchainSql.chooseSnapshot', out);
    assert.match(session.activeSnapshot().label, /^etl · ethereum · 17173049/);
    const a = await session.runSql('SELECT count(*) AS n, min(block_number) AS first FROM ethereum.blocks');
    assert.deepEqual(a.rows[0].map(Number), [2, 17173049]);
    await vscode.commands.executeCommand('onchainSql.chooseSnapshot', '');
    fs.rmSync(parent, { recursive: true, force: true });
  });

  test('Insert into Notebook opens a notebook with a question cell and a SQL cell', async () => {
    await api();
    await vscode.commands.executeCommand('onchainSql.insertIntoNotebook', { question: 'How many blocks?', sql: 'SELECT count(*) FROM ethereum.blocks' });
    const nb = vscode.window.activeNotebookEditor?.notebook;
    assert.ok(nb, 'no notebook editor');
    assert.equal(nb.notebookType, 'onchain-sql-notebook');
    const cells = nb.getCells().map((c) => [c.document.languageId, c.document.getText()]);
    assert.deepEqual(cells.slice(-2), [['onchain-question', 'How many blocks?'], ['sql', 'SELECT count(*) FROM ethereum.blocks']]);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

suite('Answer history', () => {
  suiteSetup(async () => {
    await setSetting('provider', 'offline');
  });
  suiteTeardown(async () => {
    await setSetting('provider', undefined);
  });

  test('every answer is kept (question, SQL, provider, rows, time), searchable, and cleared on demand; no key-shaped text', async () => {
    const { history } = await api();
    await vscode.commands.executeCommand('onchainSql.clearHistory', 'force');
    assert.equal(history.entries().length, 0);
    const answer = await vscode.commands.executeCommand<Answer>('onchainSql.ask', 'How many blocks were produced in the last 24 hours?');
    // recorded asynchronously: wait for the entry
    for (let i = 0; i < 50 && history.entries().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const [e] = history.entries();
    assert.equal(e.question, answer.question);
    assert.equal(e.sql, answer.sql);
    assert.equal(e.provider, 'offline');
    assert.equal(e.rowCount, answer.rowCount);
    assert.ok(Date.now() - Date.parse(e.at) < 60_000);
    assert.equal(history.search('blocks 24').length, 1);
    assert.equal(history.search('usdc').length, 0);
    assert.doesNotMatch(JSON.stringify(history.entries()), /sk-ant-/);
    assert.equal(await vscode.commands.executeCommand('onchainSql.clearHistory', 'force'), true);
    assert.equal(history.entries().length, 0);
  });
});

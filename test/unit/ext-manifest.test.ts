import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CLAUDE_MODEL } from '../../src/core/nl2sql/claude.js';
import { RESULT_MIME } from '../../src/webview/protocol.js';

const root = path.join(__dirname, '../..');
/** The parts of package.json these tests read. */
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; category: string; title: string }[];
    configuration: { properties: Record<string, { description?: string; default?: unknown; scope?: string } | undefined> };
    views: Record<string, { id: string }[]>;
    notebooks: { type: string }[];
    notebookRenderer: { mimeTypes: string[] }[];
    chatParticipants: { id: string; commands: { name: string }[] }[];
    walkthroughs: { steps: { media: { markdown: string } }[] }[];
    viewsContainers: { activitybar: { icon: string }[] };
  };
}
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const c = pkg.contributes;

test('the agreed command ids exist, each in the "Onchain SQL" category', () => {
  const ids = c.commands.map((x: { command: string }) => x.command);
  for (const id of ['ask', 'runSql', 'explainSql', 'showSchema', 'previewTable', 'chooseSnapshot', 'importSnapshot', 'buildSample', 'setApiKey', 'clearApiKey', 'exportResults', 'insertIntoNotebook', 'openInPanel', 'newNotebook', 'cancel']) {
    assert.ok(ids.includes(`onchainSql.${id}`), id);
  }
  for (const x of c.commands) assert.equal(x.category, 'Onchain SQL', x.command);
  const ask = c.commands.find((x) => x.command === 'onchainSql.ask');
  assert.equal(`${ask?.category}: ${ask?.title}`, 'Onchain SQL: Ask a Question');
});

test('settings: every one described; the model default is the core\'s', () => {
  const props = c.configuration.properties;
  for (const k of ['provider', 'model', 'apiBaseUrl', 'maxRows', 'queryTimeoutSeconds', 'repairAttempts', 'snapshotPath']) {
    assert.ok(props[`onchainSql.${k}`]?.description, k);
  }
  assert.equal(props['onchainSql.model']?.default, DEFAULT_CLAUDE_MODEL);
  // A workspace must not be able to send the user's key to another server.
  assert.equal(props['onchainSql.apiBaseUrl']?.scope, 'application');
});

test('views, notebook, renderer, chat participant and walkthrough are wired to real files and ids', () => {
  assert.deepEqual(c.views.onchainSql.map((v: { id: string }) => v.id).sort(), ['onchainSql.chat', 'onchainSql.history', 'onchainSql.schema']);
  assert.equal(c.notebooks[0].type, 'onchain-sql-notebook');
  assert.deepEqual(c.notebookRenderer[0].mimeTypes, [RESULT_MIME]);
  assert.equal(c.chatParticipants[0].id, 'onchain-sql.onchain');
  assert.deepEqual(c.chatParticipants[0].commands.map((x: { name: string }) => x.name), ['sql', 'explain', 'schema']);
  assert.equal(c.walkthroughs[0].steps.length, 3);
  for (const s of c.walkthroughs[0].steps) assert.ok(fs.existsSync(path.join(root, s.media.markdown)), s.media.markdown);
  assert.ok(fs.existsSync(path.join(root, c.viewsContainers.activitybar[0].icon)));
  assert.deepEqual(pkg.activationEvents, []);
});

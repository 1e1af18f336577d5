import * as vscode from 'vscode';
import { affectsEngine, clickhouseEngineLabel } from './clickhouseConnection.js';
import type { Session } from './session.js';
import { SECTION } from './settings.js';

/**
 * "$(database) sample (synthetic)" or the folder, chain and block range; click ⇒ Choose Snapshot.
 * With the ClickHouse engine: "$(server) ClickHouse db @ host" instead (the snapshot is not used); click ⇒ the engine setting.
 */
export function createSnapshotStatus(session: Session): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('onchainSql.snapshot', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Onchain SQL Snapshot';
  const update = async () => {
    const provider = await session.providerLabel().catch(() => 'unknown');
    const clickhouse = clickhouseEngineLabel();
    if (clickhouse) {
      item.text = `$(server) ${clickhouse}`;
      item.command = { command: 'workbench.action.openSettings', title: 'Engine settings', arguments: [`${SECTION}.engine`] };
      item.tooltip = `Onchain SQL engine: ${clickhouse}\nQuestions run on this ClickHouse server, not on a local snapshot.\nAnswers by: ${provider}\n\nClick to change the engine (onchainSql.engine).`;
      item.accessibilityInformation = { label: `Onchain SQL engine ${clickhouse}. Answers by ${provider}. Change the engine.`, role: 'button' };
      item.show();
      return;
    }
    item.command = 'onchainSql.chooseSnapshot';
    const s = session.activeSnapshot();
    item.text = `$(database) ${s.label}`;
    const lines = [`Onchain SQL snapshot: ${s.dir}`];
    if (s.manifest) {
      lines.push(`Chain: ${s.manifest.chain}${s.manifest.synthetic ? ' (synthetic sample)' : ''}`);
      if (s.manifest.blockRange) lines.push(`Blocks: ${s.manifest.blockRange.first} – ${s.manifest.blockRange.last}`);
      if (s.manifest.timeRange) lines.push(`Time: ${s.manifest.timeRange.first} – ${s.manifest.timeRange.last} UTC`);
    } else if (s.isSample) {
      lines.push('The sample is built on first use.');
    }
    lines.push(`Answers by: ${provider}`, '', 'Click to choose another snapshot.');
    item.tooltip = lines.join('\n');
    item.accessibilityInformation = { label: `Onchain SQL snapshot ${s.label}. Answers by ${provider}. Choose another snapshot.`, role: 'button' };
    item.show();
  };
  void update();
  const subs = [
    session.onDidChangeSnapshot(() => void update()),
    session.onDidChangeProvider(() => void update()),
    // A switch to a folder without a manifest fires no snapshot event; show it anyway.
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(`${SECTION}.snapshotPath`) || affectsEngine(e)) void update(); }),
  ];
  return new vscode.Disposable(() => {
    for (const s of subs) s.dispose();
    item.dispose();
  });
}

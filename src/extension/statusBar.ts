import * as vscode from 'vscode';
import type { Session } from './session.js';

/** "$(database) sample (synthetic)" or the folder, chain and block range; click ⇒ Choose Snapshot. */
export function createSnapshotStatus(session: Session): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('onchainSql.snapshot', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Onchain SQL Snapshot';
  item.command = 'onchainSql.chooseSnapshot';
  const update = async () => {
    const s = session.activeSnapshot();
    item.text = `$(database) ${s.label}`;
    const provider = await session.providerLabel().catch(() => 'unknown');
    // Plain text, not a MarkdownString: its escaping (&nbsp;) reached the screen reader's label.
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
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('onchainSql.snapshotPath')) void update(); }),
  ];
  return new vscode.Disposable(() => {
    for (const s of subs) s.dispose();
    item.dispose();
  });
}

import * as vscode from 'vscode';
import { entryDescription, entryTitle, isHistoryEntry, type HistoryEntry } from '../../core/answerHistory.js';
import type { AnswerHistory } from '../history.js';
import { reopenNote, snapshotStamp } from '../../core/snapshotStamp.js';
import { ResultsPanel } from '../webviews/resultsPanel.js';
import { register, type CommandContext } from './context.js';

interface EntryItem extends vscode.QuickPickItem {
  entry: HistoryEntry;
}

/** Search, reopen and clear the answer history (src/extension/history.ts). */
export function registerHistoryCommands(c: CommandContext, history: AnswerHistory): vscode.Disposable[] {
  const reopen = async (e: HistoryEntry) => {
    // The rows are not kept: the SQL runs again on the snapshot, under the question it answered;
    // the panel says so when that snapshot is not the one the question was first asked on.
    const note = reopenNote(e, snapshotStamp(c.session.activeSnapshot()));
    await ResultsPanel.showSql(c.ext, c.session, e.sql, entryTitle(e), false, note ? [note] : []);
  };
  return [
    register(c, 'onchainSql.reopenHistory', 'Reopen Answer', async (arg?: unknown) => {
      if (isHistoryEntry(arg)) await reopen(arg);
    }),
    register(c, 'onchainSql.showHistory', 'Search History', async () => {
      const entries = history.entries();
      if (entries.length === 0) {
        void vscode.window.showInformationMessage('Onchain SQL: no answers yet in this workspace. Ask a question first.');
        return undefined;
      }
      const items: EntryItem[] = entries.map((entry) => ({
        entry,
        label: entryTitle(entry),
        description: entryDescription(entry, Date.now()),
        detail: entry.sql.replace(/\s+/g, ' ').slice(0, 200),
      }));
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Onchain SQL: answer history',
        placeHolder: 'Search questions and SQL; Enter reopens the answer in the panel',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (pick) await reopen(pick.entry);
      return pick?.entry;
    }),
    register(c, 'onchainSql.clearHistory', 'Clear History', async (arg?: unknown) => {
      // Tests pass "force"; people confirm.
      const sure = arg === 'force' || (await vscode.window.showWarningMessage(
        `Clear the ${history.entries().length} answers kept for this workspace?`, { modal: true }, 'Clear History')) === 'Clear History';
      if (sure) await history.clear();
      return sure;
    }),
  ];
}

// Every answer, kept per workspace (workspaceState). The rules of an entry (what
// it holds, the cap, repeats, search, never a secret) are the core's
// (core/answerHistory.ts); this module stores them, tells the editor, and shows
// them in the History view. Rows are not kept: reopening runs the SQL again.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { Answer } from '../core/answer.js';
import { entryDescription, entryOf, entryTitle, readEntries, searchEntries, withEntry, type HistoryEntry } from '../core/answerHistory.js';
import { isSnapshotStamp, type SnapshotStamp } from '../core/snapshotStamp.js';

export const HISTORY_KEY = 'onchainSql.history';
/** Context key set once an answer exists (the walkthrough's "Ask a question" step completes on it). */
export const ANSWERED_CONTEXT = 'onchainSql.hasAnswered';

export class AnswerHistory implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: () => readonly string[] = () => [],
    /** The snapshot answers run on now (stamped on each entry, so a reopen can say when it changed). */
    private readonly snapshot: () => SnapshotStamp | undefined = () => undefined,
  ) {
    if (this.entries().length) void vscode.commands.executeCommand('setContext', ANSWERED_CONTEXT, true);
  }

  entries(): HistoryEntry[] {
    return readEntries(this.state.get<unknown>(HISTORY_KEY));
  }

  /** Keeps an answer (a failed question is not an answer and is not kept). */
  async record(answer: Answer, surface: string): Promise<HistoryEntry> {
    let snapshot: SnapshotStamp | undefined;
    try { snapshot = this.snapshot(); } catch { /* an unreadable manifest: the entry is kept without a stamp */ }
    const entry = entryOf(answer, surface, { id: crypto.randomBytes(6).toString('hex'), at: new Date(), secrets: this.secrets(), snapshot });
    await this.state.update(HISTORY_KEY, withEntry(this.entries(), entry));
    void vscode.commands.executeCommand('setContext', ANSWERED_CONTEXT, true);
    this.changed.fire();
    return entry;
  }

  /** Entries whose question, resolved question or SQL contains every word of `query`. */
  search(query: string): HistoryEntry[] {
    return searchEntries(this.entries(), query);
  }

  async clear(): Promise<void> {
    await this.state.update(HISTORY_KEY, []);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

let current: AnswerHistory | undefined;

/** The workspace's history, set at activation (surfaces record into it). */
export function setAnswerHistory(h: AnswerHistory | undefined): void {
  current = h;
}

/** Records an answer if a history exists (it does after activation); never throws. */
export function recordAnswer(answer: Answer, surface: string): void {
  void current?.record(answer, surface).catch(() => undefined);
}

/** The History view: newest first; a click reopens the answer in the panel. */
export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryEntry> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly history: AnswerHistory) {
    this.onDidChangeTreeData = history.onDidChange;
  }

  getChildren(element?: HistoryEntry): HistoryEntry[] {
    return element ? [] : this.history.entries();
  }

  getTreeItem(e: HistoryEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(entryTitle(e), vscode.TreeItemCollapsibleState.None);
    item.id = e.id;
    item.description = entryDescription(e, Date.now());
    const tip = [entryTitle(e), e.resolvedQuestion ? `Asked as: ${e.question}` : '', isSnapshotStamp(e.snapshot) ? `Snapshot: ${e.snapshot.label}` : '', '', e.sql]
      .filter((l, i) => l || i === 3).join('\n');
    item.tooltip = tip;
    item.iconPath = new vscode.ThemeIcon(e.provider === 'user' ? 'database' : 'comment-discussion');
    item.contextValue = 'onchainSql.historyEntry';
    item.command = { command: 'onchainSql.reopenHistory', title: 'Reopen in Panel', arguments: [e] };
    item.accessibilityInformation = { label: `${entryTitle(e)}, ${entryDescription(e, Date.now())}` };
    return item;
  }
}

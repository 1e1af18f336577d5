// Every answer, kept per workspace (workspaceState): question, the standalone
// question a follow-up resolved to, SQL, provider, row count and time. Rows are
// not kept: reopening runs the SQL again on the snapshot. Searchable from a
// quick pick and the History view; cleared on demand. Entries hold no secret:
// the API key never enters an Answer, and key-shaped text is redacted anyway.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { Answer, SqlAuthor } from '../core/answer.js';
import { redactSecrets as redact } from '../core/text/redact.js';
import { isSnapshotStamp, type SnapshotStamp } from './historySnapshot.js';

export const HISTORY_KEY = 'onchainSql.history';
/** Entries kept at most (newest first); each is small (SQL ≤ 20,000 chars). */
export const HISTORY_MAX = 500;
const MAX_SQL_CHARS = 20_000;
/** Context key set once an answer exists (the walkthrough's "Ask a question" step completes on it). */
export const ANSWERED_CONTEXT = 'onchainSql.hasAnswered';

export interface HistoryEntry {
  id: string;
  question: string;
  resolvedQuestion?: string;
  sql: string;
  /** 'user': SQL the user wrote (Run SQL). */
  provider: SqlAuthor;
  model?: string;
  rowCount: number;
  truncated: boolean;
  /** ISO time the answer arrived. */
  at: string;
  /** Where it was asked: panel, chat, @onchain, notebook. */
  surface: string;
  /** The snapshot it ran on (absent in entries kept before this was recorded). */
  snapshot?: SnapshotStamp;
}

/** The text an entry is searched and reopened by. */
export function entryTitle(e: HistoryEntry): string {
  return e.resolvedQuestion || e.question || firstLine(e.sql);
}

function firstLine(sql: string): string {
  return sql.trim().split('\n')[0].slice(0, 120);
}

function isEntry(v: unknown): v is HistoryEntry {
  const e = v as HistoryEntry;
  return !!e && typeof e === 'object' && typeof e.id === 'string' && typeof e.sql === 'string' && typeof e.question === 'string' && typeof e.at === 'string';
}

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
    const saved = this.state.get<unknown>(HISTORY_KEY);
    return Array.isArray(saved) ? saved.filter(isEntry) : [];
  }

  /** Keeps an answer (a failed question is not an answer and is not kept). */
  async record(answer: Answer, surface: string): Promise<HistoryEntry> {
    const clean = (s: string) => redact(s, this.secrets());
    const entry: HistoryEntry = {
      id: crypto.randomBytes(6).toString('hex'),
      question: clean(answer.question),
      ...(answer.resolvedQuestion && answer.resolvedQuestion !== answer.question ? { resolvedQuestion: clean(answer.resolvedQuestion) } : {}),
      sql: clean(answer.sql.slice(0, MAX_SQL_CHARS)),
      provider: answer.provider,
      ...(answer.model ? { model: answer.model } : {}),
      rowCount: answer.rowCount,
      truncated: answer.truncated,
      at: new Date().toISOString(),
      surface,
    };
    let stamp: SnapshotStamp | undefined;
    try { stamp = this.snapshot(); } catch { /* an unreadable manifest: the entry is kept without a stamp */ }
    if (isSnapshotStamp(stamp)) entry.snapshot = stamp;
    await this.state.update(HISTORY_KEY, [entry, ...this.entries()].slice(0, HISTORY_MAX));
    void vscode.commands.executeCommand('setContext', ANSWERED_CONTEXT, true);
    this.changed.fire();
    return entry;
  }

  /** Entries whose question, resolved question or SQL contains every word of `query`. */
  search(query: string): HistoryEntry[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return this.entries().filter((e) => {
      const hay = `${e.question}\n${e.resolvedQuestion ?? ''}\n${e.sql}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
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

function ago(iso: string): string {
  const ms = Date.now() - Date.parse(iso);
  if (!Number.isFinite(ms) || ms < 0) return iso;
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  return iso.slice(0, 10);
}

const PROVIDER_NAMES: Record<HistoryEntry['provider'], string> = { claude: 'Claude', 'vscode-lm': 'Editor model', offline: 'Offline', user: 'Your SQL' };

/** "Claude · 12 rows · 5 min ago · chat" */
export function entryDescription(e: HistoryEntry): string {
  const rows = `${e.rowCount.toLocaleString('en-US')}${e.truncated ? '+' : ''} row${e.rowCount === 1 ? '' : 's'}`;
  return [PROVIDER_NAMES[e.provider] ?? e.provider, rows, ago(e.at), e.surface].join(' · ');
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
    item.description = entryDescription(e);
    const tip = [entryTitle(e), e.resolvedQuestion ? `Asked as: ${e.question}` : '', isSnapshotStamp(e.snapshot) ? `Snapshot: ${e.snapshot.label}` : '', '', e.sql]
      .filter((l, i) => l || i === 3).join('\n');
    item.tooltip = tip;
    item.iconPath = new vscode.ThemeIcon(e.provider === 'user' ? 'database' : 'comment-discussion');
    item.contextValue = 'onchainSql.historyEntry';
    item.command = { command: 'onchainSql.reopenHistory', title: 'Reopen in Panel', arguments: [e] };
    item.accessibilityInformation = { label: `${entryTitle(e)}, ${entryDescription(e)}` };
    return item;
  }
}

import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { Answer, Turn } from '../../core/answer.js';
import { buildHistory } from '../../core/nl2sql/history.js';
import { attemptsOf, errorMessage, toOnchainSqlError } from '../../core/errors.js';
import type { Cell } from '../../core/engine/values.js';
import type { Session } from '../session.js';
import { answerContext, CHAT_ROWS_KEPT, type ChatFromWebview, type ChatToWebview, type ChatTurn } from '../../webview/protocol.js';
import { mediaRoots, webviewHtml } from './html.js';
import { stageText } from '../progressText.js';
import { recordAnswer } from '../history.js';
import { checkMessage, CHAT_MESSAGES } from '../../webview/messageSchema.js';

/** workspaceState key of the conversation (host-side, so it survives a window reload). */
export const CHAT_STATE_KEY = 'onchainSql.chat.conversation';
/** Turns kept in the conversation at most. */
const MAX_TURNS = 40;
/** A kept string value is cut to this length (the compact table shows far less). */
const MAX_KEPT_CHARS = 300;


/**
 * The sidebar chat (WebviewView `onchainSql.chat`): a conversation with
 * follow-ups. Each question goes to `session.ask` with the earlier turns as
 * history; each answer is stored compactly (first rows only) in workspace
 * state and rendered by media/chat.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider {
  static readonly viewType = 'onchainSql.chat';

  private view: vscode.WebviewView | undefined;
  private turns: ChatTurn[];
  private pending: string | undefined;
  private abort: AbortController | undefined;
  private providerLabel = '';

  constructor(private readonly ctx: vscode.ExtensionContext, private readonly session: Session) {
    const saved = ctx.workspaceState.get<unknown>(CHAT_STATE_KEY);
    this.turns = Array.isArray(saved) ? (saved as ChatTurn[]).filter(isTurn) : [];
    ctx.subscriptions.push(session.onDidChangeProvider(() => void this.refreshProvider()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: mediaRoots(this.ctx.extensionUri) };
    view.webview.html = webviewHtml(view.webview, this.ctx.extensionUri, 'chat', 'Onchain SQL chat');
    const subs = [
      // Checked against its type's schema first: a webview's message is input, not a trusted call.
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const checked = checkMessage(CHAT_MESSAGES, raw);
        if (checked.ok) void this.onMessage(checked.message);
      }),
      view.onDidChangeVisibility(() => { if (view.visible) void this.refreshProvider(); }),
    ];
    view.onDidDispose(() => {
      for (const s of subs) s.dispose();
      if (this.view === view) this.view = undefined;
    });
  }

  private post(m: ChatToWebview): void {
    void this.view?.webview.postMessage(m);
  }

  private postState(): void {
    this.post({ type: 'state', turns: this.turns, providerLabel: this.providerLabel, busy: !!this.pending, pendingQuestion: this.pending });
  }

  private async refreshProvider(): Promise<void> {
    try {
      this.providerLabel = await this.session.providerLabel();
    } catch {
      this.providerLabel = 'Offline';
    }
    this.post({ type: 'provider', label: this.providerLabel });
  }

  private async onMessage(m: ChatFromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.refreshProvider();
        this.postState();
        break;
      case 'ask':
        await this.ask(m.question);
        break;
      case 'cancel':
        this.abort?.abort();
        break;
      case 'newConversation':
        this.abort?.abort();
        this.turns = [];
        await this.save();
        this.postState();
        this.post({ type: 'focusInput' });
        break;
      case 'openInPanel': {
        const t = this.turns.find((x) => x.id === m.turnId);
        if (t?.sql) await vscode.commands.executeCommand('onchainSql.openInPanel', { question: t.resolvedQuestion ?? t.question, sql: t.sql });
        break;
      }
      case 'insertIntoNotebook': {
        const t = this.turns.find((x) => x.id === m.turnId);
        // A follow-up ("now only for USDC") goes in as the standalone question it resolved to.
        if (t) await vscode.commands.executeCommand('onchainSql.insertIntoNotebook', { question: t.resolvedQuestion ?? t.question, sql: t.sql });
        break;
      }
      case 'writeSql': {
        const t = this.turns.find((x) => x.id === m.turnId);
        await vscode.commands.executeCommand('onchainSql.writeSql', { question: t?.resolvedQuestion ?? t?.question });
        break;
      }
      case 'chooseModel':
        await vscode.commands.executeCommand('onchainSql.chooseModel');
        await this.refreshProvider();
        break;
      case 'copySql': {
        const t = this.turns.find((x) => x.id === m.turnId);
        // Always answered: the webview waits for the reply to its request.
        let message = 'Nothing to copy: that answer has no SQL.';
        if (t?.sql) {
          try {
            await vscode.env.clipboard.writeText(t.sql);
            message = 'Copied SQL.';
          } catch (e) {
            message = `Could not copy: ${errorMessage(e)}`;
          }
        }
        this.post({ type: 'copied', requestId: m.requestId, message });
        break;
      }
      case 'setApiKey':
        await vscode.commands.executeCommand('onchainSql.setApiKey');
        await this.refreshProvider();
        break;
      case 'saveExample': {
        const t = this.turns.find((x) => x.id === m.turnId);
        if (t?.status === 'done' && t.sql) await vscode.commands.executeCommand('onchainSql.saveAnswerAsExample', { question: t.question, resolvedQuestion: t.resolvedQuestion, sql: t.sql });
        break;
      }
    }
  }

  private async ask(raw: string): Promise<void> {
    const question = raw.trim();
    if (!question || this.pending) return;
    this.pending = question;
    const abort = new AbortController();
    this.abort = abort;
    this.postState();
    let turn: ChatTurn;
    try {
      const answer = await this.session.ask(question, {
        history: this.history(),
        signal: abort.signal,
        userAction: true,
        onProgress: (stage, detail) => this.post({ type: 'progress', stage: stageText(stage, detail) }),
      });
      recordAnswer(answer, 'chat');
      turn = turnFromAnswer(question, answer);
    } catch (e) {
      const err = { ...toOnchainSqlError(e).toJSON(), attempts: attemptsOf(e) };
      const lastSql = Array.isArray(err.attempts) ? [...err.attempts].reverse().find((a) => a.sql)?.sql : undefined;
      turn = {
        id: newId(), question, at: new Date().toISOString(),
        status: err.code === 'cancelled' ? 'cancelled' : 'error',
        sql: lastSql,
        error: {
          code: err.code, message: err.code === 'cancelled' ? 'Cancelled.' : (err.message ?? String(e)),
          ...(Array.isArray(err.suggestions) && err.suggestions.length ? { suggestions: err.suggestions.filter((x) => typeof x === 'string').slice(0, 8) } : {}),
        },
      };
    } finally {
      if (this.abort === abort) this.abort = undefined;
      this.pending = undefined;
    }
    this.turns = [...this.turns, turn].slice(-MAX_TURNS);
    await this.save();
    this.postState();
  }

  /** Earlier answered turns, as follow-ups see them (the core's one history builder). */
  private history(): Turn[] {
    return buildHistory(this.turns.filter((t) => t.status === 'done').map((t) => ({ ...t, question: t.resolvedQuestion ?? t.question })));
  }

  private async save(): Promise<void> {
    await this.ctx.workspaceState.update(CHAT_STATE_KEY, this.turns);
  }
}

function newId(): string {
  return crypto.randomBytes(6).toString('hex');
}

function compactCell(c: Cell): Cell {
  if (typeof c === 'string') return c.length > MAX_KEPT_CHARS ? c.slice(0, MAX_KEPT_CHARS) + '…' : c;
  if (c !== null && typeof c === 'object') {
    const json = JSON.stringify(c);
    return json.length > MAX_KEPT_CHARS ? json.slice(0, MAX_KEPT_CHARS) + '…' : c;
  }
  return c;
}

/** A turn as stored: the first rows only, long strings cut. */
export function turnFromAnswer(question: string, a: Answer): ChatTurn {
  return {
    id: newId(),
    question,
    status: 'done',
    sql: a.sql,
    explanation: a.explanation,
    chart: a.chart,
    columns: a.columns,
    rows: a.rows.slice(0, CHAT_ROWS_KEPT).map((r) => r.map(compactCell)),
    rowCount: a.rowCount,
    truncated: a.truncated,
    provider: a.provider,
    model: a.model,
    at: new Date().toISOString(),
    ...answerContext(a),
  };
}


function isTurn(v: unknown): v is ChatTurn {
  const t = v as ChatTurn;
  return !!t && typeof t === 'object' && typeof t.id === 'string' && typeof t.question === 'string' && typeof t.status === 'string';
}

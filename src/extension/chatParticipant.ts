import * as vscode from 'vscode';
import type { Answer, Turn } from '../core/answer.js';
import type { ColumnInfo } from '../core/engine/engine.js';
import { buildHistory, type TurnSource } from '../core/nl2sql/history.js';
import { toOnchainSqlError } from '../core/errors.js';
import { turnOf } from '../core/nl2sql/history.js';
import { answerMarkdown, errorMarkdown, followupPrompts, schemaMarkdown } from './chatMarkdown.js';
import type { Session } from './session.js';
import { stageText } from './progressText.js';
import { isOwnModel } from './chatModelProvider.js';
import { recordAnswer } from './history.js';

export const PARTICIPANT_ID = 'onchain-sql.onchain';

/** What a response keeps for follow-ups (returned as ChatResult.metadata, seen again in context.history). */
export interface OnchainChatMetadata {
  command?: string;
  question?: string;
  sql?: string;
  columns?: ColumnInfo[];
  rowCount?: number;
  resultSummary?: string;
  /** Questions to offer as follow-ups: a refusal's suggestions, an answer's alternative readings. */
  suggestions?: string[];
}

/** The subset of ChatRequest the handler reads, so tests can call it without the Chat view. */
export type ChatRequestLike = { prompt: string; command?: string; model?: vscode.LanguageModelChat };
export type ChatContextLike = { history: ReadonlyArray<vscode.ChatRequestTurn | vscode.ChatResponseTurn> };
export type ChatStreamLike = Pick<vscode.ChatResponseStream, 'markdown' | 'button' | 'progress'>;

export type OnchainChatHandler = (request: ChatRequestLike, context: ChatContextLike, stream: ChatStreamLike, token: vscode.CancellationToken) => Promise<vscode.ChatResult>;

/** Earlier answers of this participant as conversation turns. */
export function turnsFromHistory(context: ChatContextLike): Turn[] {
  const turns: TurnSource[] = [];
  for (const h of context.history) {
    if (!(h instanceof vscode.ChatResponseTurn) || h.participant !== PARTICIPANT_ID) continue;
    const m = h.result.metadata as OnchainChatMetadata | undefined;
    if (m?.question && m.sql) turns.push({ question: m.question, sql: m.sql, resultSummary: m.resultSummary });
  }
  return buildHistory(turns);
}

/** SQL from a prompt that may hold a ```sql fence. */
function sqlFromPrompt(prompt: string): string {
  const fence = /```(?:sql)?\s*\n?([\s\S]*?)```/i.exec(prompt);
  return (fence ? fence[1] : prompt).trim();
}

function lastSql(context: ChatContextLike): string | undefined {
  for (let i = context.history.length - 1; i >= 0; i--) {
    const h = context.history[i];
    if (h instanceof vscode.ChatResponseTurn && h.participant === PARTICIPANT_ID) {
      const sql = (h.result.metadata as OnchainChatMetadata | undefined)?.sql;
      if (sql) return sql;
    }
  }
  return undefined;
}

function md(text: string): vscode.MarkdownString {
  const m = new vscode.MarkdownString(text);
  m.isTrusted = false;
  m.supportHtml = false;
  return m;
}


export function createChatHandler(session: Session): OnchainChatHandler {
  return async (req, context, stream, token) => {
    // Our own chat model only stands in where the editor has none: then the session chooses (Claude key or offline).
    const request = isOwnModel(req.model) ? { ...req, model: undefined } : req;
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    try {
      if (request.command === 'schema') {
        stream.markdown(md(schemaMarkdown(request.prompt)));
        return { metadata: { command: 'schema' } satisfies OnchainChatMetadata };
      }
      if (request.command === 'explain') {
        const sql = sqlFromPrompt(request.prompt) || lastSql(context);
        if (!sql) {
          stream.markdown(md('Give the SQL to explain, e.g. `/explain SELECT count(*) FROM ethereum.blocks`, or ask a question first and then `/explain`.'));
          return { metadata: { command: 'explain' } satisfies OnchainChatMetadata };
        }
        stream.progress('Explaining…');
        const ex = await session.explain(sql, { model: request.model, signal: abort.signal, userAction: true });
        stream.markdown(md(ex.markdown));
        return { metadata: { command: 'explain', sql } satisfies OnchainChatMetadata };
      }
      let answer: Answer;
      if (request.command === 'sql') {
        stream.progress('Running on the snapshot…');
        answer = await session.runSql(sqlFromPrompt(request.prompt), { signal: abort.signal });
      } else {
        stream.progress('Writing SQL…');
        answer = await session.ask(request.prompt, {
          history: turnsFromHistory(context),
          model: request.model,
          signal: abort.signal,
          userAction: true,
          onProgress: (stage) => stream.progress(stageText(stage)),
        });
      }
      recordAnswer(answer, '@onchain');
      stream.markdown(md(answerMarkdown(answer)));
      // A follow-up goes to the panel and notebooks as the standalone question it resolved to.
      const asked = answer.resolvedQuestion ?? answer.question;
      const args = { ...(asked ? { question: asked } : {}), sql: answer.sql };
      stream.button({ command: 'onchainSql.openInPanel', title: 'Open in Panel', arguments: [args] });
      stream.button({ command: 'onchainSql.insertIntoNotebook', title: 'Insert into Notebook', arguments: [args] });
      const meta: OnchainChatMetadata = {
        command: request.command ?? 'ask',
        question: answer.question || undefined,
        sql: answer.sql,
        columns: answer.columns,
        rowCount: answer.rowCount,
        resultSummary: turnOf(answer).resultSummary,
        suggestions: (answer.assumptions ?? []).flatMap((a) => (a.alternative ? [a.alternative.question] : [])),
      };
      return { metadata: meta };
    } catch (e) {
      const err = toOnchainSqlError(e);
      const attempts = (e as { attempts?: Answer['attempts'] }).attempts;
      // Suggestions become clickable follow-ups (below), so the markdown does not list them again.
      const clickable = err.code !== 'cancelled' && err.suggestions.length > 0;
      stream.markdown(md(errorMarkdown({ code: err.code, message: err.message, suggestions: clickable ? [] : err.suggestions, attempts })));
      if (err.code !== 'cancelled') {
        stream.button({ command: 'onchainSql.writeSql', title: 'Write SQL', arguments: [{ question: request.prompt }] });
        stream.button({ command: 'onchainSql.chooseModel', title: 'Choose Model' });
      }
      return { metadata: { command: request.command ?? 'ask', question: request.prompt, suggestions: clickable ? err.suggestions.slice(0, 5) : undefined } satisfies OnchainChatMetadata };
    } finally {
      sub.dispose();
    }
  };
}

/**
 * Registers `@onchain` in VS Code's Chat view. Never throws: in editors without
 * the Chat API (some code-server builds, Chat disabled) it logs and returns
 * nothing, and the rest of the extension works.
 */
export function registerChatParticipant(context: vscode.ExtensionContext, handler: OnchainChatHandler, log: vscode.LogOutputChannel): vscode.Disposable | undefined {
  try {
    if (typeof vscode.chat?.createChatParticipant !== 'function') {
      log.info('The Chat API is not available in this editor; @onchain is not registered.');
      return undefined;
    }
    const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (req, ctx, stream, token) => handler(req, ctx, stream, token));
    participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icons', 'onchain.svg');
    participant.followupProvider = {
      provideFollowups(result: vscode.ChatResult): vscode.ChatFollowup[] {
        const meta = (result.metadata ?? {}) as OnchainChatMetadata;
        const out: vscode.ChatFollowup[] = [...(meta.suggestions ?? []), ...(meta.sql ? followupPrompts(meta) : [])].map((prompt) => ({ prompt, label: prompt }));
        if (meta.sql && meta.command !== 'explain') out.push({ prompt: meta.sql, command: 'explain', label: 'Explain this SQL' });
        return out;
      },
    };
    return participant;
  } catch (e) {
    log.warn(`Could not register the @onchain chat participant: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

import * as vscode from 'vscode';
import { registerChatModel } from './chatModelProvider.js';
import { createChatHandler, registerChatParticipant, type OnchainChatHandler } from './chatParticipant.js';
import { registerCommands } from './commands/index.js';
import { registerLanguageModelTools } from './lmTool.js';
import { registerHistoryCommands } from './commands/history.js';
import { registerExampleCommands } from './commands/examples.js';
import { AnswerHistory, HistoryTreeProvider, setAnswerHistory } from './history.js';
import { snapshotStamp } from '../core/snapshotStamp.js';
import { createRedactingLog } from './log.js';
import { NotebookRunner } from './notebook/controller.js';
import { registerNotebookSerializer } from './notebook/serializer.js';
import { defaultNewCellsToQuestions } from './notebook/newCells.js';
import { registerWaysForwardItems } from './notebook/cellActions.js';
import { SchemaTreeProvider, SCHEMA_VIEW_ID, showEngineOnSchemaView } from './schemaTree.js';
import { ApiKeyStore } from './secrets.js';
import { Session } from './session.js';
import { createSnapshotStatus } from './statusBar.js';
import { ChatViewProvider } from './webviews/chatView.js';

/** What `activate` returns: a small handle for integration tests and other extensions. */
export interface OnchainSqlApi {
  session: Session;
  commandsReady: true;
  /** The @onchain handler, callable without the Chat view (which may be absent). */
  chatHandler: OnchainChatHandler;
  /** Every answer of this workspace (search, reopen, clear). */
  history: AnswerHistory;
  /** True when @onchain is registered in the Chat view. */
  chatParticipantRegistered: boolean;
  activationMs: number;
  /** Whether DuckDB's native binding was already loaded when activation finished (it must not be). */
  duckdbLoadedAtActivation: boolean;
}

function duckdbLoaded(): boolean {
  return Object.keys(require.cache).some((k) => /[\\/]@duckdb[\\/]node-(api|bindings)/.test(k));
}

/**
 * Registers every surface; loads nothing heavy. DuckDB, `ask`, the providers
 * and the snapshot builders load on first use through the Session.
 */
export function activate(context: vscode.ExtensionContext): OnchainSqlApi {
  const t0 = performance.now();
  const keys = new ApiKeyStore(context.secrets);
  const log = createRedactingLog('Onchain SQL', () => keys.knownValues());
  // Prime the key cache so the log can redact it from the first line on.
  void keys.get();
  const session = new Session(context, log, keys);
  const notebooks = new NotebookRunner(session);
  const schemaView = vscode.window.createTreeView(SCHEMA_VIEW_ID, { treeDataProvider: new SchemaTreeProvider(), showCollapseAll: true });
  const history = new AnswerHistory(context.workspaceState, () => keys.knownValues(), () => snapshotStamp(session.activeSnapshot()));
  setAnswerHistory(history);
  const historyView = vscode.window.createTreeView('onchainSql.history', { treeDataProvider: new HistoryTreeProvider(history) });
  const chatHandler = createChatHandler(session);
  const participant = registerChatParticipant(context, chatHandler, log);

  context.subscriptions.push(
    keys,
    log,
    session,
    notebooks,
    schemaView,
    showEngineOnSchemaView(schemaView),
    registerNotebookSerializer(),
    defaultNewCellsToQuestions(),
    registerWaysForwardItems(),
    ...registerCommands({ ext: context, session, log, notebooks }),
    history,
    historyView,
    ...registerHistoryCommands({ ext: context, session, log, notebooks }, history),
    ...registerExampleCommands({ ext: context, session, log, notebooks }, history),
    new vscode.Disposable(() => setAnswerHistory(undefined)),
    createSnapshotStatus(session),
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewType, new ChatViewProvider(context, session), { webviewOptions: { retainContextWhenHidden: true } }),
    vscode.workspace.onDidOpenNotebookDocument((nb) => notebooks.preferFor(nb)),
    ...registerLanguageModelTools(session),
  );
  if (participant) context.subscriptions.push(participant);
  const chatModel = registerChatModel((question, signal) => session.ask(question, { signal, userAction: true }), log);
  if (chatModel) context.subscriptions.push(chatModel);
  for (const nb of vscode.workspace.notebookDocuments) notebooks.preferFor(nb);

  const activationMs = Math.round((performance.now() - t0) * 100) / 100;
  log.info(`Onchain SQL activated in ${activationMs} ms (DuckDB not loaded yet)`);
  return { session, history, commandsReady: true, chatHandler, chatParticipantRegistered: Boolean(participant), activationMs, duckdbLoadedAtActivation: duckdbLoaded() };
}

export function deactivate(): void {
  // Disposables in context.subscriptions close the engine.
}

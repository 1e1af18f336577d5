import * as vscode from 'vscode';
import type { Answer, Turn } from '../core/answer.js';
import type { QueryCursor as Cursor, QueryEngine as Engine } from '../core/engine/protocol.js';
import { toOnchainSqlError } from '../core/errors.js';
import { buildExplainPrompt } from '../core/nl2sql/modelReply.js';
import type { Provider } from '../core/nl2sql/provider.js';
import type { ImportFormat } from '../core/snapshot/import.js';
import type { Manifest } from '../core/snapshot/layout.js';
import { answerFromQuery } from '../core/sqlAnswer.js';
import { loadAskModule } from './coreLoader.js';
import { lmModelName, sendToModel } from './lmProvider.js';
import { chooseProvider, describeProviderChoice, selectEditorModel } from './providerChoice.js';
import { ApiKeyStore } from './secrets.js';
import { readSettings, SECTION, type Settings } from './settings.js';
import { explainSql, schemaSummary } from '../core/sql/explain.js';
import { SnapshotLifecycle, type ActiveSnapshot } from './snapshotLifecycle.js';
import { truncate } from './text.js';
import { SavedExamples } from './savedExamples.js';

export type { ActiveSnapshot };

export interface SessionAskOptions {
  history?: Turn[];
  signal?: AbortSignal;
  /** The editor model to use (the Chat view's `request.model`). */
  model?: vscode.LanguageModelChat;
  /** Stage ('context', 'generate', 'validate', 'execute', 'repair') and a detail line. */
  onProgress?: (stage: string, detail?: string) => void;
  /** True when a person just asked: only then may an editor model be picked (its first use shows a consent dialog). */
  userAction?: boolean;
  maxRows?: number;
}

export interface RunSqlOptions {
  signal?: AbortSignal;
  maxRows?: number;
}

export interface Explanation {
  markdown: string;
  /** 'model' when a language model wrote it; 'structure' for the deterministic reading. */
  source: 'model' | 'structure';
}

/**
 * The one place the extension talks to the core: ask, run and explain, over
 * the active snapshot's engine (snapshotLifecycle.ts) with the provider the
 * settings choose (providerChoice.ts).
 */
export class Session implements vscode.Disposable {
  readonly keys: ApiKeyStore;
  /** Answers the user saved as examples in this workspace (few-shot pairs for every ask). */
  readonly examples: SavedExamples;
  readonly snapshots: SnapshotLifecycle;
  /** Fires when the active snapshot changes (setting switched, sample built). */
  readonly onDidChangeSnapshot: vscode.Event<Manifest>;
  private readonly providerChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeProvider = this.providerChanged.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext, readonly output: vscode.LogOutputChannel, keys?: ApiKeyStore) {
    this.keys = keys ?? new ApiKeyStore(context.secrets);
    if (!keys) this.disposables.push(this.keys);
    this.examples = new SavedExamples(context);
    this.snapshots = new SnapshotLifecycle(context, output);
    this.onDidChangeSnapshot = this.snapshots.onDidChangeSnapshot;
    this.disposables.push(
      this.snapshots,
      this.providerChanged,
      this.examples,
      this.keys.onDidChange(() => this.providerChanged.fire()),
      // Chat models come and go (Copilot signs in late, or not at all in code-server).
      ...(typeof vscode.lm?.onDidChangeChatModels === 'function' ? [vscode.lm.onDidChangeChatModels(() => this.providerChanged.fire())] : []),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.provider`) || e.affectsConfiguration(`${SECTION}.model`)) this.providerChanged.fire();
      }),
    );
  }

  config(): Settings {
    return readSettings();
  }

  // The snapshot lifecycle, for callers that hold the session.
  sampleDir(): string { return this.snapshots.sampleDir(); }
  activeSnapshot(): ActiveSnapshot { return this.snapshots.activeSnapshot(); }
  getEngine(): Promise<Engine> { return this.snapshots.getEngine(); }
  reopenEngine(): void { this.snapshots.reopenEngine(); }
  buildSample(options: { scale: number; outDir: string; seed?: number }): Promise<Manifest> { return this.snapshots.buildSample(options); }
  importSnapshot(from: ImportFormat, inDir: string, outDir: string): Promise<Manifest> { return this.snapshots.importSnapshot(from, inDir, outDir); }
  useSnapshot(dir: string | undefined): Promise<void> { return this.snapshots.useSnapshot(dir); }

  /** Picks the provider for one request (see the `onchainSql.provider` setting). */
  async resolveProvider(opts: Pick<SessionAskOptions, 'model' | 'userAction'> = {}): Promise<Provider> {
    return chooseProvider(this.config(), await this.keys.get(), opts);
  }

  /** Who would answer right now, for status text: "Claude (model)", "Editor model (name)", "Offline". */
  async providerLabel(): Promise<string> {
    return describeProviderChoice(this.config(), await this.keys.get());
  }

  async ask(question: string, opts: SessionAskOptions = {}): Promise<Answer> {
    const engine = await this.getEngine();
    const provider = await this.resolveProvider(opts);
    const { ask } = await loadAskModule();
    const s = this.config();
    this.output.info(`Ask [${provider.id}]: ${truncate(question.replace(/\s+/g, ' '), 200)}`);
    const answer = await this.logFailure('Ask', () => ask(engine, question, {
      provider,
      history: opts.history,
      maxRepairs: s.repairAttempts,
      ...this.queryLimits(opts),
      onProgress: (stage, detail) => opts.onProgress?.(stage, detail),
      examples: this.examples.library(),
    }));
    this.output.info(`Answered by ${answer.provider}${answer.model ? ` (${answer.model})` : ''}: ${answer.rowCount}${answer.truncated ? '+' : ''} rows, ${answer.attempts.length} attempt(s), ${answer.timings.totalMs.toFixed(0)} ms`);
    return answer;
  }

  /** Runs SQL as written: the same Answer shape, with no generation step. */
  async runSql(sql: string, opts: RunSqlOptions = {}): Promise<Answer> {
    const engine = await this.getEngine();
    const r = await this.logFailure('SQL', () => engine.query(sql, this.queryLimits(opts)));
    this.output.info(`SQL: ${r.rowCount}${r.truncated ? '+' : ''} rows in ${r.timings.totalMs.toFixed(0)} ms`);
    return answerFromQuery(r);
  }

  /** A paging cursor over SQL as written (the results panel reads pages on demand). */
  async openCursor(sql: string, opts: RunSqlOptions = {}): Promise<Cursor> {
    const engine = await this.getEngine();
    return engine.openCursor(sql, this.queryLimits(opts));
  }

  /** The row cap, time limit and cancellation of one query: the caller's, else the settings'. */
  private queryLimits(opts: RunSqlOptions): { maxRows: number; timeoutMs: number; signal?: AbortSignal } {
    const s = this.config();
    return { maxRows: opts.maxRows ?? s.maxRows, timeoutMs: s.timeoutMs, signal: opts.signal };
  }

  /** Runs `work`; a failure is logged under `what` and rethrown as the core's error type. */
  private async logFailure<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      const err = toOnchainSqlError(e);
      this.output.warn(`${what} failed (${err.code}): ${err.message}`);
      throw err;
    }
  }

  /**
   * Explains SQL in plain words: the editor model when one is given or may be
   * picked, else a deterministic structural reading (tables, filters, grouping)
   * from DuckDB's parse tree, which the engine reads.
   */
  async explain(sql: string, opts: Pick<SessionAskOptions, 'model' | 'userAction' | 'signal'> = {}): Promise<Explanation> {
    const engine = await this.getEngine();
    const { markdown: structure, tables } = await explainSql(sql, (text) => engine.describeStatement(text, { signal: opts.signal }));
    const s = this.config();
    if (s.provider !== 'offline' && s.provider !== 'claude') {
      const model = opts.model ?? (opts.userAction ? await selectEditorModel() : undefined);
      if (model) {
        try {
          const { text } = await sendToModel(model, buildExplainPrompt(sql, schemaSummary(tables)), opts.signal);
          if (text.trim()) return { markdown: `${text.trim()}\n\n---\n_Explained by ${lmModelName(model)}. Structure:_\n\n${structure}`, source: 'model' };
        } catch (e) {
          const err = toOnchainSqlError(e);
          if (err.code === 'cancelled') throw err;
          this.output.warn(`Explain via ${lmModelName(model)} failed (${err.code}): ${err.message}; using the structural reading`);
        }
      }
    }
    return { markdown: structure, source: 'structure' };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

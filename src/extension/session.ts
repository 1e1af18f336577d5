import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Answer, Turn } from '../core/answer.js';
import type { QueryCursor as Cursor, QueryEngine as Engine } from '../core/engine/protocol.js';
import { affectsEngine, chosenClickHouse, connectionKey, openClickHouseEngine } from './clickhouseConnection.js';
import { OnchainSqlError, toOnchainSqlError } from '../core/errors.js';
import type { Provider } from '../core/nl2sql/provider.js';
import type { Manifest } from '../core/snapshot/layout.js';
import type { ImportFormat } from '../core/snapshot/import.js';
import { SAMPLE_SCALE, SAMPLE_SEED } from '../core/snapshot/paths.js';
import { answerFromQuery } from '../core/sqlAnswer.js';
import { engineModule, loadAskModule, loadBuildModule, loadImportModule } from './coreLoader.js';
import { lmModelName, sendToModel } from './lmProvider.js';
import { chooseProvider, describeProviderChoice, selectEditorModel } from './providerChoice.js';
import { buildExplainPrompt } from '../core/nl2sql/modelReply.js';
import { ApiKeyStore } from './secrets.js';
import { readSettings, SECTION, type Settings } from './settings.js';
import { tryReadManifest } from '../core/snapshot/manifest.js';
import { isSnapshotFolder, snapshotLabel } from './snapshotFolder.js';
import { explainSql, schemaSummary } from '../core/sql/explain.js';
import { truncate } from './text.js';
import { SavedExamples } from './savedExamples.js';

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

export interface ActiveSnapshot {
  dir: string;
  isSample: boolean;
  manifest: Manifest | undefined;
  label: string;
}

export interface Explanation {
  markdown: string;
  /** 'model' when a language model wrote it; 'structure' for the deterministic reading. */
  source: 'model' | 'structure';
}

/**
 * The one place the extension talks to the core. Holds one Engine for the
 * active snapshot folder (reopened when the setting changes, closed on
 * dispose), builds the sample on first use, and picks the provider.
 */
export class Session implements vscode.Disposable {
  readonly keys: ApiKeyStore;
  /** Answers the user saved as examples in this workspace (few-shot pairs for every ask). */
  readonly examples: SavedExamples;
  private engine: Promise<Engine> | undefined;
  private engineDir: string | undefined;
  private building: Promise<Manifest> | undefined;
  private readonly snapshotChanged = new vscode.EventEmitter<Manifest>();
  /** Fires when the active snapshot changes (setting switched, sample built). */
  readonly onDidChangeSnapshot = this.snapshotChanged.event;
  private readonly providerChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeProvider = this.providerChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(readonly context: vscode.ExtensionContext, readonly output: vscode.LogOutputChannel, keys?: ApiKeyStore) {
    this.keys = keys ?? new ApiKeyStore(context.secrets);
    if (!keys) this.disposables.push(this.keys);
    this.examples = new SavedExamples(context);
    this.disposables.push(
      this.snapshotChanged,
      this.providerChanged,
      this.examples,
      this.keys.onDidChange(() => this.providerChanged.fire()),
      // Chat models come and go (Copilot signs in late, or not at all in code-server).
      ...(typeof vscode.lm?.onDidChangeChatModels === 'function' ? [vscode.lm.onDidChangeChatModels(() => this.providerChanged.fire())] : []),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.snapshotPath`)) this.snapshotSettingChanged();
        if (affectsEngine(e)) this.reopenEngine();
        if (e.affectsConfiguration(`${SECTION}.provider`) || e.affectsConfiguration(`${SECTION}.model`)) this.providerChanged.fire();
      }),
    );
  }

  config(): Settings {
    return readSettings();
  }

  /** Where the bundled sample lives: inside the extension if shipped, else in global storage (built on first use). */
  sampleDir(): string {
    const bundled = path.join(this.context.extensionPath, 'sample-snapshot');
    if (isSnapshotFolder(bundled)) return bundled;
    return path.join(this.context.globalStorageUri.fsPath, 'sample-snapshot');
  }

  /** The snapshot the next query will use, without opening it. */
  activeSnapshot(): ActiveSnapshot {
    const configured = this.config().snapshotPath;
    const dir = configured ? path.resolve(expandHome(configured)) : this.sampleDir();
    const manifest = tryReadManifest(dir);
    const isSample = !configured;
    return { dir, isSample, manifest, label: snapshotLabel(dir, manifest, isSample) };
  }

  /** Opens (once) the active snapshot; the first call loads DuckDB and may build the sample. */
  getEngine(): Promise<Engine> {
    if (this.disposed) return Promise.reject(new OnchainSqlError('snapshot_missing', 'Onchain SQL has been shut down.'));
    const target = this.activeSnapshot();
    // The ClickHouse engine (onchainSql.engine) is keyed by its connection, the local one by its folder.
    const clickhouse = chosenClickHouse(vscode.workspace.getConfiguration(SECTION));
    const key = clickhouse ? connectionKey(clickhouse) : target.dir;
    if (this.engine && this.engineDir === key) return this.engine;
    this.closeEngine();
    this.engineDir = key;
    const opening = clickhouse ? openClickHouseEngine(this.context.secrets, clickhouse) : this.openEngine(target);
    this.engine = opening;
    opening.catch(() => {
      if (this.engine === opening) {
        this.engine = undefined;
        this.engineDir = undefined;
      }
    });
    return opening;
  }

  private async openEngine(target: ActiveSnapshot): Promise<Engine> {
    if (!target.manifest) {
      if (target.isSample) await this.buildSample({ scale: SAMPLE_SCALE, outDir: target.dir });
      else {
        throw new OnchainSqlError('snapshot_missing', `The snapshot folder ${target.dir} has no manifest.json.`, [
          'Run "Onchain SQL: Choose Snapshot" to pick another folder, or clear the "onchainSql.snapshotPath" setting to use the bundled sample.',
        ]);
      }
    }
    const { Engine } = await engineModule();
    const t0 = performance.now();
    try {
      const engine = await Engine.open(target.dir);
      this.output.info(`Opened snapshot ${target.dir} in ${(performance.now() - t0).toFixed(0)} ms`);
      if (this.disposed || this.engineDir !== target.dir) {
        engine.close();
        throw new OnchainSqlError('cancelled', 'The snapshot changed while it was opening.');
      }
      return engine;
    } catch (e) {
      const err = toOnchainSqlError(e, 'snapshot_corrupt');
      this.output.error(`Could not open snapshot ${target.dir}: ${err.message}`);
      throw err;
    }
  }

  /** The next query opens the engine afresh (engine settings or the ClickHouse password changed). */
  reopenEngine(): void {
    this.closeEngine();
  }

  private closeEngine(): void {
    const old = this.engine;
    this.engine = undefined;
    this.engineDir = undefined;
    old?.then((e) => e.close(), () => undefined);
  }

  private snapshotSettingChanged(): void {
    this.closeEngine();
    const s = this.activeSnapshot();
    this.output.info(`Snapshot switched to ${s.dir}`);
    if (s.manifest) this.snapshotChanged.fire(s.manifest);
  }

  /**
   * Builds a synthetic sample with a cancellable progress notification. Writes
   * into a temporary sibling folder and renames it when complete, so a cancelled
   * or failed build never leaves a half-written snapshot behind.
   */
  buildSample(options: { scale: number; outDir: string; seed?: number }): Promise<Manifest> {
    if (this.building) return this.building;
    const run = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Onchain SQL: building the ${options.scale === SAMPLE_SCALE ? '' : `scale-${options.scale} `}sample snapshot`, cancellable: true },
      async (progress, token) => {
        // The core build writes beside outDir and installs by the snapshot folder rules (out-dir.ts):
        // it never deletes what this tool did not write, and a cancelled build changes nothing.
        const t0 = performance.now();
        const { buildSnapshot } = await loadBuildModule().catch((e: unknown) => { throw toOnchainSqlError(e); });
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let manifest: Manifest;
        try {
          manifest = await buildSnapshot({ outDir: options.outDir, scale: options.scale, seed: options.seed ?? SAMPLE_SEED, signal: abort.signal, onProgress: (m) => progress.report({ message: m }) });
        } catch (e) {
          throw toOnchainSqlError(e);
        } finally {
          sub.dispose();
        }
        this.output.info(`Built sample snapshot (scale ${options.scale}) in ${options.outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        return manifest;
      },
    );
    const building = Promise.resolve(run).finally(() => { this.building = undefined; });
    this.building = building;
    return building.then((m) => {
      if (path.resolve(options.outDir) === this.activeSnapshot().dir) {
        this.closeEngine();
        this.snapshotChanged.fire(m);
      }
      return m;
    });
  }

  /** Imports a cryo or ethereum-etl export into a new snapshot folder, with progress. */
  async importSnapshot(from: ImportFormat, inDir: string, outDir: string): Promise<Manifest> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Onchain SQL: importing ${from} export`, cancellable: false },
      async (progress) => {
        const { importSnapshot } = await loadImportModule();
        const t0 = performance.now();
        const manifest = await importSnapshot({ from, inDir, outDir, onProgress: (m) => progress.report({ message: m }) });
        this.output.info(`Imported ${from} export ${inDir} into ${outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        return manifest;
      },
    );
  }

  /** Switches the active snapshot (updates the setting; the engine reopens on next use). */
  async useSnapshot(dir: string | undefined): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update('snapshotPath', dir ?? '', target);
    // Also clear/override the other scope, so the effective value is what was chosen.
    if (target === vscode.ConfigurationTarget.Workspace) {
      const inspect = vscode.workspace.getConfiguration(SECTION).inspect<string>('snapshotPath');
      if (inspect?.globalValue && !dir) await vscode.workspace.getConfiguration(SECTION).update('snapshotPath', undefined, vscode.ConfigurationTarget.Global);
    }
  }

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
    try {
      const answer = await ask(engine, question, {
        provider,
        history: opts.history,
        maxRepairs: s.repairAttempts,
        maxRows: opts.maxRows ?? s.maxRows,
        timeoutMs: s.timeoutMs,
        signal: opts.signal,
        onProgress: (stage, detail) => opts.onProgress?.(stage, detail),
        examples: this.examples.library(),
      });
      this.output.info(`Answered by ${answer.provider}${answer.model ? ` (${answer.model})` : ''}: ${answer.rowCount}${answer.truncated ? '+' : ''} rows, ${answer.attempts.length} attempt(s), ${answer.timings.totalMs.toFixed(0)} ms`);
      return answer;
    } catch (e) {
      const err = toOnchainSqlError(e);
      this.output.warn(`Ask failed (${err.code}): ${err.message}`);
      throw e;
    }
  }

  /** Runs SQL as written: the same Answer shape, with no generation step. */
  async runSql(sql: string, opts: RunSqlOptions = {}): Promise<Answer> {
    const engine = await this.getEngine();
    const s = this.config();
    try {
      const r = await engine.query(sql, { maxRows: opts.maxRows ?? s.maxRows, timeoutMs: s.timeoutMs, signal: opts.signal });
      this.output.info(`SQL: ${r.rowCount}${r.truncated ? '+' : ''} rows in ${r.timings.totalMs.toFixed(0)} ms`);
      return answerFromQuery(r);
    } catch (e) {
      const err = toOnchainSqlError(e);
      this.output.warn(`SQL failed (${err.code}): ${err.message}`);
      throw err;
    }
  }

  /** A paging cursor over SQL as written (the results panel reads pages on demand). */
  async openCursor(sql: string, opts: RunSqlOptions = {}): Promise<Cursor> {
    const engine = await this.getEngine();
    const s = this.config();
    return engine.openCursor(sql, { maxRows: opts.maxRows ?? s.maxRows, timeoutMs: s.timeoutMs, signal: opts.signal });
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
    this.disposed = true;
    this.closeEngine();
    for (const d of this.disposables) d.dispose();
  }
}


function expandHome(p: string): string {
  return p.startsWith('~/') ? path.join(process.env.HOME ?? '', p.slice(2)) : p;
}


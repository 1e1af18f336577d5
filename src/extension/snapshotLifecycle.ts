/**
 * The active snapshot's lifecycle: which folder (or ClickHouse connection) the
 * next query uses, one Engine open on it (reopened when the setting changes,
 * closed on dispose), the sample built on first use, imports, and the switch.
 * Split from the session, which is the ask/run/explain facade over this.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QueryEngine as Engine } from '../core/engine/protocol.js';
import { OnchainSqlError, toOnchainSqlError } from '../core/errors.js';
import type { ImportFormat } from '../core/snapshot/import.js';
import type { Manifest } from '../core/snapshot/layout.js';
import { tryReadManifest } from '../core/snapshot/manifest.js';
import { resolveSnapshotPath, SAMPLE_SCALE, SAMPLE_SEED } from '../core/snapshot/paths.js';
import { affectsEngine, chosenClickHouse, connectionKey, openClickHouseEngine } from './clickhouseConnection.js';
import { engineModule, loadBuildModule, loadImportModule } from './coreLoader.js';
import { readSettings, SECTION } from './settings.js';
import { isSnapshotFolder, snapshotLabel } from './snapshotFolder.js';

export interface ActiveSnapshot {
  dir: string;
  isSample: boolean;
  manifest: Manifest | undefined;
  label: string;
}

export class SnapshotLifecycle implements vscode.Disposable {
  private engine: Promise<Engine> | undefined;
  /** What the open engine is keyed by: the snapshot folder, or the ClickHouse connection. */
  private engineKey: string | undefined;
  private building: Promise<Manifest> | undefined;
  private readonly snapshotChanged = new vscode.EventEmitter<Manifest>();
  /** Fires when the active snapshot changes (setting switched, sample built). */
  readonly onDidChangeSnapshot = this.snapshotChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(private readonly context: vscode.ExtensionContext, private readonly output: vscode.LogOutputChannel) {
    this.disposables.push(
      this.snapshotChanged,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.snapshotPath`)) this.snapshotSettingChanged();
        if (affectsEngine(e)) this.reopenEngine();
      }),
    );
  }

  /** Where the bundled sample lives: inside the extension if shipped, else in global storage (built on first use). */
  sampleDir(): string {
    const bundled = path.join(this.context.extensionPath, 'sample-snapshot');
    if (isSnapshotFolder(bundled)) return bundled;
    return path.join(this.context.globalStorageUri.fsPath, 'sample-snapshot');
  }

  /** The snapshot the next query will use, without opening it. */
  activeSnapshot(): ActiveSnapshot {
    const configured = readSettings().snapshotPath;
    const dir = configured ? resolveSnapshotPath(configured) : this.sampleDir();
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
    if (this.engine && this.engineKey === key) return this.engine;
    this.closeEngine();
    this.engineKey = key;
    const opening = clickhouse ? openClickHouseEngine(this.context.secrets, clickhouse) : this.openEngine(target);
    this.engine = opening;
    opening.catch(() => {
      if (this.engine === opening) {
        this.engine = undefined;
        this.engineKey = undefined;
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
      if (this.disposed || this.engineKey !== target.dir) {
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
    this.engineKey = undefined;
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

  dispose(): void {
    this.disposed = true;
    this.closeEngine();
    for (const d of this.disposables) d.dispose();
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OnchainSqlError } from '../../core/errors.js';
import type { ImportFormat } from '../../core/snapshot/import.js';
import { SAMPLE_SCALE } from '../../core/snapshot/paths.js';
import { tryReadManifest } from '../../core/snapshot/manifest.js';
import { isSnapshotFolder, snapshotLabel } from '../snapshotFolder.js';
import { register, type CommandContext } from './context.js';

const RECENT_KEY = 'onchainSql.recentSnapshots';

function recent(c: CommandContext): string[] {
  return c.ext.globalState.get<string[]>(RECENT_KEY, []).filter((d) => fs.existsSync(d));
}

async function rememberSnapshot(c: CommandContext, dir: string): Promise<void> {
  await c.ext.globalState.update(RECENT_KEY, [dir, ...recent(c).filter((d) => d !== dir)].slice(0, 10));
}

function requireSnapshot(dir: string): void {
  if (!isSnapshotFolder(dir)) {
    throw new OnchainSqlError('snapshot_missing', `${dir} is not a snapshot: it has no manifest.json.`, [
      'Pick a folder made by "Onchain SQL: Import Snapshot…" or "Build Sample Snapshot", or by `onchain-sql snapshot build|import`.',
    ]);
  }
}

async function switchTo(c: CommandContext, dir: string | undefined): Promise<void> {
  if (dir) {
    requireSnapshot(dir);
    await rememberSnapshot(c, dir);
  }
  await c.session.useSnapshot(dir);
  const s = c.session.activeSnapshot();
  void vscode.window.showInformationMessage(`Onchain SQL: now using ${s.label}.`);
}

async function pickFolder(title: string, openLabel: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, openLabel, canSelectFolders: true, canSelectFiles: false, canSelectMany: false });
  return picked?.[0]?.fsPath;
}

async function offerSwitch(c: CommandContext, dir: string, what: string): Promise<void> {
  const use = 'Use It Now';
  const pick = await vscode.window.showInformationMessage(`Onchain SQL: ${what} in ${dir}.`, use);
  if (pick === use) await switchTo(c, dir);
}

const RPC_SECRET = 'onchainSql.rpcUrl';
const LAST_SYNC_KEY = 'onchainSql.lastSync';

/** The RPC URL from SecretStorage (provider URLs embed keys), or asked for and stored there. */
async function rpcUrl(c: CommandContext): Promise<string | undefined> {
  const saved = await c.ext.secrets.get(RPC_SECRET);
  if (saved) {
    const { redactUrl } = await import('../../core/snapshot/sync/rpc.js');
    const pick = await vscode.window.showQuickPick([
      { label: `Use the saved endpoint (${redactUrl(saved)})`, keep: true },
      { label: 'Enter another endpoint URL…', keep: false },
    ], { title: 'Onchain SQL: Sync Snapshot from RPC (1/3): endpoint' });
    if (!pick) return undefined;
    if (pick.keep) return saved;
  }
  const url = await vscode.window.showInputBox({
    title: 'Onchain SQL: JSON-RPC endpoint URL (kept in the editor\'s secret storage)', password: true, ignoreFocusOut: true,
    placeHolder: 'https://eth-mainnet.example.com/v2/<key>', validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'An http:// or https:// URL'),
  });
  if (!url) return undefined;
  await c.ext.secrets.store(RPC_SECRET, url.trim());
  return url.trim();
}

type RangeChoice = { lastBlocks?: number; since?: string; fromBlock?: number; toBlock?: number };

async function pickRange(): Promise<RangeChoice | undefined> {
  const pick = await vscode.window.showQuickPick([
    { label: 'Last 100 blocks', range: { lastBlocks: 100 } },
    { label: 'Last 1,000 blocks', range: { lastBlocks: 1000 } },
    { label: 'Last hour', range: { since: '1 hour' } },
    { label: 'Last 24 hours', range: { since: '24 hours' } },
    { label: 'Block range…', range: undefined },
  ], { title: 'Onchain SQL: Sync Snapshot from RPC (2/3): blocks (up to the finalized head)' });
  if (!pick) return undefined;
  if (pick.range) return pick.range;
  const text = await vscode.window.showInputBox({ title: 'First and last block, e.g. 17173049-17173050', validateInput: (v) => (/^\s*\d+\s*-\s*\d+\s*$/.test(v) ? undefined : 'Two block numbers: FIRST-LAST') });
  const m = text ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text) : null;
  return m ? { fromBlock: Number(m[1]), toBlock: Number(m[2]) } : undefined;
}

/** Syncs with a cancellable progress notification showing blocks/s and the ETA; a cancelled sync resumes next time. */
async function runSync(c: CommandContext, url: string, outDir: string, range: RangeChoice): Promise<void> {
  const { syncSnapshot } = await import('../../core/snapshot/sync/sync.js');
  await c.ext.globalState.update(LAST_SYNC_KEY, { outDir, range });
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Onchain SQL: syncing from RPC', cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    let reported = 0;
    const result = await syncSnapshot({
      rpcUrl: url, outDir, ...range, signal: abort.signal,
      onProgress: (p) => {
        const pct = p.blocksTotal ? (100 * p.blocksDone) / p.blocksTotal : 0;
        const eta = p.etaSeconds !== null && p.blocksDone < p.blocksTotal ? `, about ${Math.ceil(p.etaSeconds)} s left` : '';
        progress.report({ increment: pct - reported, message: p.blocksTotal ? `${p.blocksDone}/${p.blocksTotal} blocks, ${p.blocksPerSecond.toFixed(1)} blocks/s${eta}` : p.message });
        reported = pct;
        c.log.info(p.message);
      },
    }).catch((e: unknown) => {
      if (abort.signal.aborted) throw new OnchainSqlError('cancelled', 'Sync cancelled; run it again to continue where it stopped.');
      throw e;
    });
    c.log.info(`Synced ${result.blocksSynced} blocks into ${outDir} (${result.requests} RPC requests, ${result.seconds.toFixed(1)} s)`);
  });
}

export function registerSnapshotCommands(c: CommandContext): vscode.Disposable[] {
  return [
    register(c, 'onchainSql.syncSnapshot', 'Sync Snapshot from RPC', async () => {
      const url = await rpcUrl(c);
      if (!url) return undefined;
      const last = c.ext.globalState.get<{ outDir: string; range: RangeChoice }>(LAST_SYNC_KEY);
      if (last && fs.existsSync(last.outDir)) {
        const resume = await vscode.window.showQuickPick([
          { label: `Continue the last sync into ${last.outDir}`, resume: true },
          { label: 'A new sync…', resume: false },
        ], { title: 'Onchain SQL: Sync Snapshot from RPC' });
        if (!resume) return undefined;
        if (resume.resume) {
          await runSync(c, url, last.outDir, last.range);
          await rememberSnapshot(c, last.outDir);
          await offerSwitch(c, last.outDir, 'Synced the snapshot');
          return last.outDir;
        }
      }
      const range = await pickRange();
      if (!range) return undefined;
      const outParent = await pickFolder('Sync Snapshot from RPC (3/3): where to create the snapshot folder', 'Create Snapshot Here');
      if (!outParent) return undefined;
      const name = await vscode.window.showInputBox({ title: 'Snapshot folder name', value: 'rpc-snapshot', validateInput: (v) => (/^[^/\\]+$/.test(v.trim()) ? undefined : 'A folder name, without slashes') });
      if (!name) return undefined;
      const outDir = path.join(outParent, name.trim());
      await runSync(c, url, outDir, range);
      await rememberSnapshot(c, outDir);
      await offerSwitch(c, outDir, 'Synced the snapshot');
      return outDir;
    }),
    // With a folder argument ('' = the bundled sample) it switches without asking.
    register(c, 'onchainSql.chooseSnapshot', 'Choose Snapshot', async (arg?: unknown) => {
      if (typeof arg === 'string') return switchTo(c, arg ? path.resolve(arg) : undefined);
      const active = c.session.activeSnapshot();
      type Item = vscode.QuickPickItem & { dir?: string; browse?: boolean };
      const items: Item[] = [
        { label: '$(package) Bundled sample (synthetic)', description: active.isSample ? 'active' : undefined, detail: c.session.sampleDir(), dir: '' },
        ...recent(c).map((d) => ({ label: `$(folder) ${snapshotLabel(d, tryReadManifest(d), false)}`, description: !active.isSample && active.dir === d ? 'active' : undefined, detail: d, dir: d })),
        { label: '$(folder-opened) Browse…', browse: true },
      ];
      const pick = await vscode.window.showQuickPick(items, { title: 'Onchain SQL: Choose Snapshot', placeHolder: `Active: ${active.label}` });
      if (!pick) return undefined;
      const dir = pick.browse ? await pickFolder('Choose a snapshot folder (with manifest.json)', 'Use Snapshot') : pick.dir;
      if (dir === undefined) return undefined;
      return switchTo(c, dir || undefined);
    }),
    register(c, 'onchainSql.importSnapshot', 'Import Snapshot', async () => {
      const format = await vscode.window.showQuickPick<vscode.QuickPickItem & { value: ImportFormat }>(
        [
          { label: 'cryo', description: 'Parquet datasets: blocks, transactions, logs, erc20_transfers, …', value: 'cryo' },
          { label: 'ethereum-etl', description: 'CSV files: blocks, transactions, token_transfers, tokens, logs, receipts', value: 'ethereum-etl' },
        ],
        { title: 'Onchain SQL: Import Snapshot (1/3): export format' },
      );
      if (!format) return undefined;
      const inDir = await pickFolder(`Import Snapshot (2/3): the ${format.label} export folder`, 'Import This Folder');
      if (!inDir) return undefined;
      const outParent = await pickFolder('Import Snapshot (3/3): where to create the snapshot folder', 'Create Snapshot Here');
      if (!outParent) return undefined;
      const name = await vscode.window.showInputBox({ title: 'Snapshot folder name', value: `${path.basename(inDir)}-snapshot`, validateInput: (v) => (/^[^/\\]+$/.test(v.trim()) ? undefined : 'A folder name, without slashes') });
      if (!name) return undefined;
      const outDir = path.join(outParent, name.trim());
      if (fs.existsSync(outDir) && fs.readdirSync(outDir).length) {
        const ok = await vscode.window.showWarningMessage(`${outDir} exists and is not empty. Replace its snapshot?`, { modal: true }, 'Replace');
        if (ok !== 'Replace') return undefined;
      }
      await c.session.importSnapshot(format.value, inDir, outDir);
      await rememberSnapshot(c, outDir);
      await offerSwitch(c, outDir, 'Imported the snapshot');
      return outDir;
    }),
    register(c, 'onchainSql.buildSample', 'Build Sample Snapshot', async (arg?: unknown) => {
      let scale = typeof arg === 'number' ? arg : undefined;
      if (scale === undefined) {
        const pick = await vscode.window.showQuickPick(
          [
            { label: '1', description: 'the bundled sample: 7 days, a few MB (seconds)', scale: 1 },
            { label: '10', description: 'for benchmarks: about ten times larger', scale: 10 },
            { label: '30', description: 'for benchmarks: about thirty times larger (minutes)', scale: 30 },
          ],
          { title: 'Onchain SQL: Build Sample Snapshot: scale' },
        );
        if (!pick) return undefined;
        scale = pick.scale;
      }
      const outDir = scale === SAMPLE_SCALE ? c.session.sampleDir() : path.join(c.ext.globalStorageUri.fsPath, `sample-scale-${scale}`);
      await c.session.buildSample({ scale, outDir });
      if (scale !== SAMPLE_SCALE) {
        await rememberSnapshot(c, outDir);
        await offerSwitch(c, outDir, `Built the scale-${scale} sample`);
      } else {
        void vscode.window.showInformationMessage('Onchain SQL: the sample snapshot is built.');
      }
      return outDir;
    }),
  ];
}

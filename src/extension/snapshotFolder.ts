/**
 * Snapshot folders as the UI sees them: a label. The manifest is read by the
 * core's one reader (core/snapshot/manifest.ts; no DuckDB). No `vscode` import.
 */
import * as path from 'node:path';
import type { Manifest } from '../core/snapshot/layout.js';
import { tryReadManifest } from '../core/snapshot/manifest.js';

export function isSnapshotFolder(dir: string): boolean {
  return tryReadManifest(dir) !== undefined;
}

/** Short status-bar text: "sample (synthetic)" or "<folder> · ethereum · 19000000–19050000". */
export function snapshotLabel(dir: string, manifest: Manifest | undefined, isSample: boolean): string {
  if (isSample) return 'sample (synthetic)';
  const name = path.basename(dir);
  if (!manifest) return `${name} (not a snapshot)`;
  const range = manifest.blockRange ? ` · ${manifest.blockRange.first}–${manifest.blockRange.last}` : '';
  return `${name} · ${manifest.chain}${range}${manifest.synthetic ? ' (synthetic)' : ''}`;
}

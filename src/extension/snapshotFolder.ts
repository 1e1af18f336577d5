/**
 * Snapshot folders as the UI sees them: the manifest and a label, read with
 * plain `fs` (the engine module would load DuckDB). No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest } from '../core/snapshot/layout.js';

export const MANIFEST_FILE = 'manifest.json';

export function readManifestFile(dir: string): Manifest | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    return m && typeof m === 'object' && typeof m.chain === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

export function isSnapshotFolder(dir: string): boolean {
  return readManifestFile(dir) !== undefined;
}

/** Short status-bar text: "sample (synthetic)" or "<folder> · ethereum · 19000000–19050000". */
export function snapshotLabel(dir: string, manifest: Manifest | undefined, isSample: boolean): string {
  if (isSample) return 'sample (synthetic)';
  const name = path.basename(dir);
  if (!manifest) return `${name} (not a snapshot)`;
  const range = manifest.blockRange ? ` · ${manifest.blockRange.first}–${manifest.blockRange.last}` : '';
  return `${name} · ${manifest.chain}${range}${manifest.synthetic ? ' (synthetic)' : ''}`;
}

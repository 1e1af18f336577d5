/**
 * The one reader of a snapshot's manifest.json: plain `fs`, no DuckDB, so the
 * extension's UI (status bar, snapshot pickers) and the CLI read it without
 * loading the engine, and the engine reads it the same way when it opens.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage, OnchainSqlError } from '../errors.js';
import { MANIFEST_FILE, type Manifest } from './layout.js';

/** The manifest of `dir`; a specific error when the folder or its manifest is missing or not JSON. */
export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(dir)) {
    throw new OnchainSqlError('snapshot_missing', `No snapshot folder at ${dir}. Build the sample with \`onchain-sql snapshot build\` or choose another snapshot.`);
  }
  if (!fs.existsSync(file)) {
    throw new OnchainSqlError('snapshot_missing', `${dir} is not a snapshot: it has no ${MANIFEST_FILE}. Build one with \`onchain-sql snapshot build\` or import one with \`onchain-sql snapshot import\`.`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new OnchainSqlError('snapshot_corrupt', `${file} is not valid JSON (${errorMessage(e)}). Rebuild or re-import the snapshot.`);
  }
  if (!manifest || typeof manifest !== 'object' || typeof (manifest as { chain?: unknown }).chain !== 'string') {
    throw new OnchainSqlError('snapshot_corrupt', `${file} is not a snapshot manifest (it names no chain). Rebuild or re-import the snapshot.`);
  }
  return manifest as Manifest;
}

/** The manifest of `dir`, or undefined when it is not a snapshot folder (for pickers and labels). */
export function tryReadManifest(dir: string): Manifest | undefined {
  try {
    return readManifest(dir);
  } catch {
    return undefined;
  }
}

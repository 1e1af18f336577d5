import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalog, qualifiedName } from '../schema/catalog.js';
import { MANIFEST_FILE, tableFile, type Manifest } from '../snapshot/layout.js';
import { OnchainSqlError } from '../errors.js';

/** The snapshot's manifest, with a message that says what to do when it is missing or broken. */
export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(dir)) {
    throw new OnchainSqlError('snapshot_missing', `No snapshot folder at ${dir}. Build the sample with \`onchain-sql snapshot build\` or choose another snapshot.`);
  }
  if (!fs.existsSync(file)) {
    throw new OnchainSqlError('snapshot_missing', `${dir} is not a snapshot: it has no ${MANIFEST_FILE}. Build one with \`onchain-sql snapshot build\` or import one with \`onchain-sql snapshot import\`.`);
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new OnchainSqlError('snapshot_corrupt', `${file} is not valid JSON (${(e as Error).message}). Rebuild or re-import the snapshot.`);
  }
}

/** Every contract table has its file (checked before any process starts, for a clear message). */
export function checkTableFiles(dir: string): void {
  for (const t of catalog.tables) {
    if (!fs.existsSync(tableFile(dir, t))) {
      throw new OnchainSqlError('snapshot_corrupt', `Snapshot ${dir} has no file for ${qualifiedName(t)} (expected ${path.relative(dir, tableFile(dir, t))}). Rebuild or re-import the snapshot.`);
    }
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalog, qualifiedName } from '../schema/catalog.js';
import { tableFile } from '../snapshot/layout.js';
import { OnchainSqlError } from '../errors.js';

export { readManifest } from '../snapshot/manifest.js';

/** Every contract table has its file (checked before any process starts, for a clear message). */
export function checkTableFiles(dir: string): void {
  for (const t of catalog.tables) {
    if (!fs.existsSync(tableFile(dir, t))) {
      throw new OnchainSqlError('snapshot_corrupt', `Snapshot ${dir} has no file for ${qualifiedName(t)} (expected ${path.relative(dir, tableFile(dir, t))}). Rebuild or re-import the snapshot.`);
    }
  }
}

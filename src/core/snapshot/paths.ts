import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The package root: the folder holding package.json (dist/.. when bundled, src/core/snapshot/../../.. in tests). */
export function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export const SAMPLE_SEED = 1;
export const SAMPLE_SCALE = 1;

/** Where the bundled sample lives: beside the package, or in the user cache when that is read-only. */
export function defaultSnapshotDir(): string {
  const bundled = path.join(packageRoot(), 'sample-snapshot');
  if (fs.existsSync(bundled)) return bundled;
  try {
    fs.accessSync(packageRoot(), fs.constants.W_OK);
    return bundled;
  } catch {
    return path.join(os.homedir(), '.cache', 'onchain-sql', 'sample-snapshot');
  }
}

/** A snapshot folder as a user wrote it (settings, flags): `~/` is the home folder, relative paths are from the working folder. */
export function resolveSnapshotPath(written: string): string {
  return path.resolve(written.startsWith('~/') ? path.join(os.homedir(), written.slice(2)) : written);
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../core/engine/engine.js';
import { buildSnapshot } from '../core/snapshot/build.js';
import { defaultSnapshotDir, SAMPLE_SCALE, SAMPLE_SEED } from '../core/snapshot/paths.js';
import { progressLog } from './output.js';

/** The folder `--snapshot` names, or the bundled sample's. */
export function snapshotDir(snapshot: string | undefined): string {
  return snapshot ? path.resolve(snapshot) : defaultSnapshotDir();
}

/** Opens the chosen snapshot; the bundled sample is built on first use. */
export async function openSnapshot(values: { snapshot?: string; json: boolean }): Promise<Engine> {
  const dir = snapshotDir(values.snapshot);
  if (!values.snapshot && !fs.existsSync(path.join(dir, 'manifest.json'))) {
    const log = progressLog(values.json);
    log(`Building the sample snapshot in ${dir} (first use)…`);
    await buildSnapshot({ outDir: dir, scale: SAMPLE_SCALE, seed: SAMPLE_SEED, onProgress: log });
  }
  return Engine.open(dir);
}

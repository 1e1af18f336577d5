import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../core/engine/engine.js';
import type { QueryEngine } from '../core/engine/protocol.js';
import { buildSnapshot } from '../core/snapshot/build.js';
import { defaultSnapshotDir, SAMPLE_SCALE, SAMPLE_SEED } from '../core/snapshot/paths.js';
import { progressLog } from './output.js';

/** The folder `--snapshot` names, or the bundled sample's. */
export function snapshotDir(snapshot: string | undefined): string {
  return snapshot ? path.resolve(snapshot) : defaultSnapshotDir();
}

/** Where ask/sql/mcp run: the local snapshot (default) or a ClickHouse server (see clickhouse-command.ts). */
export const ENGINE_OPTIONS = {
  engine: { type: 'string' },
  url: { type: 'string' },
  database: { type: 'string' },
  user: { type: 'string' },
} as const;

export interface OpenValues {
  snapshot?: string;
  json: boolean;
  engine?: string;
  url?: string;
  database?: string;
  user?: string;
}

/** Opens the chosen engine: ClickHouse when `--engine clickhouse`, else the snapshot (the bundled sample is built on first use). */
export async function openSnapshot(values: OpenValues): Promise<QueryEngine> {
  if ((values.engine ?? 'duckdb') !== 'duckdb') return (await import('./clickhouse-command.js')).openClickHouse(values);
  const dir = snapshotDir(values.snapshot);
  if (!values.snapshot && !fs.existsSync(path.join(dir, 'manifest.json'))) {
    const log = progressLog(values.json);
    log(`Building the sample snapshot in ${dir} (first use)…`);
    await buildSnapshot({ outDir: dir, scale: SAMPLE_SCALE, seed: SAMPLE_SEED, onProgress: log });
  }
  return Engine.open(dir);
}

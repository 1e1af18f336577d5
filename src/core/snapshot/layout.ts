import * as path from 'node:path';
import type { TableSpec } from '../schema/catalog.js';

/** A snapshot folder: manifest.json plus one Parquet file per contract table. */
export const MANIFEST_FILE = 'manifest.json';

export function tableFile(snapshotDir: string, t: Pick<TableSpec, 'namespace' | 'name'>): string {
  return path.join(snapshotDir, t.namespace, `${t.name}.parquet`);
}

export interface Manifest {
  chain: string;
  schemaVersion: number;
  synthetic: boolean;
  /** How the snapshot was made: 'sample' (generated), 'ethereum-etl', 'cryo'. */
  source: string;
  seed?: number;
  scale?: number;
  blockRange: { first: number; last: number };
  timeRange: { first: string; last: string };
  rowCounts: Record<string, number>;
  createdAt: string;
}

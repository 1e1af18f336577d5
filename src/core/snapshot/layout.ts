import * as path from 'node:path';
import type { TableSpec } from '../schema/catalog.js';

/** A snapshot folder: manifest.json plus one Parquet file per contract table. */
export const MANIFEST_FILE = 'manifest.json';

export function tableFile(snapshotDir: string, t: Pick<TableSpec, 'namespace' | 'name'>): string {
  return path.join(snapshotDir, t.namespace, `${t.name}.parquet`);
}

/** The marker that says a folder's manifest was written by this tool (see out-dir.ts). */
export const SNAPSHOT_FORMAT = 'onchain-sql-snapshot/1';

export interface Manifest {
  /** SNAPSHOT_FORMAT; absent in snapshots written before the marker existed. */
  format?: typeof SNAPSHOT_FORMAT;
  /** Every file this tool wrote in the folder (relative, '/'-separated, manifest.json excluded): all it may replace or delete. */
  files?: string[];
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
  /** What is approximate or missing in the derived tables, one sentence each (see snapshot/derive). */
  notes?: string[];
  /** Sync state (source 'rpc'): the chain id and block ranges already written. */
  sync?: { chainId: number; safeHead: string; ranges: Array<{ first: number; last: number }> };
}

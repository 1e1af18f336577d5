import type { Manifest } from './layout.js';

export interface BuildOptions {
  outDir: string;
  scale?: number;
  seed?: number;
  onProgress?: (message: string) => void;
}

/** Generates a synthetic, deterministic sample snapshot with DuckDB SQL. (Being written.) */
export async function buildSnapshot(_options: BuildOptions): Promise<Manifest> {
  throw new Error('buildSnapshot: not written yet');
}

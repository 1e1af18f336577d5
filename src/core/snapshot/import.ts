import type { Manifest } from './layout.js';

export type ImportFormat = 'cryo' | 'ethereum-etl';

export interface ImportOptions {
  from: ImportFormat;
  inDir: string;
  outDir: string;
  onProgress?: (message: string) => void;
}

/** Turns a cryo or ethereum-etl export into a snapshot of the contract. (Being written.) */
export async function importSnapshot(_options: ImportOptions): Promise<Manifest> {
  throw new Error('importSnapshot: not written yet');
}

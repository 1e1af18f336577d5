import * as path from 'node:path';
import { OnchainSqlError } from '../../src/core/errors.js';

export { fileHashes } from '../support/file-hashes.js';

/** Relative paths whose content differs, appeared or vanished between two `fileHashes`. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

/** Runs a promise that must fail with an OnchainSqlError; returns it (any other outcome is returned as a problem string). */
export async function refusal(p: Promise<unknown>): Promise<OnchainSqlError | string> {
  try {
    await p;
    return 'succeeded';
  } catch (e) {
    return e instanceof OnchainSqlError ? e : `crashed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

export const ROOT = path.resolve(__dirname, '../..');

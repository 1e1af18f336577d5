import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnchainSqlError } from '../../src/core/errors.js';

/** sha256 of every file under a folder, by relative path: equal maps ⇒ nothing changed, appeared or vanished. */
export function fileHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else out.set(path.relative(dir, p), crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
    }
  };
  visit(dir);
  return out;
}

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

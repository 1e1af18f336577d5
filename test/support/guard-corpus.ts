import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorCode } from '../../src/core/errors.js';

/** One case of the guard corpus (test/corpus/sql/*.test; format in its README). */
export interface GuardCase {
  file: string;
  name: string;
  expect: 'ok' | 'limit' | ErrorCode;
  /** Must appear in the error message (case-insensitive). */
  messageIncludes?: string;
  sql: string;
}

export const CORPUS_DIR = path.join(__dirname, '..', 'corpus', 'sql');

/** Parses every `.test` file; `snapshotDir` replaces `{{snapshot}}`. */
export function loadGuardCorpus(snapshotDir: string, dir = CORPUS_DIR): GuardCase[] {
  const cases: GuardCase[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.test')).sort()) {
    let current: GuardCase | null = null;
    let body: string[] = [];
    const flush = () => {
      if (!current) return;
      while (body.length && body[body.length - 1] === '') body.pop();
      current.sql = expand(body.join('\n'), snapshotDir);
      cases.push(current);
    };
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (line.startsWith('## ')) continue;
      const header = /^=== ([\w-]+): ([a-z_]+)(?: \| (.+))?$/.exec(line);
      if (header) {
        flush();
        current = { file, name: header[1], expect: header[2] as GuardCase['expect'], messageIncludes: header[3]?.trim(), sql: '' };
        body = [];
      } else if (line.startsWith('=== ')) {
        throw new Error(`${file}: malformed case header: ${line}`);
      } else if (current) {
        body.push(line);
      }
    }
    flush();
  }
  return cases;
}

function expand(sql: string, snapshotDir: string): string {
  return sql
    .replaceAll('{{snapshot}}', snapshotDir)
    .replace(/\{\{repeat (\d+) (.*?)\}\}/g, (_, n: string, text: string) => text.repeat(Number(n)))
    .replace(/\{\{u ([0-9A-Fa-f]{4,6})\}\}/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

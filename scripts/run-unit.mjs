// Runs the plain-Node unit tests (node:test) with TypeScript through tsx.
// Usage: node scripts/run-unit.mjs [filter-substring]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

function find(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? find(p) : e.name.endsWith('.test.ts') ? [p] : [];
  });
}
const filter = process.argv[2] ?? '';
const files = find('test/unit').filter((f) => f.includes(filter)).sort();
if (files.length === 0) {
  console.error(`no unit test files match "${filter}"`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);

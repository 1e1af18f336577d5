// `npm run lint`: ESLint (typescript-eslint, type-aware; see eslint.config.mjs)
// over src, test, scripts, bench and media with zero warnings allowed, then the
// import-cycle check. Prints each step's time; exit code 1 on any finding.
// `--cache` (for a quick re-run while editing) keeps ESLint's results per file in
// node_modules/.cache/eslint; off by default, since type-aware results of one
// file can change with another file, and `npm test` / CI must see every finding.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const cache = process.argv.includes('--cache') ? ['--cache', '--cache-strategy', 'content', '--cache-location', path.join(root, 'node_modules/.cache/eslint/')] : [];
const steps = [
  ['eslint', [path.join(root, 'node_modules/eslint/bin/eslint.js'), '.', '--max-warnings', '0', ...cache]],
  ['import cycles', [path.join(root, 'scripts/check-cycles.mjs'), 'src', 'media', 'test', 'bench', 'scripts']],
];
let failed = false;
for (const [name, args] of steps) {
  const t0 = Date.now();
  const r = spawnSync(node, args, { cwd: root, stdio: 'inherit' });
  const ok = r.status === 0;
  failed ||= !ok;
  console.log(`${name}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
process.exit(failed ? 1 : 0);

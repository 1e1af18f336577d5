// The README's test command: type check, build, unit tests (plain Node), then
// integration and UI tests inside a real VS Code (code-server). (Being extended.)
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', 'npx', ['tsc', '-p', '.']],
  ['build', process.execPath, ['esbuild.mjs']],
  ['unit', process.execPath, ['scripts/run-unit.mjs']],
];
let failed = 0;
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) { console.error(`step ${name} failed (exit ${r.status})`); failed++; break; }
}
process.exit(failed ? 1 : 0);

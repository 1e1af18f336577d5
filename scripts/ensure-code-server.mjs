// Installs (once, cached in ~/.cache/onchain-sql/) everything a real VS Code
// needs here: Debian packages, Node 24, code-server. Prints where they are.
// Usage: node scripts/ensure-code-server.mjs [--json]
import { ensureCodeServer } from './code-server.mjs';

const started = Date.now();
try {
  const cs = await ensureCodeServer();
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ ...cs, seconds: Number(secs) }));
  else console.log(`code-server ${cs.version} ready: ${cs.node} ${cs.entry} (${secs} s)`);
} catch (e) {
  console.error(`\n!!! Could not set up code-server: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
}

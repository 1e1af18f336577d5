// Mocha runner loaded by the VS Code extension host (code-server via
// test/integration/run-code-server.mjs, or desktop VS Code via run-electron.mjs).
//
// FOR SUITE AUTHORS: the interface is TDD — use the globals `suite`, `test`,
// `suiteSetup`, `suiteTeardown`, `setup`, `teardown` (types from @types/mocha),
// with `node:assert/strict`. Put files in test/integration/suite/<area>.test.ts;
// they are bundled into out/test/index.js by esbuild (glob import below) and
// picked up automatically. The `vscode` module is the real API. Default timeout
// 60 s per test (DuckDB's first load and the sample snapshot take seconds).
// Run one area: ONCHAIN_SQL_TEST_GREP='Smoke' npm run test:integration
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type MochaType from 'mocha';

// mocha 12's main entry is ESM; its CommonJS build is what a bundled CJS file can require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha = require('mocha/lib/mocha.cjs') as typeof MochaType;

/** Marker the launchers parse for the counts (one line, JSON). */
export const RESULT_MARKER = 'ONCHAIN_SQL_MOCHA_RESULT';
/** Prefix on every line of mocha's report, so launchers can tell it from the workbench's own console noise. */
export const LINE_PREFIX = '[mocha] ';

function mochaLog(...args: unknown[]): void {
  for (const line of format(...args).split('\n')) console.log(`${LINE_PREFIX}${line}`);
}

/** Suite files as they sit in the source tree; each must also be inside the bundle. */
function suiteNames(): string[] {
  // out/test/index.js → <extension root>/test/integration/suite
  const dir = path.resolve(__dirname, '..', '..', 'test', 'integration', 'suite');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => f.slice(0, -'.test.ts'.length)).sort();
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.ONCHAIN_SQL_TEST_TIMEOUT_MS ?? 60_000),
    grep: process.env.ONCHAIN_SQL_TEST_GREP || undefined,
  });
  Mocha.reporters.Base.consoleLog = mochaLog;
  Mocha.reporters.Base.useColors = false; // plain text: the report is parsed and read in CI logs
  // Define the TDD globals before the suite modules evaluate (they are bundled, so mocha's
  // own file loading cannot be used: we load them ourselves between pre-require and run).
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  for (const name of suiteNames()) {
    try {
      await import(`./suite/${name}.test.ts`);
    } catch (e) {
      throw new Error(`could not load suite ${name}.test.ts (rebuild with \`npm run build\`?): ${e instanceof Error ? e.stack : String(e)}`, { cause: e });
    }
  }
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('end', () => {
      const s = runner.stats;
      mochaLog(`${RESULT_MARKER} ${JSON.stringify({ passed: s?.passes ?? 0, failed: s?.failures ?? 0, skipped: s?.pending ?? 0, ms: s?.duration ?? 0 })}`);
    });
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}

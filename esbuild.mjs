// Bundles the extension host, the CLI, and the webview / notebook-renderer front ends.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  // Native binding and the editor API are provided at run time.
  // esbuild: only reached when the engine runs from TypeScript sources (it then bundles its worker on first use).
  external: ['vscode', '@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*', 'esbuild'],
  logLevel: 'warning',
};
/**
 * Libraries reached only on first use (the Claude provider; the MCP SDK with
 * zod and ajv, which only `onchain-sql mcp` runs) ship as their own files in dist/vendor/, so that
 * loading the extension or the CLI does not parse ~700 KB it may never run.
 * Bundles that use this plugin sit in dist/, next to dist/vendor/. Several
 * entry points of one package may share a file (one copy of its dependencies).
 */
const vendor = {
  '@anthropic-ai/sdk': 'anthropic',
  '@modelcontextprotocol/sdk/server/index.js': 'mcp-sdk',
  '@modelcontextprotocol/sdk/server/stdio.js': 'mcp-sdk',
  '@modelcontextprotocol/sdk/types.js': 'mcp-sdk',
};
const vendorFilter = new RegExp(`^(${Object.keys(vendor).map((k) => k.replace(/[/.]/g, '\\$&')).join('|')})$`);
const splitVendor = {
  name: 'split-vendor',
  setup(b) {
    b.onResolve({ filter: vendorFilter }, (a) => ({ path: `./vendor/${vendor[a.path]}.js`, external: true }));
  },
};
const vendorBuilds = [...new Set(Object.values(vendor))].map((name) => {
  const pkgs = Object.keys(vendor).filter((k) => vendor[k] === name).map((k) => `require(${JSON.stringify(k)})`);
  return {
    ...node,
    stdin: { contents: `module.exports = ${pkgs.length === 1 ? pkgs[0] : `Object.assign({}, ${pkgs.join(', ')})`};`, resolveDir: '.', loader: 'js' },
    outfile: `dist/vendor/${name}.js`,
  };
});
const browser = { bundle: true, platform: 'browser', target: 'es2022', sourcemap: !production, minify: production, logLevel: 'warning' };

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', plugins: [splitVendor] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [splitVendor] },
  // The DuckDB worker process the engine forks (src/core/engine/worker-process.ts looks for it next to the bundle).
  { ...node, entryPoints: ['src/core/engine/worker.ts'], outfile: 'dist/engine-worker.js', plugins: [splitVendor] },
  ...vendorBuilds,
  { ...browser, format: 'iife', entryPoints: ['media/panel/main.ts'], outfile: 'dist/media/panel.js' },
  { ...browser, format: 'iife', entryPoints: ['media/chat/main.ts'], outfile: 'dist/media/chat.js' },
  // The notebook renderer imports its CSS as text (for a constructed stylesheet in its shadow root).
  { ...browser, format: 'esm', entryPoints: ['media/renderer/main.ts'], outfile: 'dist/media/renderer.js', loader: { '.css': 'text' } },
  // Integration tests run inside a real VS Code extension host.
  { ...node, entryPoints: ['test/integration/index.ts'], outfile: 'out/test/index.js', external: [...node.external, 'mocha'] },
].filter((b) => !b.entryPoints || b.entryPoints.every((e) => fs.existsSync(e)));

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}

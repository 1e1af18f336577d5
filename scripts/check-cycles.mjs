// Import cycles in the project's TypeScript (type-only imports and dynamic
// import() included): builds the graph of relative imports with the TypeScript
// compiler's pre-processor and lists every strongly connected component.
// Exit code 1 on any cycle. Part of `npm run lint`.
//
// Usage: node scripts/check-cycles.mjs [folder…]   (default: src media)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folders = process.argv.slice(2).length ? process.argv.slice(2) : ['src', 'media'];

function* tsFiles(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) yield p;
  }
}

/** `./x.js` as the file it names: x.ts, x.tsx or x/index.ts. */
function resolve(from, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec.replace(/\.(m?js)$/, ''));
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

const graph = new Map();
for (const folder of folders) {
  for (const file of tsFiles(path.join(root, folder))) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    graph.set(file, [...new Set(info.importedFiles.map((f) => resolve(file, f.fileName)).filter(Boolean))]);
  }
}

// Tarjan's strongly connected components; a component of 2+ files (or a file importing itself) is a cycle.
let index = 0;
const idx = new Map(), low = new Map(), onStack = new Set(), stack = [], cycles = [];
function connect(v) {
  idx.set(v, index); low.set(v, index); index++;
  stack.push(v); onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) { connect(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const component = [];
    let w;
    do { w = stack.pop(); onStack.delete(w); component.push(w); } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component);
  }
}
for (const v of graph.keys()) if (!idx.has(v)) connect(v);

const rel = (f) => path.relative(root, f);
for (const c of cycles) console.error(`cycle: ${c.map(rel).sort().join(' <-> ')}`);
console.log(`import cycles: ${cycles.length} (${graph.size} files in ${folders.join(', ')})`);
process.exit(cycles.length ? 1 : 0);

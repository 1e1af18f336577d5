// Loads dist/extension.js in plain Node with a stub `vscode` module and calls
// activate() on a fake context. Measured OUTSIDE VS Code: the stub returns
// inert objects, so this is the cost of loading the bundle and of our own
// activation code, not of VS Code's API calls. Prints one JSON line.
'use strict';
const Module = require('node:module');
const path = require('node:path');

function protoFor(name) {
  return new Proxy({}, { get(_t, prop) { return prop === 'then' ? undefined : stub(`${name}.${String(prop)}`); } });
}

function stub(name) {
  const fn = function () { return stub(name + '()'); };
  const assigned = new Map();
  return new Proxy(fn, {
    set(_t, prop, value) { assigned.set(prop, value); return true; },
    defineProperty(_t, prop, d) { assigned.set(prop, d.value); return true; },
    get(_t, prop) {
      if (assigned.has(prop)) return assigned.get(prop);
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === 'then') return undefined;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'length') return 0;
      return stub(`${name}.${String(prop)}`);
    },
    apply() { return stub(name + '()'); },
    construct() { return stub('new ' + name); },
    // esbuild's __toESM copies own keys onto an object whose prototype is ours: make lookups reach the stub.
    getPrototypeOf() { return protoFor(name); },
  });
}

const vscodeStub = stub('vscode');
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscodeStub;
  return originalLoad.call(this, request, parent, isMain);
};

const file = path.resolve(process.argv[2] || 'dist/extension.js');
const t0 = performance.now();
const ext = require(file);
const requireMs = performance.now() - t0;
let activateMs = null;
let reportedActivationMs = null;
let error = null;
try {
  const context = {
    subscriptions: [],
    secrets: stub('secrets'),
    globalState: stub('globalState'),
    workspaceState: stub('workspaceState'),
    extensionUri: stub('extensionUri'),
    extensionPath: path.dirname(path.dirname(file)),
    globalStorageUri: stub('globalStorageUri'),
    storageUri: undefined,
    extensionMode: 1,
    environmentVariableCollection: stub('env'),
    asAbsolutePath: (p) => path.join(path.dirname(path.dirname(file)), p),
  };
  const t1 = performance.now();
  const api = ext.activate(context);
  activateMs = performance.now() - t1;
  reportedActivationMs = api && typeof api.activationMs === 'number' ? api.activationMs : null;
} catch (e) {
  error = String(e && e.message ? e.message : e).split('\n')[0];
}
const duckdbLoaded = Object.keys(require.cache).some((k) => /[\\/]@duckdb[\\/]node-(api|bindings)/.test(k));
process.stdout.write(JSON.stringify({ requireMs, activateMs, reportedActivationMs, duckdbLoaded, error }) + '\n');
process.exit(0);

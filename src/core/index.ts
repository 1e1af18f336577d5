// The core's public surface, used by the CLI and the extension layer.
export * from './errors.js';
export * from './answer.js';
export { Engine, Cursor, readManifest, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_MS } from './engine/engine.js';
export type { ColumnInfo, QueryResult, RunOptions, Timings, EngineOptions } from './engine/engine.js';
export type { Cell } from './engine/values.js';
export { catalog, findTable, qualifiedName } from './schema/catalog.js';
export type { Catalog, TableSpec, ColumnSpec } from './schema/catalog.js';
export type { Manifest } from './snapshot/layout.js';
export { buildSnapshot } from './snapshot/build.js';
export { importSnapshot } from './snapshot/import.js';
export { defaultSnapshotDir } from './snapshot/paths.js';

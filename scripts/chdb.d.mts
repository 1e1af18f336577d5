// Types for scripts/chdb.mjs (imported by the TypeScript tests and bench).
export const CHDB_VERSION: string;
export function chdbDir(): string;
export function ensureChdb(): Promise<{ dir: string; entry: string; version: string; seconds: number }>;
export function loadChdb(): Promise<unknown>;

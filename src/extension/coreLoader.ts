/**
 * Lazy entry points into the core. The engine module imports the DuckDB native
 * binding at top level, and `ask`/providers/snapshot builders import the engine
 * or the Anthropic SDK, so activation must reach them only through these
 * dynamic imports: esbuild keeps each behind a lazy initialiser, and nothing
 * loads DuckDB until the first query.
 */
import { OnchainSqlError } from '../core/errors.js';

export const loadEngineModule = () => import('../core/engine/engine.js');
export const loadAskModule = () => import('../core/ask.js');
export const loadBuildModule = () => import('../core/snapshot/build.js');
export const loadImportModule = () => import('../core/snapshot/import.js');

/** Turns a failed native load into a message that says what to do. */
export function nativeLoadError(e: unknown): OnchainSqlError {
  const message = e instanceof Error ? e.message : String(e);
  return new OnchainSqlError(
    'runtime_error',
    `DuckDB could not be loaded in this editor (${process.platform}-${process.arch}, Node ${process.versions.node}): ${message}`,
    ['Install the Onchain SQL build for this platform (VSIX per platform), or use the onchain-sql CLI.', 'See the "Onchain SQL" output channel for details.'],
  );
}

export async function engineModule(): Promise<Awaited<ReturnType<typeof loadEngineModule>>> {
  try {
    return await loadEngineModule();
  } catch (e) {
    throw nativeLoadError(e);
  }
}

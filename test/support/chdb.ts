import { loadChdb } from '../../scripts/chdb.mjs';

/**
 * chdb, the ClickHouse engine in-process, loaded from the toolchain cache
 * (scripts/chdb.mjs installs it there on first use; it is no dependency of the
 * project). Typed here with the part of chdb 3.4's API the tests use.
 */

export interface ChdbStreamChunk {
  raw(): Uint8Array;
}

export interface ChdbQueryStream extends AsyncIterable<ChdbStreamChunk> {
  cancel(): void;
}

export interface ChdbSession {
  query(sql: string, format?: string): string;
  queryBindAsync(sql: string, params: object, options?: { format?: string }): Promise<{ bytes(): Uint8Array }>;
  queryStreamBind(sql: string, params: object, options?: { format?: string }): ChdbQueryStream;
  close(): void;
}

export interface Chdb {
  Session: new (path?: string) => ChdbSession;
}

let loaded: Promise<Chdb> | undefined;

/**
 * chdb's module, installed into the cache on first use. A failed install
 * fails the caller (never a skip: the ClickHouse tests need the real engine).
 */
export function chdb(): Promise<Chdb> {
  loaded ??= (loadChdb() as Promise<Chdb>).catch((e: unknown) => {
    loaded = undefined;
    throw new Error(`chdb could not be installed into the toolchain cache (scripts/chdb.mjs): ${e instanceof Error ? e.message : String(e)}`);
  });
  return loaded;
}

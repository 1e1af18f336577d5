import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { Engine } from '../../src/core/engine/engine.js';
import type { EngineOptions } from '../../src/core/engine/types.js';
import { startAnthropicServer, type AnthropicTestServer } from './anthropic-server.js';

/** A suite's snapshot (its folder), the engine on it, an empty scratch folder and, if asked for, the local Messages API. */
export interface SnapshotSuite {
  dir: string;
  engine: Engine;
  scratch: string;
  server: AnthropicTestServer;
}

export interface SnapshotSuiteOptions {
  /** Builds the snapshot folder (removed after the suite). */
  snapshot: () => Promise<string>;
  /** Prefix of the scratch folder's name in the temp folder. */
  scratchPrefix: string;
  engine: EngineOptions;
  /** Start a local Anthropic-compatible server too. */
  server?: boolean;
  /** Runs first after the suite (e.g. writing the suite's tallies). */
  onDone?: () => void;
}

/** Registers the calling suite's hooks: everything is open from before its first test to after its last, then removed. */
export function snapshotSuite(o: SnapshotSuiteOptions): SnapshotSuite {
  const live = {} as SnapshotSuite;
  before(async () => {
    if (o.server) live.server = await startAnthropicServer();
    live.dir = await o.snapshot();
    live.scratch = fs.mkdtempSync(path.join(os.tmpdir(), o.scratchPrefix));
    live.engine = await Engine.open(live.dir, o.engine);
  });
  after(async () => {
    o.onDone?.();
    await live.server?.close();
    live.engine?.close();
    for (const folder of [live.dir, live.scratch]) if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });
  return live;
}

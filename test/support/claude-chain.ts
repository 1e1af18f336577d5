import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { startAnthropicServer, type AnthropicTestServer } from './anthropic-server.js';
import { closeChainEngine, openChainEngine } from '../unit/ask-snapshot.js';

/** What a suite talking to Claude over real HTTP needs: the local Messages API server and an engine on the chain snapshot. */
export interface ClaudeChain {
  server: AnthropicTestServer;
  dir: string;
  engine: Engine;
}

/** Registers the calling suite's hooks: the server and the engine are open from before its first test to after its last. */
export function claudeChainSuite(): ClaudeChain {
  const live = {} as ClaudeChain;
  before(async () => {
    live.server = await startAnthropicServer();
    Object.assign(live, await openChainEngine());
  });
  after(async () => {
    await live.server?.close();
    closeChainEngine(live.dir, live.engine);
  });
  return live;
}

/**
 * Awaits what must fail with the project's error type; returns the error and adds its message,
 * JSON and stack to `seen` (so a suite can check afterwards that no secret appeared in any of them).
 */
export async function expectOnchainError(work: Promise<unknown>, seen: string[], what: string): Promise<OnchainSqlError> {
  try {
    await work;
  } catch (e) {
    assert.ok(e instanceof OnchainSqlError, `an OnchainSqlError, got ${String(e)}`);
    seen.push(e.message, JSON.stringify(e.toJSON()), String(e.stack));
    return e;
  }
  assert.fail(`expected ${what} to fail`);
}

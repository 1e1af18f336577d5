import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_SIGNATURES, TOPIC, type EventName } from '../../src/core/snapshot/event-topics.js';
import { keccak256 } from '../support/keccak.js';

describe('event topics (event-topics.json)', () => {
  it('every topic0 is the keccak-256 of its event signature', () => {
    const names = Object.keys(TOPIC) as EventName[];
    assert.ok(names.length >= 12, `all the events the builders use, got ${names.length}`);
    for (const name of names) assert.equal(TOPIC[name], keccak256(EVENT_SIGNATURES[name]), `${name}: ${EVENT_SIGNATURES[name]}`);
  });
});

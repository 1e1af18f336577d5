import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../../src/core/snapshot/layout.js';
import { askedAt, reopenNote, sameSnapshot, snapshotStamp } from '../../src/core/snapshotStamp.js';

const manifest = (createdAt: string, last: number, lastTime: string): Manifest => ({
  chain: 'ethereum', schemaVersion: 1, synthetic: true, source: 'sample',
  blockRange: { first: 1, last }, timeRange: { first: '2026-06-17T00:00:00Z', last: lastTime },
  rowCounts: {}, createdAt,
});

const first = snapshotStamp({ dir: '/data/snap', label: 'snap · ethereum · 1–100', manifest: manifest('2026-06-24T10:00:00Z', 100, '2026-06-24T09:59:48Z') });

test('a stamp names the folder, its creation and its last block; same snapshot ⇒ no note', () => {
  assert.deepEqual(first, { dir: '/data/snap', label: 'snap · ethereum · 1–100', createdAt: '2026-06-24T10:00:00Z', lastBlock: 100, lastTime: '2026-06-24T09:59:48Z' });
  assert.deepEqual(snapshotStamp({ dir: '/x', label: 'x (not a snapshot)', manifest: undefined }), { dir: '/x', label: 'x (not a snapshot)' });
  assert.equal(reopenNote({ at: '2026-06-24T10:05:00Z', snapshot: first }, { ...first }), undefined);
});

test('a snapshot synced further, rebuilt or switched: the reopen says it re-ran on the current one and when it was first asked', () => {
  const synced = snapshotStamp({ dir: '/data/snap', label: 'snap · ethereum · 1–160', manifest: manifest('2026-06-24T10:00:00Z', 160, '2026-06-24T10:11:48Z') });
  assert.ok(!sameSnapshot(first, synced));
  assert.equal(reopenNote({ at: '2026-06-24T10:05:00.123Z', snapshot: first }, synced),
    'Re-run on the current snapshot (snap · ethereum · 1–160, data up to 2026-06-24 10:11:48); first asked on 2026-06-24 10:05 UTC on snap · ethereum · 1–100, data up to 2026-06-24 09:59:48. The rows may differ.');
  const rebuilt = { ...first, createdAt: '2026-06-25T08:00:00Z' };
  assert.match(reopenNote({ at: '2026-06-24T10:05:00Z', snapshot: first }, rebuilt) ?? '', /^Re-run on the current snapshot/);
  const other = { ...first, dir: '/data/other' };
  assert.ok(reopenNote({ at: '2026-06-24T10:05:00Z', snapshot: first }, other));
});

test('an entry kept before stamps existed, or with a malformed one, says the snapshot was not recorded', () => {
  const note = reopenNote({ at: '2026-06-24T10:05:00Z' }, first);
  assert.equal(note, 'Re-run on the current snapshot (snap · ethereum · 1–100, data up to 2026-06-24 09:59:48); first asked on 2026-06-24 10:05 UTC, on a snapshot the history did not record.');
  assert.equal(reopenNote({ at: '2026-06-24T10:05:00Z', snapshot: { dir: 7 } }, first), note);
  assert.equal(askedAt('not a time'), 'not a time');
});

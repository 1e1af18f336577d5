import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolveSnapshotPath } from '../../src/core/snapshot/paths.js';

test('resolveSnapshotPath: ~/ is the home folder, relative paths are from the working folder, absolute ones stay', () => {
  assert.equal(resolveSnapshotPath('~/snaps/eth'), path.join(os.homedir(), 'snaps', 'eth'));
  assert.equal(resolveSnapshotPath('snaps/eth'), path.join(process.cwd(), 'snaps', 'eth'));
  assert.equal(resolveSnapshotPath('/data/eth/'), '/data/eth');
  // Only a leading "~/" names the home folder: "~user" and a "~" inside a name are plain text.
  assert.equal(resolveSnapshotPath('~other/x'), path.join(process.cwd(), '~other', 'x'));
});

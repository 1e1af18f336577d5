import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { chdbDir, CHDB_VERSION, ensureChdb } from '../../scripts/chdb.mjs';
import { packageRoot } from '../../src/core/snapshot/paths.js';
import { chdb } from '../support/chdb.js';

/**
 * chdb is no dependency of the project (its per-platform optional packages
 * broke `npm ci`): it is installed on demand into the toolchain cache and
 * loaded from there.
 */

test('chdb is not a dependency of the project, nor resolvable from it', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) assert.equal(pkg[field]?.chdb, undefined, field);
  const lock = fs.readFileSync(path.join(packageRoot(), 'package-lock.json'), 'utf8');
  assert.doesNotMatch(lock, /node_modules\/(chdb|@chdb\/)/);
  assert.throws(() => createRequire(path.join(packageRoot(), 'package.json')).resolve('chdb'), /Cannot find module/);
});

test('chdb comes from the toolchain cache, pinned, and runs ClickHouse SQL', { timeout: 30 * 60_000 }, async () => {
  const installed = await ensureChdb();
  assert.equal(installed.dir, chdbDir());
  assert.ok(installed.entry.startsWith(chdbDir() + path.sep));
  const manifest = JSON.parse(fs.readFileSync(path.join(installed.dir, 'node_modules', 'chdb', 'package.json'), 'utf8')) as { version: string };
  assert.equal(manifest.version, CHDB_VERSION);
  const { Session } = await chdb();
  const session = new Session();
  try {
    assert.equal(session.query("SELECT toUInt256('115792089237316195423570985008687907853269984665640564039457584007913129639935') + 0", 'TabSeparated').trim(),
      '115792089237316195423570985008687907853269984665640564039457584007913129639935');
  } finally {
    session.close();
  }
});

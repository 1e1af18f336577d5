import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSnapshot } from '../../src/core/snapshot/build.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { MANIFEST_FILE } from '../../src/core/snapshot/layout.js';
import { filesUnder } from '../../src/core/snapshot/out-dir.js';

/** Small enough to build in seconds; the data does not matter here, only what happens to the folder. */
const SCALE = 0.02;

const isCode = (code: string) => (e: unknown) => e instanceof OnchainSqlError && e.code === code;

describe('buildSnapshot (the extension\'s "build sample") follows the snapshot folder rules', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-build-outdir-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const siblings = (dir: string) => fs.readdirSync(path.dirname(dir)).filter((n) => n.startsWith(`.${path.basename(dir)}.`));

  it('refuses a folder of someone else\'s files and leaves every one of them', async () => {
    const dir = path.join(tmp, 'notes');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'thesis.md'), 'mine');
    await assert.rejects(buildSnapshot({ outDir: dir, scale: SCALE, seed: 3 }), (e: unknown) => isCode('usage')(e) && /not a snapshot/.test((e as Error).message));
    assert.deepEqual(filesUnder(dir), ['thesis.md']);
    assert.equal(fs.readFileSync(path.join(dir, 'thesis.md'), 'utf8'), 'mine');
    assert.deepEqual(siblings(dir), []);
  });

  it('rebuilds over its own snapshot and keeps a file the user added inside it', async () => {
    const dir = path.join(tmp, 'sample');
    const first = await buildSnapshot({ outDir: dir, scale: SCALE, seed: 3 });
    fs.writeFileSync(path.join(dir, 'my-queries.sql'), 'SELECT 1');
    const second = await buildSnapshot({ outDir: dir, scale: SCALE, seed: 4 });
    assert.equal(fs.readFileSync(path.join(dir, 'my-queries.sql'), 'utf8'), 'SELECT 1');
    assert.deepEqual(filesUnder(dir), [...(second.files ?? []), MANIFEST_FILE, 'my-queries.sql'].sort());
    assert.notDeepEqual(first.rowCounts, second.rowCounts, 'the second build replaced the first one\'s tables');
    assert.deepEqual(siblings(dir), []);
  });

  it('cancelled mid-build, leaves the folder exactly as it was and no work folder beside it', async () => {
    const dir = path.join(tmp, 'sample');
    const before = new Map(filesUnder(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
    const abort = new AbortController();
    let messages = 0;
    const build = buildSnapshot({ outDir: dir, scale: SCALE, seed: 5, signal: abort.signal, onProgress: () => { if (++messages === 3) abort.abort(); } });
    await assert.rejects(build, (e: unknown) => isCode('cancelled')(e) && /nothing in .* was changed/.test((e as Error).message));
    assert.ok(messages >= 3, 'the build was under way when cancelled');
    assert.deepEqual(filesUnder(dir), [...before.keys()]);
    for (const [f, bytes] of before) assert.ok(fs.readFileSync(path.join(dir, f)).equals(bytes), `${f} unchanged`);
    assert.deepEqual(siblings(dir), []);
  });
});

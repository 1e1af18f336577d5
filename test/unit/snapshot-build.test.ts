import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { catalog, qualifiedName } from '../../src/core/schema/catalog.js';
import { buildSnapshot } from '../../src/core/snapshot/build.js';
import { MANIFEST_FILE, tableFile, type Manifest } from '../../src/core/snapshot/layout.js';

/**
 * The sample builder: the same seed gives the same rows and manifest, another
 * seed other rows; the manifest tells the truth about the files; and a build
 * that fails half-way leaves no half snapshot behind.
 */

const SCALE = 0.02;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-build-'));

interface Fingerprint {
  count: number;
  xor: string;
}

/** Row count plus an order-independent hash of every row of every table. */
async function fingerprint(c: DuckDBConnection, dir: string): Promise<Record<string, Fingerprint>> {
  const out: Record<string, Fingerprint> = {};
  for (const t of catalog.tables) {
    const file = tableFile(dir, t).replace(/'/g, "''");
    const r = await c.runAndReadAll(`SELECT count(*)::BIGINT, coalesce(bit_xor(hash(p)), 0)::VARCHAR FROM read_parquet('${file}') p`);
    const [n, x] = r.getRows()[0];
    out[qualifiedName(t)] = { count: Number(n), xor: String(x) };
  }
  return out;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
}

/** Every file under a folder with its bytes, to prove a folder was left untouched. */
function snapshotBytes(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('buildSnapshot', () => {
  const dirA = path.join(root, 'a');
  const dirB = path.join(root, 'b');
  const dirC = path.join(root, 'c');
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  const progress: string[] = [];

  before(async () => {
    await buildSnapshot({ outDir: dirA, scale: SCALE, seed: 42, onProgress: (m) => progress.push(m) });
    // Same seed on one thread: hash-based draws must not depend on how DuckDB schedules work.
    await buildSnapshot({ outDir: dirB, scale: SCALE, seed: 42, threads: 1 });
    await buildSnapshot({ outDir: dirC, scale: SCALE, seed: 43 });
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
  });
  after(() => {
    conn?.closeSync();
    instance?.closeSync();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('gives the same rows and the same manifest for the same seed, whatever the thread count', async () => {
    const a = await fingerprint(conn, dirA);
    const b = await fingerprint(conn, dirB);
    assert.deepEqual(b, a);
    assert.deepEqual(readManifest(dirB), readManifest(dirA));
    for (const [name, f] of Object.entries(a)) assert.ok(f.count > 0, `${name} is empty`);
  });

  it('gives different rows for a different seed', async () => {
    const a = await fingerprint(conn, dirA);
    const c = await fingerprint(conn, dirC);
    for (const name of ['ethereum.blocks', 'ethereum.transactions', 'ethereum.logs', 'tokens.transfers', 'dex.trades', 'prices.hourly']) {
      assert.notEqual(c[name].xor, a[name].xor, `${name} did not change with the seed`);
    }
    // The real-world cast does not depend on the seed.
    assert.equal(c['labels.addresses'].xor, a['labels.addresses'].xor);
  });

  it('writes a manifest that matches the files', async () => {
    const m = readManifest(dirA);
    assert.equal(m.chain, 'ethereum');
    assert.equal(m.synthetic, true);
    assert.equal(m.source, 'sample');
    assert.equal(m.seed, 42);
    assert.equal(m.scale, SCALE);
    assert.equal(m.schemaVersion, catalog.schemaVersion);
    const f = await fingerprint(conn, dirA);
    assert.deepEqual(Object.keys(m.rowCounts).sort(), catalog.tables.map(qualifiedName).sort());
    for (const [name, n] of Object.entries(m.rowCounts)) assert.equal(n, f[name].count, `rowCounts[${name}]`);
    const blocks = tableFile(dirA, { namespace: 'ethereum', name: 'blocks' });
    const r = await conn.runAndReadAll(`SELECT min(block_number), max(block_number), strftime(min(block_time), '%Y-%m-%d %H:%M:%S'), strftime(max(block_time), '%Y-%m-%d %H:%M:%S') FROM read_parquet('${blocks}')`);
    const [first, last, t0, t1] = r.getRows()[0];
    assert.deepEqual(m.blockRange, { first: Number(first), last: Number(last) });
    assert.deepEqual(m.timeRange, { first: String(t0), last: String(t1) });
    assert.ok(!Number.isNaN(Date.parse(m.createdAt)), `createdAt ${m.createdAt}`);
    assert.ok(progress.some((p) => p.includes('ethereum.transactions')), 'progress names the tables it writes');
  });

  it('scales the number of transactions with scale, not the number of blocks', async () => {
    const small = readManifest(dirA);
    const dirD = path.join(root, 'd');
    const big = await buildSnapshot({ outDir: dirD, scale: SCALE * 4, seed: 42 });
    assert.equal(big.rowCounts['ethereum.blocks'], small.rowCounts['ethereum.blocks']);
    const ratio = big.rowCounts['ethereum.transactions'] / small.rowCounts['ethereum.transactions'];
    assert.ok(ratio > 3.5 && ratio < 4.5, `transactions ×${ratio.toFixed(2)} for scale ×4`);
    fs.rmSync(dirD, { recursive: true, force: true });
  });

  it('leaves nothing behind but the snapshot itself', () => {
    const entries = fs.readdirSync(root).sort();
    assert.deepEqual(entries, ['a', 'b', 'c']);
    const files = [...snapshotBytes(dirA).keys()].sort();
    assert.deepEqual(files, [MANIFEST_FILE, ...catalog.tables.map((t) => path.join(t.namespace, `${t.name}.parquet`))].sort());
  });

  it('leaves no folder when a first build fails half-way', async () => {
    const dir = path.join(root, 'interrupted');
    await assert.rejects(
      buildSnapshot({ outDir: dir, scale: SCALE, seed: 1, onProgress: (m) => { if (m.includes('tokens.transfers')) throw new Error('stop here'); } }),
      /stop here/,
    );
    assert.equal(fs.existsSync(dir), false);
    assert.deepEqual(fs.readdirSync(root).sort(), ['a', 'b', 'c'], 'no temporary folder is left');
  });

  it('keeps the previous snapshot byte-identical when a rebuild fails half-way', async () => {
    const before = snapshotBytes(dirC);
    await assert.rejects(
      buildSnapshot({ outDir: dirC, scale: SCALE, seed: 5, onProgress: (m) => { if (m.includes('dex.trades')) throw new Error('stop here'); } }),
      /stop here/,
    );
    const afterBytes = snapshotBytes(dirC);
    assert.deepEqual([...afterBytes.keys()].sort(), [...before.keys()].sort());
    for (const [f, bytes] of before) assert.ok(bytes.equals(afterBytes.get(f)!), `${f} changed`);
    assert.deepEqual(fs.readdirSync(root).sort(), ['a', 'b', 'c']);
  });

  it('rejects a scale that is not a positive number', async () => {
    await assert.rejects(buildSnapshot({ outDir: path.join(root, 'x'), scale: 0 }), /scale/);
    await assert.rejects(buildSnapshot({ outDir: path.join(root, 'x'), scale: Number.NaN }), /scale/);
    assert.equal(fs.existsSync(path.join(root, 'x')), false);
  });
});

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { importSnapshot } from '../../src/core/snapshot/import.js';
import { MANIFEST_FILE, SNAPSHOT_FORMAT, type Manifest } from '../../src/core/snapshot/layout.js';
import { ETL_FIXTURE, makeCryoExport } from '../support/cryo-export.js';
import { etlCsvExport } from '../support/etl-export.js';
import { fileHashes } from '../support/file-hashes.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-import-safety-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const etl = (outDir: string, inDir = etlCsvExport()) => importSnapshot({ from: 'ethereum-etl', inDir, outDir });

function readManifestFile(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
}

async function rejectsWith(p: Promise<unknown>, code: string, ...parts: RegExp[]): Promise<string> {
  let message = '';
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof OnchainSqlError, `expected OnchainSqlError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    message = e.message;
    for (const re of parts) assert.match(e.message, re);
    return true;
  });
  return message;
}

describe('import --out: never deletes or overwrites what it did not write', () => {
  it('marks its snapshot with the format and the list of files it wrote', async () => {
    const out = path.join(tmpRoot, 'marked');
    await etl(out);
    const m = readManifestFile(out);
    assert.equal(m.format, SNAPSHOT_FORMAT);
    assert.ok(m.files?.includes('ethereum/transactions.parquet'));
    assert.ok(m.files?.includes('dex/trades.parquet'));
    for (const f of m.files ?? []) assert.ok(fs.existsSync(path.join(out, f)), f);
    assert.deepEqual(fs.readdirSync(tmpRoot).filter((n) => n.includes('importing')), [], 'no work folder left behind');
  });

  it('refuses a folder of someone else\'s files that holds a manifest.json, changing nothing', async () => {
    const out = path.join(tmpRoot, 'theirs');
    fs.mkdirSync(path.join(out, 'docs'), { recursive: true });
    fs.writeFileSync(path.join(out, MANIFEST_FILE), '{"name": "my web app", "version": 3}');
    fs.writeFileSync(path.join(out, 'docs', 'plan.md'), '# my plan');
    fs.writeFileSync(path.join(out, 'data.parquet'), 'not ours');
    const before = fileHashes(out);
    await rejectsWith(etl(out), 'usage', /not written by onchain-sql/, /docs\/plan\.md/, /nothing in it was changed/);
    assert.deepEqual(fileHashes(out), before);
  });

  it('refuses a non-empty folder without a manifest, naming what is in it', async () => {
    const out = path.join(tmpRoot, 'plain');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'NOTES.md'), 'mine');
    await rejectsWith(etl(out), 'usage', /not a snapshot/, /NOTES\.md/);
    assert.deepEqual(fs.readdirSync(out), ['NOTES.md']);
  });

  it('re-import keeps a user\'s NOTES.md and subfolder inside the snapshot and replaces only its own files', async () => {
    const out = path.join(tmpRoot, 'reimport');
    await etl(out);
    fs.writeFileSync(path.join(out, 'NOTES.md'), 'my notes on these blocks');
    fs.mkdirSync(path.join(out, 'queries'));
    fs.writeFileSync(path.join(out, 'queries', 'whales.sql'), 'select 1');
    const firstCreated = readManifestFile(out).createdAt;
    await new Promise((r) => setTimeout(r, 5));
    const m = await importSnapshot({ from: 'cryo', inDir: await makeCryoExport({}, fs.mkdtempSync(path.join(tmpRoot, 'cryo-'))), outDir: out });
    assert.equal(m.source, 'cryo');
    assert.notEqual(readManifestFile(out).createdAt, firstCreated);
    assert.equal(fs.readFileSync(path.join(out, 'NOTES.md'), 'utf8'), 'my notes on these blocks');
    assert.equal(fs.readFileSync(path.join(out, 'queries', 'whales.sql'), 'utf8'), 'select 1');
    assert.ok(!(readManifestFile(out).files ?? []).includes('NOTES.md'), 'a kept file does not become ours');
    const engine = await Engine.open(out, { threads: 1, connections: 1 });
    try {
      const r = await engine.query('SELECT count(*) FROM ethereum.transactions');
      assert.equal(r.rows[0][0], 298);
    } finally {
      engine.close();
    }
  });

  it('refuses, naming it, a foreign file where a snapshot file must go', async () => {
    const out = path.join(tmpRoot, 'clash');
    await etl(out);
    // The user replaced a table with a file of their own and took it off the list: it is no longer ours to overwrite.
    const m = readManifestFile(out);
    fs.writeFileSync(path.join(out, MANIFEST_FILE), JSON.stringify({ ...m, files: m.files?.filter((f) => f !== 'labels/addresses.parquet') }));
    fs.writeFileSync(path.join(out, 'labels', 'addresses.parquet'), 'my own labels');
    const before = fileHashes(out);
    await rejectsWith(etl(out), 'usage', /labels\/addresses\.parquet/, /did not write/);
    assert.deepEqual(fileHashes(out), before);
  });

  it('says plainly when --out cannot be written (no raw EACCES/mkdtemp text)', async () => {
    let out: string;
    if (process.getuid?.() === 0) {
      out = '/sys/onchain-sql-import-test/snap'; // root ignores modes; /sys refuses writes even to root
    } else {
      const ro = path.join(tmpRoot, 'readonly');
      fs.mkdirSync(ro);
      fs.chmodSync(ro, 0o555);
      out = path.join(ro, 'snap');
    }
    const msg = await rejectsWith(etl(out), 'usage', /Cannot write the snapshot to/, /Choose another --out folder/);
    assert.doesNotMatch(msg, /EACCES|EPERM|EROFS|mkdtemp/);
  });
});

describe('import: mixed export formats are refused, naming what was found', () => {
  it('ethereum-etl CSV plus stream JSON', async () => {
    const dir = etlCsvExport(path.join(tmpRoot, 'mixed-json'));
    fs.copyFileSync(path.join(ETL_FIXTURE, 'stream-json', 'expected_blocks.json'), path.join(dir, 'more_blocks.json'));
    const out = path.join(tmpRoot, 'mixed-json-out');
    await rejectsWith(etl(out, dir), 'import_format', /mixes export formats/, /ethereum-etl CSV \(blocks\.csv/, /stream JSON \(more_blocks\.json\)/);
    assert.equal(fs.existsSync(out), false);
  });

  it('ethereum-etl CSV plus cryo Parquet, whichever --from is given', async () => {
    const dir = etlCsvExport(path.join(tmpRoot, 'mixed-cryo'));
    fs.mkdirSync(path.join(dir, 'cryo'));
    await makeCryoExport({}, path.join(dir, 'cryo'));
    for (const from of ['ethereum-etl', 'cryo'] as const) {
      await rejectsWith(importSnapshot({ from, inDir: dir, outDir: path.join(tmpRoot, `mixed-cryo-${from}`) }), 'import_format',
        /mixes export formats/, /ethereum-etl CSV/, /cryo Parquet \(cryo\//);
    }
  });
});

describe('import refusals keep the file name and line', () => {
  it('a broken 3,000-character CSV line is shortened in the message, its file and line kept', async () => {
    const dir = etlCsvExport(path.join(tmpRoot, 'long-line'));
    const file = path.join(dir, 'transactions.csv');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[4] = `${lines[4]},"${'y'.repeat(3000)}`;
    fs.writeFileSync(file, lines.join('\n'));
    const msg = await rejectsWith(etl(path.join(tmpRoot, 'long-line-out'), dir), 'import_format', /Line: 5/, /file = .*transactions\.csv/);
    assert.ok(msg.length < 1200, `message of ${msg.length} characters`);
  });
});

describe('snapshot paths with glob characters', () => {
  it('a snapshot in snapG[1] reads its own files, not those of snapG1', async () => {
    const bracket = path.join(tmpRoot, 'snapG[1]');
    const lookalike = path.join(tmpRoot, 'snapG1');
    fs.mkdirSync(lookalike);
    await makeTinySnapshot(lookalike);
    const m = await etl(bracket);
    assert.equal(m.rowCounts['ethereum.transactions'], 298, 'the importer counted its own files');
    const engine = await Engine.open(bracket, { threads: 1, connections: 1 });
    try {
      const r = await engine.query('SELECT count(*) AS n, min(block_number) AS first FROM ethereum.transactions');
      assert.deepEqual(r.rows[0], [298, 17173049]);
    } finally {
      engine.close();
    }
  });
});

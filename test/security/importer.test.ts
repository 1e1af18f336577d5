import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OnchainSqlError } from '../../src/core/errors.js';
import { importSnapshot, type ImportFormat } from '../../src/core/snapshot/import.js';
import { MANIFEST_FILE } from '../../src/core/snapshot/layout.js';
import { ETL_FIXTURE } from '../support/cryo-export.js';
import { etlCsvExport } from '../support/etl-export.js';
import { fileHashes } from '../support/file-hashes.js';
import { Counter } from './tally.js';

/**
 * The importer's bad inputs as a careless user makes them: an --out folder of
 * someone's own files, a user's note inside a snapshot, a foreign file where a
 * snapshot file goes, an export that mixes formats, a broken long line, an
 * --out nothing can write to. Each must be refused with a specific message (or
 * handled) and lose nothing. (test/unit/import-safety.test.ts pins the details.)
 */
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-security-import-'));
const tally = new Counter('importer', 'bad --out folders and exports');
after(() => {
  tally.flush();
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

const importEtl = (outDir: string, inDir = etlCsvExport(), from: ImportFormat = 'ethereum-etl') => importSnapshot({ from, inDir, outDir });

/** Refused with an OnchainSqlError whose message matches; the folder `keep` (if given) unchanged. */
async function refusedKeeping(what: string, p: Promise<unknown>, message: RegExp, keep?: string): Promise<void> {
  const before = keep ? fileHashes(keep) : undefined;
  let error: unknown;
  try { await p; } catch (e) { error = e; }
  const refused = error instanceof OnchainSqlError && message.test(error.message);
  const changed = keep && before ? JSON.stringify(fileHashes(keep)) !== JSON.stringify(before) : false;
  tally.check(refused && !changed, changed ? `${what}: files changed` : undefined);
  assert.ok(refused, `${what}: ${error instanceof Error ? error.message : 'no refusal'}`);
  assert.equal(changed, false, `${what}: files changed`);
}

describe('importer: bad inputs lose nothing', () => {
  it('an --out folder of someone else\'s files (with a manifest.json of its own)', async () => {
    const out = path.join(tmpRoot, 'theirs');
    fs.mkdirSync(path.join(out, 'src'), { recursive: true });
    fs.writeFileSync(path.join(out, MANIFEST_FILE), '{"name": "a web app"}');
    fs.writeFileSync(path.join(out, 'src', 'index.js'), 'console.log(1)');
    await refusedKeeping('foreign folder', importEtl(out), /not written by onchain-sql/, out);
  });

  it('a non-empty --out folder without a manifest', async () => {
    const out = path.join(tmpRoot, 'plain');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'thesis.docx'), 'chapter 1');
    await refusedKeeping('plain folder', importEtl(out), /thesis\.docx/, out);
  });

  it('a user\'s NOTES.md inside a snapshot survives a re-import', async () => {
    const out = path.join(tmpRoot, 'ours');
    await importEtl(out);
    fs.writeFileSync(path.join(out, 'NOTES.md'), 'my findings');
    await importEtl(out);
    const kept = fs.readFileSync(path.join(out, 'NOTES.md'), 'utf8') === 'my findings';
    tally.check(kept, kept ? undefined : 'NOTES.md lost on re-import');
    assert.ok(kept);
  });

  it('a foreign file where a snapshot file must go', async () => {
    const out = path.join(tmpRoot, 'clash');
    await importEtl(out);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as { files: string[] };
    manifest.files = manifest.files.filter((f) => f !== 'dex/trades.parquet');
    fs.writeFileSync(path.join(out, MANIFEST_FILE), JSON.stringify(manifest));
    fs.writeFileSync(path.join(out, 'dex', 'trades.parquet'), 'a file of the user\'s');
    await refusedKeeping('foreign file in place', importEtl(out), /dex\/trades\.parquet/, out);
  });

  it('exports that mix formats, whichever --from is given', async () => {
    const dir = etlCsvExport(path.join(tmpRoot, 'mixed'));
    fs.copyFileSync(path.join(ETL_FIXTURE, 'stream-json', 'expected_blocks.json'), path.join(dir, 'more_blocks.json'));
    for (const from of ['ethereum-etl', 'cryo'] as const) {
      const out = path.join(tmpRoot, `mixed-out-${from}`);
      await refusedKeeping(`mixed formats (--from ${from})`, importEtl(out, dir, from), /mixes export formats/);
      assert.equal(fs.existsSync(out), false, 'nothing written');
    }
  });

  it('a broken 5,000-character line: the message keeps its file and line', async () => {
    const dir = etlCsvExport(path.join(tmpRoot, 'long-line'));
    const file = path.join(dir, 'logs.csv');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[7] = `${lines[7]},"${'z'.repeat(5000)}`;
    fs.writeFileSync(file, lines.join('\n'));
    await refusedKeeping('long broken line', importEtl(path.join(tmpRoot, 'long-line-out'), dir), /logs\.csv[\s\S]*Line: 8|Line: 8[\s\S]*logs\.csv/);
  });

  it('an --out nothing can write to gets a plain message', async () => {
    await refusedKeeping('unwritable --out', importEtl('/sys/onchain-sql-security/snap'), /^(?![\s\S]*(EACCES|EROFS|mkdtemp))[\s\S]*Cannot write the snapshot to/);
  });
});

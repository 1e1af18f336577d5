import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { coverageNotes } from '../../src/core/snapshot/coverage.js';
import { importSnapshot } from '../../src/core/snapshot/import.js';
import { etlCsvExport } from '../support/etl-export.js';

describe('coverageNotes: what an answer says about the tables it read', () => {
  const manifest = {
    rowCounts: { 'dex.trades': 0, 'prices.hourly': 0, 'tokens.transfers': 120, 'ethereum.blocks': 2, 'labels.addresses': 0 },
    notes: [
      'dex.trades is empty: the source has no logs to decode Swap events from.',
      'tokens.transfers comes from the export\'s decoded transfers without logs to check them against: it may include ERC-721 transfers.',
      'prices.hourly: On-chain only. 5 of 9 transferred tokens have no on-chain price in this snapshot, so their amount_usd is NULL.',
      'dex.tradesX: a note about another name that only starts the same',
    ],
  };

  it('says an empty table is empty, with the manifest\'s reason', () => {
    assert.deepEqual(coverageNotes(['dex.trades'], manifest), ['dex.trades is empty in this snapshot: the source has no logs to decode Swap events from.']);
  });

  it('says why from a "<table>: …" note, and a plain reason when the manifest has none', () => {
    assert.deepEqual(coverageNotes(['prices.hourly', 'labels.addresses'], manifest), [
      'prices.hourly is empty in this snapshot: On-chain only. 5 of 9 transferred tokens have no on-chain price in this snapshot, so their amount_usd is NULL.',
      'labels.addresses is empty in this snapshot: nothing in the source this snapshot was made from filled it.',
    ]);
  });

  it('passes on what the manifest says about a table with rows, and nothing for a table it says nothing about', () => {
    assert.deepEqual(coverageNotes(['TOKENS.Transfers', 'ethereum.blocks', 'tokens.transfers'], manifest), [manifest.notes[1]]);
    assert.deepEqual(coverageNotes(['ethereum.blocks'], manifest), []);
  });

  it('ignores names that are not contract tables and a manifest without notes', () => {
    assert.deepEqual(coverageNotes(['cte_name', 'main.x'], manifest), []);
    assert.deepEqual(coverageNotes(['dex.trades'], { rowCounts: { 'dex.trades': 0 } }), ['dex.trades is empty in this snapshot: nothing in the source this snapshot was made from filled it.']);
    assert.deepEqual(coverageNotes(['dex.trades'], { rowCounts: {} }), [], 'no row count, no claim');
  });

  it('bounds a long note (manifests are files; notes are shown as text)', () => {
    const [n] = coverageNotes(['dex.trades'], { rowCounts: { 'dex.trades': 0 }, notes: [`dex.trades: ${'x'.repeat(5000)}`] });
    assert.ok(n.length <= 600 && n.endsWith('…'));
  });

  describe('on the manifest of a real import without logs', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-coverage-'));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    it('says dex.trades is empty and why', async () => {
      const inDir = etlCsvExport(path.join(tmp, 'export'));
      fs.rmSync(path.join(inDir, 'logs.csv'));
      const m = await importSnapshot({ from: 'ethereum-etl', inDir, outDir: path.join(tmp, 'snap') });
      assert.equal(m.rowCounts['dex.trades'], 0);
      const notes = coverageNotes(['dex.trades', 'ethereum.transactions'], m);
      assert.equal(notes[0], 'dex.trades is empty in this snapshot: the source has no logs to decode Swap events from.');
      assert.ok(m.rowCounts['ethereum.transactions'] > 0);
    });
  });
});

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OnchainSqlError } from '../../src/core/errors.js';
import { redactText, redactUrl } from '../../src/core/snapshot/sync/rpc.js';
import { chainName, missingChunks, parseSince, syncSnapshot } from '../../src/core/snapshot/sync/sync.js';
import { decodeDecimals, decodeText } from '../../src/core/snapshot/sync/contract-calls.js';
import { FixtureRpcServer } from '../support/rpc-server.js';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sync-range-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

describe('sync ranges and helpers', () => {
  it('names chains by id, unknown ones chain_<id>', () => {
    assert.deepEqual([1, 10, 56, 137, 8453, 42161, 987654].map(chainName), ['ethereum', 'optimism', 'bnb', 'polygon', 'base', 'arbitrum', 'chain_987654']);
  });

  it('parses --since spans and refuses others', () => {
    assert.deepEqual(['24 hours', '7 days', '30 minutes', '90s', '2 weeks'].map(parseSince), [86400, 604800, 1800, 90, 1209600]);
    assert.throws(() => parseSince('yesterday'), OnchainSqlError);
  });

  it('cuts only the blocks not yet synced into chunks', () => {
    assert.deepEqual(missingChunks(1, 10, [], 4), [[1, 4], [5, 8], [9, 10]]);
    assert.deepEqual(missingChunks(1, 10, [{ first: 3, last: 6 }], 4), [[1, 2], [7, 10]]);
    assert.deepEqual(missingChunks(1, 10, [{ first: 1, last: 10 }], 4), []);
  });

  it('redacts the URL\'s path, query and credentials', () => {
    const url = 'https://user:pw-secret@eth.example.com/v2/KEY123?apikey=QWERTY';
    assert.equal(redactUrl(url), 'https://eth.example.com/…');
    const text = redactText(`failed at ${url} (/v2/KEY123?apikey=QWERTY)`, url);
    assert.doesNotMatch(text, /KEY123|QWERTY|pw-secret/);
  });

  it('decodes string and bytes32 answers, keeps hostile text as text, refuses junk decimals', () => {
    const abi = (s: string) => { const b = Buffer.from(s); return `0x${'20'.padStart(64, '0')}${b.length.toString(16).padStart(64, '0')}${b.toString('hex').padEnd(Math.ceil(b.length / 32) * 64, '0')}`; };
    assert.equal(decodeText(abi('USDC')), 'USDC');
    assert.equal(decodeText(abi('<script>alert(1)</script>')), '<script>alert(1)</script>');
    assert.equal(decodeText(`0x${Buffer.from('MKR').toString('hex').padEnd(64, '0')}`), 'MKR');
    assert.equal(decodeText('0x'), null);
    assert.equal(decodeText(abi('a\u0000b\u0007c')), 'abc');
    assert.equal(decodeDecimals(`0x${(18).toString(16).padStart(64, '0')}`), '18');
    assert.equal(decodeDecimals(`0x${(256).toString(16).padStart(64, '0')}`), null);
  });
});

describe('sync --last-blocks and --since against the local node', () => {
  it('--last-blocks 1 syncs the safe head only; --since "1 hour" then adds the block before', async () => {
    const server = new FixtureRpcServer();
    const url = await server.start();
    try {
      const out = path.join(tmpRoot, 'last');
      const a = await syncSnapshot({ rpcUrl: url, outDir: out, lastBlocks: 1 });
      assert.deepEqual(a.manifest.blockRange, { first: 17173050, last: 17173050 });
      assert.equal(a.manifest.rowCounts['ethereum.transactions'], 182);
      const b = await syncSnapshot({ rpcUrl: url, outDir: out, since: '1 hour' });
      assert.equal(b.blocksSynced, 1, 'the head block was already there');
      assert.deepEqual(b.manifest.blockRange, { first: 17173049, last: 17173050 });
      assert.equal(b.manifest.rowCounts['ethereum.transactions'], 298);
      const c = await syncSnapshot({ rpcUrl: url, outDir: path.join(tmpRoot, 'since5'), since: '5 seconds' });
      assert.deepEqual(c.manifest.blockRange, { first: 17173050, last: 17173050 }, 'block 17173049 is 12 s older than the head');
    } finally {
      await server.stop();
    }
  });
});

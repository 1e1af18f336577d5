import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import labels from '../../src/core/snapshot/derive/labels.json';
import dexPools from '../../src/core/snapshot/derive/dex-pools.json';
import feeds from '../../src/core/snapshot/derive/chainlink-feeds.json';

const ADDRESS = /^0x[0-9a-f]{40}$/;
const CATEGORIES = new Set(['cex', 'dex', 'bridge', 'lending', 'staking', 'mev']);

/** The bundled address tables are data with a source and a licence per row (see LABELS-LICENSE.md). */
describe('bundled labels, DEX pools and price feeds: checked data with provenance', () => {
  const rows = [
    ...labels.labels.map((r) => ({ ...r, file: 'labels.json' })),
    ...dexPools.factories.map((r) => ({ ...r, file: 'dex-pools.json factories' })),
    ...dexPools.pools.map((r) => ({ ...r, file: 'dex-pools.json pools' })),
    ...feeds.feeds.flatMap((f) => f.aggregators.map((r) => ({ ...r, file: 'chainlink-feeds.json' }))),
  ];

  it('every row has a lowercase address, a source that names where it was checked, and a licence', () => {
    assert.ok(labels.labels.length >= 40, 'exchanges, routers, bridges and protocols');
    for (const r of rows) {
      assert.match(r.address, ADDRESS, `${r.file} ${r.address}`);
      assert.ok(/https:\/\/github\.com\/|docs\.[a-z]+\.(org|com|link)/.test(r.source), `${r.file} ${r.address}: source names a repository or the protocol's docs`);
      assert.ok(r.licence && r.licence.length > 2, `${r.file} ${r.address}: licence`);
    }
  });

  it('no address is listed twice in a table, and labels use the contract\'s categories', () => {
    for (const list of [labels.labels, dexPools.factories, dexPools.pools]) {
      const seen = new Set<string>();
      for (const r of list) { assert.ok(!seen.has(r.address), `duplicate ${r.address}`); seen.add(r.address); }
    }
    for (const l of labels.labels) assert.ok(CATEGORIES.has(l.category), `${l.name}: ${l.category}`);
  });

  it('has the factories the task names, and the exchange wallets analysts ask about', () => {
    const factory = new Map(dexPools.factories.map((f) => [f.address, `${f.project} v${f.version}`]));
    assert.equal(factory.get('0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f'), 'uniswap v2');
    assert.equal(factory.get('0x1f98431c8ad98523631ae4a59f267346ea31f984'), 'uniswap v3');
    assert.equal(factory.get('0xc0aee478e3658e2610c5f7a4a2e1777ce9e4f2ac'), 'sushiswap v2');
    const names = new Set(labels.labels.map((l) => l.name));
    for (const n of ['Binance 14', 'Binance 15', 'Binance 16', 'Coinbase 10', 'Kraken 4', 'Uniswap V2: Router 2', 'Uniswap V3: Router', '0x: Exchange Proxy']) assert.ok(names.has(n), n);
  });

  it('keeps the licence note beside the data', () => {
    const note = fs.readFileSync(path.join(__dirname, '../../src/core/snapshot/derive/LABELS-LICENSE.md'), 'utf8');
    assert.match(note, /brianleect\/etherscan-labels/);
    assert.match(note, /MIT License/);
  });
});

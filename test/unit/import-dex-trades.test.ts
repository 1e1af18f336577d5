import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { importSnapshot } from '../../src/core/snapshot/import.js';
import { ETL_FIXTURE } from '../support/cryo-export.js';
import { etlCsvExport } from '../support/etl-export.js';

const V2_SWAP = '0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822';
const V3_SWAP = '0xc42079f94a6350d7e6235f29174924f928cc2ac818eb64fed8004e115fbcca67';

interface Swap { pool: string; tx: string; logIndex: number; version: '2' | '3'; boughtSide: 0 | 1; bought: bigint; sold: bigint }

/** Decodes the fixture's Swap logs straight from logs.csv with BigInt arithmetic (no SQL). */
function decodeSwaps(): Swap[] {
  const lines = fs.readFileSync(path.join(ETL_FIXTURE, 'logs.csv'), 'utf8').trim().split('\n').slice(1);
  const words = (data: string) => (data.slice(2).match(/.{64}/g) ?? []).map((w) => BigInt(`0x${w}`));
  const signed = (w: bigint) => (w >= 2n ** 255n ? w - 2n ** 256n : w);
  const out: Swap[] = [];
  for (const line of lines) {
    // log_index,transaction_hash,transaction_index,block_hash,block_number,address,data,topics
    const [logIndex, tx, , , , address, data] = line.split(',');
    const topics = line.endsWith('"') ? line.slice(line.lastIndexOf(',"') + 2, -1).split(',') : [line.slice(line.lastIndexOf(',') + 1)];
    const w = words(data);
    if (topics[0] === V2_SWAP) {
      const [a0in, a1in, a0out, a1out] = w;
      const boughtSide = a0out > 0n ? 0 : 1;
      out.push({ pool: address, tx, logIndex: Number(logIndex), version: '2', boughtSide, bought: boughtSide === 0 ? a0out : a1out, sold: boughtSide === 0 ? a1in : a0in });
    } else if (topics[0] === V3_SWAP) {
      const [a0, a1] = [signed(w[0]), signed(w[1])];
      const boughtSide = a0 < 0n ? 0 : 1;
      out.push({ pool: address, tx, logIndex: Number(logIndex), version: '3', boughtSide, bought: boughtSide === 0 ? -a0 : -a1, sold: boughtSide === 0 ? a1 : a0 });
    }
  }
  return out;
}

describe('dex.trades of the real fixture blocks, checked against Swap logs decoded in TypeScript', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-dex-'));
  let engine: Engine;
  const swaps = decodeSwaps();
  before(async () => {
    await importSnapshot({ from: 'ethereum-etl', inDir: etlCsvExport(), outDir: path.join(tmp, 'snap') });
    engine = await Engine.open(path.join(tmp, 'snap'), { threads: 1, connections: 1 });
  });
  after(() => {
    engine?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('has one trade per Swap log, per pool and version', async () => {
    assert.ok(swaps.length > 50 && swaps.some((s) => s.version === '3'), 'the fixture has V2 and V3 swaps');
    const r = await engine.query(`SELECT pool_address, version, count(*)::INTEGER FROM dex.trades GROUP BY ALL ORDER BY ALL`);
    const expected = new Map<string, number>();
    for (const s of swaps) expected.set(`${s.pool}/${s.version}`, (expected.get(`${s.pool}/${s.version}`) ?? 0) + 1);
    assert.deepEqual(new Map(r.rows.map((x) => [`${x[0]}/${x[1]}`, x[2] as number])), expected);
  });

  it('has the bought and sold amounts of every swap, decimal-adjusted, on the right token (token0 is the lower address)', async () => {
    const r = await engine.query(`SELECT t.tx_hash, t.log_index, t.token_bought_address, t.token_sold_address,
        t.token_bought_amount, t.token_sold_amount, b.decimals, s.decimals
      FROM dex.trades t LEFT JOIN tokens.erc20 b ON b.contract_address = t.token_bought_address
        LEFT JOIN tokens.erc20 s ON s.contract_address = t.token_sold_address`);
    const byKey = new Map(r.rows.map((x) => [`${x[0]}/${x[1]}`, x]));
    let checked = 0;
    const perPool = new Map<string, { bought: number; expected: number }>();
    for (const s of swaps) {
      const row = byKey.get(`${s.tx}/${s.logIndex}`);
      assert.ok(row, `trade ${s.tx}/${s.logIndex}`);
      const [, , boughtAddr, soldAddr, boughtAmt, soldAmt, boughtDec, soldDec] = row;
      if (boughtAddr === null) continue;
      assert.equal((boughtAddr as string) < (soldAddr as string), s.boughtSide === 0, `side of ${s.tx}/${s.logIndex}`);
      if (boughtDec === null || soldDec === null) {
        // A token without known decimals gives no amount rather than a raw number posing as one.
        if (boughtDec === null) assert.equal(boughtAmt, null);
        if (soldDec === null) assert.equal(soldAmt, null);
        continue;
      }
      const want = (raw: bigint, dec: number) => Number(raw) / 10 ** dec;
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-18);
      assert.ok(close(boughtAmt as number, want(s.bought, boughtDec as number)), `bought ${boughtAmt} vs ${want(s.bought, boughtDec as number)}`);
      assert.ok(close(soldAmt as number, want(s.sold, soldDec as number)), `sold ${soldAmt} vs ${want(s.sold, soldDec as number)}`);
      const p = perPool.get(s.pool) ?? { bought: 0, expected: 0 };
      perPool.set(s.pool, { bought: p.bought + (boughtAmt as number), expected: p.expected + want(s.bought, boughtDec as number) });
      checked++;
    }
    // The export has no tokens file: decimals come from the bundled list, known for the major tokens only.
    assert.ok(checked >= 8, `amounts checked for ${checked} trades`);
    for (const [pool, p] of perPool) assert.ok(Math.abs(p.bought - p.expected) <= 1e-9 * p.expected, pool);
  });

  it('prices the USDC-WETH and USDT-WETH trades in USD from on-chain swaps, and labels known pools', async () => {
    const r = await engine.query(`SELECT count(*) FILTER (WHERE token_pair IN ('USDC-WETH', 'USDT-WETH')) AS n,
        count(amount_usd) FILTER (WHERE token_pair IN ('USDC-WETH', 'USDT-WETH')) AS priced,
        (SELECT price_usd FROM prices.hourly WHERE symbol = 'WETH') AS weth_usd,
        (SELECT count(*) FROM dex.trades t JOIN labels.addresses l ON l.address = t.pool_address) AS labelled
      FROM dex.trades`);
    const [n, priced, wethUsd, labelled] = r.rows[0] as number[];
    assert.ok(n > 0);
    assert.equal(priced, n);
    assert.ok(wethUsd > 1000 && wethUsd < 3000, `WETH ${wethUsd} USD on 2023-05-02`);
    assert.ok(labelled > 0);
  });
});

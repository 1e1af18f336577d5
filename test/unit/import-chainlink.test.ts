import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { importSnapshot } from '../../src/core/snapshot/import.js';
import type { Manifest } from '../../src/core/snapshot/layout.js';
import { TOPIC } from '../../src/core/snapshot/derive/derive.js';
import feeds from '../../src/core/snapshot/derive/chainlink-feeds.json';
import { etlCsvExport } from '../support/etl-export.js';
import { keccak256 } from '../support/keccak.js';

const ANSWER_UPDATED = keccak256('AnswerUpdated(int256,uint256,uint256)');
const WETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
const ETH = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
const ETH_USD = feeds.feeds.find((f) => f.pair === 'ETH/USD');
/** The aggregator behind the ETH/USD proxy in the fixture's blocks (May 2023). */
const AGGREGATOR = '0xe62b71cf983019bff55bc83b48601ce8419650cc';

const word = (v: bigint) => (v < 0n ? (1n << 256n) + v : v).toString(16).padStart(64, '0');

/** One ethereum-etl logs.csv row of an AnswerUpdated log: answer in topic1, round in topic2, updatedAt in data. */
function answerLog(template: string[], logIndex: number, address: string, answer: bigint, round: bigint): string {
  const [, tx, txIndex, blockHash, blockNumber] = template;
  const topics = [ANSWER_UPDATED, `0x${word(answer)}`, `0x${word(round)}`].join(',');
  return `${logIndex},${tx},${txIndex},${blockHash},${blockNumber},${address},0x${word(1683029999n)},"${topics}"`;
}

describe('prices.hourly from Chainlink ETH/USD AnswerUpdated logs', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-chainlink-'));
  let engine: Engine;
  let manifest: Manifest;
  before(async () => {
    const inDir = etlCsvExport(path.join(tmp, 'export'));
    const logsCsv = path.join(inDir, 'logs.csv');
    const lines = fs.readFileSync(logsCsv, 'utf8').trimEnd().split('\n');
    const template = lines.find((l) => l.includes(ANSWER_UPDATED));
    assert.ok(template, 'the real fixture has AnswerUpdated logs (of feeds other than ETH/USD)');
    const cols = template.split(',');
    // Two answers of the feed in one hour (8 decimals: 1876.54321 and 1880 USD), a negative one that is no
    // price, and one from a contract that is not the feed's aggregator.
    lines.push(
      answerLog(cols, 900, AGGREGATOR, 187654321000n, 1001n),
      answerLog(cols, 901, AGGREGATOR, 188000000000n, 1002n),
      answerLog(cols, 902, AGGREGATOR, -5n * 10n ** 8n, 1003n),
      answerLog(cols, 903, '0x000000000000000000000000000000000000dead', 99999900000000n, 7n),
    );
    fs.writeFileSync(logsCsv, `${lines.join('\n')}\n`);
    manifest = await importSnapshot({ from: 'ethereum-etl', inDir, outDir: path.join(tmp, 'snap') });
    engine = await Engine.open(path.join(tmp, 'snap'), { threads: 1, connections: 1 });
  });
  after(() => {
    engine?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('uses the real event signature and the mainnet ETH/USD proxy with 8 decimals', () => {
    assert.equal(TOPIC.chainlinkAnswerUpdated, ANSWER_UPDATED);
    assert.equal(keccak256('Transfer(address,address,uint256)'), TOPIC.transfer, 'the test keccak agrees with a known topic');
    assert.equal(ETH_USD?.proxy, '0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419');
    assert.equal(ETH_USD?.decimals, 8);
    assert.ok(ETH_USD?.aggregators.some((a) => a.address === AGGREGATOR));
    for (const a of ETH_USD?.aggregators ?? []) assert.ok(a.source.length > 20 && a.licence, `source of ${a.address}`);
  });

  it('prices WETH and ETH at the median of the feed\'s positive answers in the hour, not the DEX median', async () => {
    const r = await engine.query(`SELECT contract_address, symbol, price_usd FROM prices.hourly
      WHERE contract_address IN ('${WETH}', '${ETH}') ORDER BY contract_address`);
    assert.equal(r.rows.length, 2, 'one hour, two rows');
    const expected = (1876.54321 + 1880) / 2;
    for (const [, , price] of r.rows) assert.ok(Math.abs((price as number) - expected) < 1e-9, `price ${price} = ${expected}`);
    assert.deepEqual(r.rows.map((x) => x[1]), ['WETH', 'ETH']);
    // The swaps of the same blocks put WETH elsewhere: the feed was preferred, not averaged in.
    const dex = await engine.query(`SELECT median(token_sold_amount / token_bought_amount) FROM dex.trades
      WHERE token_bought_address = '${WETH}' AND token_sold_symbol IN ('USDC', 'USDT', 'DAI') AND token_bought_amount > 0`);
    const dexPrice = dex.rows[0][0] as number;
    assert.ok(dexPrice > 1000 && Math.abs(dexPrice - expected) > 1, `DEX price ${dexPrice} differs from the feed`);
  });

  it('fills amount_usd of WETH transfers with the feed price, and says the method in the manifest', async () => {
    const r = await engine.query(`SELECT count(*)::INTEGER, max(abs(amount_usd / amount - 1878.271605)) FROM tokens.transfers
      WHERE contract_address = '${WETH}' AND amount > 0`);
    assert.ok((r.rows[0][0] as number) > 10);
    assert.ok((r.rows[0][1] as number) < 1e-9);
    assert.ok(manifest.notes?.some((n) => n.includes('WETH/ETH hours priced 1 from Chainlink ETH/USD')), JSON.stringify(manifest.notes));
  });
});

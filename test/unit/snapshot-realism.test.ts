import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import type { Cell } from '../../src/core/engine/values.js';
import { buildSnapshot } from '../../src/core/snapshot/build.js';
import { tableFile } from '../../src/core/snapshot/layout.js';
import { catalog } from '../../src/core/schema/catalog.js';
import { SAMPLE_SCALE, SAMPLE_SEED } from '../../src/core/snapshot/paths.js';

/**
 * The bundled sample (scale 1, seed 1) must be realistic enough that common
 * questions get non-empty, plausible answers. Each fact of chain-schema.md's
 * "What the bundled sample must contain" and of the fixtures' reference
 * figures is an assertion here, run through the real engine on a fresh build.
 */

const repoRoot = path.resolve(__dirname, '..', '..');
const devSet = path.join(repoRoot, 'eval', 'dev-questions.jsonl');
const ZERO = '0x0000000000000000000000000000000000000000';
const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** Real mainnet tokens (address, decimals) the sample must carry exactly. */
const REAL_TOKENS: Array<[string, string, number]> = [
  ['WETH', '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', 18],
  ['USDC', '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', 6],
  ['USDT', '0xdac17f958d2ee523a2206206994597c13d831ec7', 6],
  ['DAI', '0x6b175474e89094c44da98b954eedeac495271d0f', 18],
  ['WBTC', '0x2260fac5e5542a773aa44fbcfedf7c193bc2c599', 8],
  ['UNI', '0x1f9840a85d5af5bf1d1762f925bdaddc4201f984', 18],
  ['LINK', '0x514910771af9ca656af840dff83e8264ecf986ca', 18],
  ['AAVE', '0x7fc66500c84a76ad7e9c93437bfc5ac33e2ddae9', 18],
  ['MKR', '0x9f8f72aa9304c8b593d555f12ef6589cc3a579a2', 18],
  ['SHIB', '0x95ad61b0a150d79219dcf64e1e6cc01f0b64c4ce', 18],
  ['PEPE', '0x6982508145454ce325ddbe47a25d4ec3d2311933', 18],
  ['LDO', '0x5a98fcbea516cf06857215779fd812ca3bef1b32', 18],
];

describe('the bundled sample is realistic', () => {
  let dir = '';
  let engine: Engine;

  const rows = async (sql: string): Promise<Cell[][]> => (await engine.query(sql, { maxRows: 100_000, timeoutMs: 120_000 })).rows;
  const one = async (sql: string): Promise<Cell[]> => (await rows(sql))[0];
  const num = async (sql: string): Promise<number> => Number((await one(sql))[0]);

  before(async () => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-realism-')), 'sample');
    await buildSnapshot({ outDir: dir, scale: SAMPLE_SCALE, seed: SAMPLE_SEED });
    engine = await Engine.open(dir);
  });
  after(() => {
    engine?.close();
    if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('fits in 40 MB of Parquet', () => {
    const bytes = catalog.tables.reduce((s, t) => s + fs.statSync(tableFile(dir, t)).size, 0);
    assert.ok(bytes <= 40 * 1024 * 1024, `${(bytes / 2 ** 20).toFixed(1)} MB`);
  });

  it('covers 7 consecutive days of ~12 s blocks, with a few missed slots', async () => {
    const [n, span, gaps12, gapsOther, bad] = await one(`
      WITH b AS (SELECT block_number, block_time, epoch(block_time - lag(block_time) OVER (ORDER BY block_number)) AS gap,
                        block_number - lag(block_number) OVER (ORDER BY block_number) AS step FROM ethereum.blocks)
      SELECT count(*), epoch(max(block_time) - min(block_time)), count(*) FILTER (WHERE gap = 12), count(*) FILTER (WHERE gap IN (24, 36)),
             count(*) FILTER (WHERE gap NOT IN (12, 24, 36, 48) OR step <> 1)
      FROM b`);
    assert.ok(Number(n) >= 40_000, `${n} blocks`);
    assert.ok(Number(span) >= 7 * 86400 - 60, `span ${span} s`);
    assert.ok(Number(gapsOther) > 0 && Number(gapsOther) < Number(gaps12) * 0.05, `missed slots ${gapsOther} vs ${gaps12}`);
    assert.equal(Number(bad), 0, 'block numbers consecutive and gaps multiples of 12 s');
  });

  it('has lowercase hashes and addresses of the right lengths', async () => {
    const bad = await num(`
      SELECT count(*) FROM ethereum.transactions
      WHERE NOT regexp_full_match(tx_hash, '0x[0-9a-f]{64}') OR NOT regexp_full_match(from_address, '0x[0-9a-f]{40}')
         OR NOT regexp_full_match(coalesce(to_address, created_contract_address), '0x[0-9a-f]{40}')`);
    assert.equal(bad, 0);
    assert.equal(await num(`SELECT count(*) - count(DISTINCT tx_hash) FROM ethereum.transactions`), 0, 'tx_hash unique');
    assert.equal(await num(`SELECT count(*) FROM ethereum.blocks WHERE NOT regexp_full_match(block_hash, '0x[0-9a-f]{64}')`), 0);
    assert.equal(await num(`SELECT count(*) FROM labels.addresses WHERE NOT regexp_full_match(address, '0x[0-9a-f]{40}')`), 0);
    assert.equal(await num(`SELECT count(*) FROM tokens.erc20 WHERE NOT regexp_full_match(contract_address, '0x[0-9a-f]{40}')`), 0);
  });

  it('matches the mainnet reference figures for transactions', async () => {
    const [failed, plain, type2, type0, medianGas, creations, creationsOk] = (await one(`
      SELECT avg(CASE WHEN success THEN 0.0 ELSE 1.0 END), avg(CASE WHEN method_id = '0x' THEN 1.0 ELSE 0.0 END),
             avg(CASE WHEN tx_type = 2 THEN 1.0 ELSE 0.0 END), avg(CASE WHEN tx_type = 0 THEN 1.0 ELSE 0.0 END), median(gas_used),
             count(*) FILTER (WHERE to_address IS NULL), count(*) FILTER (WHERE to_address IS NULL AND (created_contract_address IS NOT NULL OR NOT success))
      FROM ethereum.transactions`)).map(Number);
    assert.ok(failed >= 0.01 && failed <= 0.06, `failed ${failed}`);
    assert.ok(plain >= 0.2 && plain <= 0.36, `plain ETH transfers ${plain}`);
    assert.ok(type2 >= 0.78 && type2 <= 0.9, `type 2 ${type2}`);
    assert.ok(type0 >= 0.1 && type0 <= 0.2, `type 0 ${type0}`);
    assert.ok(medianGas >= 38_000 && medianGas <= 60_000, `median gas ${medianGas}`);
    assert.ok(creations > 100, `${creations} contract creations`);
    assert.equal(creationsOk, creations, 'a creation has no to_address and names the new contract (unless it failed)');
  });

  it('keeps derived columns exactly consistent (value_eth, fee_eth, block counts)', async () => {
    assert.equal(await num(`SELECT count(*) FROM ethereum.transactions WHERE value_eth <> value_wei::DOUBLE / 1e18`), 0);
    assert.equal(await num(`SELECT count(*) FROM ethereum.transactions WHERE abs(fee_eth - gas_used * gas_price_gwei * 1e-9) > 1e-15`), 0);
    assert.equal(await num(`SELECT count(*) FROM ethereum.transactions WHERE gas_used > gas_limit OR gas_used < 21000`), 0);
    assert.equal(await num(`
      SELECT count(*) FROM ethereum.blocks b LEFT JOIN (SELECT block_number, count(*) AS n FROM ethereum.transactions GROUP BY 1) t USING (block_number)
      WHERE b.transaction_count <> coalesce(t.n, 0)`), 0);
    assert.equal(await num(`SELECT count(*) FROM ethereum.transactions t JOIN ethereum.blocks b USING (block_number) WHERE t.block_time <> b.block_time`), 0);
  });

  it('has 30M-gas blocks about half full and a base fee of 1–30 gwei that varies smoothly', async () => {
    const [limit, fill, minFee, maxFee, medianStep] = (await one(`
      SELECT max(gas_limit), avg(gas_used / gas_limit), min(base_fee_per_gas_gwei), max(base_fee_per_gas_gwei),
             median(abs(base_fee_per_gas_gwei / prev - 1))
      FROM (SELECT *, lag(base_fee_per_gas_gwei) OVER (ORDER BY block_number) AS prev FROM ethereum.blocks)`)).map(Number);
    assert.equal(limit, 30_000_000);
    assert.ok(fill > 0.4 && fill < 0.6, `blocks ${fill} full`);
    assert.ok(minFee >= 1 && maxFee <= 30 && maxFee / minFee > 3, `base fee ${minFee}–${maxFee}`);
    assert.ok(medianStep < 0.05, `median block-to-block base fee change ${medianStep}`);
  });

  it('shows daily and hourly activity cycles', async () => {
    const hourly = (await rows(`
      SELECT hour(block_time) AS h, count(*) / count(DISTINCT date_trunc('day', block_time)) FROM ethereum.transactions GROUP BY 1 ORDER BY 1`)).map((r) => Number(r[1]));
    assert.equal(hourly.length, 24);
    const peak = Math.max(...hourly);
    const trough = Math.min(...hourly);
    assert.ok(peak / trough > 1.3, `busiest hour ${peak} vs quietest ${trough}`);
    const hPeak = hourly.indexOf(peak);
    assert.ok(hPeak >= 10 && hPeak <= 20, `peak at ${hPeak}:00 UTC (US/EU overlap expected)`);
    const daily = (await rows(`SELECT date_trunc('day', block_time), count(*) FROM ethereum.transactions GROUP BY 1 ORDER BY 1`)).map((r) => Number(r[1]));
    assert.equal(daily.length, 7);
    assert.ok(Math.max(...daily) / Math.min(...daily) > 1.1, `days differ: ${daily.join(', ')}`);
  });

  it('has heavy-tailed senders: a few very active, many one-off', async () => {
    const [topShare, oneOff] = (await one(`
      WITH s AS (SELECT from_address, count(*) AS n FROM ethereum.transactions GROUP BY 1),
           r AS (SELECT n, row_number() OVER (ORDER BY n DESC, from_address) AS rk, count(*) OVER () AS senders FROM s)
      SELECT sum(n) FILTER (WHERE rk <= senders / 100) / sum(n), avg(CASE WHEN n = 1 THEN 1.0 ELSE 0.0 END) FROM r`)).map(Number);
    assert.ok(topShare > 0.25, `top 1% of senders send ${topShare}`);
    assert.ok(oneOff > 0.5, `one-off senders ${oneOff}`);
  });

  it('carries at least 12 real mainnet tokens with their real addresses and decimals, each transferred', async () => {
    for (const [symbol, address, decimals] of REAL_TOKENS) {
      const r = await rows(`SELECT symbol, decimals, (SELECT count(*) FROM tokens.transfers t WHERE t.contract_address = e.contract_address) FROM tokens.erc20 e WHERE contract_address = '${address}'`);
      assert.equal(r.length, 1, `${symbol} ${address} missing`);
      assert.deepEqual(r[0].slice(0, 2), [symbol, decimals]);
      assert.ok(Number(r[0][2]) > 50, `${symbol} has ${r[0][2]} transfers`);
    }
    assert.ok(await num(`SELECT count(*) FROM tokens.erc20`) >= 500, 'a long tail of real tokens');
    assert.ok(await num(`SELECT count(DISTINCT contract_address) FROM tokens.transfers`) >= 300, 'the long tail is transferred too');
  });

  it('carries hostile token metadata (HTML, prompt injection, 10,000 characters, bidi/non-ASCII), transferred like any token', async () => {
    const hostile = await rows(`
      SELECT contract_address FROM tokens.erc20
      WHERE symbol LIKE '%<%' OR name LIKE '%<script%' OR lower(name) LIKE '%ignore previous instructions%' OR length(name) >= 10000
         OR regexp_matches(name, '[\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]')`);
    assert.ok(hostile.length >= 3, `${hostile.length} hostile tokens`);
    assert.ok(await num(`SELECT count(*) FROM tokens.erc20 WHERE symbol LIKE '%<img%' OR name LIKE '%<script>%'`) >= 1, 'HTML/script');
    assert.ok(await num(`SELECT count(*) FROM tokens.erc20 WHERE lower(name) LIKE '%ignore previous instructions%'`) >= 1, 'prompt injection');
    assert.ok(await num(`SELECT count(*) FROM tokens.erc20 WHERE length(name) >= 10000`) >= 1, '10,000 characters');
    assert.ok(await num(`SELECT count(*) FROM tokens.erc20 WHERE regexp_matches(name, '[\\x{202A}-\\x{202E}]') AND regexp_matches(symbol, '[^\\x00-\\x7F]')`) >= 1, 'bidi and non-ASCII');
    const list = hostile.map((r) => `'${String(r[0])}'`).join(', ');
    assert.ok(await num(`SELECT count(DISTINCT contract_address) FROM tokens.transfers WHERE contract_address IN (${list})`) >= 3, 'hostile tokens have transfers');
  });

  it('has mints and burns, including stablecoin burns every day', async () => {
    assert.ok(await num(`SELECT count(*) FROM tokens.transfers WHERE from_address = '${ZERO}'`) > 100, 'mints');
    assert.ok(await num(`SELECT count(*) FROM tokens.transfers WHERE to_address = '${ZERO}'`) > 100, 'burns');
    assert.equal(await num(`SELECT count(DISTINCT date_trunc('day', block_time)) FROM tokens.transfers WHERE symbol = 'DAI' AND to_address = '${ZERO}'`), 7);
  });

  it('decodes token transfers consistently with ethereum.logs, decimals and hourly prices', async () => {
    const [transfers, matched] = (await one(`
      SELECT count(*), count(l.log_index) FROM tokens.transfers t
      LEFT JOIN ethereum.logs l ON l.block_number = t.block_number AND l.log_index = t.log_index AND l.tx_hash = t.tx_hash
        AND l.contract_address = t.contract_address AND l.topic0 = '${TRANSFER}'
        AND l.topic1 = '0x000000000000000000000000' || substr(t.from_address, 3) AND l.topic2 = '0x000000000000000000000000' || substr(t.to_address, 3)
        AND l.data = '0x' || lpad(lower(hex(t.amount_raw)), 64, '0')`)).map(Number);
    assert.equal(matched, transfers, 'every transfer is a Transfer log with padded topics and the amount as data');
    assert.equal(await num(`SELECT count(*) FROM ethereum.logs WHERE topic0 = '${TRANSFER}'`), transfers, 'every Transfer log is decoded');
    assert.equal(await num(`
      SELECT count(*) FROM tokens.transfers t JOIN tokens.erc20 e USING (contract_address)
      WHERE abs(t.amount - t.amount_raw::DOUBLE / pow(10, e.decimals)) > 1e-9 * abs(t.amount) OR t.symbol <> e.symbol`), 0, 'amount = amount_raw / 10^decimals');
    const [priced, pricedOk, unpricedWithUsd] = (await one(`
      SELECT count(p.price_usd), count(*) FILTER (WHERE abs(t.amount_usd - t.amount * p.price_usd) <= 1e-9 * t.amount_usd),
             count(*) FILTER (WHERE p.price_usd IS NULL AND t.amount_usd IS NOT NULL)
      FROM tokens.transfers t LEFT JOIN prices.hourly p ON p.contract_address = t.contract_address AND p.hour = date_trunc('hour', t.block_time)`)).map(Number);
    assert.ok(priced > 10_000, `${priced} priced transfers`);
    assert.equal(pricedOk, priced, "amount_usd = amount × that hour's price");
    assert.equal(unpricedWithUsd, 0, 'amount_usd is NULL without a price');
    const kinds = await rows(`SELECT topic0 FROM ethereum.logs GROUP BY 1 HAVING count(*) > 100`);
    const seen = new Set(kinds.map((r) => String(r[0])));
    for (const [name, topic] of Object.entries({
      Approval: '0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925',
      'V2 Swap': '0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822',
      Sync: '0x1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1',
      'V3 Swap': '0xc42079f94a6350d7e6235f29174924f928cc2ac818eb64fed8004e115fbcca67',
      Deposit: '0xe1fffcc4923d04b559f4d29a8bfc6cda04eb5b0d3c460751c2402c5c5cc9109c',
      Withdrawal: '0x7fcf532c15f0a6db0bd6d0e038bea71d30d808c7d98cb3bf7268a95bf5081b65',
    })) assert.ok(seen.has(topic), `${name} logs`);
  });

  it('has hourly prices for ETH, WETH and the majors over the whole range, at realistic levels', async () => {
    const hours = await num(`SELECT epoch(date_trunc('hour', max(block_time)) - date_trunc('hour', min(block_time))) / 3600 + 1 FROM ethereum.blocks`);
    const r = await rows(`SELECT symbol, count(DISTINCT hour), min(price_usd), max(price_usd) FROM prices.hourly GROUP BY 1`);
    const by = new Map(r.map((x) => [String(x[0]), x.slice(1).map(Number)]));
    const expect: Record<string, [number, number]> = {
      ETH: [1500, 5000], WETH: [1500, 5000], WBTC: [50_000, 150_000], USDC: [0.99, 1.01], USDT: [0.99, 1.01], DAI: [0.99, 1.01], LINK: [8, 25],
      UNI: [3, 20], AAVE: [100, 500], MKR: [800, 4000], SHIB: [1e-6, 1e-4], PEPE: [1e-6, 1e-4],
    };
    for (const [symbol, [lo, hi]] of Object.entries(expect)) {
      const p = by.get(symbol);
      assert.ok(p, `no prices for ${symbol}`);
      assert.equal(p[0], hours, `${symbol} covers every hour`);
      assert.ok(p[1] >= lo && p[2] <= hi, `${symbol} ${p[1]}–${p[2]}`);
    }
    assert.equal(await num(`SELECT count(*) FROM prices.hourly e JOIN prices.hourly w USING (hour) WHERE e.symbol = 'ETH' AND w.symbol = 'WETH' AND e.price_usd <> w.price_usd`), 0);
    assert.equal(await num(`SELECT count(*) FROM prices.hourly WHERE symbol = 'ETH' AND contract_address <> '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'`), 0);
  });

  it('has DEX trades across at least three projects and several pools, USD sizes agreeing with prices within 2%', async () => {
    assert.ok(await num(`SELECT count(DISTINCT project) FROM dex.trades`) >= 3);
    assert.ok(await num(`SELECT count(DISTINCT pool_address) FROM dex.trades`) >= 6);
    assert.equal(await num(`SELECT count(*) FROM dex.trades WHERE token_pair <> least(token_bought_symbol, token_sold_symbol) || '-' || greatest(token_bought_symbol, token_sold_symbol)`), 0, 'token_pair sorted');
    assert.equal(await num(`SELECT count(*) FROM dex.trades WHERE project <> lower(project)`), 0);
    const [n, boughtOk, soldOk] = (await one(`
      SELECT count(*),
        count(*) FILTER (WHERE abs(t.token_bought_amount * pb.price_usd / t.amount_usd - 1) <= 0.02),
        count(*) FILTER (WHERE abs(t.token_sold_amount * ps.price_usd / t.amount_usd - 1) <= 0.02)
      FROM dex.trades t
      JOIN prices.hourly pb ON pb.contract_address = t.token_bought_address AND pb.hour = date_trunc('hour', t.block_time)
      JOIN prices.hourly ps ON ps.contract_address = t.token_sold_address AND ps.hour = date_trunc('hour', t.block_time)`)).map(Number);
    assert.ok(n > 1000 && n === (await num(`SELECT count(*) FROM dex.trades`)), `${n} trades with prices for both sides`);
    assert.equal(boughtOk, n, 'bought side within 2%');
    assert.equal(soldOk, n, 'sold side within 2%');
    const asTransfers = await num(`
      SELECT avg(CASE WHEN EXISTS (SELECT 1 FROM tokens.transfers x WHERE x.tx_hash = t.tx_hash AND x.to_address = t.taker AND x.contract_address = t.token_bought_address) THEN 1.0 ELSE 0.0 END)
      FROM dex.trades t WHERE t.token_bought_symbol <> 'ETH'`);
    assert.ok(asTransfers > 0.99, `trades present as transfers: ${asTransfers}`);
  });

  it('labels exchanges, bridges, DEX pools and routers, and every label address really appears in the data', async () => {
    const cats = new Set((await rows(`SELECT DISTINCT category FROM labels.addresses`)).map((r) => String(r[0])));
    for (const c of ['cex', 'bridge', 'dex', 'mev', 'lending']) assert.ok(cats.has(c), `category ${c}`);
    const missing = await rows(`
      SELECT l.name FROM labels.addresses l
      WHERE NOT EXISTS (SELECT 1 FROM ethereum.transactions t WHERE t.to_address = l.address OR t.from_address = l.address)
        AND NOT EXISTS (SELECT 1 FROM tokens.transfers t WHERE t.to_address = l.address OR t.from_address = l.address)`);
    assert.deepEqual(missing, [], 'labels that appear nowhere');
    const daily = (sql: string) => rows(sql).then((r) => r.filter((x) => Number(x[1]) > 0).length);
    assert.equal(await daily(`SELECT date_trunc('day', t.block_time), sum(t.value_eth) FROM ethereum.transactions t JOIN labels.addresses l ON t.to_address = l.address WHERE l.category = 'bridge' GROUP BY 1`), 7, 'bridges receive ETH every day');
    assert.equal(await daily(`SELECT date_trunc('day', t.block_time), sum(t.amount) FROM tokens.transfers t JOIN labels.addresses l ON t.from_address = l.address WHERE l.category = 'cex' AND t.symbol = 'USDC' GROUP BY 1`), 7, 'exchanges send USDC every day');
    assert.equal(await daily(`SELECT date_trunc('day', t.block_time), sum(t.value_eth) FROM ethereum.transactions t JOIN labels.addresses l ON t.to_address = l.address WHERE l.category = 'cex' GROUP BY 1`), 7, 'exchanges receive ETH every day');
  });

  it('answers every dev-set reference query with at least one row of non-null values', async () => {
    const questions = fs.readFileSync(devSet, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; question: string; sql: string });
    assert.ok(questions.length >= 20);
    for (const q of questions) {
      const r = await rows(q.sql);
      assert.ok(r.length >= 1, `${q.id} "${q.question}" returned no rows`);
      for (const row of r) assert.ok(row.every((c) => c !== null), `${q.id} "${q.question}" has NULLs: ${JSON.stringify(row)}`);
      for (const row of r) for (const c of row) if (typeof c === 'number') assert.ok(Number.isFinite(c), `${q.id}: ${c}`);
    }
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { importSnapshot } from '../../src/core/snapshot/import.js';
import type { Manifest } from '../../src/core/snapshot/layout.js';
import type { Cell } from '../../src/core/engine/values.js';
import { CREATION, CRYO_METADATA, ETL_FIXTURE, HUGE_TRANSFER, makeCryoExport, withDuckDB, type CryoExportOptions } from '../support/cryo-export.js';

const WETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
const TMT = CRYO_METADATA[1].erc20;
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-import-cryo-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function row(engine: Engine, sql: string): Promise<Record<string, Cell>> {
  const r = await engine.query(sql);
  return Object.fromEntries(r.columns.map((c, i) => [c.name, r.rows[0][i]]));
}

/** Builds a cryo export, imports it and opens the snapshot for the suite. */
function importedCryo(options: CryoExportOptions): () => { engine: Engine; manifest: Manifest } {
  let state: { engine: Engine; manifest: Manifest } | undefined;
  before(async () => {
    const inDir = await makeCryoExport(options, fs.mkdtempSync(path.join(tmpRoot, 'export-')));
    const outDir = path.join(fs.mkdtempSync(path.join(tmpRoot, 'snap-')), 'snapshot');
    const manifest = await importSnapshot({ from: 'cryo', inDir, outDir });
    state = { engine: await Engine.open(outDir, { threads: 1, connections: 1 }), manifest };
  });
  after(() => state?.engine.close());
  return () => state!;
}

/**
 * cryo's erc20_transfers (and our decoding of logs) keep only the ERC-20 shape of
 * Transfer: three topics and one 32-byte data word. ethereum-etl's token_transfers
 * also keeps the fixture's 9 four-topic Transfer logs (ERC-721), hence 282, not 291.
 */
const CRYO_TRANSFERS = 282;

function assertFixtureFigures(snap: () => { engine: Engine; manifest: Manifest }, transfers: number): void {
  it('has 2 blocks, their times and transaction counts counted from the transactions', async () => {
    const r = await row(snap().engine, `SELECT count(*) AS n, min(block_time)::VARCHAR AS t0, max(block_time)::VARCHAR AS t1,
      list(transaction_count ORDER BY block_number) AS txs, list(miner ORDER BY block_number) AS miners, round(min(base_fee_per_gas_gwei), 3) AS base FROM ethereum.blocks`);
    assert.deepEqual(r, {
      n: 2, t0: '2023-05-02 12:19:59', t1: '2023-05-02 12:20:11', txs: [116, 182],
      miners: ['0x1f9090aae28b8a3dceadf281b0f12828e676c326', '0x388c818ca8b9251b393131c08a736a67ccb19297'], base: 77.335,
    });
  });

  it('has 298 transactions, 9 failed, 1 contract creation, 82.6920 ETH of value and 2.3629 ETH of fees', async () => {
    const r = await row(snap().engine, `SELECT count(*) AS n, count(*) FILTER (WHERE NOT success) AS failed,
      count(*) FILTER (WHERE to_address IS NULL) AS creations, round(sum(value_eth), 4) AS value_eth, round(sum(fee_eth), 4) AS fee_eth,
      count(block_time) AS timed, count(*) FILTER (WHERE method_id = '0x') AS plain FROM ethereum.transactions`);
    assert.deepEqual(r, { n: 298, failed: 9, creations: 1, value_eth: 82.692, fee_eth: 2.3629, timed: 298, plain: 83 });
    const one = await row(snap().engine, `SELECT method_id, gas_price_gwei, tx_type, value_wei::VARCHAR AS wei, from_address, tx_index
      FROM ethereum.transactions WHERE tx_hash = '0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0'`);
    assert.deepEqual(one, { method_id: '0x392f1770', gas_price_gwei: 80.869370967, tx_type: 2, wei: '1642894143', from_address: '0xae2fc483527b8ef99eb5d9b44875f005ba1fae13', tx_index: 0 });
  });

  it('has 681 logs with lowercase hex topics and data', async () => {
    const r = await row(snap().engine, `SELECT count(*) AS n, count(topic0) AS t0, count(block_time) AS timed,
      count(*) FILTER (WHERE topic0 NOT SIMILAR TO '0x[0-9a-f]{64}' OR data NOT SIMILAR TO '0x[0-9a-f]*' OR contract_address NOT SIMILAR TO '0x[0-9a-f]{40}') AS bad
      FROM ethereum.logs`);
    assert.deepEqual(r, { n: 681, t0: 681, timed: 681, bad: 0 });
  });

  it(`has ${transfers} ERC-20 transfers, 88 of them WETH totalling 83.7029 WETH`, async () => {
    const r = await row(snap().engine, `SELECT count(*) AS n, count(*) FILTER (WHERE contract_address = '${WETH}') AS weth,
      round(sum(amount) FILTER (WHERE contract_address = '${WETH}'), 4) AS weth_amount,
      count(amount_usd) FILTER (WHERE contract_address = '${WETH}') AS weth_priced FROM tokens.transfers`);
    assert.deepEqual(r, { n: transfers, weth: 88, weth_amount: 83.7029, weth_priced: 88 });
  });

  it('keeps amount_raw exact: equal to ethereum-etl\'s CSV text for every transfer both have', async () => {
    const csv = fs.readFileSync(path.join(ETL_FIXTURE, 'token_transfers.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const expected = new Map(csv.map((f) => [`${f[4]}/${f[5]}`, f[3]]));
    const r = await snap().engine.query(`SELECT tx_hash, log_index, amount_raw::VARCHAR FROM tokens.transfers WHERE log_index < 9999`);
    assert.equal(r.rowCount, CRYO_TRANSFERS);
    for (const [tx, li, raw] of r.rows) assert.equal(raw, expected.get(`${tx}/${li}`), `${tx}/${li}`);
    assert.ok(r.rows.some((x) => BigInt(x[2] as string) > 2n ** 64n));
  });
}

describe('import cryo, default binary columns (bytes as BLOB, 256-bit values as value_binary + value_f64 only)', () => {
  const snap = importedCryo({ u256Types: ['binary', 'f64'], hugeTransfer: true });
  assertFixtureFigures(snap, CRYO_TRANSFERS + 1);

  it('takes symbols from erc20_metadata first, then the bundled list', async () => {
    const r = await snap().engine.query(`SELECT contract_address, any_value(symbol) FROM tokens.transfers
      WHERE contract_address IN ('${WETH}', '${TMT}', '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48') GROUP BY 1 ORDER BY 1`);
    assert.deepEqual(r.rows, [['0x1ce270557c1f68cfb577b856766310bf8b47fd9c', 'TMT'], ['0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', 'USDC'], [WETH, 'WETH']]);
    const meta = await row(snap().engine, `SELECT name, decimals FROM tokens.erc20 WHERE contract_address = '${TMT}'`);
    assert.deepEqual(meta, { name: 'Test Metadata Token', decimals: 18 });
  });

  it('decodes a 2^255 value_binary into a kept row: amount_raw NULL, amount from the value', async () => {
    const r = await row(snap().engine, `SELECT amount_raw, amount, symbol FROM tokens.transfers WHERE contract_address = '${HUGE_TRANSFER.token}'`);
    assert.equal(r.amount_raw, null);
    assert.equal(r.symbol, 'HUGE');
    assert.ok(Math.abs((r.amount as number) / (2 ** 255 / 1e18) - 1) < 1e-12);
  });

  it('leaves what cryo does not export by default NULL: parent_hash, gas_limit', async () => {
    const r = await row(snap().engine, `SELECT count(parent_hash) + count(gas_limit) AS block_cols FROM ethereum.blocks`);
    assert.deepEqual(r, { block_cols: 0 });
  });

  it('takes created_contract_address from the contracts dataset: the creating transaction\'s top-level CREATE only', async () => {
    const r = await snap().engine.query(`SELECT tx_hash, created_contract_address FROM ethereum.transactions WHERE created_contract_address IS NOT NULL`);
    assert.deepEqual(r.rows, [[CREATION.tx, CREATION.contract]]);
  });

  it('writes a manifest for real data from cryo', () => {
    const m = snap().manifest;
    assert.equal(m.source, 'cryo');
    assert.equal(m.synthetic, false);
    assert.deepEqual(m.blockRange, { first: 17173049, last: 17173050 });
    assert.equal(m.rowCounts['tokens.transfers'], CRYO_TRANSFERS + 1);
    assert.ok(m.rowCounts['labels.addresses'] > 0);
  });
});

describe('import cryo --hex (bytes as 0x strings, value_binary + value_string + value_f64, opt-in block columns)', () => {
  const snap = importedCryo({ hex: true, u256Types: ['binary', 'string', 'f64'], allBlockColumns: true, hugeTransfer: true });
  assertFixtureFigures(snap, CRYO_TRANSFERS + 1);

  it('reads the opt-in block columns', async () => {
    const r = await row(snap().engine, `SELECT parent_hash, gas_limit FROM ethereum.blocks WHERE block_number = 17173050`);
    assert.deepEqual(r, { parent_hash: '0xaa5ab9bb22d8020d438496a7edb4eff508b1c5128b0dc01fdecf57f96aac1bb3', gas_limit: 30000000 });
  });

  it('reads a 2^255 value_string into a kept row with NULL amount_raw', async () => {
    const r = await row(snap().engine, `SELECT amount_raw, amount FROM tokens.transfers WHERE contract_address = '${HUGE_TRANSFER.token}'`);
    assert.equal(r.amount_raw, null);
    assert.ok(Math.abs((r.amount as number) / (2 ** 255 / 1e18) - 1) < 1e-12);
  });
});

describe('import cryo --hex --u256-types binary, without erc20_transfers or erc20_metadata: values decoded from hex, transfers from logs', () => {
  const snap = importedCryo({ hex: true, u256Types: ['binary'], datasets: ['blocks', 'transactions', 'logs'] });
  assertFixtureFigures(snap, CRYO_TRANSFERS);

  it('fills symbols from the bundled list only, and tokens.erc20 with the bundled tokens seen', async () => {
    const r = await row(snap().engine, `SELECT count(*) FILTER (WHERE contract_address = '${TMT}' AND symbol IS NULL) AS unknown,
      count(*) FILTER (WHERE symbol = 'USDT') AS usdt, (SELECT count(*) FROM tokens.erc20 WHERE contract_address = '${TMT}') AS tmt_listed,
      (SELECT count(*) FROM tokens.erc20 WHERE contract_address = '${WETH}') AS weth_listed FROM tokens.transfers`);
    assert.deepEqual(r, { unknown: 3, usdt: 41, tmt_listed: 0, weth_listed: 1 });
  });
});

describe('import cryo with only blocks and transactions', () => {
  const snap = importedCryo({ datasets: ['blocks', 'transactions'] });

  it('imports the transactions and leaves logs, transfers and curated tables present but empty', async () => {
    const r = await row(snap().engine, `SELECT (SELECT count(*) FROM ethereum.transactions) AS txs, (SELECT count(*) FROM ethereum.logs) AS logs,
      (SELECT count(*) FROM tokens.transfers) AS transfers, (SELECT count(*) FROM tokens.erc20) AS tokens,
      (SELECT count(*) FROM dex.trades) + (SELECT count(*) FROM prices.hourly) AS curated`);
    assert.deepEqual(r, { txs: 298, logs: 0, transfers: 0, tokens: 0, curated: 0 });
    const created = await row(snap().engine, `SELECT count(*) FILTER (WHERE to_address IS NULL) AS creations, count(created_contract_address) AS known FROM ethereum.transactions`);
    assert.deepEqual(created, { creations: 1, known: 0 }, 'without the contracts dataset the created address is unknown (NULL)');
  });
});

describe('import cryo refusals', () => {
  async function refused(inDir: string): Promise<OnchainSqlError> {
    const parent = fs.mkdtempSync(path.join(tmpRoot, 'out-'));
    const err = await importSnapshot({ from: 'cryo', inDir, outDir: path.join(parent, 'snapshot') }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof OnchainSqlError, `expected an OnchainSqlError, got ${String(err)}`);
    assert.deepEqual(fs.readdirSync(parent), [], 'no output or partial folder is left behind');
    return err;
  }

  it('refuses an empty folder, saying what was expected', async () => {
    const e = await refused(fs.mkdtempSync(path.join(tmpRoot, 'empty-')));
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^Not a cryo export: expected Parquet datasets blocks and transactions .*\(the folder is empty\)/);
  });

  it('refuses a folder of random files, listing them', async () => {
    const dir = fs.mkdtempSync(path.join(tmpRoot, 'random-'));
    fs.writeFileSync(path.join(dir, 'a.txt'), 'hello\n');
    fs.writeFileSync(path.join(dir, 'b.parquet'), 'not parquet');
    const e = await refused(dir);
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^Not a cryo export: expected Parquet datasets blocks and transactions .*\(found: a\.txt, b\.parquet\)/);
  });

  it('refuses a corrupt Parquet file, naming it, leaving nothing behind', async () => {
    const dir = await makeCryoExport({ datasets: ['blocks', 'transactions'] }, fs.mkdtempSync(path.join(tmpRoot, 'corrupt-')));
    const file = path.join(dir, 'ethereum__transactions__00017173050_to_00017173050.parquet');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const e = await refused(dir);
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^Could not read the cryo transactions dataset in .*ethereum__transactions__00017173050_to_00017173050\.parquet/);
  });

  it('refuses Parquet files that lack a needed column, naming it', async () => {
    const dir = fs.mkdtempSync(path.join(tmpRoot, 'columns-'));
    await withDuckDB(async (c) => {
      await c.run(`COPY (SELECT 1::UINTEGER AS block_number) TO '${path.join(dir, 'ethereum__blocks__00000001_to_00000001.parquet')}' (FORMAT parquet)`);
      await c.run(`COPY (SELECT 1::UINTEGER AS block_number) TO '${path.join(dir, 'ethereum__transactions__00000001_to_00000001.parquet')}' (FORMAT parquet)`);
    });
    const e = await refused(dir);
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^Not a usable cryo export: cryo blocks \(1 file\) has no column timestamp/);
  });
});

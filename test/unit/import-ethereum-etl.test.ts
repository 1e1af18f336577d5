import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { importSnapshot, type ImportOptions } from '../../src/core/snapshot/import.js';
import { tableFile, type Manifest } from '../../src/core/snapshot/layout.js';
import { catalog, qualifiedName } from '../../src/core/schema/catalog.js';
import type { Cell } from '../../src/core/engine/values.js';
import { ETL_FIXTURE, makeCryoExport, withDuckDB } from '../support/cryo-export.js';
import { etlCsvExport } from '../support/etl-export.js';

const WETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-import-etl-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** Rows of a small CSV without quoted commas (token_transfers.csv), as header → text. */
function readSimpleCsv(file: string): Array<Record<string, string>> {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

async function row(engine: Engine, sql: string): Promise<Record<string, Cell>> {
  const r = await engine.query(sql);
  return Object.fromEntries(r.columns.map((c, i) => [c.name, r.rows[0][i]]));
}

/** Imports and opens; closes the engine after the suite. */
function importedSnapshot(options: Omit<ImportOptions, 'outDir'>): { get: () => { engine: Engine; manifest: Manifest; dir: string } } {
  let state: { engine: Engine; manifest: Manifest; dir: string } | undefined;
  before(async () => {
    const dir = fs.mkdtempSync(path.join(tmpRoot, 'snap-'));
    const manifest = await importSnapshot({ ...options, outDir: dir });
    state = { engine: await Engine.open(dir, { threads: 1, connections: 1 }), manifest, dir };
  });
  after(() => state?.engine.close());
  return { get: () => state! };
}

/** The figures of fixtures/README.md, checked through the real engine. */
function assertFixtureFigures(snap: ReturnType<typeof importedSnapshot>): void {
  it('has 2 blocks with their real times and the snapshot_time() of the newest', async () => {
    const r = await row(snap.get().engine, `SELECT count(*) AS n, min(block_number) AS first, max(block_number) AS last,
      min(block_time)::VARCHAR AS t0, snapshot_time()::VARCHAR AS st, sum(transaction_count) AS txs, round(min(base_fee_per_gas_gwei), 3) AS base FROM ethereum.blocks`);
    assert.deepEqual(r, { n: 2, first: 17173049, last: 17173050, t0: '2023-05-02 12:19:59', st: '2023-05-02 12:20:11', txs: 298, base: 77.335 });
  });

  it('has 298 transactions, 9 failed, 1 contract creation, 82.6920 ETH of value and 2.3629 ETH of fees', async () => {
    const r = await row(snap.get().engine, `SELECT count(*) AS n, count(*) FILTER (WHERE NOT success) AS failed,
      count(created_contract_address) AS created, count(*) FILTER (WHERE to_address IS NULL) AS to_null,
      round(sum(value_eth), 4) AS value_eth, round(sum(fee_eth), 4) AS fee_eth, count(block_time) AS timed FROM ethereum.transactions`);
    assert.deepEqual(r, { n: 298, failed: 9, created: 1, to_null: 1, value_eth: 82.692, fee_eth: 2.3629, timed: 298 });
  });

  it('derives method_id, gas price in gwei and the fee of one known transaction', async () => {
    const r = await row(snap.get().engine, `SELECT method_id, gas_price_gwei, fee_eth, tx_type, value_wei::VARCHAR AS wei, gas_used
      FROM ethereum.transactions WHERE tx_hash = '0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0'`);
    assert.equal(r.method_id, '0x392f1770');
    assert.equal(r.gas_price_gwei, 80.869370967);
    assert.ok(Math.abs((r.fee_eth as number) - (85143 * 80869370967) / 1e18) < 1e-15);
    assert.deepEqual([r.tx_type, r.wei, r.gas_used], [2, '1642894143', 85143]);
    const plain = await row(snap.get().engine, `SELECT count(*) AS n FROM ethereum.transactions WHERE method_id = '0x'`);
    assert.ok((plain.n as number) > 50, 'plain ETH transfers carry method_id 0x');
  });

  it('has 681 logs with topics split into topic0..topic3', async () => {
    // The CSV's last field is the topic list: quoted and comma-joined when it has several.
    const topicCounts = fs.readFileSync(path.join(ETL_FIXTURE, 'logs.csv'), 'utf8').trim().split('\n').slice(1)
      .map((l) => (l.endsWith('"') ? l.slice(l.lastIndexOf(',"') + 2, -1) : l.slice(l.lastIndexOf(',') + 1)).split(',').filter(Boolean).length);
    const r = await row(snap.get().engine, `SELECT count(*) AS n, count(topic0) AS t0, count(topic1) AS t1, count(topic2) AS t2, count(topic3) AS t3,
      count(block_time) AS timed FROM ethereum.logs`);
    assert.deepEqual(r, {
      n: 681, t0: topicCounts.filter((n) => n >= 1).length, t1: topicCounts.filter((n) => n >= 2).length,
      t2: topicCounts.filter((n) => n >= 3).length, t3: topicCounts.filter((n) => n >= 4).length, timed: 681,
    });
    assert.equal(topicCounts.length, 681);
    assert.ok(topicCounts.filter((n) => n >= 4).length > 0);
  });

  it('has 282 ERC-20 transfers (decoded from the logs; the export\'s 9 ERC-721 rows left out), 88 of them WETH totalling 83.7029 WETH, with symbols from the bundled list', async () => {
    const r = await row(snap.get().engine, `SELECT count(*) AS n, count(*) FILTER (WHERE contract_address = '${WETH}') AS weth,
      round(sum(amount) FILTER (WHERE contract_address = '${WETH}'), 4) AS weth_amount,
      count(DISTINCT symbol) FILTER (WHERE symbol IN ('WETH', 'USDC', 'USDT', 'DAI', 'WBTC', 'LINK', 'UNI')) AS majors,
      count(amount_usd) FILTER (WHERE symbol IN ('WETH', 'USDC', 'USDT')) AS priced_majors,
      count(*) FILTER (WHERE symbol IN ('WETH', 'USDC', 'USDT')) AS majors_n, count(*) FILTER (WHERE blockchain <> 'ethereum') AS other_chain FROM tokens.transfers`);
    assert.deepEqual({ ...r, majors_n: undefined }, { n: 282, weth: 88, weth_amount: 83.7029, majors: 7, priced_majors: r.majors_n, majors_n: undefined, other_chain: 0 });
    const usdc = await row(snap.get().engine, `SELECT symbol, amount_raw::VARCHAR AS raw, amount FROM tokens.transfers
      WHERE contract_address = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' ORDER BY block_number, log_index LIMIT 1`);
    assert.equal(usdc.symbol, 'USDC');
    assert.equal(usdc.amount, Number(usdc.raw) / 1e6, 'USDC has 6 decimals');
  });

  it('keeps every 256-bit amount exact: amount_raw equals the CSV text for all 282 ERC-20 transfers', async () => {
    const csv = readSimpleCsv(path.join(ETL_FIXTURE, 'token_transfers.csv'));
    const r = await snap.get().engine.query(`SELECT tx_hash, log_index, amount_raw::VARCHAR FROM tokens.transfers`);
    const got = new Map(r.rows.map((x) => [`${x[0]}/${x[1]}`, x[2]]));
    assert.equal(got.size, 282);
    const matched = csv.filter((t) => got.has(`${t.transaction_hash}/${t.log_index}`));
    assert.equal(matched.length, 282, 'every decoded transfer is one of the export\'s rows');
    for (const t of matched) assert.equal(got.get(`${t.transaction_hash}/${t.log_index}`), t.value);
    assert.ok(csv.some((t) => BigInt(t.value) > 2n ** 64n), 'the fixture has values beyond 64 bits');
  });

  it('lowercases every address and hash', async () => {
    const r = await row(snap.get().engine, `SELECT
      (SELECT count(*) FROM ethereum.transactions WHERE tx_hash <> lower(tx_hash) OR from_address <> lower(from_address) OR to_address <> lower(to_address)) +
      (SELECT count(*) FROM ethereum.logs WHERE contract_address <> lower(contract_address) OR topic0 <> lower(topic0) OR data <> lower(data)) +
      (SELECT count(*) FROM tokens.transfers WHERE contract_address <> lower(contract_address) OR from_address <> lower(from_address)) AS upper`);
    assert.equal(r.upper, 0);
  });

  it('lists the tokens of the transfers in tokens.erc20 and derives the curated tables', async () => {
    const r = await row(snap.get().engine, `SELECT (SELECT count(*) FROM tokens.erc20) AS tokens,
      (SELECT count(*) FROM tokens.erc20 WHERE contract_address NOT IN (SELECT contract_address FROM tokens.transfers)) AS stray,
      (SELECT count(*) FROM dex.trades) + (SELECT count(*) FROM prices.hourly) + (SELECT count(*) FROM labels.addresses) AS curated`);
    assert.ok((r.tokens as number) >= 7);
    assert.equal(r.stray, 0);
    assert.ok((r.curated as number) > 0);
  });

  it('writes a manifest for real data', () => {
    const m = snap.get().manifest;
    assert.equal(m.source, 'ethereum-etl');
    assert.equal(m.synthetic, false);
    assert.equal(m.seed, undefined);
    assert.deepEqual(m.blockRange, { first: 17173049, last: 17173050 });
    assert.deepEqual(m.timeRange, { first: '2023-05-02 12:19:59', last: '2023-05-02 12:20:11' });
    assert.equal(m.rowCounts['ethereum.transactions'], 298);
    assert.ok(m.rowCounts['dex.trades'] > 0);
    assert.ok(m.notes?.some((n) => n.startsWith('prices.hourly: On-chain only')), 'the manifest states the price method');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(snap.get().dir, 'manifest.json'), 'utf8')), m);
  });
}

describe('import ethereum-etl CSV (export_all columns)', () => {
  const snap = importedSnapshot({ from: 'ethereum-etl', inDir: etlCsvExport() });
  assertFixtureFigures(snap);

  it('writes every contract table with the contract\'s Parquet column types (HUGEINT stored as exact DECIMAL(38,0))', async () => {
    const parquetType = (t: string) => (t === 'HUGEINT' ? 'DECIMAL(38,0)' : t);
    await withDuckDB(async (c) => {
      for (const t of catalog.tables) {
        const r = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${tableFile(snap.get().dir, t)}')`);
        assert.deepEqual(r.getRows().map((x) => `${String(x[0])} ${String(x[1])}`), t.columns.map((col) => `${col.name} ${parquetType(col.type)}`), qualifiedName(t));
      }
    });
  });
});

describe('import ethereum-etl stream JSON (256-bit numbers as bare JSON numbers)', () => {
  assertFixtureFigures(importedSnapshot({ from: 'ethereum-etl', inDir: path.join(ETL_FIXTURE, 'stream-json') }));
});

/**
 * Exact columns hold |v| < 10^38 (HUGEINT stored as DECIMAL(38,0)). Beyond (2^127 - 1, 2^255): the row is
 * kept, amount_raw is NULL, amount is still filled from the approximate value.
 */
const BEYOND_HUGEINT = (2n ** 255n).toString();
const HUGEINT_MAX = (2n ** 127n - 1n).toString();
const EXACT_MAX = (10n ** 38n - 1n).toString();
const ODD_TOKEN = '0x' + 'ab'.repeat(20);

describe('import ethereum-etl export_all layout: block-range names in subfolders, tokens.csv, values beyond HUGEINT', () => {
  const inDir = path.join(tmpRoot, 'export-all');
  const range = '17173049_17173050';
  before(() => {
    for (const name of ['blocks', 'transactions', 'receipts', 'logs', 'token_transfers']) {
      const sub = path.join(inDir, name, 'start_block=17173049', 'end_block=17173050');
      fs.mkdirSync(sub, { recursive: true });
      let text = fs.readFileSync(path.join(ETL_FIXTURE, `${name}.csv`), 'utf8');
      if (name === 'token_transfers') {
        const tx = '0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0';
        // Upper-case hex as some tools write it: must come out lowercase.
        text = text.trimEnd() + `\n${ODD_TOKEN.toUpperCase().replace('0X', '0x')},0x${'11'.repeat(20)},0x${'22'.repeat(20)},${BEYOND_HUGEINT},${tx},900,17173049\n`
          + `${ODD_TOKEN},0x${'11'.repeat(20)},0x${'22'.repeat(20)},${HUGEINT_MAX},${tx},901,17173049\n`
          + `${ODD_TOKEN},0x${'11'.repeat(20)},0x${'22'.repeat(20)},${EXACT_MAX},${tx},902,17173049\n`;
      }
      fs.writeFileSync(path.join(sub, `${name}_${range}.csv`), text);
    }
    const tokens = path.join(inDir, 'tokens', 'start_block=17173049', 'end_block=17173050');
    fs.mkdirSync(tokens, { recursive: true });
    // A tokens file: its metadata wins over the bundled list; hostile text stays text; junk decimals give no amount.
    fs.writeFileSync(path.join(tokens, `tokens_${range}.csv`), [
      'address,symbol,name,decimals,total_supply,block_number',
      `${ODD_TOKEN},ODD,"Odd, ""quoted"" <script>alert(1)</script>",18,1,17173049`,
      `${WETH},WETH,Wrapped Ether,18,1,17173049`,
      `0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48,USDC,USD Coin,not-a-number,1,17173049`,
      '',
    ].join('\n'));
  });
  const snap = importedSnapshot({ from: 'ethereum-etl', inDir });

  it('reads the range-named files and keeps the fixture figures', async () => {
    const r = await row(snap.get().engine, `SELECT (SELECT count(*) FROM ethereum.blocks) AS blocks, (SELECT count(*) FROM ethereum.transactions) AS txs,
      (SELECT count(*) FROM ethereum.logs) AS logs, (SELECT count(*) FROM tokens.transfers) AS transfers,
      (SELECT round(sum(amount), 4) FROM tokens.transfers WHERE symbol = 'WETH') AS weth`);
    // 282 ERC-20 transfers of the fixture (its 9 ERC-721 rows left out) plus the 3 added rows.
    assert.deepEqual(r, { blocks: 2, txs: 298, logs: 681, transfers: 285, weth: 83.7029 });
  });

  it('keeps values beyond the exact range as rows with NULL amount_raw and an approximate amount; 10^38 - 1 stays exact', async () => {
    const r = await snap.get().engine.query(`SELECT log_index, amount_raw::VARCHAR, amount, symbol, contract_address FROM tokens.transfers
      WHERE contract_address = '${ODD_TOKEN}' ORDER BY log_index`);
    assert.equal(r.rowCount, 3);
    const [huge, hugeintMax, exactMax] = r.rows;
    assert.deepEqual(huge.slice(0, 2), [900, null]);
    assert.ok(Math.abs((huge[2] as number) / (2 ** 255 / 1e18) - 1) < 1e-12);
    assert.deepEqual(hugeintMax.slice(0, 2), [901, null]);
    assert.ok(Math.abs((hugeintMax[2] as number) / (2 ** 127 / 1e18) - 1) < 1e-12);
    assert.deepEqual(exactMax.slice(0, 2), [902, EXACT_MAX]);
    assert.deepEqual([huge[3], huge[4]], ['ODD', ODD_TOKEN]);
  });

  it('takes symbol and name from tokens.csv, as text, and gives no amount for unusable decimals', async () => {
    const odd = await row(snap.get().engine, `SELECT symbol, name, decimals FROM tokens.erc20 WHERE contract_address = '${ODD_TOKEN}'`);
    assert.deepEqual(odd, { symbol: 'ODD', name: 'Odd, "quoted" <script>alert(1)</script>', decimals: 18 });
    // USDC's decimals in the file are junk: the bundled list's 6 fills them.
    const usdc = await row(snap.get().engine, `SELECT e.decimals, count(t.amount) AS with_amount, count(*) AS n FROM tokens.erc20 e
      JOIN tokens.transfers t USING (contract_address) WHERE contract_address = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' GROUP BY e.decimals`);
    assert.deepEqual(usdc, { decimals: 6, with_amount: 9, n: 9 });
  });
});

describe('import ethereum-etl files of mixed versions: receipt_* columns on transactions in one range, receipts.csv in the other', () => {
  const inDir = path.join(tmpRoot, 'mixed');
  before(async () => {
    fs.mkdirSync(inDir, { recursive: true });
    for (const f of ['blocks.csv', 'logs.csv', 'token_transfers.csv']) fs.copyFileSync(path.join(ETL_FIXTURE, f), path.join(inDir, f));
    const csv = (name: string) => `read_csv('${path.join(ETL_FIXTURE, `${name}.csv`)}', header = true, all_varchar = true)`;
    await withDuckDB(async (c) => {
      await c.run(`COPY (SELECT * FROM ${csv('transactions')} WHERE block_number = '17173049') TO '${path.join(inDir, 'transactions_17173049_17173049.csv')}' (HEADER)`);
      await c.run(`COPY (SELECT * FROM ${csv('receipts')} WHERE block_number = '17173049') TO '${path.join(inDir, 'receipts_17173049_17173049.csv')}' (HEADER)`);
      await c.run(`COPY (SELECT t.*, r.gas_used AS receipt_gas_used, r.status AS receipt_status, r.contract_address AS receipt_contract_address,
          r.effective_gas_price AS receipt_effective_gas_price
        FROM ${csv('transactions')} t JOIN ${csv('receipts')} r ON r.transaction_hash = t.hash WHERE t.block_number = '17173050')
        TO '${path.join(inDir, 'transactions_17173050_17173050.csv')}' (HEADER)`);
    });
  });
  const snap = importedSnapshot({ from: 'ethereum-etl', inDir });

  it('reads both and reproduces the transaction figures', async () => {
    const r = await row(snap.get().engine, `SELECT count(*) AS n, count(*) FILTER (WHERE NOT success) AS failed, count(created_contract_address) AS created,
      count(gas_used) AS with_receipt, round(sum(value_eth), 4) AS value_eth, round(sum(fee_eth), 4) AS fee_eth FROM ethereum.transactions`);
    assert.deepEqual(r, { n: 298, failed: 9, created: 1, with_receipt: 298, value_eth: 82.692, fee_eth: 2.3629 });
  });
});

function tmpDir(name: string): string {
  return fs.mkdtempSync(path.join(tmpRoot, `${name}-`));
}

/** Runs an import that must fail; returns the error after checking nothing was left at or beside outDir. */
async function refused(options: Omit<ImportOptions, 'outDir'>): Promise<OnchainSqlError> {
  const parent = tmpDir('out');
  const outDir = path.join(parent, 'snapshot');
  const err = await importSnapshot({ ...options, outDir }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof OnchainSqlError, `expected an OnchainSqlError, got ${String(err)}`);
  assert.deepEqual(fs.readdirSync(parent), [], 'no output or partial folder is left behind');
  return err;
}

describe('import ethereum-etl refusals', () => {
  it('refuses a missing folder', async () => {
    const e = await refused({ from: 'ethereum-etl', inDir: path.join(tmpRoot, 'no-such-folder') });
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^Export folder not found: .*no-such-folder/);
  });

  it('refuses an empty folder, saying what was expected', async () => {
    const e = await refused({ from: 'ethereum-etl', inDir: tmpDir('empty') });
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^Not an ethereum-etl export: expected blocks\.csv and transactions\.csv .*\(the folder is empty\)/);
  });

  it('refuses a folder of random files, listing them', async () => {
    const dir = tmpDir('random');
    fs.writeFileSync(path.join(dir, 'a.txt'), 'hello\n');
    fs.writeFileSync(path.join(dir, 'b.json'), '{"hello": 1}\n');
    const e = await refused({ from: 'ethereum-etl', inDir: dir });
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^Not an ethereum-etl export: expected blocks\.csv and transactions\.csv/);
    assert.match(e.message, /found: a\.txt, b\.json/);
  });

  it('says so when the folder is a cryo export', async () => {
    const cryo = await makeCryoExport({ datasets: ['blocks', 'transactions'] }, tmpDir('cryo'));
    const e = await refused({ from: 'ethereum-etl', inDir: cryo });
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^Not an ethereum-etl export: .* looks like a cryo export .*ethereum__blocks__00017173049_to_00017173050\.parquet.*Use --from cryo/);
  });

  it('says so when an ethereum-etl folder is imported with --from cryo', async () => {
    const e = await refused({ from: 'cryo', inDir: etlCsvExport() });
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^Not a cryo export: .* looks like an ethereum-etl export .*blocks\.csv.*Use --from ethereum-etl/);
  });

  it('refuses a corrupt CSV with the file and the problem, leaving nothing behind', async () => {
    const dir = tmpDir('corrupt');
    for (const f of ['blocks.csv', 'transactions.csv', 'receipts.csv']) fs.copyFileSync(path.join(ETL_FIXTURE, f), path.join(dir, f));
    fs.appendFileSync(path.join(dir, 'blocks.csv'), '17173051,0xdead,not,enough,columns\n\x00\x01\x02garbage"unterminated\n');
    const e = await refused({ from: 'ethereum-etl', inDir: dir });
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^Could not import the ethereum-etl export in .*: .*CSV Error on Line: 4; Original Line: 17173051,0xdead,not,enough,columns; Expected Number of Columns: 19 Found: 5; file = .*blocks\.csv/);
  });

  it('refuses an export whose files hold no blocks', async () => {
    const dir = tmpDir('no-rows');
    for (const f of ['blocks.csv', 'transactions.csv']) {
      fs.writeFileSync(path.join(dir, f), fs.readFileSync(path.join(ETL_FIXTURE, f), 'utf8').split('\n')[0] + '\n');
    }
    const e = await refused({ from: 'ethereum-etl', inDir: dir });
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /^The ethereum-etl export in .* has no blocks: nothing to import\.$/);
  });

  it('refuses a CSV that lacks a needed column, naming it', async () => {
    const dir = tmpDir('no-column');
    fs.copyFileSync(path.join(ETL_FIXTURE, 'transactions.csv'), path.join(dir, 'transactions.csv'));
    fs.writeFileSync(path.join(dir, 'blocks.csv'), 'number,hash\n1,0xab\n');
    const e = await refused({ from: 'ethereum-etl', inDir: dir });
    assert.equal(e.code, 'import_format');
    assert.match(e.message, /blocks\.csv has no column timestamp/);
  });

  it('refuses to write into a folder that holds other files, and replaces an earlier snapshot whole', async () => {
    const busy = tmpDir('busy');
    fs.writeFileSync(path.join(busy, 'notes.txt'), 'mine');
    await assert.rejects(importSnapshot({ from: 'ethereum-etl', inDir: etlCsvExport(), outDir: busy }), /not empty and is not a snapshot/);
    assert.deepEqual(fs.readdirSync(busy), ['notes.txt']);

    const out = path.join(tmpDir('again'), 'snap');
    await importSnapshot({ from: 'ethereum-etl', inDir: path.join(ETL_FIXTURE, 'stream-json'), outDir: out });
    const m = await importSnapshot({ from: 'ethereum-etl', inDir: etlCsvExport(), outDir: out });
    assert.equal(m.rowCounts['tokens.transfers'], 282);
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['snap']);
  });
});

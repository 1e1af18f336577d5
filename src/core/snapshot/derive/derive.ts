import type { DuckDBConnection } from '@duckdb/node-api';
import { findTable, type TableSpec } from '../../schema/catalog.js';
import { writeTable } from '../empty.js';
import { sqlString } from '../../sql/literal.js';
import { TOPIC } from '../event-topics.js';
import chainlinkFeeds from './chainlink-feeds.json';
import dexPools from './dex-pools.json';
import labelList from './labels.json';

/**
 * The curated tables (tokens.transfers, tokens.erc20, dex.trades,
 * prices.hourly, labels.addresses), derived by one set of DuckDB SQL
 * transforms from the raw staging views, for every source alike (cryo and
 * ethereum-etl imports, RPC sync). Inputs, as left by the format adapters:
 *   stg_blocks(block_number, unix_time, …), stg_logs (when `logs`),
 *   stg_transfers (an export's own decoded transfers, used only without logs),
 *   token_meta(contract_address, symbol, name, decimals, in_export),
 *   stg_pools(pool_address, token0, token1, factory) when `pools` (eth_call answers while syncing).
 */
export interface DeriveInput {
  blockchain: string;
  logs: boolean;
  transfers: boolean;
  /** stg_transfers holds ERC-20 transfers only (cryo's erc20_transfers); ethereum-etl's token_transfers also has ERC-721. */
  transfersErc20Only: boolean;
  pools: boolean;
}

export { TOPIC };

/** Mainnet tokens that anchor on-chain prices: USD stablecoins (taken as 1 USD) and WETH. */
const STABLECOINS = ['0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', '0xdac17f958d2ee523a2206206994597c13d831ec7', '0x6b175474e89094c44da98b954eedeac495271d0f'];
const WETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
export const NATIVE_ETH = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';

export const PRICE_METHOD = 'On-chain only: each hour, WETH (and ETH, 0xeeee…) in USD is the median of the Chainlink ETH/USD answers (AnswerUpdated logs of the feed\'s aggregators, 8 decimals) in that hour, or where the snapshot has none, the median of stablecoin/WETH swap prices in dex.trades (USDC, USDT and DAI taken as 1 USD); any other token is the median of its swaps against WETH or a stablecoin in that hour.';

function table(name: string): TableSpec {
  const t = findTable(name);
  if (!t) throw new Error(`contract table ${name} missing from schemas/chain.json`);
  return t;
}

const inList = (xs: string[]) => xs.map(sqlString).join(', ');
/** The i-th 32-byte word (0-based) of a log's hex data. */
const word = (i: number) => `substr(data, ${3 + 64 * i}, 64)`;
/** A 32-byte two's-complement word as DOUBLE; a negative one as -(~w + 1), since w - 2^256 in DOUBLE would cancel to 0. */
const int256 = (w: string) => `(CASE WHEN substr(${w}, 1, 1) >= '8'
  THEN -(u256_hex_double(translate(${w}, '0123456789abcdef', 'fedcba9876543210')) + 1) ELSE u256_hex_double(${w}) END)`;

async function count(c: DuckDBConnection, sql: string): Promise<number> {
  const r = await c.runAndReadAll(sql);
  return Number(r.getRows()[0][0] ?? 0);
}

/** Writes the curated tables into `dir`; returns what is approximate or missing, one sentence each, for the manifest. */
export async function deriveCurated(c: DuckDBConnection, dir: string, input: DeriveInput, progress: (m: string) => void): Promise<string[]> {
  const notes: string[] = [];
  const chain = sqlString(input.blockchain);
  const blockTime = 'unix_to_timestamp(COALESCE(x.unix_time, b.unix_time))';

  // ERC-20 transfers: an export's own decoded transfers (exact 256-bit text), less those whose log has the
  // ERC-721 shape (token id in a 4th topic; ethereum-etl's token_transfers keeps them); without them,
  // decoded from Transfer logs of the ERC-20 shape (three topics, one 32-byte data word).
  const decoded = `(
      SELECT block_number, unix_time, tx_hash, log_index, contract_address,
        '0x' || right(topic1, 40) AS from_address, '0x' || right(topic2, 40) AS to_address,
        u256_hex_exact(data) AS amount_raw, u256_hex_double(data) AS amount_raw_approx
      FROM stg_logs
      WHERE topic0 = '${TOPIC.transfer}' AND topic1 IS NOT NULL AND topic2 IS NOT NULL AND topic3 IS NULL AND length(data) = 66)`;
  const exported = input.logs && !input.transfersErc20Only
    ? `(SELECT * FROM stg_transfers t WHERE NOT EXISTS (SELECT 1 FROM stg_logs l
         WHERE l.tx_hash = t.tx_hash AND l.log_index = t.log_index AND l.topic0 = '${TOPIC.transfer}' AND l.topic3 IS NOT NULL))`
    : 'stg_transfers';
  const source = input.transfers ? exported : input.logs ? decoded : null;
  await c.run(`CREATE OR REPLACE TEMP TABLE cur_transfers AS
    SELECT x.block_number, ${blockTime} AS block_time, x.tx_hash, x.log_index, x.contract_address, m.symbol,
      x.from_address, x.to_address, x.amount_raw,
      -- decimals are a uint8 on chain; anything else is junk metadata and gives no amount.
      CASE WHEN m.decimals BETWEEN 0 AND 255 THEN COALESCE(x.amount_raw::DOUBLE, x.amount_raw_approx) / pow(10.0, m.decimals) END AS amount
    FROM ${source ?? '(SELECT NULL::BIGINT AS block_number, NULL::BIGINT AS unix_time, NULL::VARCHAR AS tx_hash, NULL::INTEGER AS log_index, NULL::VARCHAR AS contract_address, NULL::VARCHAR AS from_address, NULL::VARCHAR AS to_address, NULL::HUGEINT AS amount_raw, NULL::DOUBLE AS amount_raw_approx WHERE false)'} x
      LEFT JOIN stg_blocks b USING (block_number) LEFT JOIN token_meta m ON m.contract_address = x.contract_address`);
  if (!source) notes.push('tokens.transfers is empty: the source has neither logs nor decoded transfers.');
  if (input.transfers && !input.logs && !input.transfersErc20Only) notes.push('tokens.transfers comes from the export\'s decoded transfers without logs to check them against: it may include ERC-721 transfers.');

  progress('dex.trades');
  await deriveTrades(c, input, notes);
  progress('prices.hourly');
  await c.run(`CREATE OR REPLACE TEMP TABLE cur_prices AS ${pricesSql(input.logs && input.blockchain === 'ethereum')}`);
  const usd = `(SELECT contract_address, hour, price_usd FROM cur_prices)`;

  progress('tokens.transfers');
  await writeTable(c, dir, table('tokens.transfers'), `
    SELECT ${chain} AS blockchain, x.*, x.amount * p.price_usd AS amount_usd
    FROM cur_transfers x LEFT JOIN ${usd} p ON p.contract_address = x.contract_address AND p.hour = date_trunc('hour', x.block_time)`);
  progress('tokens.erc20');
  await writeTable(c, dir, table('tokens.erc20'), `
    SELECT ${chain} AS blockchain, m.contract_address, m.symbol, m.name, m.decimals
    FROM token_meta m WHERE m.in_export OR m.contract_address IN (SELECT contract_address FROM cur_transfers)`);
  await writeTable(c, dir, table('dex.trades'), `
    SELECT ${chain} AS blockchain, t.project, t.version, t.block_number, t.block_time, t.tx_hash, t.log_index, t.pool_address, t.taker,
      t.token_bought_address, t.token_bought_symbol, t.token_bought_amount, t.token_sold_address, t.token_sold_symbol, t.token_sold_amount,
      t.token_pair, COALESCE(t.token_bought_amount * pb.price_usd, t.token_sold_amount * ps.price_usd) AS amount_usd
    FROM cur_trades t
      LEFT JOIN ${usd} pb ON pb.contract_address = t.token_bought_address AND pb.hour = date_trunc('hour', t.block_time)
      LEFT JOIN ${usd} ps ON ps.contract_address = t.token_sold_address AND ps.hour = date_trunc('hour', t.block_time)`);
  await writeTable(c, dir, table('prices.hourly'), `SELECT ${chain} AS blockchain, contract_address, symbol, hour, price_usd FROM cur_prices`);

  progress('labels.addresses');
  await deriveLabels(c, dir, input.blockchain);

  const unpriced = await count(c, `SELECT count(DISTINCT contract_address) FROM cur_transfers WHERE contract_address NOT IN (SELECT contract_address FROM cur_prices)`);
  const tokens = await count(c, 'SELECT count(DISTINCT contract_address) FROM cur_transfers');
  if (tokens) notes.push(`prices.hourly: ${PRICE_METHOD} ${unpriced} of ${tokens} transferred tokens have no on-chain price in this snapshot, so their amount_usd is NULL.`);
  const wethHours = await c.runAndReadAll(`SELECT method, count(*) FROM cur_prices WHERE contract_address = '${WETH}' GROUP BY method ORDER BY method`);
  const byMethod = wethHours.getRows().map(([m, n]) => `${Number(n)} from ${m === 'chainlink' ? 'Chainlink ETH/USD' : 'DEX swaps'}`);
  if (byMethod.length) notes.push(`prices.hourly: WETH/ETH hours priced ${byMethod.join(', ')}.`);
  if (input.blockchain !== 'ethereum') notes.push(`The bundled token list, pool list, price anchors and labels are Ethereum mainnet's; on ${input.blockchain} symbols come from eth_call only, and prices and labels are empty.`);
  return notes;
}

/**
 * dex.trades from Uniswap V2 and V3 Swap events (and forks with the same
 * signatures). A pool's tokens come from stg_pools (eth_call while syncing),
 * else from the ERC-20 transfers into and out of the pool in its swap
 * transactions (exactly two tokens; token0 is the lower address, as both
 * versions sort them). Project from the factory, else the bundled pool list.
 */
async function deriveTrades(c: DuckDBConnection, input: DeriveInput, notes: string[]): Promise<void> {
  const factories = dexPools.factories.map((f) => `(${sqlString(f.address)}, ${sqlString(f.project)}, ${sqlString(f.version)})`).join(', ');
  const pools = dexPools.pools.map((p) => `(${sqlString(p.address)}, ${sqlString(p.project)}, ${sqlString(p.version)})`).join(', ');
  const swaps = input.logs ? `
    SELECT block_number, unix_time, tx_hash, log_index, contract_address AS pool_address, '2' AS version,
      '0x' || right(topic2, 40) AS taker,
      u256_hex_double(${word(0)}) AS a0_in, u256_hex_double(${word(1)}) AS a1_in,
      u256_hex_double(${word(2)}) AS a0_out, u256_hex_double(${word(3)}) AS a1_out
    FROM stg_logs WHERE topic0 = '${TOPIC.uniswapV2Swap}' AND length(data) = 2 + 4 * 64
    UNION ALL
    -- V3: signed amounts from the pool's view; positive went in (sold), negative came out (bought).
    SELECT block_number, unix_time, tx_hash, log_index, contract_address, '3', '0x' || right(topic2, 40),
      greatest(${int256(word(0))}, 0), greatest(${int256(word(1))}, 0),
      greatest(-${int256(word(0))}, 0), greatest(-${int256(word(1))}, 0)
    FROM stg_logs WHERE topic0 = '${TOPIC.uniswapV3Swap}' AND length(data) = 2 + 5 * 64`
    : `SELECT NULL::BIGINT AS block_number, NULL::BIGINT AS unix_time, NULL::VARCHAR AS tx_hash, NULL::INTEGER AS log_index,
         NULL::VARCHAR AS pool_address, NULL::VARCHAR AS version, NULL::VARCHAR AS taker, 0.0 AS a0_in, 0.0 AS a1_in, 0.0 AS a0_out, 0.0 AS a1_out WHERE false`;
  await c.run(`CREATE OR REPLACE TEMP TABLE cur_swaps AS ${swaps}`);
  // Tokens moved into or out of a pool in its swap transactions (the pool's own LP token excluded).
  const fromTransfers = `
    SELECT s.pool_address, min(t.contract_address) AS token0, max(t.contract_address) AS token1, NULL::VARCHAR AS factory
    FROM (SELECT DISTINCT pool_address, tx_hash FROM cur_swaps) s
      JOIN cur_transfers t ON t.tx_hash = s.tx_hash AND (t.from_address = s.pool_address OR t.to_address = s.pool_address)
        AND t.contract_address <> s.pool_address
    GROUP BY s.pool_address HAVING count(DISTINCT t.contract_address) = 2`;
  const poolTokens = input.pools
    ? `SELECT pool_address, token0, token1, factory FROM stg_pools WHERE token0 IS NOT NULL AND token1 IS NOT NULL
       UNION ALL SELECT * FROM (${fromTransfers}) WHERE pool_address NOT IN (SELECT pool_address FROM stg_pools WHERE token0 IS NOT NULL AND token1 IS NOT NULL)`
    : fromTransfers;
  await c.run(`CREATE OR REPLACE TEMP TABLE cur_pool_tokens AS ${poolTokens}`);
  await c.run(`CREATE OR REPLACE TEMP TABLE cur_trades AS
    WITH f(factory, project, version) AS (VALUES ${factories}), l(pool_address, project, version) AS (VALUES ${pools}),
    sides AS (
      SELECT s.*, p.token0, p.token1, COALESCE(f.project, l.project, 'unknown') AS project,
        a0_out > 0 AS bought0,
        -- V2 can report both sides in one direction (a flash-swap refund); the larger movement decides.
        CASE WHEN a0_out > 0 THEN a0_out ELSE a1_out END AS bought_raw,
        CASE WHEN a0_out > 0 THEN a1_in ELSE a0_in END AS sold_raw
      FROM cur_swaps s LEFT JOIN cur_pool_tokens p USING (pool_address)
        LEFT JOIN f ON f.factory = p.factory AND f.version = s.version
        LEFT JOIN l ON l.pool_address = s.pool_address)
    SELECT x.project, x.version, x.block_number, ${'unix_to_timestamp(COALESCE(x.unix_time, b.unix_time))'} AS block_time, x.tx_hash, x.log_index,
      x.pool_address, x.taker,
      CASE WHEN bought0 THEN token0 ELSE token1 END AS token_bought_address, mb.symbol AS token_bought_symbol,
      CASE WHEN mb.decimals BETWEEN 0 AND 255 THEN bought_raw / pow(10.0, mb.decimals) END AS token_bought_amount,
      CASE WHEN bought0 THEN token1 ELSE token0 END AS token_sold_address, ms.symbol AS token_sold_symbol,
      CASE WHEN ms.decimals BETWEEN 0 AND 255 THEN sold_raw / pow(10.0, ms.decimals) END AS token_sold_amount,
      CASE WHEN mb.symbol IS NOT NULL AND ms.symbol IS NOT NULL THEN least(mb.symbol, ms.symbol) || '-' || greatest(mb.symbol, ms.symbol) END AS token_pair
    FROM sides x LEFT JOIN stg_blocks b USING (block_number)
      LEFT JOIN token_meta mb ON mb.contract_address = CASE WHEN bought0 THEN token0 ELSE token1 END
      LEFT JOIN token_meta ms ON ms.contract_address = CASE WHEN bought0 THEN token1 ELSE token0 END`);
  const total = await count(c, 'SELECT count(*) FROM cur_trades');
  if (!input.logs) notes.push('dex.trades is empty: the source has no logs to decode Swap events from.');
  if (total === 0) return;
  const noTokens = await count(c, 'SELECT count(*) FROM cur_trades WHERE token_bought_address IS NULL');
  const unknown = await count(c, `SELECT count(*) FROM cur_trades WHERE project = 'unknown'`);
  notes.push(`dex.trades: ${total} Uniswap V2/V3-signature swaps (forks included); other DEX designs (Curve, Balancer, …) are not decoded.`);
  if (unknown) notes.push(`dex.trades: ${unknown} of ${total} trades are in pools whose factory is not known (project 'unknown').`);
  if (noTokens) notes.push(`dex.trades: ${noTokens} of ${total} trades are in pools whose two tokens could not be told (token addresses and amounts NULL).`);
}

/** (aggregator, decimals, token) rows of the bundled Chainlink feeds, as SQL VALUES. */
const FEED_ROWS = chainlinkFeeds.feeds.flatMap((f) => f.aggregators.flatMap((a) => f.tokens.map((t) => `(${sqlString(a.address)}, ${f.decimals}, ${sqlString(t)})`))).join(', ');

/**
 * Chainlink answers per token and hour: the median of AnswerUpdated answers
 * (topic1, int256) of the bundled feeds' aggregators, scaled by their decimals.
 * Only logs emitted by the aggregator contracts count; no other contract can
 * emit a log at their address.
 */
function chainlinkSql(): string {
  // A zero or negative answer is no price; it is left out before the median, not after.
  return `
    SELECT token, hour, median(usd) AS usd FROM (
      SELECT f.token, date_trunc('hour', unix_to_timestamp(COALESCE(l.unix_time, b.unix_time))) AS hour,
        ${int256('substr(l.topic1, 3, 64)')} / pow(10.0, f.decimals) AS usd
      FROM stg_logs l JOIN (VALUES ${FEED_ROWS}) f(aggregator, decimals, token) ON l.contract_address = f.aggregator
        LEFT JOIN stg_blocks b USING (block_number)
      WHERE l.topic0 = '${TOPIC.chainlinkAnswerUpdated}' AND length(l.topic1) = 66)
    WHERE usd > 0 AND isfinite(usd)
    GROUP BY ALL`;
}

/** Hourly on-chain prices, each row with its method ('chainlink' or 'dex'): see PRICE_METHOD. */
function pricesSql(withChainlink: boolean): string {
  const stable = inList(STABLECOINS);
  const chainlink = withChainlink ? chainlinkSql() : 'SELECT NULL::VARCHAR AS token, NULL::TIMESTAMP AS hour, NULL::DOUBLE AS usd WHERE false';
  return `
    WITH legs AS (
      SELECT date_trunc('hour', block_time) AS hour, token_bought_address AS token, token_sold_address AS quote,
        token_sold_amount / token_bought_amount AS px FROM cur_trades WHERE token_bought_amount > 0 AND token_sold_amount > 0
      UNION ALL
      SELECT date_trunc('hour', block_time), token_sold_address, token_bought_address,
        token_bought_amount / token_sold_amount FROM cur_trades WHERE token_bought_amount > 0 AND token_sold_amount > 0),
    chainlink AS (${chainlink}),
    weth_dex AS (
      SELECT hour, median(px) AS usd FROM legs WHERE token = '${WETH}' AND quote IN (${stable}) GROUP BY hour),
    -- The feed is preferred; DEX swaps fill only the hours it has no answer in.
    weth AS (
      SELECT hour, usd, 'chainlink' AS method FROM chainlink WHERE token = '${WETH}'
      UNION ALL
      SELECT hour, usd, 'dex' FROM weth_dex WHERE hour NOT IN (SELECT hour FROM chainlink WHERE token = '${WETH}')),
    stables AS (
      SELECT DISTINCT l.hour, s.token FROM legs l, (SELECT unnest([${stable}]) AS token) s WHERE l.token = s.token OR l.quote = s.token),
    other AS (
      SELECT l.hour, l.token, median(CASE WHEN l.quote = '${WETH}' THEN l.px * w.usd ELSE l.px END) AS usd
      FROM legs l LEFT JOIN weth w USING (hour)
      WHERE l.token NOT IN ('${WETH}', ${stable}) AND (l.quote IN (${stable}) OR (l.quote = '${WETH}' AND w.usd IS NOT NULL))
      GROUP BY l.hour, l.token),
    priced AS (
      SELECT '${WETH}' AS contract_address, hour, usd, method FROM weth
      UNION ALL SELECT '${NATIVE_ETH}', hour, usd, method FROM weth
      UNION ALL SELECT token, hour, 1.0, 'dex' FROM stables
      UNION ALL SELECT token, hour, usd, 'dex' FROM other)
    SELECT p.contract_address, CASE WHEN p.contract_address = '${NATIVE_ETH}' THEN 'ETH' ELSE m.symbol END AS symbol, p.hour, p.usd AS price_usd, p.method
    FROM priced p LEFT JOIN token_meta m ON m.contract_address = p.contract_address
    WHERE p.usd IS NOT NULL AND isfinite(p.usd)`;
}

/** labels.addresses: the bundled well-known addresses, the bundled pools, and the tokens of this snapshot (mainnet only). */
async function deriveLabels(c: DuckDBConnection, dir: string, blockchain: string): Promise<void> {
  const rows = [
    ...labelList.labels.map((l) => [l.address, l.name, l.category]),
    ...dexPools.pools.map((p) => [p.address, p.name, 'dex']),
  ].map((r) => `(${r.map(sqlString).join(', ')})`).join(', ');
  const mainnet = blockchain === 'ethereum';
  await writeTable(c, dir, table('labels.addresses'), mainnet ? `
    WITH bundled(address, name, category) AS (VALUES ${rows})
    SELECT 'ethereum' AS blockchain, address, name, category FROM bundled
    UNION ALL
    SELECT 'ethereum', contract_address, 'Token: ' || symbol, CASE WHEN contract_address IN (${inList(STABLECOINS)}) THEN 'stablecoin' ELSE 'token' END
    FROM token_meta WHERE symbol IS NOT NULL AND contract_address IN (SELECT contract_address FROM cur_transfers)
      AND contract_address NOT IN (SELECT address FROM bundled)`
    : `SELECT NULL AS blockchain, NULL AS address, NULL AS name, NULL AS category WHERE false`);
}

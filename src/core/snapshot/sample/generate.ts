import { LABELS, WINDOW, type LabelEntity } from './entities.js';
import { entityTables, longTailCount } from './load-entities.js';
import { TOPIC } from '../event-topics.js';

/**
 * The synthetic sample as DuckDB SQL. Every random draw is a hash of (stream
 * name, row key, seed), so a row's values do not depend on thread scheduling
 * or on any other row: the same seed gives the same data.
 */

/** Transactions per block at scale 1 (mainnet has ~150; the bundled sample is thinned to fit in 40 MB). */
export const TX_PER_BLOCK_AT_SCALE_1 = 3.5;

const ZERO = '0x0000000000000000000000000000000000000000';
const WETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';

export interface Step {
  label: string;
  sql: string;
}

function macros(seed: number): string[] {
  const s = Math.trunc(seed);
  return [
    // Uniform [0, 1) from 53 bits of a hash; a standard normal by Box–Muller.
    `CREATE MACRO r(k, i) AS (hash(k, i, ${s}) >> 11)::DOUBLE / 9007199254740992.0`,
    `CREATE MACRO nrm(k, i) AS sqrt(-2 * ln(1 - r(k || '.a', i))) * cos(2 * pi() * r(k || '.b', i))`,
    `CREATE MACRO h16(k, i, j) AS lpad(lower(to_hex(hash(k, i, j, ${s}))), 16, '0')`,
    `CREATE MACRO hex64(k, i) AS '0x' || h16(k, i, 1) || h16(k, i, 2) || h16(k, i, 3) || h16(k, i, 4)`,
    `CREATE MACRO addr(k, i) AS '0x' || h16(k, i, 1) || h16(k, i, 2) || substr(h16(k, i, 3), 1, 8)`,
    // Zipf-like rank in 1..n: log-uniform, so rank k is drawn with probability ~ 1/k.
    `CREATE MACRO zipf(k, i, n) AS least(n, floor(exp(r(k, i) * ln(n)))::BIGINT)`,
    `CREATE MACRO lognorm(k, i, median, sigma) AS exp(ln(median) + sigma * nrm(k, i))`,
    // A smooth ceiling (x for small x, approaching c): hard caps would make many rows tie at the cap and top-N answers ambiguous.
    `CREATE MACRO softcap(x, c) AS x / (1 + x / c)`,
    `CREATE MACRO topic(a) AS CASE WHEN a IS NULL THEN NULL ELSE '0x000000000000000000000000' || substr(a, 3) END`,
    `CREATE MACRO word(x) AS lpad(lower(to_hex(x)), 64, '0')`,
  ];
}

/**
 * A pick table: bucket (0..999) → item, so a weighted draw is an equality join. Each range starts where the
 * previous one ends (lag), so floating-point sums can leave no bucket uncovered.
 */
function pickTable(name: string, item: string, weight: string, order: string, from: string): string {
  return `
    CREATE TABLE ${name} AS
    WITH c AS (SELECT ${item}, sum(${weight}) OVER (ORDER BY ${order}) AS hi, sum(${weight}) OVER () AS tot FROM ${from}),
    w AS (SELECT *, coalesce(lag(hi) OVER (ORDER BY hi), 0) AS lo FROM c)
    SELECT b.i AS bucket, w.${item} FROM range(1000) b(i) JOIN w ON b.i >= w.lo * 1000 / w.tot AND b.i < w.hi * 1000 / w.tot`;
}

export function sampleSteps(seed: number, scale: number): Step[] {
  const slots = Math.round((WINDOW.days * 86400) / WINDOW.slotSeconds);
  const lambda = TX_PER_BLOCK_AT_SCALE_1 * scale;
  const end = WINDOW.end;
  const steps: Step[] = [];
  const add = (label: string, sql: string) => steps.push({ label, sql });

  for (const m of macros(seed)) add('macros', m);
  for (const t of entityTables()) add('entities', t);

  // Pick tables; the miners' weights are percentages, so theirs has 100 buckets and no scaling.
  add('pick tables', pickTable('pick_major', 'symbol', 'transfer_weight', 'major_ord', 'tok WHERE is_major AND transfer_weight > 0'));
  add('pick tables', pickTable('pick_mintburn', 'address', 'mintburn_weight', 'hostile, coalesce(major_ord, 0), address', 'tok WHERE mintburn_weight > 0'));
  add('pick tables', pickTable('pick_pool', 'ord', 'weight', 'ord', 'pool'));
  add('pick tables', `
    CREATE TABLE pick_miner AS
    WITH c AS (SELECT address, sum(miner_weight) OVER (ORDER BY ord) AS hi FROM lbl WHERE miner_weight IS NOT NULL),
    w AS (SELECT *, coalesce(lag(hi) OVER (ORDER BY hi), 0) AS lo FROM c)
    SELECT b.i AS bucket, w.address FROM range(100) b(i) JOIN w ON b.i >= w.lo AND b.i < w.hi`);
  add('pick tables', `CREATE TABLE role_idx AS SELECT role, address, row_number() OVER (PARTITION BY role ORDER BY ord) - 1 AS idx, count(*) OVER (PARTITION BY role) AS n FROM lbl`);

  // Blocks: one per 12 s slot, a few slots missed; activity follows the hour of day and the weekday.
  add('blocks', `
    CREATE TABLE blk AS
    WITH s AS (
      SELECT i AS slot, TIMESTAMP '${end}' - to_seconds(${WINDOW.slotSeconds} * (${slots} - 1 - i)) AS block_time
      FROM range(${slots}) t(i) WHERE r('miss', i) >= ${WINDOW.missedSlotPercent / 100}
    ), c AS (
      SELECT *, ${WINDOW.firstBlock} + row_number() OVER (ORDER BY slot) - 1 AS block_number,
        hour(block_time) + minute(block_time) / 60.0 AS hod,
        epoch(block_time - TIMESTAMP '${end}') / 86400.0 AS day_f,
        dayofweek(block_time) IN (0, 6) AS weekend
      FROM s
    )
    SELECT block_number, slot, block_time,
      (1 + 0.25 * cos(2 * pi() * (hod - 15) / 24)) * (CASE WHEN weekend THEN 0.82 ELSE 1.0 END) * (1 + 0.06 * nrm('dayvar', floor(day_f)::BIGINT)) AS activity,
      -- smooth log-scale wave squeezed into (1, 30) gwei by a logistic curve, so no two blocks tie at a bound
      exp(ln(30) / (1 + exp(-1.3 * (0.55 * cos(2 * pi() * (hod - 15) / 24) + 0.6 * sin(2 * pi() * day_f / 3.3 + 1) + 0.25 * sin(2 * pi() * day_f * 24 / 5.7) + 0.04 * nrm('bf', slot) + ln(8) - ln(5.5))))) AS base_fee,
      round(1500000 + softcap(24000000 * exp(0.45 * nrm('bgas', slot)), 28400000))::BIGINT AS gas_used,
      -- builders take the share of blocks their minerWeight says (percent); the rest go to plain validators
      coalesce((SELECT address FROM pick_miner WHERE bucket = floor(r('miner', slot) * 100)), addr('validator', floor(r('val', slot) * 40)::BIGINT)) AS miner
    FROM c`);
  add('blocks', `ALTER TABLE blk ADD COLUMN n_tx BIGINT`);
  add('blocks', `UPDATE blk SET n_tx = floor(${lambda} * activity * exp(0.3 * nrm('ntx', slot)) + r('ntx2', slot))::BIGINT`);

  // Transactions: who sends (a few very active labelled and unlabelled senders, many one-off), and what kind.
  add('transactions', `
    CREATE TABLE tx1 AS
    WITH t AS (SELECT block_number, block_time, base_fee, unnest(range(n_tx)) AS tx_index FROM blk),
    s AS (
      SELECT *, block_number * 10000 + tx_index AS id FROM t
    ), s2 AS (
      SELECT *, CASE WHEN r('fresh', id) < 0.3 THEN NULL ELSE zipf('rank', id, 150000) END AS sender_rank FROM s
    )
    SELECT s2.block_number, s2.block_time, s2.base_fee, s2.tx_index, s2.id,
      coalesce(l.address, CASE WHEN s2.sender_rank IS NULL THEN addr('fresh', s2.id) ELSE addr('user', s2.sender_rank) END) AS sender,
      coalesce(l.role, 'user') AS sender_role,
      CASE coalesce(l.role, 'user')
        WHEN 'cex' THEN CASE WHEN r('kind', id) < 0.5 THEN 'eth' ELSE 'erc20' END
        WHEN 'mev' THEN 'swap'
        WHEN 'builder' THEN 'eth'
        ELSE CASE
          WHEN r('kind', id) < 0.255 THEN 'eth'
          WHEN r('kind', id) < 0.535 THEN 'erc20'
          WHEN r('kind', id) < 0.665 THEN 'swap'
          WHEN r('kind', id) < 0.745 THEN 'approve'
          WHEN r('kind', id) < 0.795 THEN 'weth'
          WHEN r('kind', id) < 0.822 THEN 'bridge'
          WHEN r('kind', id) < 0.842 THEN 'lending'
          WHEN r('kind', id) < 0.86 THEN 'nft'
          WHEN r('kind', id) < 0.872 THEN 'mint'
          WHEN r('kind', id) < 0.886 THEN 'burn'
          WHEN r('kind', id) < 0.896 THEN 'create'
          ELSE 'other' END
      END AS kind
    FROM s2 LEFT JOIN lbl l ON l.sender_rank = s2.sender_rank`);

  // Counterparties, tokens and amounts per kind. Every pick is an equality join on a drawn key (fast; no correlated subqueries).
  const nRole = (role: LabelEntity['role']) => LABELS.filter((l) => l.role === role).length;
  add('transactions', `
    CREATE TABLE tx2 AS
    WITH k AS (
      SELECT t.*,
        floor(r('cexpick', id) * ${nRole('cex')})::BIGINT AS k_cex,
        floor(r('major', id) * 1000)::BIGINT AS k_major,
        CASE WHEN kind = 'erc20' AND sender_role <> 'cex' AND r('lt', id) < 0.22 THEN floor(r('ltpick', id) * ${longTailCount()})::BIGINT END AS lt_pick,
        CASE WHEN kind IN ('mint', 'burn') THEN floor(r('mb', id) * 1000)::BIGINT END AS k_mb,
        CASE WHEN kind = 'swap' THEN floor(r('pool', id) * 1000)::BIGINT END AS k_pool,
        CASE WHEN kind = 'bridge' AND r('btok', id) >= 0.3 THEN floor(r('bridge', id) * ${nRole('bridge_eth')})::BIGINT END AS k_bridge,
        CASE WHEN kind = 'lending' THEN floor(r('lend', id) * ${nRole('lending')})::BIGINT END AS k_lend,
        CASE WHEN kind = 'nft' THEN floor(r('nft', id) * ${nRole('nft')})::BIGINT END AS k_nft,
        CASE WHEN kind = 'approve' THEN floor(r('spender', id) * ${nRole('router')})::BIGINT END AS k_spender
      FROM tx1 t
    )
    SELECT k.* EXCLUDE (k_cex, k_major, k_mb, k_pool, k_bridge, k_lend, k_nft, k_spender),
      -- who receives: exchanges take deposits; otherwise popular or one-off addresses
      CASE WHEN k.sender_role = 'user' AND r('to_cex', id) < 0.2 THEN cex.address
           WHEN r('rc', id) < 0.5 THEN addr('fresh_r', id)
           ELSE addr('user', greatest(13, zipf('rrank', id, 150000))) END AS recipient,
      -- the token an ERC-20 kind moves
      CASE
        WHEN k.kind = 'erc20' AND k.sender_role = 'cex' THEN CASE WHEN r('ctok', id) < 0.45 THEN 'USDC' WHEN r('ctok', id) < 0.9 THEN 'USDT' ELSE pm.symbol END
        WHEN k.kind = 'erc20' AND k.lt_pick IS NULL THEN pm.symbol
        WHEN k.kind = 'lending' THEN ['USDC', 'WETH', 'DAI', 'USDT'][1 + floor(r('ltok', id) * 4)::INT]
        WHEN k.kind = 'bridge' AND k.k_bridge IS NULL THEN ['USDC', 'USDT', 'WETH', 'DAI'][1 + floor(r('ltok', id) * 4)::INT]
        WHEN k.kind = 'approve' THEN pm.symbol
        WHEN k.kind = 'weth' THEN 'WETH'
      END AS major_symbol,
      mb.address AS mb_token, pp.ord AS pool_ord, br.address AS eth_bridge, ld.address AS lender, nf.address AS market, sp.address AS spender
    FROM k
    LEFT JOIN pick_major pm ON pm.bucket = k.k_major
    LEFT JOIN role_idx cex ON cex.role = 'cex' AND cex.idx = k.k_cex
    LEFT JOIN pick_mintburn mb ON mb.bucket = k.k_mb
    LEFT JOIN pick_pool pp ON pp.bucket = k.k_pool
    LEFT JOIN role_idx br ON br.role = 'bridge_eth' AND br.idx = k.k_bridge
    LEFT JOIN role_idx ld ON ld.role = 'lending' AND ld.idx = k.k_lend
    LEFT JOIN role_idx nf ON nf.role = 'nft' AND nf.idx = k.k_nft
    LEFT JOIN role_idx sp ON sp.role = 'router' AND sp.idx = k.k_spender`);

  // Hourly prices: a random walk per asset (stablecoins pegged with noise; WETH = ETH; stETH ≈ ETH).
  add('prices', `
    CREATE TABLE px AS
    WITH hours AS (
      SELECT date_trunc('hour', min(block_time)) + to_hours(i) AS hour, i AS h FROM blk, range(0, 24 * ${WINDOW.days} + 1) t(i) GROUP BY i
    ), series AS (
      SELECT DISTINCT CASE WHEN symbol IN ('WETH', 'ETH', 'stETH') THEN 'ETH' ELSE symbol END AS series FROM asset
    ), steps AS (
      -- one walk per series, so ETH, WETH and stETH share exactly the same path
      SELECT series, hours.hour, hours.h, sum(nrm('walk' || series, hours.h)) OVER (PARTITION BY series ORDER BY hours.h) AS z FROM series, hours
    ), walk AS (
      SELECT a.address, a.symbol, a.decimals, a.price0, a.sigma, steps.hour, steps.h, steps.z
      FROM asset a JOIN steps ON steps.series = CASE WHEN a.symbol IN ('WETH', 'ETH', 'stETH') THEN 'ETH' ELSE a.symbol END
    )
    SELECT address, symbol, decimals, hour,
      CASE WHEN sigma = 0 THEN round(1 + 0.0006 * nrm('peg' || symbol, h), 6)
           WHEN symbol = 'stETH' THEN (SELECT price0 FROM asset WHERE symbol = 'ETH') * exp(0.006 * z) * (0.9992 + 0.0003 * nrm('steth', h))
           ELSE price0 * exp(sigma * z) END AS price_usd
    FROM walk
    WHERE hour <= (SELECT max(block_time) FROM blk)`);

  // Final transaction fields: addresses, value, gas, fees, status.
  add('transactions', `
    CREATE TABLE tx AS
    WITH picked AS (
      -- the drawn token and pool resolved to their rows
      SELECT t.*,
        coalesce(tm.address, tl.address, tb.address) AS token,
        coalesce(tm.decimals, tl.decimals, tb.decimals) AS token_decimals,
        coalesce(tm.symbol, tl.symbol, tb.symbol) AS token_symbol,
        coalesce(tm.price0, tl.price0, tb.price0) AS token_price0,
        p.address AS pool, p.project, p.version, p.router AS pool_router,
        -- direction: the pair (or two of the three Curve coins) and which side is sold
        CASE WHEN p.sym2 IS NULL THEN CASE WHEN r('dir', id) < 0.5 THEN p.sym0 ELSE p.sym1 END
             ELSE [p.sym0, p.sym1, p.sym2][1 + floor(r('c3', id) * 3)::INT] END AS sold_symbol,
        p.sym0, p.sym1, p.sym2
      FROM tx2 t
      LEFT JOIN tok tm ON tm.is_major AND tm.symbol = t.major_symbol
      LEFT JOIN tok tl ON tl.lt_idx = t.lt_pick
      LEFT JOIN tok tb ON tb.address = t.mb_token
      LEFT JOIN pool p ON p.ord = t.pool_ord
    ), sided AS (
      SELECT t.*,
        CASE WHEN sym2 IS NULL THEN CASE WHEN sold_symbol = sym0 THEN sym1 ELSE sym0 END
             ELSE list_filter([sym0, sym1, sym2], s -> s <> sold_symbol)[1 + floor(r('c3b', id) * 2)::INT] END AS bought_symbol,
        softcap(lognorm('usd', id, CASE WHEN sender_role = 'mev' THEN 12000 ELSE 2500 END, 1.6), 5e6) AS trade_usd
      FROM picked t
    ), priced AS (
      -- both sides of a swap at that hour's price
      SELECT x.*,
        sa.address AS sold_address, sa.decimals AS sold_decimals, ps.price_usd AS sold_price,
        ba.address AS bought_address, ba.decimals AS bought_decimals, pb.price_usd AS bought_price
      FROM sided x
      LEFT JOIN asset sa ON sa.symbol = x.sold_symbol
      LEFT JOIN asset ba ON ba.symbol = x.bought_symbol
      LEFT JOIN px ps ON ps.address = sa.address AND ps.hour = date_trunc('hour', x.block_time)
      LEFT JOIN px pb ON pb.address = ba.address AND pb.hour = date_trunc('hour', x.block_time)
    ), a AS (
      SELECT t.*,
        CASE kind WHEN 'mint' THEN addr('issuer', hash(token)) ELSE sender END AS from_address,
        CASE kind
          WHEN 'eth' THEN recipient
          WHEN 'erc20' THEN token WHEN 'approve' THEN token WHEN 'mint' THEN token WHEN 'burn' THEN token
          WHEN 'weth' THEN '${WETH}'
          WHEN 'swap' THEN CASE WHEN sender_role = 'mev' OR pool_router IS NULL THEN pool
                                WHEN r('agg', id) < 0.15 THEN '0x1111111254eeb25477b68fb85ed929f73a960582' ELSE pool_router END
          WHEN 'bridge' THEN coalesce(eth_bridge, '0x40ec5b33f54e0e8a33a975908c5ba1c14e5bbbdf')
          WHEN 'lending' THEN lender
          WHEN 'nft' THEN market
          WHEN 'create' THEN NULL
          ELSE addr('contract', zipf('contract', id, 3000))
        END AS to_address,
        -- token amounts: a USD size turned into units at the token's reference price, or units for unpriced tokens
        CASE WHEN token IS NULL THEN NULL
             WHEN kind IN ('mint', 'burn') AND token_price0 IS NOT NULL THEN lognorm('mbamt', id, 150000, 1.4) / token_price0
             WHEN token_price0 IS NOT NULL THEN softcap(lognorm('amt', id, CASE WHEN sender_role = 'cex' THEN 1800 ELSE 450 END, 1.8), 3e7) / token_price0
             ELSE lognorm('amt', id, 2500, 2.2) END AS token_units,
        kind = 'weth' AND r('wdir', id) < 0.45 AS weth_withdraw,
        kind = 'lending' AND r('ldir', id) < 0.35 AS lend_withdraw,
        CASE
          WHEN kind = 'eth' THEN softcap(lognorm('eth', id, CASE sender_role WHEN 'cex' THEN 0.6 WHEN 'builder' THEN 0.04 ELSE 0.08 END, CASE sender_role WHEN 'builder' THEN 0.8 ELSE 1.8 END), 8000)
          WHEN kind = 'weth' THEN softcap(lognorm('eth', id, 0.6, 1.5), 5000)
          WHEN kind = 'bridge' AND eth_bridge IS NOT NULL THEN softcap(lognorm('eth', id, 0.25, 1.6), 3000)
          WHEN kind = 'nft' THEN softcap(lognorm('eth', id, 0.08, 1.3), 800)
          WHEN kind = 'other' AND r('oval', id) < 0.1 THEN lognorm('eth', id, 0.02, 1.5)
          ELSE 0 END AS eth_amount,
        CASE kind
          WHEN 'eth' THEN 21000
          WHEN 'erc20' THEN 34000 + floor(r('gas', id) * 31000)
          WHEN 'approve' THEN 44000 + floor(r('gas', id) * 4500)
          WHEN 'swap' THEN 95000 + floor(softcap(lognorm('gas', id, 60000, 0.5), 1500000))
          WHEN 'weth' THEN CASE WHEN r('gas', id) < 0.7 THEN 27938 ELSE 45038 END
          WHEN 'bridge' THEN 60000 + floor(r('gas', id) * 60000)
          WHEN 'lending' THEN 150000 + floor(r('gas', id) * 100000)
          WHEN 'nft' THEN 120000 + floor(r('gas', id) * 150000)
          WHEN 'mint' THEN 40000 + floor(r('gas', id) * 30000)
          WHEN 'burn' THEN 35000 + floor(r('gas', id) * 30000)
          WHEN 'create' THEN floor(softcap(lognorm('gas', id, 900000, 0.7), 12000000))
          ELSE 21500 + floor(softcap(lognorm('gas', id, 50000, 0.9), 5000000))
        END::BIGINT AS gas_nominal,
        r('fail', id) < CASE kind WHEN 'eth' THEN 0.003 WHEN 'swap' THEN 0.075 WHEN 'mint' THEN 0.0 WHEN 'create' THEN 0.02 ELSE 0.035 END AS failed,
        CASE WHEN sender_role IN ('mev', 'builder') THEN 2 WHEN r('type', id) < 0.84 THEN 2 WHEN r('type', id) < 0.985 THEN 0 ELSE 1 END AS tx_type
      FROM priced t
    ), b AS (
      SELECT a.*,
        CASE WHEN kind = 'swap' THEN CASE WHEN sold_symbol = 'ETH' THEN floor(trade_usd * (1 + 0.003 * r('slip', id)) / sold_price * 1e9) * 1000000000 ELSE 0 END
             ELSE floor(eth_amount * 1e9) * 1000000000 END::HUGEINT AS value_wei,
        CASE WHEN kind = 'eth' THEN 21000 ELSE ceil(gas_nominal * (1.15 + 0.5 * r('glim', id)) / 1000) * 1000 END::BIGINT AS gas_limit,
        round(CASE WHEN tx_type = 0 THEN base_fee * (1.05 + 0.5 * r('tip', id))
                   ELSE base_fee + softcap(lognorm('tip', id, CASE WHEN sender_role = 'mev' THEN 3 ELSE 0.08 END, 1.4), 60) END, 9) AS gas_price_gwei,
        CASE WHEN token_units IS NULL THEN NULL ELSE greatest(1, floor(token_units * pow(10, token_decimals)))::HUGEINT END AS amount_raw
      FROM a
    ), c AS (
      -- swap amounts: the bought side is worth the trade's USD size at that hour's price; the sold side adds up to 0.3% slippage
      SELECT b.*,
        CASE WHEN kind = 'swap' THEN greatest(1, floor(trade_usd / bought_price * pow(10, bought_decimals))) END::HUGEINT AS bought_raw,
        CASE WHEN kind <> 'swap' THEN NULL WHEN sold_symbol = 'ETH' THEN value_wei
             ELSE greatest(1, floor(trade_usd * (1 + 0.003 * r('slip', id)) / sold_price * pow(10, sold_decimals)))::HUGEINT END AS sold_raw
      FROM b
    )
    SELECT c.*,
      CASE WHEN failed THEN greatest(21000, floor(gas_limit * (0.25 + 0.7 * r('fgas', id)))) ELSE gas_nominal END::BIGINT AS gas_used,
      CASE
        WHEN kind = 'eth' THEN '0x' WHEN kind = 'erc20' THEN '0xa9059cbb' WHEN kind = 'approve' THEN '0x095ea7b3'
        WHEN kind = 'weth' THEN CASE WHEN weth_withdraw THEN '0x2e1a7d4d' ELSE '0xd0e30db0' END
        WHEN kind = 'mint' THEN '0x40c10f19' WHEN kind = 'burn' THEN '0x42966c68' WHEN kind = 'create' THEN '0x60806040'
        WHEN kind = 'swap' THEN CASE
          WHEN sender_role = 'mev' THEN '0x' || substr(h16('mevsel', hash(sender), 0), 1, 8)
          WHEN to_address = '0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad' THEN '0x3593564c'
          WHEN to_address = '0x7a250d5630b4cf539739df2c5dacb4c659f2488d' THEN ['0x7ff36ab5', '0x38ed1739', '0x18cbafe5'][1 + floor(r('sel', id) * 3)::INT]
          WHEN to_address = '0x68b3465833fb72a70ecdf485e0e4c7bd8665fc45' THEN '0x5ae401dc'
          WHEN to_address = '0xd9e1ce17f2641f24ae83637ab66a2cca9c378b9f' THEN '0x38ed1739'
          WHEN to_address = '0x1111111254eeb25477b68fb85ed929f73a960582' THEN '0x12aa3caf'
          WHEN to_address = '0xba12222222228d8ba445958a75a0704d566bf2c8' THEN '0x52bbbe29'
          ELSE '0x3df02124' END
        WHEN kind = 'bridge' THEN CASE to_address
          WHEN '0x4dbd4fc535ac27206064b68ffcf827b0a60bab3f' THEN '0x439370b1' WHEN '0x99c9fc46f92e8a1c0dec1b1747d010903e884be1' THEN '0xb1a1a882'
          WHEN '0x49048044d57e1c92a77f79988d21fa8faf74e97e' THEN '0xe9e05c42' WHEN '0x32400084c286cf3e17e7b677ea9583e60a000324' THEN '0xeb672419'
          ELSE '0xe3dec8fb' END
        WHEN kind = 'lending' THEN CASE WHEN lend_withdraw THEN '0x69328dec' ELSE '0x617ba037' END
        WHEN kind = 'nft' THEN CASE WHEN to_address = '0x00000000000000adc04c56bf30ac9d3c0aaf14dc' THEN '0xe7acab24' ELSE '0x9a1fc3a7' END
        ELSE '0x' || substr(h16('sel', floor(r('sel', id) * 300)::BIGINT, 0), 1, 8)
      END AS method_id,
      CASE WHEN kind = 'create' AND NOT failed THEN addr('created', id) END AS created_contract_address,
      hex64('tx', id) AS tx_hash
    FROM c`);

  for (const t of ['tx1', 'tx2']) add('transactions', `DROP TABLE ${t}`);

  // Events emitted by successful transactions; seq orders them inside the transaction. x_* are the decoded ERC-20 Transfer fields.
  const ev = (seq: number, contract: string, t0: string, t1: string, t2: string, data: string, where: string, xfer?: [string, string, string]) =>
    `SELECT id, ${seq} AS seq, ${contract} AS contract_address, ${t0} AS topic0, ${t1} AS topic1, ${t2} AS topic2, NULL::VARCHAR AS topic3, ${data} AS data,
       ${xfer ? xfer[0] : 'NULL::VARCHAR'} AS x_from, ${xfer ? xfer[1] : 'NULL::VARCHAR'} AS x_to, ${xfer ? xfer[2] : 'NULL::HUGEINT'} AS x_raw
     FROM tx WHERE NOT failed AND ${where}`;
  const transfer = (seq: number, token: string, from: string, to: string, raw: string, where: string) =>
    ev(seq, token, `'${TOPIC.transfer}'`, `topic(${from})`, `topic(${to})`, `'0x' || word(${raw})`, where, [from, to, raw]);
  const lendFrom = 'CASE WHEN lend_withdraw THEN to_address ELSE from_address END';
  const lendTo = 'CASE WHEN lend_withdraw THEN from_address ELSE to_address END';
  const swapTopic = `CASE WHEN project = 'curve' THEN '${TOPIC.curveTokenExchange}' WHEN project = 'balancer' THEN '${TOPIC.balancerSwap}' WHEN version = '3' THEN '${TOPIC.uniswapV3Swap}' ELSE '${TOPIC.uniswapV2Swap}' END`;
  add('logs', `
    CREATE TABLE ev AS
    ${transfer(0, 'token', 'from_address', 'recipient', 'amount_raw', `kind = 'erc20'`)}
    UNION ALL ${transfer(0, 'token', `'${ZERO}'`, 'recipient', 'amount_raw', `kind = 'mint'`)}
    UNION ALL ${transfer(0, 'token', 'from_address', `'${ZERO}'`, 'amount_raw', `kind = 'burn'`)}
    UNION ALL ${transfer(0, 'token', 'from_address', 'to_address', 'amount_raw', `kind = 'bridge' AND token IS NOT NULL`)}
    UNION ALL ${transfer(0, 'token', lendFrom, lendTo, 'amount_raw', `kind = 'lending'`)}
    UNION ALL ${transfer(0, 'sold_address', 'from_address', 'pool', 'sold_raw', `kind = 'swap' AND sold_symbol <> 'ETH'`)}
    UNION ALL ${transfer(1, 'bought_address', 'pool', 'from_address', 'bought_raw', `kind = 'swap' AND bought_symbol <> 'ETH'`)}
    UNION ALL ${ev(2, 'pool', `'${TOPIC.uniswapV2Sync}'`, 'NULL', 'NULL', `'0x' || word(hash('r0', id)) || word(hash('r1', id))`, `kind = 'swap' AND project IN ('uniswap', 'sushiswap') AND version IN ('1', '2')`)}
    UNION ALL ${ev(3, 'pool', swapTopic, 'topic(CASE WHEN to_address = pool THEN from_address ELSE to_address END)', `CASE WHEN project = 'curve' THEN NULL ELSE topic(from_address) END`, `'0x' || word(sold_raw) || word(bought_raw)`, `kind = 'swap'`)}
    UNION ALL ${ev(0, 'token', `'${TOPIC.approval}'`, 'topic(from_address)', 'topic(spender)', `'0x' || repeat('f', 64)`, `kind = 'approve'`)}
    UNION ALL ${ev(0, `'${WETH}'`, `'${TOPIC.wethDeposit}'`, 'topic(from_address)', 'NULL', `'0x' || word(value_wei)`, `kind = 'weth' AND NOT weth_withdraw`)}
    UNION ALL ${ev(0, `'${WETH}'`, `'${TOPIC.wethWithdrawal}'`, 'topic(from_address)', 'NULL', `'0x' || word(amount_raw)`, `kind = 'weth' AND weth_withdraw`)}
    UNION ALL ${ev(0, 'to_address', `hex64('bridgeevt', hash(to_address))`, 'topic(from_address)', 'topic(from_address)', `'0x' || word(value_wei)`, `kind = 'bridge' AND token IS NULL`)}
    UNION ALL ${ev(1, 'to_address', `hex64('lendevt', CASE WHEN lend_withdraw THEN 1 ELSE 0 END)`, 'topic(token)', 'topic(from_address)', `'0x' || word(amount_raw)`, `kind = 'lending'`)}
    UNION ALL ${ev(0, 'to_address', `'${TOPIC.seaportOrderFulfilled}'`, `topic(addr('nftseller', id))`, `topic(addr('zone', 0))`, `'0x' || word(value_wei)`, `kind = 'nft'`)}
    UNION ALL ${ev(0, 'created_contract_address', `'${TOPIC.ownershipTransferred}'`, `topic('${ZERO}')`, 'topic(from_address)', `'0x'`, `kind = 'create'`)}
    UNION ALL ${ev(0, 'to_address', `hex64('evt', floor(r('evt0', id) * 40)::BIGINT)`, 'topic(from_address)', 'NULL', `'0x' || word(hash('d', id))`, `kind = 'other' AND r('nev', id) < 0.7`)}
    UNION ALL ${ev(1, 'to_address', `hex64('evt', floor(r('evt1', id) * 40)::BIGINT)`, 'topic(from_address)', `topic(addr('user', zipf('erank', id, 150000)))`, `'0x' || word(hash('d2', id))`, `kind = 'other' AND r('nev', id) < 0.35`)}`);

  add('logs', `
    CREATE TABLE lg AS
    WITH idx AS (
      SELECT ev.id, ev.seq, (row_number() OVER (PARTITION BY tx.block_number ORDER BY ev.id, ev.seq) - 1)::INTEGER AS log_index
      FROM ev JOIN tx USING (id)
    )
    SELECT tx.block_number, tx.block_time, tx.tx_hash, ev.*, idx.log_index
    FROM ev JOIN idx USING (id, seq) JOIN tx USING (id)`);

  // Nonces count each sender's transactions on from a per-address starting point (busy wallets have large ones).
  // The window runs over a narrow table: sorting the wide transaction rows would be slow.
  add('transactions', `
    CREATE TABLE nonce AS
    SELECT id, floor(exp(r('nonce0', hash(from_address)) * ln(CASE WHEN sender_role IN ('cex', 'mev', 'builder') THEN 4000000 ELSE 3000 END)))::BIGINT - 1
        + row_number() OVER (PARTITION BY from_address ORDER BY id) - 1 AS nonce
    FROM tx`);
  add('logs', 'DROP TABLE ev');
  return steps;
}

/** One SELECT per contract table over the generator's working tables, in a stable row order. */
export function contractSelects(): Record<string, string> {
  return {
    'ethereum.blocks': `
      SELECT block_number, hex64('block', block_number) AS block_hash, hex64('block', block_number - 1) AS parent_hash, block_time,
        miner, 30000000 AS gas_limit, gas_used, round(base_fee, 9) AS base_fee_per_gas_gwei, n_tx AS transaction_count
      FROM blk ORDER BY block_number`,
    'ethereum.transactions': `
      SELECT block_number, block_time, tx_hash, tx_index, from_address, to_address, value_wei, value_wei::DOUBLE / 1e18 AS value_eth,
        gas_limit, gas_used, gas_price_gwei, gas_used * gas_price_gwei * 1e-9 AS fee_eth, nonce, tx_type, NOT failed AS success,
        method_id, created_contract_address
      FROM tx JOIN nonce USING (id) ORDER BY block_number, tx_index`,
    'ethereum.logs': `
      SELECT block_number, block_time, tx_hash, log_index, contract_address, topic0, topic1, topic2, topic3, data
      FROM lg ORDER BY block_number, log_index`,
    'tokens.erc20': `
      SELECT 'ethereum' AS blockchain, address AS contract_address, symbol, name, decimals FROM tok ORDER BY address`,
    'tokens.transfers': `
      SELECT 'ethereum' AS blockchain, lg.block_number, lg.block_time, lg.tx_hash, lg.log_index, lg.contract_address, tok.symbol,
        lg.x_from AS from_address, lg.x_to AS to_address, lg.x_raw AS amount_raw, lg.x_raw::DOUBLE / pow(10, tok.decimals) AS amount,
        lg.x_raw::DOUBLE / pow(10, tok.decimals) * px.price_usd AS amount_usd
      FROM lg JOIN tok ON tok.address = lg.contract_address
      LEFT JOIN px ON px.address = lg.contract_address AND px.hour = date_trunc('hour', lg.block_time)
      WHERE lg.topic0 = '${TOPIC.transfer}' ORDER BY lg.block_number, lg.log_index`,
    'dex.trades': `
      SELECT 'ethereum' AS blockchain, tx.project, tx.version, tx.block_number, tx.block_time, tx.tx_hash, lg.log_index, tx.pool AS pool_address,
        tx.from_address AS taker,
        tx.bought_address AS token_bought_address, tx.bought_symbol AS token_bought_symbol, tx.bought_raw::DOUBLE / pow(10, tx.bought_decimals) AS token_bought_amount,
        tx.sold_address AS token_sold_address, tx.sold_symbol AS token_sold_symbol, tx.sold_raw::DOUBLE / pow(10, tx.sold_decimals) AS token_sold_amount,
        least(tx.bought_symbol, tx.sold_symbol) || '-' || greatest(tx.bought_symbol, tx.sold_symbol) AS token_pair,
        tx.bought_raw::DOUBLE / pow(10, tx.bought_decimals) * tx.bought_price AS amount_usd
      FROM tx JOIN lg ON lg.id = tx.id AND lg.seq = 3
      WHERE tx.kind = 'swap' AND NOT tx.failed ORDER BY tx.block_number, lg.log_index`,
    'prices.hourly': `
      SELECT 'ethereum' AS blockchain, address AS contract_address, symbol, hour, price_usd FROM px ORDER BY symbol, hour`,
    'labels.addresses': `
      SELECT 'ethereum' AS blockchain, address, name, category FROM lbl
      UNION ALL SELECT 'ethereum', address, name, 'dex' FROM pool
      ORDER BY address`,
  };
}

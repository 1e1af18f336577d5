import { ETH, LABELS, MAJORS, POOLS, hostileTokens, realTokens } from './entities.js';
import { sqlString } from '../../sql/literal.js';

/** SQL that loads the sample's cast into DuckDB tables (small: a few hundred rows). */

function str(s: string | null | undefined): string {
  return s === null || s === undefined ? 'NULL' : sqlString(s);
}

function num(n: number | null | undefined): string {
  return n === null || n === undefined ? 'NULL' : String(n);
}

function values(rows: string[][], columns: string[]): string {
  return `SELECT * FROM (VALUES ${rows.map((r) => `(${r.join(', ')})`).join(',\n')}) v(${columns.join(', ')})`;
}

/** Tokens drawn uniformly for long-tail transfers: every real token that is not a major, plus the hostile ones. */
export function longTailCount(): number {
  const majors = new Set(MAJORS.map((m) => m.symbol));
  const seen = new Set<string>();
  let n = 0;
  for (const t of realTokens()) {
    if (majors.has(t.symbol) && !seen.has(t.symbol)) seen.add(t.symbol);
    else n++;
  }
  return n + hostileTokens().length;
}

export function entityTables(): string[] {
  const majorBySymbol = new Map(MAJORS.map((m, i) => [m.symbol, { ...m, ord: i }]));
  const real = realTokens();
  const majorAddr = new Map<string, string>();
  for (const t of real) if (majorBySymbol.has(t.symbol) && !majorAddr.has(t.symbol)) majorAddr.set(t.symbol, t.address);
  for (const m of MAJORS) if (!majorAddr.has(m.symbol)) throw new Error(`sample: major token ${m.symbol} is not in the token list`);
  const majorAddresses = new Set(majorAddr.values());

  // Every real token; the majors carry a price and weights, the rest form the long tail.
  const tokenRows = real.map((t) => {
    const m = majorAddresses.has(t.address) ? majorBySymbol.get(t.symbol) : undefined;
    return [str(t.address), str(t.symbol), str(t.name), num(t.decimals), m ? 'true' : 'false', num(m?.ord), num(m?.price), num(m?.sigma), num(m?.transferWeight ?? 0), num(m?.mintBurnWeight ?? 0), 'false'];
  });
  const hostileRows = hostileTokens().map((h, i) => [
    `addr('hostile', ${i})`, str(h.symbol), str(h.name), num(h.decimals), 'false', 'NULL', 'NULL', 'NULL', '0', '2', 'true',
  ]);
  const tokenCols = ['address', 'symbol', 'name', 'decimals', 'is_major', 'major_ord', 'price0', 'sigma', 'transfer_weight', 'mintburn_weight', 'hostile'];

  const labelRows = LABELS.map((l, i) => [str(l.address), str(l.name), str(l.category), str(l.role), num(l.senderRank), num(l.minerWeight), String(i)]);
  const poolRows = POOLS.map((p, i) => [str(p.address), str(p.name), str(p.project), str(p.version), str(p.token0), str(p.token1), str(p.token2), num(p.weight), str(p.router), String(i)]);

  return [
    `CREATE TABLE tok AS SELECT *, CASE WHEN NOT is_major THEN row_number() OVER (PARTITION BY is_major ORDER BY hostile, address) - 1 END AS lt_idx FROM (${values([...tokenRows, ...hostileRows], tokenCols)})`,
    `CREATE TABLE lbl AS ${values(labelRows, ['address', 'name', 'category', 'role', 'sender_rank', 'miner_weight', 'ord'])}`,
    `CREATE TABLE pool AS ${values(poolRows, ['address', 'name', 'project', 'version', 'sym0', 'sym1', 'sym2', 'weight', 'router', 'ord'])}`,
    // Priced assets: the majors plus native ETH (which is not an ERC-20, so not in tok).
    `CREATE TABLE asset AS
       SELECT address, symbol, decimals, price0, sigma, major_ord FROM tok WHERE is_major
       UNION ALL SELECT ${str(ETH.address)}, ${str(ETH.symbol)}, 18, (SELECT price0 FROM tok WHERE symbol = 'WETH' AND is_major), 0.006, -1`,
  ];
}

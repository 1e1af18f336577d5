import entities from './entities.json';
import tokenList from '../../../../schemas/tokens.json';

/** The real-world cast of the synthetic sample (entities.json) with types, and the rows the generator loads from it. */

export interface LabelEntity {
  address: string;
  name: string;
  category: string;
  /** What the generator makes this address do (send like an exchange, receive bridge deposits, route swaps, …). */
  role: 'cex' | 'mev' | 'builder' | 'bridge_eth' | 'bridge_token' | 'router' | 'lending' | 'nft' | 'token';
  senderRank?: number;
  minerWeight?: number;
}

export interface PoolEntity {
  address: string;
  name: string;
  project: string;
  version: string;
  token0: string;
  token1: string;
  token2?: string;
  weight: number;
  router: string | null;
}

export interface MajorToken {
  symbol: string;
  transferWeight: number;
  mintBurnWeight: number;
  price: number;
  sigma: number;
}

export interface TokenMeta {
  address: string;
  symbol: string;
  name: string;
  decimals: number;
}

interface HostileSpec {
  symbol: string;
  name: string | { repeat: string; length: number };
  decimals: number;
}

interface EntitiesFile {
  window: { end: string; days: number; firstBlock: number; slotSeconds: number; missedSlotPercent: number };
  labels: LabelEntity[];
  pools: PoolEntity[];
  majors: MajorToken[];
  ethPrice: { symbol: string; address: string };
  extraTokens: TokenMeta[];
  hostileTokens: HostileSpec[];
}

const data = entities as EntitiesFile;

export const WINDOW = data.window;
export const LABELS: readonly LabelEntity[] = data.labels;
export const POOLS: readonly PoolEntity[] = data.pools;
export const MAJORS: readonly MajorToken[] = data.majors;
export const ETH = data.ethPrice;

/** Real mainnet tokens: the bundled list (tokens.json) plus the few it lacks; first spelling of an address wins. */
export function realTokens(): TokenMeta[] {
  const seen = new Set<string>();
  const out: TokenMeta[] = [];
  for (const t of [...(tokenList as { tokens: TokenMeta[] }).tokens, ...data.extraTokens]) {
    const a = t.address.toLowerCase();
    if (seen.has(a)) continue;
    seen.add(a);
    out.push({ address: a, symbol: t.symbol, name: t.name, decimals: t.decimals });
  }
  return out;
}

/** Hostile token metadata (HTML, prompt injection, 10,000 characters, bidi/emoji); addresses come from the seed. */
export function hostileTokens(): Array<Omit<TokenMeta, 'address'>> {
  return data.hostileTokens.map((h) => ({
    symbol: h.symbol,
    name: typeof h.name === 'string' ? h.name : h.name.repeat.repeat(Math.ceil(h.name.length / h.name.repeat.length)).slice(0, h.name.length),
    decimals: h.decimals,
  }));
}

import { RpcCallError, type RpcClient } from './rpc.js';

/** Function selectors (first 4 bytes of keccak256 of the signature). */
const SELECTOR = { name: '0x06fdde03', symbol: '0x95d89b41', decimals: '0x313ce567', token0: '0x0dfe1681', token1: '0xd21220a7', factory: '0xc45a0155' } as const;

export interface TokenMeta { contract_address: string; symbol: string | null; name: string | null; decimals: string | null }
export interface PoolMeta { pool_address: string; token0: string | null; token1: string | null; factory: string | null }

/** Longest name or symbol kept: contract text is attacker-controlled and stays data, but not unbounded data. */
const MAX_TEXT = 256;

/**
 * An ABI `string` return, or a `bytes32` one (MKR, SAI and other early tokens);
 * null for a revert, empty or undecodable answer. NUL and other control
 * characters are dropped; the rest stays as the contract wrote it.
 */
export function decodeText(result: string | null | undefined): string | null {
  if (!result || !/^0x[0-9a-fA-F]*$/.test(result) || result.length < 66) return null;
  const bytes = Buffer.from(result.slice(2), 'hex');
  let raw: Buffer;
  if (bytes.length === 32) {
    raw = bytes;
  } else {
    const offset = Number(BigInt(`0x${bytes.subarray(0, 32).toString('hex')}`) & 0xffffffffn);
    if (offset + 32 > bytes.length) return null;
    const len = Number(BigInt(`0x${bytes.subarray(offset, offset + 32).toString('hex')}`) & 0xffffffffn);
    raw = bytes.subarray(offset + 32, Math.min(bytes.length, offset + 32 + len));
  }
  // eslint-disable-next-line no-control-regex
  const text = raw.toString('utf8').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return text ? text.slice(0, MAX_TEXT) : null;
}

/** A uint8 decimals answer; null when reverted or out of range. */
export function decodeDecimals(result: string | null | undefined): string | null {
  if (!result || !/^0x[0-9a-fA-F]{1,64}$/.test(result)) return null;
  const n = BigInt(result);
  return n <= 255n ? String(n) : null;
}

function decodeAddress(result: string | null | undefined): string | null {
  if (!result || !/^0x[0-9a-fA-F]{64}$/.test(result)) return null;
  const a = `0x${result.slice(26).toLowerCase()}`;
  return /^0x0{40}$/.test(a) ? null : a;
}

const value = (r: string | RpcCallError | null) => (r instanceof RpcCallError ? null : r);

/** Calls at a fixed block so the answers match the synced data (and do not change between runs). */
async function callAll(rpc: RpcClient, addresses: string[], selectors: string[], block: string): Promise<Array<Array<string | null>>> {
  const answers = await rpc.batch<string | null>(addresses.flatMap((to) => selectors.map((data) => ({ method: 'eth_call', params: [{ to, data }, block] }))));
  return addresses.map((_, i) => selectors.map((_s, j) => value(answers[i * selectors.length + j])));
}

export async function tokenMetadata(rpc: RpcClient, addresses: string[], block: string): Promise<TokenMeta[]> {
  const rows = await callAll(rpc, addresses, [SELECTOR.symbol, SELECTOR.name, SELECTOR.decimals], block);
  return addresses.map((a, i) => ({ contract_address: a, symbol: decodeText(rows[i][0]), name: decodeText(rows[i][1]), decimals: decodeDecimals(rows[i][2]) }));
}

export async function poolMetadata(rpc: RpcClient, addresses: string[], block: string): Promise<PoolMeta[]> {
  const rows = await callAll(rpc, addresses, [SELECTOR.token0, SELECTOR.token1, SELECTOR.factory], block);
  return addresses.map((a, i) => ({ pool_address: a, token0: decodeAddress(rows[i][0]), token1: decodeAddress(rows[i][1]), factory: decodeAddress(rows[i][2]) }));
}

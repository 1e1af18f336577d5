/**
 * Keccak-256 (the pre-NIST padding Ethereum uses), small and slow, for tests
 * that must derive event topics and selectors from their signatures rather
 * than trust a constant. Lanes are BigInt; one hash of a short string is enough.
 */
const MASK = (1n << 64n) - 1n;
const ROUND_CONSTANTS: bigint[] = [];
const ROTATION: number[] = Array.from({ length: 25 }, () => 0);
{
  // Round constants from the LFSR of the Keccak reference; rotation offsets from the (x, y) walk.
  let r = 1;
  const lfsr = () => { const bit = r & 1; r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff; return bit; };
  for (let i = 0; i < 24; i++) {
    let c = 0n;
    for (let j = 0; j < 7; j++) if (lfsr()) c |= 1n << BigInt((1 << j) - 1);
    ROUND_CONSTANTS.push(c);
  }
  let x = 1, y = 0;
  for (let t = 0; t < 24; t++) {
    ROTATION[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
}
const rotl = (v: bigint, n: number) => (n === 0 ? v : ((v << BigInt(n)) | (v >> BigInt(64 - n))) & MASK);

function keccakF(s: bigint[]): void {
  for (let round = 0; round < 24; round++) {
    const c = [0, 1, 2, 3, 4].map((x) => s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20]);
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (let y = 0; y < 25; y += 5) s[x + y] ^= d;
    }
    const b: bigint[] = Array.from({ length: 25 }, () => 0n);
    for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(s[x + 5 * y], ROTATION[x + 5 * y]);
    for (let x = 0; x < 5; x++) for (let y = 0; y < 25; y += 5) s[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & MASK & b[(x + 2) % 5 + y]);
    s[0] ^= ROUND_CONSTANTS[round];
  }
}

/** keccak256 of a UTF-8 string, as 0x-prefixed lowercase hex. */
export function keccak256(text: string): string {
  const rate = 136;
  const msg = [...Buffer.from(text, 'utf8')];
  msg.push(0x01);
  while (msg.length % rate !== 0) msg.push(0);
  msg[msg.length - 1] |= 0x80;
  const s: bigint[] = Array.from({ length: 25 }, () => 0n);
  for (let off = 0; off < msg.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let lane = 0n;
      for (let k = 7; k >= 0; k--) lane = (lane << 8n) | BigInt(msg[off + i * 8 + k]);
      s[i] ^= lane;
    }
    keccakF(s);
  }
  let out = '';
  for (let i = 0; i < 4; i++) for (let k = 0; k < 8; k++) out += Number((s[i] >> BigInt(8 * k)) & 0xffn).toString(16).padStart(2, '0');
  return `0x${out}`;
}

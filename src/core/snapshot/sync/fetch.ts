import { OnchainSqlError } from '../../errors.js';
import { RpcCallError, type RpcClient } from './rpc.js';

/** What one block range yields from the node, as flat rows of hex text (converted to types by DuckDB, see raw.ts). */
export interface RangeData {
  blocks: Array<Record<string, string | null>>;
  transactions: Array<Record<string, string | null>>;
  logs: Array<Record<string, string | null>>;
}

interface RpcBlock {
  number: string; hash: string; parentHash: string; timestamp: string; miner: string; gasLimit: string; gasUsed: string;
  baseFeePerGas?: string; transactions: RpcTransaction[];
}
interface RpcTransaction {
  hash: string; transactionIndex: string; from: string; to: string | null; value: string; gas: string; gasPrice?: string;
  nonce: string; type?: string; input: string;
}
interface RpcReceipt {
  transactionHash: string; gasUsed: string; effectiveGasPrice?: string; status?: string; contractAddress: string | null;
}
interface RpcLog {
  address: string; topics: string[]; data: string; blockNumber: string; transactionHash: string; logIndex: string; removed?: boolean;
}

export const hex = (n: number) => `0x${n.toString(16)}`;

/** Nodes say "method not found" in several ways. */
function isMissingMethod(e: RpcCallError): boolean {
  return e.code === -32601 || /method not (found|supported|available)|does not exist|not supported|unsupported method/i.test(e.message);
}

/** Nodes and providers say "this eth_getLogs answer would be too large" in many ways. */
function isTooManyResults(e: RpcCallError): boolean {
  return /too many|more than \d+ results|limit exceeded|exceed(s|ed)? .*(limit|max)|response size|block range|range is too (large|wide)|query returned more than/i.test(e.message)
    || e.code === -32005;
}

export class RangeFetcher {
  /** Set once the node says it has no eth_getBlockReceipts; receipts then come one transaction at a time. */
  noBlockReceipts = false;

  constructor(private readonly rpc: RpcClient) {}

  async fetch(first: number, last: number): Promise<RangeData> {
    const numbers = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const blocks = await this.rpc.batch<RpcBlock | null>(numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [hex(n), true] })));
    const out: RangeData = { blocks: [], transactions: [], logs: [] };
    const txs: Array<{ tx: RpcTransaction; block: RpcBlock }> = [];
    blocks.forEach((b, i) => {
      if (b instanceof RpcCallError) throw new OnchainSqlError('rpc', `The node could not return block ${numbers[i]}: ${b.message}`);
      if (!b) throw new OnchainSqlError('rpc', `The node has no block ${numbers[i]} (beyond its head, or not yet synced).`);
      out.blocks.push({ number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp, miner: b.miner, gasLimit: b.gasLimit,
        gasUsed: b.gasUsed, baseFeePerGas: b.baseFeePerGas ?? null, txCount: String(b.transactions.length) });
      for (const tx of b.transactions) txs.push({ tx, block: b });
    });
    const receipts = await this.receipts(numbers, txs.map((t) => t.tx.hash));
    for (const { tx, block } of txs) {
      const r = receipts.get(tx.hash.toLowerCase());
      if (!r) {
        throw new OnchainSqlError('rpc', `The node returned no receipt for transaction ${tx.hash} in block ${Number(block.number)}: it looks like a pruned node without old receipts. Use an archive node or a more recent range.`);
      }
      out.transactions.push({
        blockNumber: block.number, timestamp: block.timestamp, hash: tx.hash, transactionIndex: tx.transactionIndex, from: tx.from, to: tx.to,
        value: tx.value, gas: tx.gas, gasPrice: tx.gasPrice ?? null, nonce: tx.nonce, type: tx.type ?? '0x0',
        method: !tx.input || tx.input === '0x' ? '0x' : tx.input.slice(0, 10),
        gasUsed: r.gasUsed, effectiveGasPrice: r.effectiveGasPrice ?? null,
        // Before Byzantium a receipt has a state root, not a status: success stays unknown (NULL), never guessed.
        status: r.status ?? null, contractAddress: r.contractAddress,
      });
    }
    const times = new Map(out.blocks.map((b) => [Number(b.number), b.timestamp]));
    for (const l of await this.logs(first, last)) {
      if (l.removed) continue;
      out.logs.push({ blockNumber: l.blockNumber, timestamp: times.get(Number(l.blockNumber)) ?? null, transactionHash: l.transactionHash,
        logIndex: l.logIndex, address: l.address, topic0: l.topics[0] ?? null, topic1: l.topics[1] ?? null, topic2: l.topics[2] ?? null,
        topic3: l.topics[3] ?? null, data: l.data });
    }
    return out;
  }

  private async receipts(numbers: number[], hashes: string[]): Promise<Map<string, RpcReceipt>> {
    const byHash = new Map<string, RpcReceipt>();
    if (!this.noBlockReceipts) {
      const answers = await this.rpc.batch<RpcReceipt[] | null>(numbers.map((n) => ({ method: 'eth_getBlockReceipts', params: [hex(n)] })));
      const missing = answers.find((a): a is RpcCallError => a instanceof RpcCallError);
      if (missing && !isMissingMethod(missing)) throw new OnchainSqlError('rpc', `The node failed eth_getBlockReceipts: ${missing.message}`);
      if (!missing) {
        for (const list of answers as Array<RpcReceipt[] | null>) for (const r of list ?? []) byHash.set(r.transactionHash.toLowerCase(), r);
        return byHash;
      }
      this.noBlockReceipts = true;
    }
    const answers = await this.rpc.batch<RpcReceipt | null>(hashes.map((h) => ({ method: 'eth_getTransactionReceipt', params: [h] })));
    answers.forEach((r, i) => {
      if (r instanceof RpcCallError) throw new OnchainSqlError('rpc', `The node failed eth_getTransactionReceipt for ${hashes[i]}: ${r.message}`);
      if (r) byHash.set(r.transactionHash.toLowerCase(), r);
    });
    return byHash;
  }

  /** eth_getLogs over [first, last], halving the range whenever the node says the answer is too large. */
  async logs(first: number, last: number): Promise<RpcLog[]> {
    const [r] = await this.rpc.batch<RpcLog[]>([{ method: 'eth_getLogs', params: [{ fromBlock: hex(first), toBlock: hex(last) }] }]);
    if (!(r instanceof RpcCallError)) return r;
    if (!isTooManyResults(r) || first === last) throw new OnchainSqlError('rpc', `The node failed eth_getLogs for blocks ${first}–${last}: ${r.message}`);
    const mid = Math.floor((first + last) / 2);
    return [...(await this.logs(first, mid)), ...(await this.logs(mid + 1, last))];
  }
}

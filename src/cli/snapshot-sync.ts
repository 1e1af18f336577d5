import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { signalExitCode } from '../core/engine/cleanup.js';
import { errnoCode, errorMessage, OnchainSqlError, toOnchainSqlError } from '../core/errors.js';
import { syncSnapshot } from '../core/snapshot/sync/sync.js';
import { formatTable } from './format.js';

export const SYNC_USAGE = `onchain-sql snapshot sync: fetch blocks from an EVM JSON-RPC endpoint into a snapshot

Usage:
  onchain-sql snapshot sync --rpc URL --from-block N --to-block M --out DIR
  onchain-sql snapshot sync --rpc URL --last-blocks K --out DIR
  onchain-sql snapshot sync --rpc URL --since "24 hours" --out DIR

  --rpc URL            the endpoint (or set ONCHAIN_SQL_RPC_URL, which keeps the key out of shell history)
  --confirmations N    blocks below the head when the node has no "finalized" tag (default 64)
  --chunk-size N       blocks per Parquet range file (default 100)
  --json               the manifest as JSON on stdout
Running it again continues where it stopped; blocks already in DIR are not fetched again.
`;

const OPTIONS = {
  rpc: { type: 'string' }, out: { type: 'string' }, 'from-block': { type: 'string' }, 'to-block': { type: 'string' },
  'last-blocks': { type: 'string' }, since: { type: 'string' }, confirmations: { type: 'string' }, 'chunk-size': { type: 'string' },
  json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
} as const;

function int(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new OnchainSqlError('usage', `--${name} needs a whole number, got "${raw}"`);
  return Number(raw);
}

/** `onchain-sql snapshot sync …`; returns the exit code. */
export async function snapshotSyncCommand(argv: string[]): Promise<number> {
  let json = argv.includes('--json');
  // The signal that stopped the sync, if one did: the exit code says which (130 SIGINT, 143 SIGTERM).
  let stoppedBy: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    stoppedBy = signal;
    if (!json) process.stderr.write(`Stopping (${signal}); the blocks synced so far are kept. Run the same command again to continue.\n`);
    abort.abort();
  };
  const abort = new AbortController();
  try {
    const { values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true });
    json = values.json;
    if (values.help) {
      process.stdout.write(SYNC_USAGE);
      return 0;
    }
    const rpcUrl = values.rpc ?? process.env.ONCHAIN_SQL_RPC_URL;
    if (!rpcUrl) throw new OnchainSqlError('usage', 'snapshot sync needs --rpc URL (or ONCHAIN_SQL_RPC_URL)');
    if (!values.out) throw new OnchainSqlError('usage', 'snapshot sync needs --out DIR');
    const outDir = path.resolve(values.out);
    // Ctrl-C or SIGTERM stops between requests: the ranges already written stay, the work folder is removed,
    // and the next run continues from there.
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const result = await syncSnapshot({
      rpcUrl, outDir, signal: abort.signal, fromBlock: int(values['from-block'], 'from-block'), toBlock: int(values['to-block'], 'to-block'),
      lastBlocks: int(values['last-blocks'], 'last-blocks'), since: values.since, confirmations: int(values.confirmations, 'confirmations'),
      chunkSize: int(values['chunk-size'], 'chunk-size'),
      onProgress: (p) => {
        if (json) return;
        const rate = p.blocksTotal ? ` [${p.blocksDone}/${p.blocksTotal} blocks, ${p.blocksPerSecond.toFixed(1)} blocks/s${p.etaSeconds !== null && p.blocksDone < p.blocksTotal ? `, ETA ${Math.ceil(p.etaSeconds)} s` : ''}]` : '';
        process.stderr.write(`${p.message}${rate}\n`);
      },
    });
    const m = result.manifest;
    if (json) {
      process.stdout.write(`${JSON.stringify(m)}\n`);
      return 0;
    }
    process.stdout.write([
      `chain        ${m.chain} (chain id ${m.sync?.chainId}; only blocks up to the ${m.sync?.safeHead} head)`,
      `blocks       ${m.blockRange.first} – ${m.blockRange.last}`,
      `time         ${m.timeRange.first} – ${m.timeRange.last} UTC`,
      `fetched      ${result.blocksSynced} blocks in ${result.seconds.toFixed(1)} s, ${result.requests} RPC requests`,
      'rows:',
      formatTable([{ name: 'table', type: 'VARCHAR' }, { name: 'rows', type: 'BIGINT' }], Object.entries(m.rowCounts)),
      ...(m.notes ?? []).map((n) => `note: ${n}`),
    ].join('\n') + '\n');
    return 0;
  } catch (e) {
    const parseError = errnoCode(e)?.startsWith('ERR_PARSE_ARGS') ?? false;
    const usage = parseError || (e instanceof OnchainSqlError && e.code === 'usage');
    const err = parseError ? new OnchainSqlError('usage', errorMessage(e))
      : abort.signal.aborted || (e instanceof Error && e.name === 'AbortError') ? new OnchainSqlError('cancelled', `Sync stopped${stoppedBy ? ` by ${stoppedBy}` : ''} before it finished; the blocks synced so far are kept. Run the same command again to continue.`)
      : toOnchainSqlError(e);
    if (json) process.stdout.write(`${JSON.stringify({ error: err.toJSON() })}\n`);
    else {
      process.stderr.write(`error (${err.code}): ${err.message}\n`);
      if (usage) process.stderr.write(`\n${SYNC_USAGE}`);
    }
    return usage ? 2 : err.code === 'cancelled' ? signalExitCode(stoppedBy ?? 'SIGINT') : 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

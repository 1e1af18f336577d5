import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_MS } from '../core/engine/engine.js';
import type { QueryEngine } from '../core/engine/protocol.js';
import { OnchainSqlError, toOnchainSqlError } from '../core/errors.js';
import { buildSnapshot } from '../core/snapshot/build.js';
import { importSnapshot, type ImportFormat } from '../core/snapshot/import.js';
import { defaultSnapshotDir, SAMPLE_SCALE, SAMPLE_SEED } from '../core/snapshot/paths.js';
import { readManifest } from '../core/engine/engine.js';
import { exitOnSignals } from '../core/engine/cleanup.js';
import { formatTable } from './format.js';
import * as fs from 'node:fs';

const USAGE = `onchain-sql: ask questions about chain data, locally

Usage:
  onchain-sql ask "<question>" [--then "<follow-up>" …] [--provider claude|offline] [--json] [--print-prompt]
  onchain-sql sql "<SQL>" [--json] [--max-rows N] [--timeout-ms N]
  onchain-sql snapshot build [--scale S] [--seed N] [--out DIR]
  onchain-sql snapshot import --from cryo|ethereum-etl DIR --out DIR
  onchain-sql snapshot info
  onchain-sql mcp                      (an MCP server over stdio, for agents)
  onchain-sql clickhouse load --snapshot DIR --url URL [--database DB] [--user U]

Common options:
  --snapshot DIR   the snapshot to query (default: the bundled sample, built on first use)
  --json           machine-readable output
  --engine duckdb|clickhouse   where ask/sql run (clickhouse: --url, --database, --user;
                   password in ONCHAIN_SQL_CLICKHOUSE_PASSWORD)
`;

class UsageError extends Error {}

const OPTIONS = {
  snapshot: { type: 'string' },
  json: { type: 'boolean', default: false },
  'max-rows': { type: 'string' },
  'timeout-ms': { type: 'string' },
  scale: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  provider: { type: 'string' },
  'print-prompt': { type: 'boolean', default: false },
  then: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h', default: false },
  engine: { type: 'string' },
  url: { type: 'string' },
  database: { type: 'string' },
  user: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function intOption(values: Values, name: 'max-rows' | 'timeout-ms' | 'scale' | 'seed', fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} needs a non-negative number, got "${raw}"`);
  return n;
}

const log = (json: boolean) => (m: string) => { if (!json) process.stderr.write(`${m}\n`); };

/** Opens the chosen snapshot; the bundled sample is built on first use. */
export async function openSnapshot(values: Values): Promise<QueryEngine> {
  if ((values.engine ?? 'duckdb') !== 'duckdb') return (await import('./clickhouse-command.js')).openClickHouse(values);
  const dir = values.snapshot ? path.resolve(values.snapshot) : defaultSnapshotDir();
  if (!values.snapshot && !fs.existsSync(path.join(dir, 'manifest.json'))) {
    log(values.json)(`Building the sample snapshot in ${dir} (first use)…`);
    await buildSnapshot({ outDir: dir, scale: SAMPLE_SCALE, seed: SAMPLE_SEED, onProgress: log(values.json) });
  }
  return Engine.open(dir);
}

async function runSql(values: Values, sql: string): Promise<void> {
  const engine = await openSnapshot(values);
  try {
    const result = await engine.query(sql, {
      maxRows: intOption(values, 'max-rows', DEFAULT_MAX_ROWS),
      timeoutMs: intOption(values, 'timeout-ms', DEFAULT_TIMEOUT_MS),
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(`${formatTable(result.columns, result.rows)}\n`);
      const more = result.truncated ? ` (truncated at ${result.rowCount}; use --max-rows)` : '';
      process.stderr.write(`${result.rowCount} row${result.rowCount === 1 ? '' : 's'}${more} in ${result.timings.totalMs.toFixed(1)} ms\n`);
    }
  } finally {
    engine.close();
  }
}

async function snapshotCommand(values: Values, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const progress = log(values.json);
  let manifest;
  if (sub === 'build') {
    const outDir = values.out ? path.resolve(values.out) : defaultSnapshotDir();
    const t0 = performance.now();
    manifest = await buildSnapshot({ outDir, scale: intOption(values, 'scale', SAMPLE_SCALE), seed: intOption(values, 'seed', SAMPLE_SEED), onProgress: progress });
    progress(`Built ${outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else if (sub === 'import') {
    const from = values.from as ImportFormat | undefined;
    if (from !== 'cryo' && from !== 'ethereum-etl') throw new UsageError('snapshot import needs --from cryo or --from ethereum-etl');
    if (rest.length !== 1) throw new UsageError('snapshot import needs the export folder: snapshot import --from FORMAT DIR --out DIR');
    if (!values.out) throw new UsageError('snapshot import needs --out DIR');
    manifest = await importSnapshot({ from, inDir: path.resolve(rest[0]), outDir: path.resolve(values.out), onProgress: progress });
  } else if (sub === 'info') {
    manifest = readManifest(values.snapshot ? path.resolve(values.snapshot) : defaultSnapshotDir());
  } else {
    throw new UsageError(`unknown snapshot command "${sub ?? ''}": use build, import or info`);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(manifest)}\n`);
  else {
    const m = manifest;
    process.stdout.write([
      `chain        ${m.chain}${m.synthetic ? ' (synthetic sample)' : ''}`,
      `source       ${m.source}${m.seed !== undefined ? `, seed ${m.seed}, scale ${m.scale}` : ''}`,
      `blocks       ${m.blockRange.first} – ${m.blockRange.last}`,
      `time         ${m.timeRange.first} – ${m.timeRange.last} UTC`,
      `schema       v${m.schemaVersion}`,
      'rows:',
      formatTable([{ name: 'table', type: 'VARCHAR' }, { name: 'rows', type: 'BIGINT' }], Object.entries(m.rowCounts)),
    ].join('\n') + '\n');
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'snapshot' && argv[1] === 'sync') return (await import('./snapshot-sync.js')).snapshotSyncCommand(argv.slice(2));
  let values: Values = { json: argv.includes('--json'), 'print-prompt': false, help: false };
  try {
    const parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    values = parsed.values;
    const [command, ...args] = parsed.positionals;
    if (values.help || !command) {
      process.stdout.write(USAGE);
      return command || values.help ? 0 : 2;
    }
    switch (command) {
      case 'sql':
        if (args.length !== 1) throw new UsageError('sql needs exactly one argument: the SQL text, quoted');
        await runSql(values, args[0]);
        return 0;
      case 'snapshot':
        await snapshotCommand(values, args);
        return 0;
      case 'clickhouse':
        return await (await import('./clickhouse-command.js')).clickhouseCommand(values, args);
      case 'ask': {
        if (args.length !== 1) throw new UsageError('ask needs exactly one argument: the question, quoted');
        const { askCommand } = await import('./ask-command.js');
        return await askCommand(values, args[0], openSnapshot);
      }
      case 'mcp':
        return await (await import('./mcp-command.js')).mcpCommand(values, openSnapshot);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS');
    const err = usage ? new OnchainSqlError('usage', (e as Error).message) : toOnchainSqlError(e);
    if (values.json) process.stdout.write(`${JSON.stringify({ error: err.toJSON() })}\n`);
    else {
      process.stderr.write(`error (${err.code}): ${err.message}\n`);
      for (const s of err.suggestions) process.stderr.write(`  hint: ${s}\n`);
      if (usage) process.stderr.write(`\n${USAGE}`);
    }
    return usage ? 2 : 1;
  }
}

export type CliValues = Values;

if (require.main === module) {
  // Ctrl-C or a kill still removes the engine's spill folders and worker processes.
  exitOnSignals();
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}

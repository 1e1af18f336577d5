import type { CliCommand } from './command.js';
import { exitOnSignals } from '../core/engine/cleanup.js';
import { usageError } from './args.js';
import { printError } from './output.js';

/**
 * `onchain-sql <command> …`: a dispatcher. Each command is one line here (its
 * usage and where it lives); its module parses its own options with the one
 * parser in `args.ts` and is loaded only when it runs.
 */
interface CommandEntry {
  usage: string[];
  load: () => Promise<{ command: CliCommand }>;
}

const COMMANDS: Record<string, CommandEntry> = {
  ask: { usage: ['ask "<question>" [--then "<follow-up>" …] [--provider claude|offline] [--json] [--print-prompt] [--max-rows N] [--timeout-ms N]'], load: () => import('./commands/ask.js') },
  sql: { usage: ['sql "<SQL>" [--json] [--max-rows N] [--timeout-ms N]'], load: () => import('./commands/sql.js') },
  snapshot: { usage: ['snapshot build [--scale S] [--seed N] [--out DIR]', 'snapshot import --from cryo|ethereum-etl DIR --out DIR', 'snapshot sync --rpc URL (--from-block N --to-block M | --last-blocks K | --since "24 hours") --out DIR', 'snapshot info'], load: () => import('./commands/snapshot.js') },
  mcp: { usage: ['mcp [--snapshot DIR]                 (an MCP server over stdio, for agents)'], load: () => import('./commands/mcp.js') },
  clickhouse: { usage: ['clickhouse load --snapshot DIR --url URL [--database DB] [--user U]'], load: () => import('./commands/clickhouse.js') },
};

export const USAGE = `onchain-sql: ask questions about chain data, locally

Usage:
${Object.values(COMMANDS).flatMap((c) => c.usage).map((u) => `  onchain-sql ${u}`).join('\n')}

Common options:
  --snapshot DIR   the snapshot to query (default: the bundled sample, built on first use)
  --json           machine-readable output
  --engine duckdb|clickhouse   where ask/sql/mcp run (clickhouse: --url, --database, --user;
                   the password in ONCHAIN_SQL_CLICKHOUSE_PASSWORD)
  -h, --help       this text
`;

const isHelp = (a: string) => a === '--help' || a === '-h';

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || isHelp(name) || args.some(isHelp)) {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const json = argv.includes('--json');
  try {
    const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!entry) throw usageError(name.startsWith('-') ? `the command comes first, before options like "${name}"` : `unknown command "${name}"`);
    const { command } = await entry.load();
    return await command.run(args);
  } catch (e) {
    return printError(e, json, USAGE);
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  // Ctrl-C or a kill still removes the engine's spill folders and worker processes.
  exitOnSignals();
  void main(argv).then((code) => { process.exitCode = code; });
}

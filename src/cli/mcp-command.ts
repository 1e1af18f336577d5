import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { QueryEngine as Engine } from '../core/engine/protocol.js';
import { createProvider } from '../core/nl2sql/providers.js';
import { createOnchainMcpServer } from '../mcp/server.js';
import { version } from '../../package.json';
import type { OpenValues as CliValues } from './open-snapshot.js';

/**
 * `onchain-sql mcp [--snapshot DIR]`: the MCP server over stdio. stdout carries
 * only protocol messages; progress and one line per tool call go to stderr,
 * which MCP clients keep as the server's log. The snapshot opens (the sample is
 * built on first use) while the client initializes. Claude writes SQL for `ask`
 * when ANTHROPIC_API_KEY is set (ANTHROPIC_BASE_URL, ONCHAIN_SQL_MODEL as for
 * `ask`), else the offline translator. Runs until the client closes stdin.
 */
export async function mcpCommand(values: CliValues, open: (v: CliValues) => Promise<Engine>): Promise<number> {
  const stderr = (line: string) => process.stderr.write(`[onchain-sql mcp] ${line}\n`);
  let opening: Promise<Engine> | undefined;
  const engine = (): Promise<Engine> => {
    opening ??= open({ ...values, json: false }).catch((e: unknown) => {
      opening = undefined; // the next call tries again (e.g. after the folder was fixed)
      throw e;
    });
    return opening;
  };
  const apiKey = process.env.ANTHROPIC_API_KEY?.trim() || undefined;
  const server = createOnchainMcpServer({
    version,
    engine,
    provider: (e) => createProvider({ kind: 'auto', apiKey, baseURL: process.env.ANTHROPIC_BASE_URL, model: process.env.ONCHAIN_SQL_MODEL, engine: e }),
    secrets: apiKey ? [apiKey] : [],
    log: stderr,
  });
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
    process.stdin.once('end', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  engine().then(
    (e) => stderr(`serving ${e.manifest.chain} blocks ${e.manifest.blockRange.first}–${e.manifest.blockRange.last} (${e.manifest.source}${e.manifest.synthetic ? ', synthetic sample' : ''})`),
    (e: unknown) => stderr(`the snapshot could not be opened yet: ${(e as Error).message}`),
  );
  await server.connect(new StdioServerTransport());
  await closed;
  await server.close().catch(() => undefined);
  if (opening) (await opening.catch(() => undefined))?.close();
  return 0;
}

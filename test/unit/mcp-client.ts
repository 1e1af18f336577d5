// Drives `onchain-sql mcp` as an agent would: the SDK's own Client over stdio, the server a child process.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const ROOT = path.resolve(__dirname, '../..');

export interface McpSession {
  client: Client;
  /** Everything the server wrote to stderr so far (its log). */
  stderr(): string;
  /** Waits until the server's log matches. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Run dist/cli.js instead of the sources. */
  bundled?: boolean;
  env?: Record<string, string>;
  cwd?: string;
}

export async function startMcp(cliArgs: string[], options: StartOptions = {}): Promise<McpSession> {
  const args = options.bundled
    ? [path.join(ROOT, 'dist', 'cli.js'), 'mcp', ...cliArgs]
    // tsx by file URL: the server may run in a working directory without node_modules.
    : ['--import', pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, path.join(ROOT, 'src', 'cli', 'main.ts'), 'mcp', ...cliArgs];
  // Only PATH and HOME (plus what a test sets) reach the server: no ANTHROPIC_API_KEY from the outer shell.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env };
  const transport = new StdioClientTransport({ command: process.execPath, args, env, cwd: options.cwd ?? ROOT, stderr: 'pipe' });
  let log = '';
  transport.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString('utf8'); });
  const client = new Client({ name: 'onchain-sql-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    stderr: () => log,
    async waitForLog(pattern, timeoutMs = 15_000) {
      const t0 = Date.now();
      while (!pattern.test(log)) {
        if (Date.now() - t0 > timeoutMs) throw new Error(`the server log never matched ${pattern}:\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return log;
    },
    close: () => client.close(),
  };
}

/** The text part of a tool result. */
export function textOf(result: unknown): string {
  const r = result as CallToolResult;
  return r.content.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('\n');
}

/** The stable error code an error result starts with ("error unknown_column: …"). */
export function errorCodeOf(result: unknown): string | undefined {
  const r = result as CallToolResult;
  return r.isError ? /^error ([a-z_]+):/.exec(textOf(r))?.[1] : undefined;
}

import { defineCommand } from '../command.js';
import { mcpCommand } from '../mcp-command.js';
import { ENGINE_OPTIONS, openSnapshot } from '../open-snapshot.js';

/** `onchain-sql mcp [--snapshot DIR]`: the MCP server over stdio (see mcp-command.ts). */
export const command = defineCommand({ ...ENGINE_OPTIONS }, (values) => mcpCommand(values, openSnapshot));

import type * as vscode from 'vscode';
import { registerApiKeyCommands } from './apiKey.js';
import { registerClickHousePasswordCommand } from './clickhouse.js';
import type { CommandContext } from './context.js';
import { registerNotebookCommands } from './notebook.js';
import { registerQueryCommands } from './query.js';
import { registerSchemaCommands } from './schema.js';
import { registerSnapshotCommands } from './snapshot.js';
import { registerWayForwardCommands } from './wayForward.js';

export type { CommandContext } from './context.js';

/** Every `onchainSql.*` command (ids fixed: see package.json contributes.commands). */
export function registerCommands(c: CommandContext): vscode.Disposable[] {
  return [
    ...registerQueryCommands(c),
    ...registerSchemaCommands(c),
    ...registerSnapshotCommands(c),
    ...registerApiKeyCommands(c),
    registerClickHousePasswordCommand(c),
    ...registerNotebookCommands(c),
    ...registerWayForwardCommands(c),
  ];
}

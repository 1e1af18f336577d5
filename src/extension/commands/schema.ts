import * as vscode from 'vscode';
import { catalog, qualifiedName } from '../../core/schema/catalog.js';
import { INSERT_NAME_COMMAND, SCHEMA_VIEW_ID, insertName, type SchemaNode } from '../schemaTree.js';
import { ResultsPanel } from '../webviews/resultsPanel.js';
import { register, type CommandContext } from './context.js';

/** The table a Preview Table call is about: a tree node, a name, or a pick. */
async function tableName(arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string') return catalog.tables.map(qualifiedName).find((n) => n === arg.trim().toLowerCase());
  const node = arg as SchemaNode | undefined;
  if (node && (node.kind === 'table' || node.kind === 'column')) return qualifiedName(node.table);
  const pick = await vscode.window.showQuickPick(
    catalog.tables.map((t) => ({ label: qualifiedName(t), detail: t.description.split(/(?<=\.)\s/)[0] })),
    { title: 'Onchain SQL: Preview Table', placeHolder: 'Pick a table to preview' },
  );
  return pick?.label;
}

export function registerSchemaCommands(c: CommandContext): vscode.Disposable[] {
  return [
    register(c, 'onchainSql.showSchema', 'Show Schema', () => vscode.commands.executeCommand(`${SCHEMA_VIEW_ID}.focus`)),
    register(c, 'onchainSql.previewTable', 'Preview Table', async (arg?: unknown) => {
      const name = await tableName(arg);
      if (!name) {
        if (typeof arg === 'string') throw new Error(`No table named ${arg}.`);
        return undefined;
      }
      // The name comes from the catalog, never from the argument text.
      await ResultsPanel.showSql(c.ext, c.session, `SELECT * FROM ${name} LIMIT 100`, `Preview ${name}`);
      return undefined;
    }),
    vscode.commands.registerCommand(INSERT_NAME_COMMAND, insertName),
  ];
}

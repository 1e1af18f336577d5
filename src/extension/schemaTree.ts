import * as vscode from 'vscode';
import { catalog, qualifiedName, type ColumnSpec, type TableSpec } from '../core/schema/catalog.js';
import { affectsEngine, clickhouseEngineLabel } from './clickhouseConnection.js';
import { escapeMarkdownInline } from './text.js';

/** Node kinds of the Schema view: namespace → table → column. All from the catalog; no DuckDB needed. */
export type SchemaNode =
  | { kind: 'namespace'; namespace: string }
  | { kind: 'table'; table: TableSpec }
  | { kind: 'column'; table: TableSpec; column: ColumnSpec };

export const SCHEMA_VIEW_ID = 'onchainSql.schema';
/** Inserts a name into the active editor: from the item's context menu or inline button only, never on a click (a click into a notebook cell broke its SQL). */
export const INSERT_NAME_COMMAND = 'onchainSql.insertName';

function md(text: string): string {
  return escapeMarkdownInline(text, 2_000);
}

export class SchemaTreeProvider implements vscode.TreeDataProvider<SchemaNode> {
  getChildren(node?: SchemaNode): SchemaNode[] {
    if (!node) return [...new Set(catalog.tables.map((t) => t.namespace))].map((namespace) => ({ kind: 'namespace', namespace }));
    if (node.kind === 'namespace') return catalog.tables.filter((t) => t.namespace === node.namespace).map((table) => ({ kind: 'table', table }));
    if (node.kind === 'table') return node.table.columns.map((column) => ({ kind: 'column', table: node.table, column }));
    return [];
  }

  getTreeItem(node: SchemaNode): vscode.TreeItem {
    if (node.kind === 'namespace') {
      const item = new vscode.TreeItem(node.namespace, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.contextValue = 'onchainSql.namespace';
      item.id = `ns:${node.namespace}`;
      return item;
    }
    if (node.kind === 'table') {
      const name = qualifiedName(node.table);
      const item = new vscode.TreeItem(node.table.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `table:${name}`;
      item.description = `${node.table.columns.length} columns`;
      item.iconPath = new vscode.ThemeIcon('table');
      item.contextValue = 'onchainSql.table';
      const tip = new vscode.MarkdownString(`**${md(name)}**\n\n${md(node.table.description)}`);
      if (node.table.joinHints?.length) tip.appendMarkdown(`\n\n_Joins:_ ${node.table.joinHints.map(md).join('; ')}`);
      if (node.table.pitfalls?.length) tip.appendMarkdown(`\n\n_Pitfalls:_ ${node.table.pitfalls.map(md).join('; ')}`);
      tip.isTrusted = false;
      tip.supportHtml = false;
      item.tooltip = tip;
      return item;
    }
    const { column } = node;
    const item = new vscode.TreeItem(column.name, vscode.TreeItemCollapsibleState.None);
    item.id = `col:${qualifiedName(node.table)}.${column.name}`;
    item.description = column.type;
    item.iconPath = new vscode.ThemeIcon('symbol-field');
    item.contextValue = 'onchainSql.column';
    const tip = new vscode.MarkdownString(`**${md(column.name)}** \`${column.type}\`\n\n${md(column.description)}`);
    if (column.unit) tip.appendMarkdown(`\n\n_Unit:_ ${md(column.unit)}`);
    if (column.examples?.length) tip.appendMarkdown(`\n\n_Examples:_ ${column.examples.slice(0, 3).map((e) => md(String(e))).join(', ')}`);
    tip.isTrusted = false;
    tip.supportHtml = false;
    item.tooltip = tip;
    return item;
  }

  getParent(node: SchemaNode): SchemaNode | undefined {
    if (node.kind === 'table') return { kind: 'namespace', namespace: node.table.namespace };
    if (node.kind === 'column') return { kind: 'table', table: node.table };
    return undefined;
  }
}

/** The text a node inserts: `ns.table` for a table, the column name for a column. */
export function nameOf(node: SchemaNode): string | undefined {
  if (node.kind === 'table') return qualifiedName(node.table);
  if (node.kind === 'column') return node.column.name;
  return undefined;
}

/** Inserts text (or a tree node's name) at every cursor of the active editor (or notebook cell editor). */
export async function insertName(arg: unknown): Promise<void> {
  const text = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'kind' in arg ? nameOf(arg as SchemaNode) : undefined;
  if (!text) return;
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(`Copied "${text}" (no editor is active to insert it into).`);
    return;
  }
  await editor.edit((b) => {
    for (const sel of editor.selections) b.replace(sel, text);
  });
}

/** The Schema view's description names the ClickHouse server when it, not the local snapshot, answers. */
export function showEngineOnSchemaView(view: vscode.TreeView<SchemaNode>): vscode.Disposable {
  const update = () => { view.description = clickhouseEngineLabel(); };
  update();
  return vscode.workspace.onDidChangeConfiguration((e) => { if (affectsEngine(e)) update(); });
}

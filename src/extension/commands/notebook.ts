import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { QUESTION_LANGUAGE } from '../notebook/format.js';
import { NOTEBOOK_TYPE, OnchainNotebookSerializer } from '../notebook/serializer.js';
import { addCell } from '../notebook/newCells.js';
import { ASK_IN_NEW_CELL_COMMAND, askInNewCell, isAskInNewCellArgs } from '../notebook/cellActions.js';
import { register, type CommandContext } from './context.js';

function cellsFor(question: string | undefined, sql: string | undefined): vscode.NotebookCellData[] {
  const cells: vscode.NotebookCellData[] = [];
  if (question) cells.push(new vscode.NotebookCellData(vscode.NotebookCellKind.Code, question, QUESTION_LANGUAGE));
  if (sql) cells.push(new vscode.NotebookCellData(vscode.NotebookCellKind.Code, sql, 'sql'));
  return cells;
}

async function openNew(c: CommandContext, cells: vscode.NotebookCellData[]): Promise<vscode.NotebookEditor> {
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, new vscode.NotebookData(cells));
  c.notebooks.preferFor(doc);
  return vscode.window.showNotebookDocument(doc);
}

export function registerNotebookCommands(c: CommandContext): vscode.Disposable[] {
  return [
    register(c, 'onchainSql.addQuestionCell', 'Add Question Cell', () => addCell(QUESTION_LANGUAGE)),
    register(c, 'onchainSql.addSqlCell', 'Add SQL Cell', () => addCell('sql')),
    // From a question cell's status bar (an alternative reading, a suggested question): not in the palette.
    register(c, ASK_IN_NEW_CELL_COMMAND, 'Ask in a New Cell', async (arg?: unknown) => {
      if (!isAskInNewCellArgs(arg)) throw new Error('Ask in a New Cell needs { notebook, cell, question }.');
      return askInNewCell(arg);
    }),
    // Added to the agreed list for the walkthrough: opens a copy of examples/getting-started.onchain-nb.
    register(c, 'onchainSql.openExampleNotebook', 'Open Example Notebook', async () => {
      const file = path.join(c.ext.extensionPath, 'examples', 'getting-started.onchain-nb');
      const bytes = await fs.promises.readFile(file);
      const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, new OnchainNotebookSerializer().deserializeNotebook(bytes));
      c.notebooks.preferFor(doc);
      const editor = await vscode.window.showNotebookDocument(doc);
      return editor.notebook.uri.toString();
    }),
    register(c, 'onchainSql.newNotebook', 'New Notebook', async () => {
      const editor = await openNew(c, [
        new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# Onchain SQL notebook\n\nQuestion cells are answered with checked SQL; SQL cells run as written.', 'markdown'),
        ...cellsFor('How many transactions happened today?', 'SELECT count(*) AS blocks FROM ethereum.blocks'),
      ]);
      return editor.notebook.uri.toString();
    }),
    // Args `{question?, sql}`: appends to the active .onchain-nb notebook, else opens a new one.
    register(c, 'onchainSql.insertIntoNotebook', 'Insert into Notebook', async (arg?: unknown) => {
      const a = (arg ?? {}) as { question?: unknown; sql?: unknown };
      const question = typeof a.question === 'string' && a.question.trim() ? a.question.trim() : undefined;
      const sql = typeof a.sql === 'string' && a.sql.trim() ? a.sql.trim() : undefined;
      if (!question && !sql) throw new Error('Nothing to insert: give a question or SQL.');
      const cells = cellsFor(question, sql);
      const active = vscode.window.activeNotebookEditor;
      if (active && active.notebook.notebookType === NOTEBOOK_TYPE) {
        const at = active.notebook.cellCount;
        const edit = new vscode.WorkspaceEdit();
        edit.set(active.notebook.uri, [vscode.NotebookEdit.insertCells(at, cells)]);
        await vscode.workspace.applyEdit(edit);
        active.revealRange(new vscode.NotebookRange(at, at + cells.length), vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
        return active.notebook.uri.toString();
      }
      const editor = await openNew(c, cells);
      return editor.notebook.uri.toString();
    }),
  ];
}

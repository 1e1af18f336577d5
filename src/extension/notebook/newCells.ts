import * as vscode from 'vscode';
import { QUESTION_LANGUAGE } from './format.js';
import { NOTEBOOK_TYPE } from './serializer.js';

/** SQL cells our "+ SQL" action is adding right now: they keep their language. */
let sqlCellsPending = 0;

/**
 * New empty code cells in an Onchain SQL notebook are questions (the editor
 * would copy the previous cell's language, or pick SQL); "+ SQL" adds SQL.
 */
export function defaultNewCellsToQuestions(): vscode.Disposable {
  return vscode.workspace.onDidChangeNotebookDocument((e) => {
    if (e.notebook.notebookType !== NOTEBOOK_TYPE) return;
    for (const change of e.contentChanges) {
      for (const cell of change.addedCells) {
        if (cell.kind !== vscode.NotebookCellKind.Code || cell.document.getText() !== '' || cell.document.languageId === QUESTION_LANGUAGE) continue;
        if (sqlCellsPending > 0 && cell.document.languageId === 'sql') { sqlCellsPending--; continue; }
        void vscode.languages.setTextDocumentLanguage(cell.document, QUESTION_LANGUAGE);
      }
    }
  });
}

/** Inserts an empty cell of `language` below the selected cell (or at the end) and starts editing it. */
export async function addCell(language: typeof QUESTION_LANGUAGE | 'sql'): Promise<boolean> {
  const editor = vscode.window.activeNotebookEditor;
  if (!editor || editor.notebook.notebookType !== NOTEBOOK_TYPE) return false;
  const at = editor.selections[0] ? editor.selections[0].end : editor.notebook.cellCount;
  if (language === 'sql') sqlCellsPending++;
  const edit = new vscode.WorkspaceEdit();
  edit.set(editor.notebook.uri, [vscode.NotebookEdit.insertCells(at, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, '', language)])]);
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) { if (language === 'sql') sqlCellsPending = Math.max(0, sqlCellsPending - 1); return false; }
  editor.selections = [new vscode.NotebookRange(at, at + 1)];
  editor.revealRange(new vscode.NotebookRange(at, at + 1), vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('notebook.cell.edit');
  return true;
}

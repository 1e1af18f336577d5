import * as vscode from 'vscode';
import { RESULT_MIME } from '../../webview/protocol.js';
import { statusBarText, suggestionsFromMetadata, waysForward } from './alternatives.js';
import { QUESTION_LANGUAGE } from './format.js';
import { readResultPayload } from './outputs.js';
import { NOTEBOOK_TYPE } from './serializer.js';

/** Command behind the items: `{ notebook, cell, question }` (URIs as strings). */
export const ASK_IN_NEW_CELL_COMMAND = 'onchainSql.askInNewCell';

export interface AskInNewCellArgs {
  notebook: string;
  /** The question cell the way forward came from (the new cell goes below it). */
  cell: string;
  question: string;
}

export function isAskInNewCellArgs(v: unknown): v is AskInNewCellArgs {
  const a = v as AskInNewCellArgs;
  return !!a && typeof a === 'object' && typeof a.notebook === 'string' && typeof a.cell === 'string' && typeof a.question === 'string' && a.question.trim() !== '';
}

/**
 * One-click ways forward under a question cell, as in the panel and the chat:
 * each alternative reading of its answer and each suggested question of a
 * refusal is a status bar item that asks it in a new cell below.
 */
class WaysForwardItems implements vscode.NotebookCellStatusBarItemProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCellStatusBarItems = this.changed.event;
  private readonly outputsChanged = vscode.workspace.onDidChangeNotebookDocument((e) => {
    if (e.notebook.notebookType === NOTEBOOK_TYPE && e.cellChanges.some((c) => c.outputs !== undefined)) this.changed.fire();
  });

  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    if (cell.kind !== vscode.NotebookCellKind.Code || cell.document.languageId !== QUESTION_LANGUAGE) return [];
    const payloadItem = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === RESULT_MIME);
    const payload = payloadItem && readResultPayload(payloadItem.data);
    const suggestions = cell.outputs.flatMap((o) => suggestionsFromMetadata(o.metadata));
    return waysForward(payload, suggestions).map((w) => {
      const item = new vscode.NotebookCellStatusBarItem(statusBarText(w), vscode.NotebookCellStatusBarAlignment.Left);
      item.tooltip = w.tooltip;
      const args: AskInNewCellArgs = { notebook: cell.notebook.uri.toString(), cell: cell.document.uri.toString(), question: w.question };
      item.command = { command: ASK_IN_NEW_CELL_COMMAND, title: w.kind === 'reading' ? 'Ask the other reading' : 'Ask this question', arguments: [args] };
      item.accessibilityInformation = { label: `${w.kind === 'reading' ? 'Other reading' : 'Suggested question'}: ${w.question}. Asks it in a new cell below.` };
      return item;
    });
  }

  dispose(): void {
    this.outputsChanged.dispose();
    this.changed.dispose();
  }
}

export function registerWaysForwardItems(): vscode.Disposable {
  const provider = new WaysForwardItems();
  return vscode.Disposable.from(provider, vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, provider));
}

/**
 * Asks `question` in a new question cell below the cell it came from, and runs
 * it. A new cell, not the same cell re-run: as in Jupyter, a cell and its output
 * are a record; both readings stay side by side to compare, and the original
 * question is never rewritten behind the user's back.
 */
export async function askInNewCell(args: AskInNewCellArgs): Promise<number> {
  const notebook = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === args.notebook);
  if (!notebook) throw new Error('The notebook this question came from is closed.');
  const from = notebook.getCells().find((c) => c.document.uri.toString() === args.cell);
  const at = from ? from.index + 1 : notebook.cellCount;
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(at, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, args.question.trim(), QUESTION_LANGUAGE)])]);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('The notebook did not accept the new cell (is it read-only?).');
  const editor = vscode.window.visibleNotebookEditors.find((e) => e.notebook === notebook);
  if (editor) {
    editor.selections = [new vscode.NotebookRange(at, at + 1)];
    editor.revealRange(new vscode.NotebookRange(at, at + 1), vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  }
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: at, end: at + 1 }], document: notebook.uri });
  return at;
}

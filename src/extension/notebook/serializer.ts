import * as vscode from 'vscode';
import { formatNotebook, parseNotebook, type RawCell } from './format.js';

export const NOTEBOOK_TYPE = 'onchain-sql-notebook';

/** `.onchain-nb` files: fenced blocks per cell (see format.ts); outputs are not saved. */
export class OnchainNotebookSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const cells = parseNotebook(new TextDecoder().decode(content)).map(
      (c) => new vscode.NotebookCellData(c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, c.value, c.language),
    );
    return new vscode.NotebookData(cells);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const cells: RawCell[] = data.cells.map((c) => ({
      kind: c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
      language: c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : c.languageId,
      value: c.value,
    }));
    return new TextEncoder().encode(formatNotebook(cells));
  }
}

export function registerNotebookSerializer(): vscode.Disposable {
  // Outputs are transient: re-running is cheap, and result data stays out of committed files.
  return vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new OnchainNotebookSerializer(), { transientOutputs: true });
}

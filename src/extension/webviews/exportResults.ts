// "Export Results…": asks where, then streams every row of the shown result (in
// its shown order) from the engine to CSV, JSON or Parquet. Moved out of the
// results panel, which only says what is shown.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Answer } from '../../core/answer.js';
import type { ExportFormat } from '../../core/export.js';
import { toOnchainSqlError } from '../../core/errors.js';
import type { SortState } from '../../webview/protocol.js';
import type { Session } from '../session.js';
import { sortedSql } from './rowSource.js';

/** A file name from the question: lower-case words joined by dashes, at most 80 characters. */
export function fileStem(question: string): string {
  const stem = question.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '');
  return stem || 'result';
}

export async function exportShownResult(session: Session, answer: Answer | undefined, sort: SortState | null): Promise<void> {
  if (!answer) {
    void vscode.window.showInformationMessage('Onchain SQL: there is no result to export yet. Ask a question or run SQL first.');
    return;
  }
  const sql = sortedSql(answer.sql, sort);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const target = await vscode.window.showSaveDialog({
    title: 'Export Results',
    defaultUri: vscode.Uri.joinPath(base, `${fileStem(answer.resolvedQuestion ?? answer.question)}.csv`),
    filters: { CSV: ['csv'], JSON: ['json'], Parquet: ['parquet'] },
    saveLabel: 'Export',
  });
  if (!target) return;
  let file = target.fsPath;
  const ext = path.extname(file).slice(1).toLowerCase();
  const format: ExportFormat = ext === 'json' ? 'json' : ext === 'parquet' ? 'parquet' : 'csv';
  if (!['csv', 'json', 'parquet'].includes(ext)) file += '.csv';
  const { exportResult } = await import('../../core/export.js');
  try {
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Onchain SQL: exporting to ${path.basename(file)}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        // Straight from the engine: no query timeout for a long export (Cancel stops it).
        const engine = await session.getEngine();
        return exportResult(engine, sql, {
          format, file, signal: abort.signal,
          onProgress: (n) => progress.report({ message: `${n.toLocaleString('en-US')} rows` }),
        });
      },
    );
    const more = summary.truncated ? ` (stopped at the export limit of ${summary.rows.toLocaleString('en-US')} rows)` : '';
    const choice = await vscode.window.showInformationMessage(
      `Exported ${summary.rows.toLocaleString('en-US')} rows to ${summary.file}${more}.`, 'Reveal in File Explorer');
    if (choice) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(summary.file));
  } catch (e) {
    const err = toOnchainSqlError(e);
    if (err.code === 'cancelled') return;
    void vscode.window.showErrorMessage(`Onchain SQL: ${err.message}`);
  }
}

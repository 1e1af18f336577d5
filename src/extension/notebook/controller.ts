import * as vscode from 'vscode';
import { recordAnswer } from '../history.js';
import type { Answer, Attempt, Turn } from '../../core/answer.js';
import { buildHistory, type TurnSource } from '../../core/nl2sql/history.js';
import { toOnchainSqlError } from '../../core/errors.js';
import { RESULT_MIME } from '../../webview/protocol.js';
import type { Session } from '../session.js';
import { QUESTION_LANGUAGE } from './format.js';
import { errorText, readResultPayload, resultHtml, resultPayload, resultText } from './outputs.js';
import { suggestionsMetadata } from './alternatives.js';
import { NOTEBOOK_TYPE } from './serializer.js';

export const CONTROLLER_ID = 'onchain-sql-controller';
export const JUPYTER_CONTROLLER_ID = 'onchain-sql-jupyter-controller';

export function answerOutput(answer: Answer): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([
    vscode.NotebookCellOutputItem.json(resultPayload(answer), RESULT_MIME),
    vscode.NotebookCellOutputItem.text(resultHtml(answer), 'text/html'),
    vscode.NotebookCellOutputItem.text(resultText(answer), 'text/plain'),
  ]);
}

export function errorOutput(e: unknown): vscode.NotebookCellOutput {
  const err = toOnchainSqlError(e);
  const attempts = (e as { attempts?: Attempt[] }).attempts ?? [];
  // The editor shows `name: message`: the code is the name, so the text does not repeat it.
  const text = errorText({ code: err.code, message: err.message, suggestions: err.suggestions, attempts }, false);
  const error = new Error(text);
  error.name = err.code;
  // No stack: it would show extension internals instead of what to do next.
  error.stack = undefined;
  // A refusal's suggested questions ride along in the metadata: the cell's status bar offers them (cellActions.ts).
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)], suggestionsMetadata(err.code, err.suggestions));
}

/** Earlier question cells with results, as conversation turns (so "now only USDC" works in a notebook). */
function historyBefore(cell: vscode.NotebookCell): Turn[] {
  const turns: TurnSource[] = [];
  const cells = cell.notebook.getCells(new vscode.NotebookRange(0, cell.index));
  for (const c of cells) {
    if (c.kind !== vscode.NotebookCellKind.Code || c.document.languageId !== QUESTION_LANGUAGE) continue;
    for (const o of c.outputs) {
      const item = o.items.find((i) => i.mime === RESULT_MIME);
      // An output we cannot read is not history.
      const p = item && readResultPayload(item.data);
      if (!p) continue;
      // A follow-up cell ("now only USDC") is remembered as the standalone question it resolved to.
      turns.push({ question: p.resolvedQuestion ?? c.document.getText(), sql: p.sql, columns: p.columns, rows: p.rows, rowCount: p.rowCount });
    }
  }
  return buildHistory(turns);
}

/**
 * Runs question cells (generate + run through the core's `ask`) and SQL cells
 * (as written). Executions run one at a time in the order they were queued;
 * each is cancellable through its token; a failure becomes an error output and
 * never touches the cell's text.
 */
export class NotebookRunner implements vscode.Disposable {
  private readonly controllers: vscode.NotebookController[] = [];
  private order = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly session: Session) {
    const main = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Onchain SQL');
    main.supportedLanguages = [QUESTION_LANGUAGE, 'sql'];
    main.supportsExecutionOrder = true;
    main.description = 'Questions and DuckDB SQL over the active snapshot';
    main.executeHandler = (cells, _nb, c) => this.enqueue(cells, c);
    this.controllers.push(main);
    // SQL cells in Jupyter notebooks too, where the Jupyter extension is installed.
    const jupyter = vscode.notebooks.createNotebookController(JUPYTER_CONTROLLER_ID, 'jupyter-notebook', 'Onchain SQL (DuckDB)');
    jupyter.supportedLanguages = ['sql'];
    jupyter.supportsExecutionOrder = true;
    jupyter.description = 'Runs SQL cells over the Onchain SQL snapshot';
    jupyter.executeHandler = (cells, _nb, c) => this.enqueue(cells, c);
    this.controllers.push(jupyter);
  }

  /** Prefer this controller for `.onchain-nb` notebooks, so Run works without picking a kernel. */
  preferFor(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType === NOTEBOOK_TYPE) this.controllers[0].updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  }

  private enqueue(cells: vscode.NotebookCell[], controller: vscode.NotebookController): Promise<void> {
    // Create executions now (cells show as queued), run them one after another.
    const executions = cells.map((cell) => ({ cell, execution: controller.createNotebookCellExecution(cell) }));
    const run = this.queue.then(async () => {
      for (const { cell, execution } of executions) await this.execute(cell, execution);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async execute(cell: vscode.NotebookCell, execution: vscode.NotebookCellExecution): Promise<void> {
    execution.executionOrder = ++this.order;
    execution.start(Date.now());
    const abort = new AbortController();
    const sub = execution.token.onCancellationRequested(() => abort.abort());
    try {
      if (execution.token.isCancellationRequested) throw toOnchainSqlError(new Error('The cell was cancelled.'), 'cancelled');
      await execution.clearOutput();
      const text = cell.document.getText();
      const answer = cell.document.languageId === QUESTION_LANGUAGE
        ? await this.session.ask(text, { history: historyBefore(cell), signal: abort.signal, userAction: true })
        : await this.session.runSql(text, { signal: abort.signal });
      recordAnswer(answer, 'notebook');
      await execution.replaceOutput(answerOutput(answer));
      execution.end(true, Date.now());
    } catch (e) {
      try {
        await execution.replaceOutput(errorOutput(e));
      } catch { /* the cell may be gone */ }
      execution.end(false, Date.now());
    } finally {
      sub.dispose();
    }
  }

  dispose(): void {
    for (const c of this.controllers) c.dispose();
  }
}

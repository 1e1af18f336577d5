import * as vscode from 'vscode';
import { toOnchainSqlError } from '../../core/errors.js';
import type { NotebookRunner } from '../notebook/controller.js';
import type { Session } from '../session.js';

/** What every command module gets. */
export interface CommandContext {
  ext: vscode.ExtensionContext;
  session: Session;
  log: vscode.LogOutputChannel;
  notebooks: NotebookRunner;
}

/** Shows a core error as a notification with its first suggestion; logs it. */
export function showError(c: CommandContext, e: unknown, what: string): void {
  const err = toOnchainSqlError(e);
  if (err.code === 'cancelled') return;
  c.log.warn(`${what} failed (${err.code}): ${err.message}`);
  const hint = err.suggestions[0] ? ` ${err.suggestions[0]}` : '';
  void vscode.window.showErrorMessage(`Onchain SQL: ${what} failed: ${err.message}${hint}`, 'Show Log').then((pick) => {
    if (pick) c.log.show(true);
  });
}

/**
 * Registers a command whose failures become notifications. Called from code
 * with a text or number argument (tests, other extensions) it also rethrows, so
 * the caller sees the failure; from menus, tree items and buttons (object
 * arguments) it does not, since the workbench would show a second error.
 */
export function register(c: CommandContext, id: string, what: string, fn: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await fn(...args);
    } catch (e) {
      showError(c, e, what);
      if (typeof args[0] === 'string' || typeof args[0] === 'number') throw e;
      return undefined;
    }
  });
}

/** SQL from the argument, else the selection, else the active `.sql` document. */
export function sqlFromEditor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const selected = editor.selections.map((s) => editor.document.getText(s)).filter((t) => t.trim()).join('\n');
  if (selected.trim()) return selected;
  if (editor.document.languageId === 'sql') return editor.document.getText().trim() || undefined;
  return undefined;
}

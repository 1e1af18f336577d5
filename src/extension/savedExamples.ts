// The workspace's saved examples: answers the user accepted, kept as verified
// question → SQL pairs in a JSON-lines file of the tool's own in the
// workspace's storage folder (the same per-workspace storage as the history;
// the global storage folder when no folder is open). Every ask retrieves from
// them together with the built-in library (src/core/nl2sql/examples.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { builtInExamples, loadSavedExamples, removeExample, saveExample, type VerifiedExample } from '../core/nl2sql/examples.js';

export const SAVED_EXAMPLES_FILE = 'saved-examples.jsonl';

export class SavedExamples implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  readonly file: string;

  constructor(context: Pick<vscode.ExtensionContext, 'storageUri' | 'globalStorageUri'>) {
    this.file = path.join((context.storageUri ?? context.globalStorageUri).fsPath, SAVED_EXAMPLES_FILE);
  }

  list(): VerifiedExample[] {
    return loadSavedExamples(this.file);
  }

  /** The few-shot library an ask retrieves from: built-in pairs, then this workspace's. */
  library(): VerifiedExample[] {
    let saved: VerifiedExample[] = [];
    // An unreadable file must not stop a question from being answered.
    try { saved = this.list(); } catch { /* built-in pairs only */ }
    return [...builtInExamples(), ...saved];
  }

  /** Saves a pair; true when it replaced an earlier pair for the same question. */
  save(example: VerifiedExample): boolean {
    const key = example.question.trim().toLowerCase();
    const replaced = this.list().some((e) => e.question.trim().toLowerCase() === key);
    saveExample(this.file, example);
    this.changed.fire();
    return replaced;
  }

  remove(question: string): void {
    removeExample(this.file, question);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

import * as vscode from 'vscode';
import { OnchainSqlError } from '../../core/errors.js';
import type { VerifiedExample } from '../../core/nl2sql/examples.js';
import type { AnswerHistory } from '../history.js';
import { ResultsPanel } from '../webviews/resultsPanel.js';
import { register, type CommandContext } from './context.js';

/** What can be saved: an answer's question (as a follow-up resolved it) and the SQL that ran. */
interface SavableAnswer {
  question: string;
  resolvedQuestion?: string;
  sql: string;
}

function isSavable(v: unknown): v is SavableAnswer {
  const a = v as SavableAnswer;
  return !!a && typeof a === 'object' && typeof a.question === 'string' && typeof a.sql === 'string'
    && (a.resolvedQuestion === undefined || typeof a.resolvedQuestion === 'string');
}

interface ExampleItem extends vscode.QuickPickItem {
  example: VerifiedExample;
}

const OPEN_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('open-preview'), tooltip: 'Open in Panel' };
const DELETE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete Example' };

/**
 * "Save Answer as Example" (an answer from the panel, the chat or a History
 * item; without one, the newest answer of the history) and "Manage Saved
 * Examples" (list, open, delete). Only SQL that answered a question and passes
 * the engine's guard again is saved: the history and the surfaces hold only
 * answers that ran.
 */
export function registerExampleCommands(c: CommandContext, history: AnswerHistory): vscode.Disposable[] {
  const examples = c.session.examples;
  const save = async (arg?: unknown): Promise<VerifiedExample | undefined> => {
    const answer = isSavable(arg) ? arg : history.entries().find((e) => e.question && e.provider !== 'user');
    if (!answer) {
      void vscode.window.showInformationMessage('Onchain SQL: no answer to save yet. Ask a question first.');
      return undefined;
    }
    const question = (answer.resolvedQuestion || answer.question).trim();
    if (!question) throw new OnchainSqlError('usage', 'Only an answer to a question can be saved as an example; this SQL has no question.');
    // Validated again without running: the pair becomes an instruction to models, so it must be SQL the guard accepts.
    await (await c.session.getEngine()).validate(answer.sql);
    const example = { question, sql: answer.sql };
    const replaced = examples.save(example);
    c.log.info(`Saved an example (${replaced ? 'replacing the earlier one' : 'new'}): ${question.slice(0, 200)}`);
    void vscode.window.showInformationMessage(`Onchain SQL: ${replaced ? 'replaced the saved example' : 'saved as an example'} for this workspace: "${question.slice(0, 120)}". Similar questions will be answered the same way.`);
    return example;
  };

  const manage = async (): Promise<void> => {
    const pick = vscode.window.createQuickPick<ExampleItem>();
    const refresh = () => {
      const saved = examples.list().reverse();
      pick.items = saved.map((example) => ({ example, label: example.question, detail: example.sql.replace(/\s+/g, ' ').slice(0, 200), buttons: [OPEN_BUTTON, DELETE_BUTTON] }));
      pick.placeholder = saved.length ? 'Enter opens an example in the panel; the trash button deletes it' : 'No saved examples in this workspace yet: use "Save as example" on an answer';
    };
    pick.title = 'Onchain SQL: saved examples (this workspace)';
    pick.matchOnDetail = true;
    refresh();
    const open = (e: VerifiedExample) => {
      pick.hide();
      void ResultsPanel.showSql(c.ext, c.session, e.sql, e.question, false);
    };
    const subs = [
      pick.onDidAccept(() => { const item = pick.activeItems[0]; if (item) open(item.example); }),
      pick.onDidTriggerItemButton((e) => {
        if (e.button === OPEN_BUTTON) open(e.item.example);
        else {
          examples.remove(e.item.example.question);
          refresh();
        }
      }),
      pick.onDidHide(() => { for (const s of subs) s.dispose(); pick.dispose(); }),
    ];
    pick.show();
  };

  return [
    register(c, 'onchainSql.saveAnswerAsExample', 'Save Answer as Example', save),
    register(c, 'onchainSql.manageSavedExamples', 'Manage Saved Examples', manage),
  ];
}

import * as vscode from 'vscode';
import type { Answer } from '../../core/answer.js';
import { ResultsPanel } from '../webviews/resultsPanel.js';
import { register, sqlFromEditor, type CommandContext } from './context.js';
import { recordAnswer } from '../history.js';

const RECENT_KEY = 'onchainSql.recentQuestions';
const RECENT_MAX = 20;

function recentQuestions(c: CommandContext): string[] {
  return c.ext.globalState.get<string[]>(RECENT_KEY, []);
}

async function remember(c: CommandContext, q: string): Promise<void> {
  const list = [q, ...recentQuestions(c).filter((x) => x !== q)].slice(0, RECENT_MAX);
  await c.ext.globalState.update(RECENT_KEY, list);
}

/** A box to type a question, listing recent ones to pick from. */
function pickQuestion(c: CommandContext): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick();
    qp.title = 'Onchain SQL: Ask a Question';
    qp.placeholder = 'Ask about the chain data, e.g. "Daily DEX volume by project"';
    qp.matchOnDescription = false;
    const recent = recentQuestions(c).map((label) => ({ label, description: 'recent' }));
    qp.items = recent;
    qp.onDidChangeValue((v) => {
      const typed = v.trim();
      qp.items = typed && !recent.some((r) => r.label === typed) ? [{ label: typed, description: 'ask' }, ...recent] : recent;
    });
    let done = false;
    qp.onDidAccept(() => {
      const picked = qp.selectedItems[0]?.label ?? qp.value;
      done = true;
      resolve(picked.trim() || undefined);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

function isAnswer(v: unknown): v is Answer {
  return !!v && typeof v === 'object' && typeof (v as Answer).sql === 'string' && Array.isArray((v as Answer).rows) && Array.isArray((v as Answer).columns);
}

export function registerQueryCommands(c: CommandContext): vscode.Disposable[] {
  const { ext, session } = c;
  return [
    // With a question argument (tests, other surfaces) it answers directly and returns the Answer.
    register(c, 'onchainSql.ask', 'Ask', async (arg?: unknown) => {
      if (typeof arg === 'string' && arg.trim()) {
        const answer = await session.ask(arg, { userAction: true });
        recordAnswer(answer, 'command');
        await remember(c, answer.question);
        ResultsPanel.showAnswer(ext, session, answer);
        return answer;
      }
      const question = await pickQuestion(c);
      if (!question) return undefined;
      await remember(c, question);
      await ResultsPanel.showQuestion(ext, session, question);
      return undefined;
    }),
    register(c, 'onchainSql.runSql', 'Run SQL', async (arg?: unknown) => {
      const sql = (typeof arg === 'string' && arg.trim() ? arg : undefined) ?? sqlFromEditor() ?? (await vscode.window.showInputBox({
        title: 'Onchain SQL: Run SQL',
        prompt: 'One read-only DuckDB SELECT over the snapshot tables',
        placeHolder: 'SELECT count(*) FROM ethereum.transactions',
        ignoreFocusOut: true,
      }));
      if (!sql?.trim()) return undefined;
      await ResultsPanel.showSql(ext, session, sql);
      return undefined;
    }),
    register(c, 'onchainSql.explainSql', 'Explain SQL', async (arg?: unknown) => {
      const sql = (typeof arg === 'string' && arg.trim() ? arg : undefined) ?? sqlFromEditor() ?? (await vscode.window.showInputBox({ title: 'Onchain SQL: Explain SQL', prompt: 'The SQL to explain', ignoreFocusOut: true }));
      if (!sql?.trim()) return undefined;
      const explanation = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Onchain SQL: explaining the SQL…', cancellable: true },
        (_p, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return session.explain(sql, { userAction: true, signal: abort.signal });
        },
      );
      const content = `# What this SQL does\n\n\`\`\`\`sql\n${sql.trim()}\n\`\`\`\`\n\n${explanation.markdown}\n`;
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
      return explanation;
    }),
    register(c, 'onchainSql.openInPanel', 'Open in Panel', async (arg?: unknown) => {
      if (isAnswer(arg)) {
        ResultsPanel.showAnswer(ext, session, arg);
        return undefined;
      }
      const a = (arg ?? {}) as { question?: unknown; sql?: unknown };
      if (typeof a.sql !== 'string' || !a.sql.trim()) return vscode.commands.executeCommand('onchainSql.runSql');
      await ResultsPanel.showSql(ext, session, a.sql, typeof a.question === 'string' && a.question ? a.question : undefined);
      return undefined;
    }),
    register(c, 'onchainSql.exportResults', 'Export Results', () => ResultsPanel.exportCurrent(session)),
    register(c, 'onchainSql.cancel', 'Cancel', () => ResultsPanel.cancelCurrent()),
  ];
}

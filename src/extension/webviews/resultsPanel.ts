import * as vscode from 'vscode';
import { attemptsOf, errorMessage, toOnchainSqlError } from '../../core/errors.js';
import type { Answer, Turn } from '../../core/answer.js';
import type { Session } from '../session.js';
import { MAX_CHART_ROWS } from '../../webview/chartChoice.js';
import { answerContext, type PanelFromWebview, type PanelToWebview, type ResultView, type SortState } from '../../webview/protocol.js';
import { mediaRoots, webviewHtml } from './html.js';
import { RowSource, sortedSql, type OpenCursor, type RowCount } from './rowSource.js';
import { RowRequestQueue } from './rowRequests.js';
import { exportShownResult } from './exportResults.js';
import { stageText } from '../progressText.js';
import { layoutSql } from '../../webview/sqlLayout.js';
import { recordAnswer } from '../history.js';
import { checkMessage, PANEL_MESSAGES } from '../../webview/messageSchema.js';

/** Rows the grid can scroll through at most (Chromium's element height limit allows ~1.3M at 24 px). */
export const PANEL_MAX_ROWS = 1_000_000;
/** Values "Copy column" puts on the clipboard at most. */
const COPY_COLUMN_MAX = 100_000;

/**
 * The results panel: one webview panel, reused. It shows a question while it
 * is answered (with Cancel), then the answer: explanation, SQL, chart, and a
 * grid whose rows the webview requests page by page from a RowSource here.
 * The webview is not retained when hidden: on `ready` the last state is sent
 * again.
 */
export class ResultsPanel {
  private static current: ResultsPanel | undefined;

  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private lastMessage: PanelToWebview | undefined;
  private answer: Answer | undefined;
  private view: ResultView | undefined;
  private sort: SortState | null = null;
  private generation = 0;
  private rows: RowSource | undefined;
  private count: RowCount | undefined;
  private running: AbortController | undefined;
  private runId = 0;
  private readonly requests = new RowRequestQueue({
    generation: () => this.generation,
    source: () => this.rows,
    knownCount: () => this.count,
    setKnownCount: (c) => { this.count = c; },
  }, (m) => this.post(m));

  private constructor(private readonly ctx: vscode.ExtensionContext, private readonly session: Session) {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    this.panel = vscode.window.createWebviewPanel('onchainSql.results', 'Onchain SQL', { viewColumn: column, preserveFocus: false }, {
      enableScripts: true,
      localResourceRoots: mediaRoots(ctx.extensionUri),
      retainContextWhenHidden: false,
    });
    this.panel.webview.html = webviewHtml(this.panel.webview, ctx.extensionUri, 'panel', 'Onchain SQL results');
    this.disposables.push(
      // Checked against its type's schema first: a webview's message is input, not a trusted call.
      this.panel.webview.onDidReceiveMessage((raw: unknown) => {
        const checked = checkMessage(PANEL_MESSAGES, raw);
        if (checked.ok) this.onMessage(checked.message);
      }),
      this.panel.onDidDispose(() => this.dispose()),
      session.onDidChangeProvider(() => void this.postProvider()),
    );
  }

  private async postProvider(): Promise<void> {
    let label = 'Offline';
    try { label = await this.session.providerLabel(); } catch { /* keep "Offline" */ }
    void this.panel.webview.postMessage({ type: 'provider', label } satisfies PanelToWebview);
  }

  private static reveal(ctx: vscode.ExtensionContext, session: Session): ResultsPanel {
    if (!ResultsPanel.current) ResultsPanel.current = new ResultsPanel(ctx, session);
    else ResultsPanel.current.panel.reveal(undefined, false);
    return ResultsPanel.current;
  }

  /** Asks `question` and shows progress, then the answer (or the error with every attempt). */
  static async showQuestion(ctx: vscode.ExtensionContext, session: Session, question: string, history?: Turn[]): Promise<void> {
    const p = ResultsPanel.reveal(ctx, session);
    await p.run(question, undefined, (signal, onProgress) => session.ask(question, { history, signal, onProgress, userAction: true }), 'panel');
  }

  /**
   * Runs SQL as written and shows the result; `record: false` when it reopens a
   * history entry, with `notes` to show first (e.g. it re-ran on another snapshot).
   */
  static async showSql(ctx: vscode.ExtensionContext, session: Session, sql: string, title?: string, record = true, notes: string[] = []): Promise<void> {
    const p = ResultsPanel.reveal(ctx, session);
    await p.run(title, sql, async (signal) => {
      const answer = await session.runSql(sql, { signal });
      const noted = notes.length ? { ...answer, notes: [...notes, ...(answer.notes ?? [])] } : answer;
      return title ? { ...noted, question: title } : noted;
    }, record ? 'panel' : undefined);
  }

  static showAnswer(ctx: vscode.ExtensionContext, session: Session, answer: Answer): void {
    const p = ResultsPanel.reveal(ctx, session);
    p.cancelRun();
    p.runId++;
    p.show(answer);
  }

  static cancelCurrent(): void {
    ResultsPanel.current?.cancelRun();
  }

  /** "Export Results…": every row of the shown result, in its shown order (exportResults.ts). */
  static async exportCurrent(session: Session): Promise<void> {
    const p = ResultsPanel.current;
    await exportShownResult(session, p?.answer, p?.sort ?? null);
  }

  // ------------------------------------------------------------------ running

  private post(msg: PanelToWebview): void {
    if (msg.type === 'running' || msg.type === 'result' || msg.type === 'error') this.lastMessage = msg;
    void this.panel.webview.postMessage(msg);
  }

  private cancelRun(): void {
    this.running?.abort();
    this.running = undefined;
  }

  /** Runs `work` and shows its answer, kept in the history under `surface` when given. */
  private async run(question: string | undefined, sql: string | undefined, work: (signal: AbortSignal, onProgress: (stage: string, detail?: string) => void) => Promise<Answer>, surface?: string): Promise<void> {
    this.cancelRun();
    const id = ++this.runId;
    const abort = new AbortController();
    this.running = abort;
    this.panel.title = `Onchain SQL: ${shortTitle(question ?? 'SQL')}`;
    this.post({ type: 'running', question, sql, stage: sql && !question ? 'Running the query…' : 'Starting…' });
    try {
      const answer = await work(abort.signal, (stage, detail) => {
        if (id === this.runId) this.post({ type: 'progress', stage: stageText(stage, detail) });
      });
      if (surface) recordAnswer(answer, surface);
      if (id !== this.runId) return;
      this.show(answer);
    } catch (e) {
      if (id !== this.runId) return;
      const err = { ...toOnchainSqlError(e).toJSON(), attempts: attemptsOf(e) };
      this.clearResult();
      this.post({
        type: 'error', question, sql, code: err.code,
        message: err.code === 'cancelled' ? 'The question was cancelled.' : (err.message ?? String(e)),
        suggestions: err.suggestions, attempts: Array.isArray(err.attempts) ? err.attempts : [],
      });
    } finally {
      if (this.running === abort) this.running = undefined;
    }
  }

  private clearResult(): void {
    this.rows?.close();
    this.rows = undefined;
    this.answer = undefined;
    this.view = undefined;
    this.count = undefined;
    this.sort = null;
    this.requests.clear();
  }

  private show(answer: Answer): void {
    this.clearResult();
    this.answer = answer;
    this.generation++;
    this.panel.title = `Onchain SQL: ${shortTitle(answer.question || 'SQL')}`;
    const complete = !answer.truncated;
    this.rows = this.newRowSource(answer.sql, answer.rows, complete);
    this.count = complete ? { rowCount: answer.rowCount, exact: true, truncated: false } : undefined;
    this.view = {
      question: answer.question || undefined,
      sql: answer.sql,
      explanation: answer.explanation,
      chart: answer.chart,
      provider: answer.provider,
      model: answer.model,
      attempts: answer.attempts,
      columns: answer.columns,
      rowCount: answer.rowCount,
      rowCountExact: complete,
      truncated: false,
      maxRows: PANEL_MAX_ROWS,
      timings: answer.timings,
      firstRows: answer.rows.slice(0, MAX_CHART_ROWS),
      ...answerContext(answer),
    };
    this.post({ type: 'result', result: this.view, generation: this.generation });
    if (!complete) void this.countRows();
  }

  private newRowSource(sql: string, seed: Answer['rows'] | undefined, seedComplete: boolean): RowSource {
    const open: OpenCursor = (s, o) => this.session.openCursor(s, o);
    return new RowSource(open, sql, { maxRows: PANEL_MAX_ROWS, seed, seedComplete });
  }

  private async countRows(): Promise<void> {
    const source = this.rows;
    const generation = this.generation;
    try {
      const count = await source!.count();
      if (source !== this.rows) return;
      this.count = count;
      if (this.view) this.view = { ...this.view, rowCount: count.rowCount, rowCountExact: true, truncated: count.truncated };
      this.post({ type: 'rowCount', generation, ...count });
    } catch (e) {
      this.post({ type: 'notice', message: `Could not count the rows: ${(e as Error).message}` });
    }
  }

  // ------------------------------------------------------------------ messages

  private onMessage(m: PanelFromWebview): void {
    switch (m.type) {
      case 'ready':
        void this.postProvider();
        if (this.lastMessage?.type === 'result' && this.view) {
          // A (re)loaded webview: the result again, then the sort order if the user had sorted.
          this.post({ type: 'result', result: this.view, generation: this.generation });
          if (this.sort) this.post({ type: 'sorted', generation: this.generation, sort: this.sort, ...(this.count ?? { rowCount: this.view.rowCount, exact: false, truncated: false }) });
        } else if (this.lastMessage) this.post(this.lastMessage);
        break;
      case 'cancel':
        this.cancelRun();
        break;
      case 'requestRows':
        this.requests.add(m);
        break;
      case 'sort':
        this.applySort(m.sort);
        break;
      case 'copy':
        void this.copyText(m.text, m.what, m.requestId);
        break;
      case 'copyColumn':
        void this.copyCells({ top: 0, bottom: COPY_COLUMN_MAX - 1, left: m.column, right: m.column }, m.requestId);
        break;
      case 'copyRange':
        void this.copyCells(m, m.requestId);
        break;
      case 'copySql':
        void this.copyText(this.currentSql() ?? '', 'SQL', m.requestId);
        break;
      case 'openInEditor': {
        const sql = this.currentSql();
        if (sql) {
          // One-line model SQL laid out a clause a line; SQL with line breaks keeps its writer's layout.
          void vscode.workspace.openTextDocument({ language: 'sql', content: layoutSql(sql) + '\n' })
            .then((doc) => vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false }));
        }
        break;
      }
      case 'export':
        void ResultsPanel.exportCurrent(this.session);
        break;
      case 'ask':
        void ResultsPanel.showQuestion(this.ctx, this.session, m.question);
        break;
      case 'writeSql':
        void vscode.commands.executeCommand('onchainSql.writeSql', { question: this.currentQuestion() });
        break;
      case 'setApiKey':
        void vscode.commands.executeCommand('onchainSql.setApiKey');
        break;
      case 'chooseModel':
        void vscode.commands.executeCommand('onchainSql.chooseModel');
        break;
      case 'saveExample':
        // Only an answer that ran is shown as a result; the command validates its SQL again.
        if (this.answer?.question) {
          void vscode.commands.executeCommand('onchainSql.saveAnswerAsExample', { question: this.answer.question, resolvedQuestion: this.answer.resolvedQuestion, sql: this.answer.sql })
            .then((saved) => { if (saved) this.post({ type: 'notice', message: 'Saved as an example for this workspace.' }); });
        }
        break;
    }
  }

  /** The shown question, as a follow-up resolved it when it did. */
  private currentQuestion(): string | undefined {
    if (this.answer) return this.answer.resolvedQuestion ?? (this.answer.question || undefined);
    const last = this.lastMessage;
    return last && (last.type === 'running' || last.type === 'error') ? last.question : undefined;
  }

  private currentSql(): string | undefined {
    if (this.answer) return this.answer.sql;
    const last = this.lastMessage;
    return last && (last.type === 'running' || last.type === 'error') ? last.sql : undefined;
  }

  private applySort(sort: SortState | null): void {
    if (!this.answer || !this.view) return;
    if (sort && (sort.column < 0 || sort.column >= this.answer.columns.length)) return;
    this.sort = sort;
    this.generation++;
    this.requests.clear();
    this.rows?.close();
    const complete = !this.answer.truncated;
    // Unsorted again: the answer's own rows are the prefix. Sorted: every row comes from the re-run SQL.
    this.rows = sort ? this.newRowSource(sortedSql(this.answer.sql, sort), undefined, false) : this.newRowSource(this.answer.sql, this.answer.rows, complete);
    const count = this.count ?? { rowCount: this.view.rowCount, exact: false, truncated: false };
    this.post({ type: 'sorted', generation: this.generation, sort, ...count });
  }

  /** Puts `text` on the clipboard and answers copy request `requestId` with what was copied. */
  private async copyText(text: string, what: string, requestId: number): Promise<void> {
    let message = `Copied ${what}.`;
    if (!text) message = `Nothing to copy: no ${what}.`;
    else {
      try { await vscode.env.clipboard.writeText(text); } catch (e) { message = `Could not copy: ${errorMessage(e)}`; }
    }
    this.post({ type: 'copied', requestId, message });
  }

  /**
   * Copies rows top..bottom of columns left..right (inclusive) in the shown order:
   * one value a line for one column, tab-separated lines for several. Full values
   * (cellToText), at most COPY_COLUMN_MAX rows.
   */
  private async copyCells(range: { top: number; bottom: number; left: number; right: number }, requestId: number): Promise<void> {
    const reply = (message: string) => this.post({ type: 'copied', requestId, message });
    const answer = this.answer;
    if (!answer) return reply('Nothing to copy: no result is shown.');
    const width = answer.columns.length;
    const { left, right } = range;
    const top = Math.max(0, range.top);
    const bottom = Math.min(range.bottom, top + COPY_COLUMN_MAX - 1);
    if (left < 0 || right >= width || left > right || bottom < top) return reply('Nothing to copy: the cells are outside the result.');
    try {
      const { cellToText } = await import('../../webview/format.js');
      const line = (r: Answer['rows'][number]) => r.slice(left, right + 1).map((c) => cellToText(c ?? null).replace(/[\t\r\n]+/g, ' ')).join('\t');
      let lines: string[];
      let more = false;
      if (!answer.truncated && !this.sort) {
        lines = answer.rows.slice(top, bottom + 1).map(line);
        more = range.bottom >= bottom && answer.rows.length > bottom + 1;
      } else {
        const cursor = await this.session.openCursor(sortedSql(answer.sql, this.sort), { maxRows: bottom + 1 });
        lines = [];
        let index = 0;
        try {
          for (let page = await cursor.next(5000); page; page = await cursor.next(5000)) {
            for (const r of page) { if (index >= top && index <= bottom) lines.push(line(r)); index++; }
          }
          more = cursor.truncated && range.bottom >= bottom;
        } finally {
          cursor.close();
        }
      }
      await vscode.env.clipboard.writeText(lines.join('\n'));
      const what = left === right ? `values of ${answer.columns[left].name}` : `rows × ${right - left + 1} columns`;
      reply(`Copied ${lines.length.toLocaleString('en-US')} ${what}${more ? ` (the first ${COPY_COLUMN_MAX.toLocaleString('en-US')})` : ''}.`);
    } catch (e) {
      reply(`Could not copy: ${errorMessage(e)}`);
    }
  }

  private dispose(): void {
    this.cancelRun();
    this.clearResult();
    if (ResultsPanel.current === this) ResultsPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }
}

function shortTitle(s: string): string {
  const one = s.replace(/\s+/g, ' ').replace(/[\u202A-\u202E\u2066-\u2069]/g, '').trim();
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}

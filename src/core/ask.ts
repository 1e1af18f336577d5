import type { Answer, Attempt, ChartHint, TokenUsage, Turn } from './answer.js';
import { DEFAULT_MAX_ROWS, type RunOptions } from './engine/engine.js';
import type { QueryCursor as Cursor, QueryEngine as Engine } from './engine/protocol.js';
import { describeAnswer } from './words/describe.js';
import { AskError, OnchainSqlError, toOnchainSqlError } from './errors.js';
import { readAllRows } from './readRows.js';
import { buildContext } from './nl2sql/context.js';
import type { VerifiedExample } from './nl2sql/examples.js';
import type { Generation, Provider } from './nl2sql/provider.js';
import { ModelOutputError, isRepairable, repairFeedback } from './nl2sql/repair.js';

/**
 * The one question → answer flow every surface uses (CLI, extension commands,
 * chat, notebooks, eval): context → generate → validate → execute, with a
 * bounded repair loop. SQL that fails the guards is never executed: the engine
 * validates every statement before it runs.
 */

export type AskStage = 'context' | 'generate' | 'validate' | 'execute' | 'repair';

export interface AskOptions {
  provider: Provider;
  history?: Turn[];
  /** Extra tries after a failing one (default 2). */
  maxRepairs?: number;
  maxRows?: number;
  /** Query timeout per execution, ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (stage: AskStage, detail: string) => void;
  /** Character budget for the selectable context (see context.ts). */
  contextBudgetChars?: number;
  /** Few-shot library: the built-in verified examples plus the workspace's saved ones (default: built-in only). */
  examples?: readonly VerifiedExample[];
}

export const DEFAULT_MAX_REPAIRS = 2;
/**
 * Longer questions are refused rather than truncated: cutting a question changes
 * what it asks, silently. 4,000 characters is far beyond any real question.
 */
export const MAX_QUESTION_CHARS = 4_000;

export { AskError };

function cancelled(): OnchainSqlError {
  return new OnchainSqlError('cancelled', 'The question was cancelled.');
}

function addUsage(total: TokenUsage | undefined, u: TokenUsage | undefined): TokenUsage | undefined {
  if (!u) return total;
  if (!total) return { ...u };
  const sum = (a?: number, b?: number) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
  return {
    inputTokens: total.inputTokens + u.inputTokens,
    outputTokens: total.outputTokens + u.outputTokens,
    cacheReadInputTokens: sum(total.cacheReadInputTokens, u.cacheReadInputTokens),
    cacheCreationInputTokens: sum(total.cacheCreationInputTokens, u.cacheCreationInputTokens),
  };
}

/** Keeps a chart hint only when it names columns the result really has. */
function checkedChart(chart: ChartHint | null, columns: { name: string }[]): ChartHint | null {
  if (!chart) return null;
  const names = new Set(columns.map((c) => c.name));
  if (chart.type === 'table') return chart;
  if (!names.has(chart.x) || chart.y.length === 0 || !chart.y.every((y) => names.has(y))) return null;
  if (chart.series !== undefined && !names.has(chart.series)) return { type: chart.type, x: chart.x, y: chart.y };
  return chart;
}

export async function ask(engine: Engine, question: string, options: AskOptions): Promise<Answer> {
  const started = performance.now();
  const q = question.trim();
  if (!q) {
    throw new OnchainSqlError('empty_question', 'The question is empty.', ['Try e.g. "How many transactions happened today?"']);
  }
  if (q.length > MAX_QUESTION_CHARS) {
    throw new OnchainSqlError('too_long', `The question is ${q.length.toLocaleString('en-US')} characters long; the limit is ${MAX_QUESTION_CHARS.toLocaleString('en-US')}. Shorten it to the question itself.`);
  }
  const { provider, signal } = options;
  const history = options.history ?? [];
  const maxRepairs = Math.max(0, options.maxRepairs ?? DEFAULT_MAX_REPAIRS);
  const run: RunOptions = { maxRows: options.maxRows, timeoutMs: options.timeoutMs, signal };
  const progress = (stage: AskStage, detail: string) => {
    try { options.onProgress?.(stage, detail); } catch { /* a UI callback never breaks the flow */ }
  };
  const attempts: Attempt[] = [];
  const fail = (e: unknown): AskError => {
    const err = signal?.aborted ? cancelled() : toOnchainSqlError(e, 'provider_error');
    return e instanceof AskError ? e : new AskError(err, attempts);
  };

  if (signal?.aborted) throw fail(cancelled());
  progress('context', 'Selecting tables and rules');
  let context;
  try {
    // The offline translator reads the question, not the prompt: no snapshot values needed for it.
    context = await buildContext(engine, q, { history, signal, budgetChars: options.contextBudgetChars, includeData: provider.id !== 'offline', examples: options.examples });
  } catch (e) {
    throw fail(e);
  }

  let usage: TokenUsage | undefined;
  let generateMs = 0;
  let model: string | undefined;
  let repair: { sql: string; error: string } | undefined;

  for (let attempt = 0; attempt <= maxRepairs; attempt++) {
    if (signal?.aborted) throw fail(cancelled());
    progress(attempt === 0 ? 'generate' : 'repair', attempt === 0 ? `Asking ${provider.id}` : `Repair ${attempt} of ${maxRepairs}: ${repair?.error.split('\n')[0] ?? ''}`);
    const g0 = performance.now();
    let generation: Generation;
    try {
      generation = await provider.generate({ question: q, history, context: context.text, repair, signal });
    } catch (e) {
      generateMs += performance.now() - g0;
      if (signal?.aborted) throw fail(cancelled());
      const err = toOnchainSqlError(e, 'provider_error');
      if (!(err instanceof ModelOutputError)) throw fail(err);
      usage = addUsage(usage, err.usage);
      model = err.model ?? model;
      attempts.push({ sql: '', error: { code: err.code, message: err.message } });
      if (attempt === maxRepairs) throw fail(err);
      repair = { sql: '', error: repairFeedback('', err) };
      continue;
    }
    generateMs += performance.now() - g0;
    usage = addUsage(usage, generation.usage);
    model = generation.model ?? model;
    const sql = generation.sql;

    if (signal?.aborted) throw fail(cancelled());
    progress('validate', sql);
    let cursor: Cursor | undefined;
    try {
      // openCursor validates (the guards) before it runs anything; 'execute' starts once that passed.
      cursor = await engine.openCursor(sql, { ...run, onValidated: (checked) => progress('execute', checked) });
      const rows = await readAllRows(cursor, run.maxRows ?? DEFAULT_MAX_ROWS, signal);
      const timings = cursor.timings();
      attempts.push({ sql: cursor.sql });
      const words = await describeAnswer(engine, { question: q, sql: cursor.sql, columns: cursor.columns, rows, truncated: cursor.truncated });
      return {
        question: q,
        sql: cursor.sql,
        explanation: generation.explanation,
        chart: checkedChart(generation.chart, cursor.columns),
        provider: provider.id,
        ...(model ? { model } : {}),
        attempts,
        columns: cursor.columns,
        rows,
        rowCount: rows.length,
        truncated: cursor.truncated,
        timings: {
          validateMs: timings.validateMs,
          executeMs: timings.executeMs,
          generateMs: Math.round(generateMs * 100) / 100,
          totalMs: Math.round((performance.now() - started) * 100) / 100,
        },
        ...(usage ? { usage } : {}),
        ...words,
        ...(generation.notes?.length ? { notes: [...generation.notes, ...(words.notes ?? [])] } : {}),
        ...(history.length && generation.resolvedQuestion ? { resolvedQuestion: generation.resolvedQuestion } : {}),
      };
    } catch (e) {
      if (signal?.aborted) throw fail(cancelled());
      const err = toOnchainSqlError(e);
      attempts.push({ sql, error: { code: err.code, message: err.message } });
      if (!isRepairable(err) || attempt === maxRepairs) throw fail(err);
      repair = { sql, error: repairFeedback(sql, err) };
    } finally {
      cursor?.close();
    }
  }
  // The loop always returns or throws; this satisfies the type checker.
  throw fail(new OnchainSqlError('provider_error', 'No answer was produced.'));
}


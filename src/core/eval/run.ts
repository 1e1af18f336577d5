import type { Turn } from '../answer.js';
import { ask } from '../ask.js';
import type { QueryEngine as Engine } from '../engine/protocol.js';
import { toOnchainSqlError } from '../errors.js';
import type { Provider } from '../nl2sql/provider.js';
import { builtInExamples, type VerifiedExample } from '../nl2sql/examples.js';
import { compareResults, hasTopLevelOrderBy, type ResultSet } from './compare.js';

/** One line of a question set. */
export interface EvalCase {
  id: string;
  question: string;
  /** Reference SQL; absent when the expected outcome is a refusal. */
  sql?: string;
  expect?: 'cannot_answer';
  family?: string;
  /** Earlier questions of the same conversation, oldest first (for follow-ups). */
  history?: Array<string | Turn>;
}

export interface CaseResult {
  id: string;
  question: string;
  family: string;
  pass: boolean;
  reason?: string;
  predictedSql?: string;
  referenceSql?: string;
  error?: string;
  /** End-to-end time of the product path (ask, or generate + execute), ms. */
  ms: number;
  /** Time the provider took to write the SQL, ms. */
  generateMs?: number;
}

export interface EvalReport {
  set?: string;
  snapshot?: string;
  provider: string;
  via: 'ask' | 'direct';
  total: number;
  passed: number;
  accuracy: number;
  byFamily: Record<string, { total: number; passed: number }>;
  latencyMs: { p50: number; p95: number; max: number };
  generateMs: { p50: number; p95: number; max: number };
  results: CaseResult[];
  createdAt: string;
}

export interface EvalOptions {
  /** 'ask' runs the product's own flow; 'direct' calls the provider and the engine (no repair loop). */
  via?: 'ask' | 'direct';
  maxRows?: number;
  onCase?: (r: CaseResult) => void;
  /** Called before each case runs (e.g. to script a local model server). */
  beforeCase?: (c: EvalCase) => void;
  /** Few-shot library; a case never sees its own question among the examples (that would hand it the answer). */
  examples?: readonly VerifiedExample[];
}

const MAX_ROWS = 200_000;

export function familyOf(c: EvalCase): string {
  if (c.family) return c.family;
  if (c.expect === 'cannot_answer') return 'cannot_answer';
  const m = /\bfrom\s+([a-z0-9_]+\.[a-z0-9_]+)/i.exec(c.sql ?? '');
  return m ? m[1].toLowerCase() : 'other';
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return Math.round(s[idx] * 100) / 100;
}

const sameQuestion = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

async function predict(engine: Engine, provider: Provider, c: EvalCase, via: 'ask' | 'direct', maxRows: number, library: readonly VerifiedExample[]): Promise<{ sql: string; generateMs: number; result: ResultSet & { truncated: boolean } }> {
  const history: Turn[] = (c.history ?? []).map((h) => (typeof h === 'string' ? { question: h } : h));
  if (via === 'ask') {
    const examples = library.filter((e) => !sameQuestion(e.question, c.question));
    const a = await ask(engine, c.question, { provider, history, maxRows, examples });
    return { sql: a.sql, generateMs: a.timings.generateMs, result: { columns: a.columns, rows: a.rows, truncated: a.truncated } };
  }
  const t0 = performance.now();
  const g = await provider.generate({ question: c.question, history, context: '' });
  const generateMs = performance.now() - t0;
  const r = await engine.query(g.sql, { maxRows });
  return { sql: g.sql, generateMs, result: { columns: r.columns, rows: r.rows, truncated: r.truncated } };
}

export async function runEval(engine: Engine, provider: Provider, cases: EvalCase[], options: EvalOptions = {}): Promise<EvalReport> {
  const via = options.via ?? 'ask';
  const maxRows = options.maxRows ?? MAX_ROWS;
  const results: CaseResult[] = [];
  for (const c of cases) {
    const base = { id: c.id, question: c.question, family: familyOf(c), referenceSql: c.sql };
    const t0 = performance.now();
    let outcome: CaseResult;
    try {
      options.beforeCase?.(c);
      const { sql, generateMs, result } = await predict(engine, provider, c, via, maxRows, options.examples ?? builtInExamples());
      const ms = performance.now() - t0;
      const gen = Math.round(generateMs * 100) / 100;
      if (c.expect === 'cannot_answer') {
        outcome = { ...base, pass: false, ms, generateMs: gen, predictedSql: sql, reason: 'expected cannot_answer, but it answered' };
      } else {
        const ref = await engine.query(c.sql!, { maxRows });
        if (result.truncated || ref.truncated) outcome = { ...base, pass: false, ms, generateMs: gen, predictedSql: sql, reason: `result larger than ${maxRows} rows` };
        else {
          const cmp = compareResults(ref, result, hasTopLevelOrderBy(c.sql!));
          outcome = { ...base, pass: cmp.match, ms, generateMs: gen, predictedSql: sql, ...(cmp.match ? {} : { reason: cmp.reason }) };
        }
      }
    } catch (e) {
      const ms = performance.now() - t0;
      const err = toOnchainSqlError(e);
      if (c.expect === 'cannot_answer' && err.code === 'cannot_answer') outcome = { ...base, pass: true, ms };
      else outcome = { ...base, pass: false, ms, error: `${err.code}: ${err.message}`, reason: c.expect === 'cannot_answer' ? `expected cannot_answer, got ${err.code}` : 'no answer' };
    }
    outcome.ms = Math.round(outcome.ms * 100) / 100;
    results.push(outcome);
    options.onCase?.(outcome);
  }
  const byFamily: EvalReport['byFamily'] = {};
  for (const r of results) {
    const f = (byFamily[r.family] ??= { total: 0, passed: 0 });
    f.total++;
    if (r.pass) f.passed++;
  }
  const passed = results.filter((r) => r.pass).length;
  const times = results.map((r) => r.ms);
  const gen = results.flatMap((r) => (r.generateMs === undefined ? [] : [r.generateMs]));
  return {
    provider: provider.id, via, total: results.length, passed, accuracy: results.length ? passed / results.length : 0, byFamily,
    latencyMs: { p50: percentile(times, 50), p95: percentile(times, 95), max: percentile(times, 100) },
    generateMs: { p50: percentile(gen, 50), p95: percentile(gen, 95), max: percentile(gen, 100) },
    results, createdAt: new Date().toISOString(),
  };
}

export function formatSummary(r: EvalReport): string {
  const lines = [
    '',
    `${r.set ?? 'set'} · provider ${r.provider} via ${r.via}: ${r.passed}/${r.total} = ${(100 * r.accuracy).toFixed(1)}% execution accuracy`,
    `latency (end to end per question): p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, max ${r.latencyMs.max} ms`,
    `generation only (provider writes the SQL): p50 ${r.generateMs.p50} ms, p95 ${r.generateMs.p95} ms, max ${r.generateMs.max} ms`,
    'by family:',
    ...Object.entries(r.byFamily).sort().map(([f, v]) => {
      const missed = r.results.filter((x) => x.family === f && !x.pass).map((x) => x.id);
      return `  ${f.padEnd(24)} ${v.passed}/${v.total}${missed.length ? `   missed: ${missed.join(', ')}` : ''}`;
    }),
  ];
  return lines.join('\n');
}

import type { Turn } from '../answer.js';
import type { QueryEngine as Engine } from '../engine/protocol.js';
import type { Manifest } from '../snapshot/layout.js';
import { OnchainSqlError } from '../errors.js';
import { catalog, qualifiedName, type Catalog, type TableSpec } from '../schema/catalog.js';
import { cellToText } from '../text/cell.js';
import { CONTEXT_SPLIT, INSTRUCTIONS, dataBlock, inertText, quotedData } from './prompt.js';
import synonyms from './context-synonyms.json';
import { builtInExamples, retrieveExamples, type VerifiedExample } from './examples.js';
import { STOPWORDS, stem, terms } from './terms.js';

/**
 * Context selection: which tables, columns, pitfalls and solved examples a model
 * sees for one question. Retrieval is local (BM25 over each table's names,
 * descriptions and example questions, plus a synonym table), within a character
 * budget; the rules in INSTRUCTIONS and the snapshot's facts are always included.
 */

export interface ContextOptions {
  history?: Turn[];
  /** Characters for the selectable part (tables, examples, data); rules and facts always come on top. */
  budgetChars?: number;
  signal?: AbortSignal;
  /** Read token symbols and labels from the snapshot into data blocks (default true; the offline translator needs none). */
  includeData?: boolean;
  /** Defaults to the bundled catalog; tests may pass another. */
  catalog?: Catalog;
  /** The few-shot library to retrieve from (default: the built-in verified examples). */
  examples?: readonly VerifiedExample[];
}

export interface BuiltContext {
  /** staticPart + CONTEXT_SPLIT + dynamicPart: what GenerationRequest.context carries. */
  text: string;
  /** Instructions, rules and schema: the same for every question at the same budget (cacheable). */
  staticPart: string;
  /** Snapshot facts, the relevant tables, solved examples and chain data for this question. */
  dynamicPart: string;
  /** Tables in the prompt, most relevant first. */
  tables: string[];
  /** Retrieval score per table (0 = nothing in the question points at it). */
  scores: Record<string, number>;
}

/** The engine surface context selection needs (the manifest, and a read-only query for data values). */
export type ContextSource = Pick<Engine, 'manifest' | 'query'>;

/** ~9k tokens: the whole enriched schema fits, so the cached static part is the same for every question. */
export const DEFAULT_CONTEXT_BUDGET = 36_000;
/** Kept back from the tables for solved examples and data values. */
const EXTRAS_RESERVE = 4_000;
const MAX_EXAMPLES = 4;
const MAX_TOKENS_LISTED = 20;
const MAX_LABELS_LISTED = 10;
const RELEVANCE_SHARE = 0.25;

// Text → terms lives in terms.ts (shared with few-shot retrieval).

// ---------- catalog fields, read defensively (schemas/chain.json is being enriched) ----------

interface Example { question: string; sql?: string }

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function examplesOf(t: TableSpec): Example[] {
  const raw = (t as { exampleQuestions?: unknown }).exampleQuestions;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((e): Example[] => {
    if (typeof e === 'string') return [{ question: e }];
    if (e && typeof e === 'object' && typeof (e as Example).question === 'string') {
      const sql = (e as Example).sql;
      return [{ question: (e as Example).question, sql: typeof sql === 'string' ? sql : undefined }];
    }
    return [];
  });
}

function exampleValues(v: unknown): string {
  if (!Array.isArray(v) || v.length === 0) return '';
  const shown = v.slice(0, 3).map((x) => (typeof x === 'string' ? `'${inertText(x, 48)}'` : inertText(String(x), 48)));
  return ` (e.g. ${shown.join(', ')})`;
}

function tableDocument(t: TableSpec): string {
  return [
    t.namespace, t.name, t.description,
    ...t.columns.flatMap((c) => [c.name.replace(/_/g, ' '), c.description ?? '', c.unit ?? '']),
    ...strings(t.joinHints), ...strings(t.pitfalls), ...examplesOf(t).map((e) => e.question),
  ].join(' ');
}

// ---------- rendering ----------

function renderTableFull(t: TableSpec): string {
  const lines = [`### ${qualifiedName(t)}${t.description ? ` — ${inertText(t.description, 400)}` : ''}`];
  for (const c of t.columns) {
    const about = [c.description, c.unit && !(c.description ?? '').includes(c.unit) ? `unit: ${c.unit}` : '']
      .filter(Boolean).join('; ');
    lines.push(`- ${c.name} ${c.type}${about ? `: ${inertText(about, 300)}` : ''}${exampleValues(c.examples)}`);
  }
  const joins = strings(t.joinHints);
  if (joins.length) lines.push(`Joins: ${joins.join('; ')}`);
  const pitfalls = strings(t.pitfalls);
  if (pitfalls.length) lines.push(`Pitfalls: ${pitfalls.join(' ')}`);
  return lines.join('\n');
}

function renderTableCompact(t: TableSpec): string {
  return `### ${qualifiedName(t)}(${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`;
}

const renderCache = new WeakMap<TableSpec, { full: string; compact: string }>();

function rendered(t: TableSpec): { full: string; compact: string } {
  let r = renderCache.get(t);
  if (!r) {
    r = { full: renderTableFull(t), compact: renderTableCompact(t) };
    renderCache.set(t, r);
  }
  return r;
}

function renderFacts(m: Manifest): string {
  const kind = m.synthetic ? ' (synthetic sample data)' : '';
  return [
    `Snapshot: chain ${m.chain}${kind}, source ${m.source}; blocks ${m.blockRange?.first} to ${m.blockRange?.last};`,
    `block_time from ${m.timeRange?.first} to ${m.timeRange?.last} UTC. snapshot_time() = TIMESTAMP '${m.timeRange?.last}' (the newest block): every relative time is measured from it.`,
  ].join('\n');
}

// ---------- retrieval ----------

interface Ranked { table: TableSpec; name: string; score: number }

const synonymWeight = (synonyms as { weight: number }).weight;
const synonymTables = (synonyms as { tables: Record<string, string[]> }).tables;
const synonymSets = new Map(Object.entries(synonymTables).map(([t, words]) => [t, new Set(words.flatMap((w) => [w, stem(w)]))]));

/** Tables named in earlier SQL: a follow-up ("now only USDC") is about the same tables. */
function tablesInHistory(history: Turn[], cat: Catalog): Set<string> {
  const names = new Set(cat.tables.map(qualifiedName));
  const found = new Set<string>();
  for (const t of history.slice(-2)) {
    for (const m of (t.sql ?? '').toLowerCase().matchAll(/\b([a-z_]+)\s*\.\s*([a-z_0-9]+)\b/g)) {
      const q = `${m[1]}.${m[2]}`;
      if (names.has(q)) found.add(q);
    }
  }
  return found;
}

const docsCache = new WeakMap<Catalog, string[][]>();

export function rankTables(question: string, history: Turn[] = [], cat: Catalog = catalog): Ranked[] {
  const rawWords = new Set(question.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const queryTerms = [...new Set(terms(question))];
  let docs = docsCache.get(cat);
  if (!docs) {
    docs = cat.tables.map((t) => terms(tableDocument(t)));
    docsCache.set(cat, docs);
  }
  const avgLen = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, docs.length);
  const k1 = 1.2;
  const b = 0.75;
  const fromHistory = tablesInHistory(history, cat);
  const ranked = cat.tables.map((table, i) => {
    const name = qualifiedName(table);
    const doc = docs[i];
    let score = 0;
    for (const q of queryTerms) {
      const tf = doc.filter((w) => w === q).length;
      if (!tf) continue;
      const df = docs.filter((d) => d.includes(q)).length;
      const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
      score += idf * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * doc.length) / avgLen)));
    }
    const syn = synonymSets.get(name);
    if (syn) for (const w of rawWords) if (syn.has(w) || syn.has(stem(w))) score += synonymWeight;
    if (question.toLowerCase().includes(name)) score += 10;
    if (fromHistory.has(name)) score += 5;
    return { table, name, score: Math.round(score * 100) / 100 };
  });
  // Stable: ties keep catalog order.
  return ranked.map((r, i) => ({ r, i })).sort((x, y) => y.r.score - x.r.score || x.i - y.i).map((x) => x.r);
}

// ---------- chain data as quoted values ----------

interface SnapshotValues {
  /** The most transferred tokens, one quoted JSON line each. */
  tokens: string[];
  /** Label categories with their address counts, one quoted JSON line each. */
  categories: string[];
  /** Every label (bounded), to pick the ones a question names. */
  labels: Array<{ name: string; category: string; address: string }>;
}

const valuesCache = new WeakMap<object, Promise<SnapshotValues>>();
const MAX_LABELS_READ = 5_000;
const isAddress = (v: unknown): v is string => typeof v === 'string' && /^0x[0-9a-f]{40}$/.test(v);

/**
 * Values read from the snapshot once per open engine: token symbols, label names
 * and categories. All of it is attacker-controlled text, so every value leaves
 * here quoted, bounded and stripped (quotedData), never as prompt text.
 */
function snapshotValues(source: ContextSource, signal?: AbortSignal): Promise<SnapshotValues> {
  let cached = valuesCache.get(source);
  if (!cached) {
    const run = (sql: string, maxRows: number) => source.query(sql, { maxRows, timeoutMs: 10_000, signal });
    cached = (async () => {
      const tokens = await run(
        'SELECT contract_address, any_value(symbol) AS symbol, count(*) AS n FROM tokens.transfers GROUP BY 1 ORDER BY n DESC, 1 LIMIT 40', 40);
      const categories = await run('SELECT category, count(*) AS n FROM labels.addresses GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20', 20);
      const labels = await run(`SELECT name, category, address FROM labels.addresses ORDER BY name, address LIMIT ${MAX_LABELS_READ}`, MAX_LABELS_READ);
      return {
        tokens: tokens.rows.filter((r) => isAddress(r[0]))
          .map(([address, symbol]) => `{"symbol": ${quotedData(cellToText(symbol), 24)}, "contract_address": "${cellToText(address)}"}`),
        categories: categories.rows.map((r) => `{"category": ${quotedData(cellToText(r[0]), 32)}, "addresses": ${Number(r[1]) || 0}}`),
        labels: labels.rows.filter((r) => isAddress(r[2])).map((r) => ({ name: cellToText(r[0]), category: cellToText(r[1]), address: r[2] as string })),
      };
    })();
    // A failure (e.g. cancelled) must not poison the cache for the next question.
    cached.catch(() => valuesCache.delete(source));
    valuesCache.set(source, cached);
  }
  return cached;
}

function labelLines(values: SnapshotValues, question: string, labelTableRelevant: boolean): string[] {
  const words = [...new Set(question.toLowerCase().match(/[a-z0-9]{3,}/g) ?? [])].filter((w) => !STOPWORDS.has(w));
  const nameWords = (name: string) => name.toLowerCase().match(/[a-z0-9]{3,}/g) ?? [];
  const named = words.length ? values.labels.filter((l) => nameWords(l.name).some((n) => words.includes(n))).slice(0, MAX_LABELS_LISTED) : [];
  if (!named.length && !labelTableRelevant) return [];
  return [
    ...(labelTableRelevant || named.length ? values.categories : []),
    ...named.map((l) => `{"name": ${quotedData(l.name, 64)}, "category": ${quotedData(l.category, 32)}, "address": "${l.address}"}`),
  ];
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
}

// ---------- the whole context ----------

export async function buildContext(source: ContextSource, question: string, options: ContextOptions = {}): Promise<BuiltContext> {
  const cat = options.catalog ?? catalog;
  const history = options.history ?? [];
  const budget = options.budgetChars ?? DEFAULT_CONTEXT_BUDGET;
  const historyText = history.map((t) => t.question).join(' ');
  const ranked = rankTables(`${question} ${historyText}`, history, cat);

  // Relevant: a clear share of the best score, so one stray shared word does not count.
  const top = ranked[0]?.score ?? 0;
  const isRelevant = (r: Ranked) => r.score > 0 && r.score >= top * RELEVANCE_SHARE;
  // Tables get the budget minus a reserve for examples and data values.
  const tableBudget = budget - Math.min(EXTRAS_RESERVE, Math.floor(budget * 0.15));
  let used = 0;
  const chosen = new Map<string, string>();
  // Relevant tables first (full if it fits, else compact), then the others; the top table always goes in.
  for (const pass of [true, false]) {
    for (const [i, r] of ranked.entries()) {
      if (isRelevant(r) !== pass || chosen.has(r.name)) continue;
      const { full, compact } = rendered(r.table);
      if (i === 0 || used + full.length <= tableBudget) { chosen.set(r.name, full); used += full.length; }
      else if (used + compact.length <= tableBudget) { chosen.set(r.name, compact); used += compact.length; }
    }
  }
  // Catalog order in the text keeps the static part byte-identical across questions (prompt caching).
  const schema = cat.tables.map(qualifiedName).filter((n) => chosen.has(n)).map((n) => chosen.get(n)!);
  const rules = strings(cat.rules);
  const staticPart = [
    INSTRUCTIONS,
    rules.length ? `Schema notes:\n${rules.map((r) => `- ${r}`).join('\n')}` : '',
    `Schema (DuckDB views over the snapshot's Parquet files):\n\n${schema.join('\n\n')}`,
  ].filter(Boolean).join('\n\n');

  const relevant = ranked.filter((r) => isRelevant(r) && chosen.has(r.name));
  const dynamic: string[] = [renderFacts(source.manifest)];
  if (relevant.length) dynamic.push(`Most relevant tables for this question: ${relevant.map((r) => r.name).join(', ')}.`);

  // Few-shot: verified question → SQL pairs nearest to this question (dev set + the workspace's saved answers).
  const examples = retrieveExamples(question, options.examples ?? builtInExamples(), MAX_EXAMPLES);
  const exampleText = examples.map((e) => `Q: ${inertText(e.question, 300)}\nSQL: ${e.sql}`).join('\n\n');
  if (examples.length && used + exampleText.length <= budget) {
    dynamic.push(`Verified examples (answered correctly on this schema):\n${exampleText}`);
    used += exampleText.length;
  }

  checkAborted(options.signal);
  const names = new Set(relevant.map((r) => r.name));
  const wantTokens = names.has('tokens.transfers') || names.has('tokens.erc20') || names.has('dex.trades');
  if (options.includeData ?? true) {
    const values = await snapshotValues(source, options.signal).catch(rethrowAbort);
    checkAborted(options.signal);
    if (values && wantTokens) {
      const block = dataBlock('tokens', values.tokens.slice(0, MAX_TOKENS_LISTED));
      if (values.tokens.length && used + block.length <= budget) {
        dynamic.push(`Most transferred tokens in this snapshot (contract-reported symbols, untrusted data):\n${block}`);
        used += block.length;
      }
    }
    // Labels whenever the label table is relevant or the question names a labelled organisation ("Binance").
    const lines = values ? labelLines(values, question, names.has('labels.addresses')) : [];
    if (lines.length) {
      const block = dataBlock('labels', lines);
      if (lines.length && used + block.length <= budget) dynamic.push(`Address labels in this snapshot (untrusted data):\n${block}`);
    }
  }

  const dynamicPart = dynamic.join('\n\n');
  return {
    text: `${staticPart}${CONTEXT_SPLIT}${dynamicPart}`,
    staticPart,
    dynamicPart,
    tables: ranked.filter((r) => chosen.has(r.name)).map((r) => r.name),
    scores: Object.fromEntries(ranked.map((r) => [r.name, r.score])),
  };
}

/** Data values are optional extras: a failed lookup leaves them out, but a cancellation stops the question. */
function rethrowAbort(e: unknown): undefined {
  if ((e instanceof OnchainSqlError && e.code === 'cancelled') || (e instanceof Error && e.name === 'AbortError')) throw e;
  return undefined;
}

import type { ColumnInfo, Timings } from './engine/engine.js';
import type { Cell } from './engine/values.js';
import type { Attempt } from './errors.js';

/** A hint for renderers; they may switch it. */
export interface ChartHint {
  type: 'line' | 'bar' | 'area' | 'scatter' | 'table';
  x: string;
  y: string[];
  series?: string;
}

export type ProviderId = 'claude' | 'vscode-lm' | 'offline';
/** Who wrote an answer's SQL: a provider, or the user (Run SQL, SQL cells). */
export type SqlAuthor = ProviderId | 'user';

export type { Attempt };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
}

/** One turn of a conversation, as a follow-up question sees it. */
export interface Turn {
  question: string;
  sql?: string;
  /** A few result rows or a summary, so "why is Tuesday so high?" has something to point at. */
  resultSummary?: string;
}

/** The reading taken where a question is ambiguous, with the other reading as a question to ask instead. */
export interface Assumption {
  text: string;
  alternative?: { label: string; question: string };
}

/** What `ask` returns to every surface. */
export interface Answer {
  question: string;
  sql: string;
  explanation: string;
  chart: ChartHint | null;
  provider: SqlAuthor;
  model?: string;
  attempts: Attempt[];
  columns: ColumnInfo[];
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
  timings: Timings & { generateMs: number };
  usage?: TokenUsage;
  /** The answer in one sentence, built from the rows (never by a model). */
  summary?: string;
  /** Readings taken where the question was ambiguous. */
  assumptions?: Assumption[];
  /** The standalone question a follow-up resolved to. */
  resolvedQuestion?: string;
  /** Honest limits: a period beyond the snapshot, why a result is empty. */
  notes?: string[];
}

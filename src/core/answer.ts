import type { ColumnInfo, Timings } from './engine/engine.js';
import type { Cell } from './engine/values.js';
import type { ErrorCode } from './errors.js';

/** A hint for renderers; they may switch it. */
export interface ChartHint {
  type: 'line' | 'bar' | 'area' | 'scatter' | 'table';
  x: string;
  y: string[];
  series?: string;
}

export type ProviderId = 'claude' | 'vscode-lm' | 'offline';

export interface Attempt {
  sql: string;
  error?: { code: ErrorCode; message: string };
}

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

/** What `ask` returns to every surface. */
export interface Answer {
  question: string;
  sql: string;
  explanation: string;
  chart: ChartHint | null;
  provider: ProviderId;
  model?: string;
  attempts: Attempt[];
  columns: ColumnInfo[];
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
  timings: Timings & { generateMs: number };
  usage?: TokenUsage;
  /** One sentence from the rows; shown above the table. */
  summary?: string;
  /** How the question was read; an alternative reading re-asks. */
  assumptions?: Array<{ text: string; alternative?: { label: string; question: string } }>;
  /** The standalone question a follow-up resolved to (what notebooks, panel and history reuse). */
  resolvedQuestion?: string;
  /** Honest limits: period outside the snapshot range, why 0 rows. */
  notes?: string[];
}

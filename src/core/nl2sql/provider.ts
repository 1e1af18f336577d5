import type { ChartHint, ProviderId, TokenUsage, Turn } from '../answer.js';

/** What a provider is given: the question, the conversation so far, and the selected context. */
export interface GenerationRequest {
  question: string;
  history: Turn[];
  /** Schema context chosen for this question (tables, columns, rules, examples), as prompt text. */
  context: string;
  /** Set on a repair: the SQL that failed and the exact error, with nearest real names. */
  repair?: { sql: string; error: string };
  signal?: AbortSignal;
}

export interface Generation {
  sql: string;
  explanation: string;
  chart: ChartHint | null;
  model?: string;
  usage?: TokenUsage;
  /** For a follow-up: the question it resolved to, on its own. */
  resolvedQuestion?: string;
  /** How the reply was read when not the intended way (e.g. SQL scraped from text, no tool call): shown with the answer. */
  notes?: string[];
}

/** Claude, the editor's model (vscode.lm, wired in the extension layer), or the offline translator. */
export interface Provider {
  readonly id: ProviderId;
  generate(request: GenerationRequest): Promise<Generation>;
}

// The typed message protocol between the extension host and the webviews
// (results panel, sidebar chat). Imported by both sides; only types and small
// constants, so it bundles into the browser code for free. Notebook outputs use
// `NotebookResultPayload` under RESULT_MIME.
import type { Answer, Attempt, ChartHint, ProviderId, SqlAuthor } from '../core/answer.js';
import type { ColumnInfo, Timings } from '../core/engine/engine.js';
import type { Cell } from '../core/engine/values.js';
import type { ReplyTable } from './requests.js';

export type { Attempt, ChartHint, ProviderId, ColumnInfo, Timings, Cell };

/** What an answer says beyond its rows (all optional: older answers and Run SQL have none). */
export interface AnswerContext {
  /** One sentence from the rows, shown above the table. */
  summary?: string;
  /** How the question was read; an alternative reading is a button that re-asks. */
  assumptions?: Answer['assumptions'];
  /** Honest limits: the period used, why 0 rows. */
  notes?: string[];
  /** The standalone question a follow-up resolved to. */
  resolvedQuestion?: string;
}

/** The AnswerContext part of an Answer, only the fields present. */
export function answerContext(a: AnswerContext): AnswerContext {
  const out: AnswerContext = {};
  if (a.summary) out.summary = a.summary;
  if (a.assumptions?.length) out.assumptions = a.assumptions;
  if (a.notes?.length) out.notes = a.notes;
  if (a.resolvedQuestion) out.resolvedQuestion = a.resolvedQuestion;
  return out;
}

/** Notebook output mime (custom renderer `onchain-sql-renderer`). */
export const RESULT_MIME = 'application/vnd.onchain-sql.result+json';

/** Rows per page exchanged between the grid and the host. */
export const PAGE_SIZE = 200;

export type SortDirection = 'asc' | 'desc';
export interface SortState {
  /** 0-based column position. */
  column: number;
  direction: SortDirection;
}

// ---------------------------------------------------------------- results panel

/** Everything about a result except its rows, which the grid requests page by page. */
export interface ResultView extends AnswerContext {
  question?: string;
  sql: string;
  explanation: string;
  chart: ChartHint | null;
  provider?: SqlAuthor;
  providerLabel?: string;
  model?: string;
  attempts: Attempt[];
  columns: ColumnInfo[];
  /** Rows the grid can scroll through (capped by the panel's row cap). */
  rowCount: number;
  /** False while the host is still counting: rowCount is then a lower bound. */
  rowCountExact: boolean;
  /** More rows exist than the panel's cap. */
  truncated: boolean;
  /** The row cap the grid works under. */
  maxRows: number;
  timings?: Partial<Timings> & { generateMs?: number };
  /** The first rows (≤ MAX_CHART_ROWS): for the chart, and the grid's first pages. */
  firstRows: Cell[][];
}

export type PanelToWebview =
  | { type: 'running'; question?: string; sql?: string; stage: string }
  | { type: 'progress'; stage: string }
  /** `generation` numbers the row order: row requests and replies carry it, stale ones are ignored. */
  | { type: 'result'; result: ResultView; generation: number }
  | { type: 'error'; question?: string; sql?: string; code?: string; message: string; suggestions?: string[]; attempts: Attempt[] }
  | { type: 'rows'; requestId: number; generation: number; start: number; rows: Cell[][] }
  | { type: 'rowsError'; requestId: number; generation: number; message: string }
  | { type: 'rowCount'; generation: number; rowCount: number; exact: boolean; truncated: boolean }
  /** The grid's data changed order: drop cached rows, re-request. */
  | { type: 'sorted'; generation: number; sort: SortState | null; rowCount: number; exact: boolean; truncated: boolean }
  | { type: 'notice'; message: string }
  /** The reply to a copy request: what was copied, or why not. */
  | { type: 'copied'; requestId: number; message: string }
  /** Who answers (shown with "Set API key" / "Choose model" at the top). */
  | { type: 'provider'; label: string };

export type PanelFromWebview =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'requestRows'; requestId: number; generation: number; start: number; count: number }
  | { type: 'sort'; sort: SortState | null }
  | { type: 'copy'; requestId: number; text: string; what: string }
  | { type: 'copyColumn'; requestId: number; column: number }
  /** A range of cells (0-based, inclusive) whose rows the webview has not all loaded. */
  | { type: 'copyRange'; requestId: number; top: number; bottom: number; left: number; right: number }
  | { type: 'copySql'; requestId: number }
  | { type: 'openInEditor' }
  | { type: 'export' }
  /** A suggestion or an alternative reading clicked: ask it. */
  | { type: 'ask'; question: string }
  /** "Write SQL": an untitled SQL editor with a starter query for the shown question. */
  | { type: 'writeSql' }
  | { type: 'setApiKey' }
  | { type: 'chooseModel' }
  /** "Save as example": the shown answer's question and SQL become a few-shot pair for this workspace. */
  | { type: 'saveExample' };

/** Panel messages that answer a request (they carry its `requestId`). */
export type PanelReply = Extract<PanelToWebview, { requestId: number }>;
/** Which replies answer which panel request (requests.ts checks a reply against it). */
export const PANEL_REPLIES = {
  requestRows: ['rows', 'rowsError'],
  copy: ['copied'],
  copyColumn: ['copied'],
  copyRange: ['copied'],
  copySql: ['copied'],
} as const satisfies ReplyTable<PanelFromWebview, PanelReply>;

// ---------------------------------------------------------------- sidebar chat

/** Rows a chat answer keeps (persisted in workspace state, so kept small). */
export const CHAT_ROWS_KEPT = 50;
/** Rows the chat's compact table shows. */
export const CHAT_ROWS_SHOWN = 10;

export interface ChatTurn extends AnswerContext {
  id: string;
  question: string;
  status: 'done' | 'error' | 'cancelled';
  sql?: string;
  explanation?: string;
  chart?: ChartHint | null;
  columns?: ColumnInfo[];
  /** First rows only (≤ CHAT_ROWS_KEPT), long strings cut. */
  rows?: Cell[][];
  rowCount?: number;
  truncated?: boolean;
  provider?: SqlAuthor;
  model?: string;
  error?: { code?: string; message: string; suggestions?: string[] };
  at: string;
}

export type ChatToWebview =
  | { type: 'state'; turns: ChatTurn[]; providerLabel: string; busy: boolean; pendingQuestion?: string }
  | { type: 'progress'; stage: string }
  | { type: 'provider'; label: string }
  | { type: 'notice'; message: string }
  /** The reply to a copy request. */
  | { type: 'copied'; requestId: number; message: string }
  | { type: 'focusInput' };

export type ChatFromWebview =
  | { type: 'ready' }
  | { type: 'ask'; question: string }
  | { type: 'cancel' }
  | { type: 'newConversation' }
  | { type: 'openInPanel'; turnId: string }
  | { type: 'insertIntoNotebook'; turnId: string }
  | { type: 'copySql'; requestId: number; turnId: string }
  | { type: 'writeSql'; turnId: string }
  | { type: 'setApiKey' }
  | { type: 'chooseModel' }
  | { type: 'saveExample'; turnId: string };

export type ChatReply = Extract<ChatToWebview, { requestId: number }>;
/** Which replies answer which chat request. */
export const CHAT_REPLIES = { copySql: ['copied'] } as const satisfies ReplyTable<ChatFromWebview, ChatReply>;

// ---------------------------------------------------------------- notebook output

/** Payload of RESULT_MIME outputs (written by the notebook controller). */
export interface NotebookResultPayload extends AnswerContext {
  question?: string;
  sql: string;
  columns: ColumnInfo[];
  /** First ≤ 500 rows. */
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
  chart: ChartHint | null;
  explanation: string;
  timings?: Partial<Timings> & { generateMs?: number };
}

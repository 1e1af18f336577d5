// The answer history's rules, apart from where it is stored: what an entry
// holds (question, the standalone question a follow-up resolved to, SQL,
// provider, row count, time; never rows, never a secret), how many are kept,
// how a repeat replaces its older copy, how entries are searched and shown.
// The extension keeps the list in workspace state (src/extension/history.ts).
import type { Answer, SqlAuthor } from './answer.js';
import { isSnapshotStamp, type SnapshotStamp } from './snapshotStamp.js';
import { redactSecrets } from './text/redact.js';

/** Entries kept at most (newest first); each is small (SQL ≤ MAX_SQL_CHARS). */
export const HISTORY_MAX = 500;
export const MAX_SQL_CHARS = 20_000;

export interface HistoryEntry {
  id: string;
  question: string;
  resolvedQuestion?: string;
  sql: string;
  /** 'user': SQL the user wrote (Run SQL). */
  provider: SqlAuthor;
  model?: string;
  rowCount: number;
  truncated: boolean;
  /** ISO time the answer arrived. */
  at: string;
  /** Where it was asked: panel, chat, @onchain, notebook. */
  surface: string;
  /** The snapshot it ran on (absent in entries kept before this was recorded). */
  snapshot?: SnapshotStamp;
}

const AUTHORS: ReadonlySet<string> = new Set<SqlAuthor>(['claude', 'vscode-lm', 'offline', 'user']);

/** True for a well-formed entry (stored state is read back as untrusted: another version may have written it). */
export function isHistoryEntry(v: unknown): v is HistoryEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<keyof HistoryEntry, unknown>;
  return typeof e.id === 'string' && typeof e.question === 'string' && typeof e.sql === 'string' && typeof e.at === 'string'
    && typeof e.provider === 'string' && AUTHORS.has(e.provider) && Number.isSafeInteger(e.rowCount) && typeof e.truncated === 'boolean'
    && typeof e.surface === 'string' && (e.resolvedQuestion === undefined || typeof e.resolvedQuestion === 'string')
    && (e.model === undefined || typeof e.model === 'string') && (e.snapshot === undefined || isSnapshotStamp(e.snapshot));
}

/** The well-formed entries of what was stored (anything else: none). */
export function readEntries(saved: unknown): HistoryEntry[] {
  return Array.isArray(saved) ? saved.filter(isHistoryEntry) : [];
}

/**
 * The entry kept for an answer. Text that may hold a secret (the question, the
 * SQL) is redacted: every known secret by value and anything key-shaped. The
 * model name and counts come from the provider, not the user.
 */
export function entryOf(answer: Answer, surface: string, opts: { id: string; at: Date; secrets?: readonly string[]; snapshot?: SnapshotStamp }): HistoryEntry {
  const clean = (s: string) => redactSecrets(s, opts.secrets ?? []);
  return {
    id: opts.id,
    question: clean(answer.question),
    ...(answer.resolvedQuestion && answer.resolvedQuestion !== answer.question ? { resolvedQuestion: clean(answer.resolvedQuestion) } : {}),
    sql: clean(answer.sql.slice(0, MAX_SQL_CHARS)),
    provider: answer.provider,
    ...(answer.model ? { model: clean(answer.model) } : {}),
    rowCount: answer.rowCount,
    truncated: answer.truncated,
    at: opts.at.toISOString(),
    surface,
    ...(isSnapshotStamp(opts.snapshot) ? { snapshot: opts.snapshot } : {}),
  };
}

/** Two entries are the same answer when the question, its reading, the SQL and the author are the same. */
function sameAnswer(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.question === b.question && (a.resolvedQuestion ?? '') === (b.resolvedQuestion ?? '') && a.sql === b.sql && a.provider === b.provider;
}

/** `entries` with `entry` on top: an older copy of the same answer is dropped, and at most `max` are kept. */
export function withEntry(entries: readonly HistoryEntry[], entry: HistoryEntry, max = HISTORY_MAX): HistoryEntry[] {
  return [entry, ...entries.filter((e) => !sameAnswer(e, entry))].slice(0, max);
}

/** Entries whose question, resolved question or SQL contains every word of `query` (any case); all for an empty query. */
export function searchEntries(entries: readonly HistoryEntry[], query: string): HistoryEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((e) => {
    const hay = `${e.question}\n${e.resolvedQuestion ?? ''}\n${e.sql}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** The text an entry is searched and reopened by. */
export function entryTitle(e: HistoryEntry): string {
  return e.resolvedQuestion || e.question || e.sql.trim().split('\n')[0].slice(0, 120);
}

/** "5 min ago", "3 h ago", then the date; the ISO text itself when it is not a past time. */
export function timeAgo(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms) || ms < 0) return iso;
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  return iso.slice(0, 10);
}

const PROVIDER_NAMES: Record<SqlAuthor, string> = { claude: 'Claude', 'vscode-lm': 'Editor model', offline: 'Offline', user: 'Your SQL' };

/** "Claude · 12 rows · 5 min ago · chat" */
export function entryDescription(e: HistoryEntry, now: number): string {
  const rows = `${e.rowCount.toLocaleString('en-US')}${e.truncated ? '+' : ''} row${e.rowCount === 1 ? '' : 's'}`;
  return [PROVIDER_NAMES[e.provider] ?? e.provider, rows, timeAgo(e.at, now), e.surface].join(' · ');
}

// Messages from a webview are untrusted input to the extension host (a webview
// runs chain data through its DOM): each is checked against a small schema per
// message type before the host acts on it. No dependency: the schemas are data,
// and the compiler checks that every message type of the protocol has one whose
// fields match the type's own.
import type { ChatFromWebview, PanelFromWebview } from './protocol.js';

/** What a field may hold. `text` is a string of at most MAX_TEXT characters. */
export type FieldKind = 'text' | 'nat' | 'int' | 'sort';

/** Longest string a message field may carry (a question, SQL for a copy). */
export const MAX_TEXT = 1_000_000;
/** Largest row or column index a message may name. */
const MAX_INDEX = 100_000_000;

type Fields<M> = { [K in Exclude<keyof M, 'type'>]-?: FieldKind };
/** One schema per message type of the union `M`, with exactly that type's fields. */
export type MessageSchemas<M extends { type: string }> = { [T in M['type']]: Fields<Extract<M, { type: T }>> };

function fieldOk(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case 'text': return typeof v === 'string' && v.length <= MAX_TEXT;
    case 'nat': return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_INDEX;
    case 'int': return Number.isSafeInteger(v) && Math.abs(v as number) <= MAX_INDEX;
    case 'sort': {
      if (v === null) return true;
      const s = v as { column?: unknown; direction?: unknown };
      return !!s && typeof s === 'object' && Object.keys(s).length === 2 && fieldOk('nat', s.column) && (s.direction === 'asc' || s.direction === 'desc');
    }
  }
}

export type Checked<M> = { ok: true; message: M } | { ok: false; reason: string };

/**
 * `raw` as a message of `M` when it is an object whose `type` has a schema and
 * whose fields are exactly that schema's, each of its kind; else why not.
 */
export function checkMessage<M extends { type: string }>(schemas: MessageSchemas<M>, raw: unknown): Checked<M> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'not an object' };
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(schemas, type)) return { ok: false, reason: `unknown type ${JSON.stringify(String(type)).slice(0, 60)}` };
  const schema = (schemas as Record<string, Record<string, FieldKind>>)[type];
  for (const key of Object.keys(raw)) {
    if (key !== 'type' && !Object.prototype.hasOwnProperty.call(schema, key)) return { ok: false, reason: `${type}: unexpected field ${key.slice(0, 40)}` };
  }
  for (const [key, kind] of Object.entries(schema)) {
    if (!fieldOk(kind, (raw as Record<string, unknown>)[key])) return { ok: false, reason: `${type}: field ${key} is not a valid ${kind}` };
  }
  return { ok: true, message: raw as M };
}

export const PANEL_MESSAGES: MessageSchemas<PanelFromWebview> = {
  ready: {},
  cancel: {},
  requestRows: { requestId: 'nat', generation: 'nat', start: 'nat', count: 'nat' },
  sort: { sort: 'sort' },
  copy: { requestId: 'nat', text: 'text', what: 'text' },
  copyColumn: { requestId: 'nat', column: 'nat' },
  copyRange: { requestId: 'nat', top: 'nat', bottom: 'nat', left: 'nat', right: 'nat' },
  copySql: { requestId: 'nat' },
  openInEditor: {},
  export: {},
  ask: { question: 'text' },
  writeSql: {},
  setApiKey: {},
  chooseModel: {},
  saveExample: {},
};

export const CHAT_MESSAGES: MessageSchemas<ChatFromWebview> = {
  ready: {},
  ask: { question: 'text' },
  cancel: {},
  newConversation: {},
  openInPanel: { turnId: 'text' },
  insertIntoNotebook: { turnId: 'text' },
  copySql: { requestId: 'nat', turnId: 'text' },
  writeSql: { turnId: 'text' },
  setApiKey: {},
  chooseModel: {},
  saveExample: { turnId: 'text' },
};

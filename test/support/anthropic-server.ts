import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local, real-HTTP stand-in for the Anthropic Messages API (POST /v1/messages)
 * that tests script response by response. It records every request (headers and
 * parsed body) and whether the client closed the connection before an answer,
 * so tests can assert on what the real SDK sent and on cancellation.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body text, as sent. */
  raw: string;
  body: MessagesBody;
  /** performance.now() when the request body had arrived. */
  receivedAt: number;
  /** Set when the client closed the socket before the server finished answering. */
  closedEarly: boolean;
  /** Resolves when the request's connection ends (answered or closed by the client). */
  ended: Promise<void>;
}

/** The parts of a Messages API request body the tests look at. */
export interface MessagesBody {
  model?: string;
  max_tokens?: number;
  system?: Array<{ type: string; text: string; cache_control?: { type: string } }> | string;
  tools?: Array<{ name: string; description?: string; input_schema?: unknown; cache_control?: { type: string } }>;
  tool_choice?: { type: string; name?: string };
  messages?: Array<{ role: string; content: string | Array<{ type: string; text?: string }> }>;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** One scripted reply. */
export type Scripted =
  | { kind: 'tool'; name: string; input: unknown; usage?: Partial<Usage>; stopReason?: string; delayMs?: number; text?: string }
  | { kind: 'text'; text: string; delayMs?: number; stopReason?: string }
  | { kind: 'error'; status: number; type: string; message: string; headers?: Record<string, string>; delayMs?: number }
  /** Never answers: the test expects a timeout or a cancellation. */
  | { kind: 'hang' }
  | { kind: 'handler'; handle: (req: RecordedRequest, res: http.ServerResponse) => void };

export const toolReply = (input: unknown, extra: Partial<Extract<Scripted, { kind: 'tool' }>> = {}): Scripted =>
  ({ kind: 'tool', name: 'submit_query', input, ...extra });
export const sqlReply = (sql: string, explanation = 'test explanation', chart: unknown = null): Scripted =>
  toolReply({ sql, explanation, ...(chart ? { chart } : {}) });
export const textReply = (text: string): Scripted => ({ kind: 'text', text });
export const errorReply = (status: number, type: string, message: string, headers?: Record<string, string>): Scripted =>
  ({ kind: 'error', status, type, message, headers });

export interface AnthropicTestServer {
  /** e.g. http://127.0.0.1:PORT, for the SDK's baseURL or ANTHROPIC_BASE_URL. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Adds replies to the queue; each request takes the next one (an empty queue answers 500 "unscripted"). */
  script(...replies: Scripted[]): void;
  /** Replies scripted but not yet used. */
  pending(): number;
  close(): Promise<void>;
}

let counter = 0;

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_test_${++counter}`, ...headers });
  res.end(text);
}

function message(model: string, content: unknown[], stopReason: string, usage?: Partial<Usage>) {
  return {
    id: `msg_test_${++counter}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: 1200, output_tokens: 80, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, ...usage },
  };
}

export async function startAnthropicServer(): Promise<AnthropicTestServer> {
  const queue: Scripted[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const open = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: MessagesBody = {};
      try { body = JSON.parse(raw) as MessagesBody; } catch { /* recorded raw */ }
      let endedResolve!: () => void;
      const recorded: RecordedRequest = {
        method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, body, receivedAt: performance.now(), closedEarly: false,
        ended: new Promise<void>((r) => { endedResolve = r; }),
      };
      requests.push(recorded);
      open.add(res);
      res.on('close', () => {
        if (!res.writableFinished) recorded.closedEarly = true;
        open.delete(res);
        endedResolve();
      });

      if (req.method !== 'POST' || !(req.url ?? '').startsWith('/v1/messages')) {
        send(res, 404, { type: 'error', error: { type: 'not_found_error', message: `No route ${req.method} ${req.url}` } });
        return;
      }
      const next = queue.shift();
      const model = body.model ?? 'unknown';
      const reply = () => {
        if (res.writableEnded || res.destroyed) return;
        if (!next) {
          send(res, 500, { type: 'error', error: { type: 'api_error', message: 'unscripted request (test server queue empty)' } }, { 'x-should-retry': 'false' });
          return;
        }
        switch (next.kind) {
          case 'tool': {
            const content: unknown[] = [];
            if (next.text) content.push({ type: 'text', text: next.text });
            content.push({ type: 'tool_use', id: `toolu_test_${++counter}`, name: next.name, input: next.input });
            send(res, 200, message(model, content, next.stopReason ?? 'tool_use', next.usage));
            return;
          }
          case 'text':
            send(res, 200, message(model, [{ type: 'text', text: next.text }], next.stopReason ?? 'end_turn'));
            return;
          case 'error':
            send(res, next.status, { type: 'error', error: { type: next.type, message: next.message } }, next.headers);
            return;
          case 'hang':
            return;
          case 'handler':
            next.handle(recorded, res);
            return;
        }
      };
      const delay = next && 'delayMs' in next ? next.delayMs ?? 0 : 0;
      if (delay > 0) {
        const t = setTimeout(() => { timers.delete(t); reply(); }, delay);
        timers.add(t);
      } else {
        reply();
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    script: (...replies) => { queue.push(...replies); },
    pending: () => queue.length,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** All text the model was sent: system blocks and user messages, joined. */
export function promptText(r: RecordedRequest): string {
  const system = typeof r.body.system === 'string' ? r.body.system : (r.body.system ?? []).map((b) => b.text).join('\n');
  const messages = (r.body.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : m.content.map((c) => c.text ?? '').join('\n')));
  return [system, ...messages].join('\n');
}

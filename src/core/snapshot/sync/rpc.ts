import { OnchainSqlError } from '../../errors.js';

/**
 * A small JSON-RPC 2.0 client for EVM nodes: batched calls, bounded
 * concurrency, retries with backoff that honour Retry-After on 429, 5xx,
 * timeouts and malformed answers. The endpoint URL embeds API keys at most
 * providers, so it never appears in a message: errors name the endpoint as
 * its redacted form (scheme and host only).
 */
export interface RpcOptions {
  url: string;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Calls per HTTP request. */
  batchSize?: number;
  retries?: number;
  timeoutMs?: number;
  /** Base backoff; doubled per attempt, capped at 30 s. */
  backoffMs?: number;
  signal?: AbortSignal;
}

export interface RpcCall { method: string; params: unknown[] }

/** A JSON-RPC error the node returned for one call (not a transport failure). */
export class RpcCallError extends Error {
  constructor(readonly method: string, readonly code: number, message: string, readonly data?: unknown) {
    super(`${method}: ${message} (code ${code})`);
  }
}

/** scheme://host[:port] with path, query and credentials removed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return 'the RPC endpoint';
  }
}

/** Removes every occurrence of the URL (and its path/query, which carry keys) from a text. */
export function redactText(text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url));
  try {
    const u = new URL(url);
    for (const secret of [u.pathname.length > 1 ? u.pathname + u.search : '', u.search, u.password, u.username]) {
      if (secret && secret.length > 3) out = out.split(secret).join('/…');
    }
  } catch { /* not a URL: nothing more to hide */ }
  return out;
}

interface JsonRpcResponse { id: number; result?: unknown; error?: { code: number; message: string; data?: unknown } }

class Retryable extends Error {
  constructor(message: string, readonly retryAfterMs?: number) { super(message); }
}

export class RpcClient {
  readonly endpoint: string;
  /** HTTP requests sent, retries included (for the bench's requests per block). */
  requests = 0;
  private nextId = 1;
  private active = 0;
  private waiting: Array<() => void> = [];

  constructor(private readonly options: RpcOptions) {
    this.endpoint = redactUrl(options.url);
    try {
      const u = new URL(options.url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    } catch {
      throw new OnchainSqlError('usage', 'The RPC URL must be an http:// or https:// address.');
    }
  }

  async call<T>(method: string, params: unknown[]): Promise<T> {
    const [r] = await this.batch<T>([{ method, params }]);
    if (r instanceof RpcCallError) throw r;
    return r;
  }

  /** Runs calls in batches of batchSize; each result is the value or the node's RpcCallError for that call. */
  async batch<T>(calls: RpcCall[]): Promise<Array<T | RpcCallError>> {
    const size = Math.max(1, this.options.batchSize ?? 50);
    const chunks: RpcCall[][] = [];
    for (let i = 0; i < calls.length; i += size) chunks.push(calls.slice(i, i + size));
    const results = await Promise.all(chunks.map((c) => this.withSlot(() => this.send<T>(c))));
    return results.flat();
  }

  private async withSlot<R>(fn: () => Promise<R>): Promise<R> {
    const limit = Math.max(1, this.options.concurrency ?? 4);
    while (this.active >= limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private async send<T>(calls: RpcCall[]): Promise<Array<T | RpcCallError>> {
    const retries = this.options.retries ?? 6;
    const base = this.options.backoffMs ?? 250;
    for (let attempt = 0; ; attempt++) {
      this.options.signal?.throwIfAborted();
      try {
        return await this.post<T>(calls);
      } catch (e) {
        if (!(e instanceof Retryable) || attempt >= retries) throw this.finalError(e, calls);
        const wait = e.retryAfterMs ?? Math.min(30_000, base * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        await sleep(wait, this.options.signal);
      }
    }
  }

  private async post<T>(calls: RpcCall[]): Promise<Array<T | RpcCallError>> {
    const ids = calls.map(() => this.nextId++);
    const body = JSON.stringify(calls.map((c, i) => ({ jsonrpc: '2.0', id: ids[i], method: c.method, params: c.params })));
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    this.requests++;
    let res: Response;
    try {
      res = await fetch(this.options.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
    } catch (e) {
      if (this.options.signal?.aborted) throw e;
      if (timeout.aborted) throw new Retryable(`no answer within ${this.options.timeoutMs ?? 30_000} ms`);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const code = cause?.code;
      if (/bad port/i.test(cause?.message ?? '')) throw new OnchainSqlError('usage', `The RPC URL ${this.endpoint} uses a port that HTTP clients refuse (a reserved port).`);
      if (code === 'ECONNREFUSED') throw new OnchainSqlError('rpc', `The RPC endpoint ${this.endpoint} refused the connection: is the node running and the port right?`);
      if (code === 'ENOTFOUND') throw new OnchainSqlError('rpc', `The RPC endpoint's host ${this.endpoint} was not found (DNS).`);
      throw new Retryable(`connection failed (${code ?? 'network error'})`);
    }
    const text = await res.text().catch(() => '');
    if (res.status === 401 || res.status === 403) {
      throw new OnchainSqlError('rpc', `The RPC endpoint ${this.endpoint} refused the request (HTTP ${res.status}): the API key in the URL is missing, wrong or not allowed for this method.`);
    }
    if (res.status === 429 || res.status >= 500) throw new Retryable(`HTTP ${res.status}`, retryAfter(res.headers.get('retry-after')));
    if (!res.ok) throw new OnchainSqlError('rpc', `The RPC endpoint ${this.endpoint} answered HTTP ${res.status}.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Retryable('the answer was not valid JSON');
    }
    const list = (Array.isArray(parsed) ? parsed : [parsed]) as JsonRpcResponse[];
    const byId = new Map(list.filter((r) => r && typeof r === 'object').map((r) => [r.id, r]));
    return ids.map((id, i) => {
      const r = byId.get(id);
      if (!r) throw new Retryable(`the answer lacked call ${calls[i].method}`);
      if (r.error) {
        // Rate limits reported inside JSON-RPC (code -32005 or "rate limit" text) are retried like HTTP 429.
        if (r.error.code === -32005 && /rate|limit exceeded|too many requests/i.test(r.error.message) && !/results|range|block range/i.test(r.error.message)) {
          throw new Retryable(`rate limited: ${r.error.message}`);
        }
        return new RpcCallError(calls[i].method, r.error.code, String(r.error.message), r.error.data);
      }
      return r.result as T;
    });
  }

  private finalError(e: unknown, calls: RpcCall[]): unknown {
    if (e instanceof Retryable) {
      return new OnchainSqlError('rpc', `The RPC endpoint ${this.endpoint} kept failing for ${calls[0].method} (${e.message}) after ${(this.options.retries ?? 6) + 1} attempts.`);
    }
    if (e instanceof Error && !(e instanceof OnchainSqlError) && e.name !== 'AbortError') {
      try { e.message = redactText(e.message, this.options.url); } catch { /* read-only message */ }
    }
    return e;
  }
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  if (Number.isFinite(s)) return Math.min(60_000, Math.max(0, s * 1000));
  const t = Date.parse(header);
  return Number.isFinite(t) ? Math.min(60_000, Math.max(0, t - Date.now())) : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')); }, { once: true });
  });
}

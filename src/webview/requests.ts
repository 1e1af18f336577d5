// Request → reply correlation between a webview and the extension host, for
// any message kind: a request carries a `requestId`, its reply repeats it, and
// the requester holds a pending promise per id. Which reply types answer which
// request type is a table (e.g. PANEL_REPLIES in protocol.ts), checked when a
// reply arrives. No DOM and no `vscode` import: the webviews bundle it, and it
// is unit-tested in plain Node.

/** Why a request ended without a reply. */
export type EndReason = 'cancelled' | 'timeout' | 'disposed';

export class RequestEndedError extends Error {
  constructor(readonly reason: EndReason, readonly requestType: string) {
    super(`The ${requestType} request ended without a reply (${reason}).`);
    this.name = 'RequestEndedError';
  }
}

type Kind = { type: string };
/** A request of type K (one, or a union of types) as the caller writes it: the correlator adds the id. */
export type Unsent<Req extends Kind, K extends Req['type']> = K extends Req['type'] ? Omit<Extract<Req, { type: K }>, 'requestId'> & { type: K } : never;
/** For each request type that expects a reply, the reply types that answer it. */
export type ReplyTable<Req extends Kind, Rep extends Kind> = { readonly [K in Req['type']]?: readonly Rep['type'][] };
/** The reply message a request of type K resolves to. */
export type ReplyTo<Rep extends Kind, Table, K> = K extends keyof Table ? Table[K] extends readonly (infer T)[] ? Extract<Rep, { type: T }> : never : never;

export interface RequestOptions {
  /** Ends the request with 'timeout' when no reply came by then (default: the correlator's, or never). */
  timeoutMs?: number;
  /** Aborting it ends the request with 'cancelled'. */
  signal?: AbortSignal;
}

export interface Sent<R> {
  requestId: number;
  reply: Promise<R>;
}

interface Pending {
  type: string;
  resolve: (reply: never) => void;
  reject: (e: RequestEndedError) => void;
  timer?: ReturnType<typeof setTimeout>;
  unlisten?: () => void;
}

/**
 * Sends requests through `send` and settles each one's promise with the reply
 * that carries its id: in any order; a reply with an unknown id, or of a type
 * that does not answer that request, is ignored. A request ends without a reply
 * by `cancel`, its timeout or signal, or `dispose` (after which requests are
 * refused).
 */
export class RequestCorrelator<Req extends Kind, Rep extends Kind & { requestId: number }, Table extends ReplyTable<Req, Rep>> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly send: (message: Req) => void,
    private readonly replies: Table,
    private readonly defaults: RequestOptions = {},
  ) {}

  /** Sends `message` with a fresh id; `reply` settles with its reply, or rejects with a RequestEndedError. */
  request<K extends Req['type'] & keyof Table>(message: Unsent<Req, K>, options: RequestOptions = {}): Sent<ReplyTo<Rep, Table, K>> {
    const requestId = this.nextId++;
    const reply = new Promise<ReplyTo<Rep, Table, K>>((resolve, reject) => {
      if (this.disposed) return reject(new RequestEndedError('disposed', message.type));
      const signal = options.signal ?? this.defaults.signal;
      if (signal?.aborted) return reject(new RequestEndedError('cancelled', message.type));
      const p: Pending = { type: message.type, resolve, reject };
      const timeoutMs = options.timeoutMs ?? this.defaults.timeoutMs;
      if (timeoutMs !== undefined) p.timer = setTimeout(() => this.end(requestId, 'timeout'), timeoutMs);
      if (signal) {
        const onAbort = () => this.end(requestId, 'cancelled');
        signal.addEventListener('abort', onAbort, { once: true });
        p.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.set(requestId, p);
      try {
        this.send({ ...message, requestId } as unknown as Req);
      } catch (e) {
        this.forget(requestId);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    return { requestId, reply };
  }

  /** Settles the request `reply` answers; false (and nothing happens) when none waits for it. */
  settle(reply: Rep): boolean {
    const p = this.pending.get(reply.requestId);
    const answers: readonly string[] | undefined = p ? (this.replies as Record<string, readonly string[] | undefined>)[p.type] : undefined;
    if (!p || !answers?.includes(reply.type)) return false;
    this.forget(reply.requestId);
    p.resolve(reply as never);
    return true;
  }

  /** True when `message` is a reply type of this table (so `settle` should see it). */
  isReply(message: Kind): message is Rep {
    return Object.values(this.replies as Record<string, readonly string[] | undefined>).some((types) => types?.includes(message.type))
      && typeof (message as { requestId?: unknown }).requestId === 'number';
  }

  /** Ends one waiting request with 'cancelled'; false when it was not waiting. */
  cancel(requestId: number): boolean {
    return this.end(requestId, 'cancelled');
  }

  /** Ends every waiting request with 'cancelled' (what they asked for is gone, e.g. a new result). */
  cancelAll(): void {
    for (const id of [...this.pending.keys()]) this.end(id, 'cancelled');
  }

  /** Requests waiting for a reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Ends every waiting request with 'disposed'; later requests are refused the same way. */
  dispose(): void {
    this.disposed = true;
    for (const id of [...this.pending.keys()]) this.end(id, 'disposed');
  }

  private end(requestId: number, reason: EndReason): boolean {
    const p = this.pending.get(requestId);
    if (!p) return false;
    this.forget(requestId);
    p.reject(new RequestEndedError(reason, p.type));
    return true;
  }

  private forget(requestId: number): void {
    const p = this.pending.get(requestId);
    if (p?.timer !== undefined) clearTimeout(p.timer);
    p?.unlisten?.();
    this.pending.delete(requestId);
  }
}

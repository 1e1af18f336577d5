import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chdb, type ChdbQueryStream } from './chdb.js';

/**
 * A ClickHouse HTTP interface of the tests' own: node:http on 127.0.0.1 that
 * executes what it receives with chdb (the ClickHouse engine in-process) and
 * answers in ClickHouse's HTTP formats, so @clickhouse/client talks real HTTP
 * to the real engine. Per-request settings (URL parameters) become the
 * statement's SETTINGS clause; results are streamed chunk by chunk with
 * backpressure; a closed request cancels the running statement.
 *
 * KILL QUERY is answered here, not by chdb: chdb runs one statement per call
 * and has no process list shared between calls, so the server keeps its own
 * (query_id → running stream) and cancels the stream it names.
 */

export interface ReceivedQuery {
  queryId: string;
  sql: string;
  settings: Record<string, string>;
  /** How it ended: 'done', 'error', 'cancelled' (client closed) or 'killed' (KILL QUERY). */
  outcome?: 'done' | 'error' | 'cancelled' | 'killed';
  bytesSent: number;
}

export interface ClickHouseHttpServer {
  url: string;
  /** Every statement received, in order (KILL QUERY included). */
  received: ReceivedQuery[];
  /** Runs a statement directly on the engine (test setup). */
  exec(sql: string): string;
  close(): Promise<void>;
}

/** URL parameters of the HTTP interface that are not settings. */
const NOT_SETTINGS = new Set(['query', 'query_id', 'database', 'default_format', 'session_id', 'session_timeout', 'user', 'password']);
const KILL = /^\s*KILL\s+QUERY\s+WHERE\s+query_id\s*=\s*'([^']*)'/i;
const FORMAT_AT_END = /\s+FORMAT\s+([A-Za-z]+)\s*;?\s*$/i;
const INSERT = /^\s*INSERT\s+INTO\s+(\S+)(?:\s*\(([^)]*)\))?\s+FORMAT\s+(\w+)\s*$/i;

function settingValue(v: string): string {
  return /^-?\d+(\.\d+)?$/.test(v) ? v : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function exceptionCode(message: string): string {
  return /Code: (\d+)\./.exec(message)?.[1] ?? '1000';
}

function dropLines(bytes: Uint8Array, lines: number): Uint8Array {
  let at = 0;
  for (let i = 0; i < lines; i++) at = bytes.indexOf(0x0a, at) + 1;
  return bytes.subarray(at);
}

export async function startClickHouseHttpServer(): Promise<ClickHouseHttpServer> {
  const { Session } = await chdb();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sql-chdb-'));
  const session = new Session(path.join(dataDir, 'db'));
  const received: ReceivedQuery[] = [];
  const running = new Map<string, { stream: ChdbQueryStream; record: ReceivedQuery }>();

  const fail = (res: http.ServerResponse, message: string, status = 500) => {
    if (res.headersSent) {
      // ClickHouse reports a failure met mid-stream inside the JSON*EachRow output.
      res.end(`${JSON.stringify({ exception: message })}\n`);
      return;
    }
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': exceptionCode(message) });
    res.end(message.startsWith('Code:') ? message : `Code: 1000. DB::Exception: ${message}`);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/ping') {
      res.end('Ok.\n');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const queryId = url.searchParams.get('query_id') ?? `server-${received.length}`;
    const settings: Record<string, string> = {};
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) {
      if (k.startsWith('param_')) params[k.slice(6)] = v;
      else if (!NOT_SETTINGS.has(k)) settings[k] = v;
    }
    const urlQuery = url.searchParams.get('query');
    const sql = urlQuery ?? body.toString('utf8');
    const record: ReceivedQuery = { queryId, sql, settings, bytesSent: 0 };
    received.push(record);
    const headers = { 'X-ClickHouse-Query-Id': queryId, 'X-ClickHouse-Summary': '{}' };

    const kill = KILL.exec(sql);
    if (kill) {
      const target = running.get(kill[1]);
      if (target) {
        target.record.outcome = 'killed';
        target.stream.cancel();
      }
      record.outcome = 'done';
      res.writeHead(200, headers);
      res.end();
      return;
    }
    const insert = urlQuery !== null ? INSERT.exec(urlQuery) : null;
    if (insert) {
      // The body is the data (e.g. a Parquet file): hand it to the engine as a file.
      const file = path.join(dataDir, `${queryId}.${insert[3].toLowerCase()}`);
      fs.writeFileSync(file, body);
      try {
        const columns = insert[2] ? `(${insert[2]})` : '';
        session.query(`INSERT INTO ${insert[1]} ${columns} SELECT * FROM file('${file.replace(/'/g, "\\'")}', ${insert[3]})`);
        record.outcome = 'done';
        res.writeHead(200, headers);
        res.end();
      } catch (e) {
        record.outcome = 'error';
        fail(res, (e as Error).message.replace(/^Query failed: /, ''));
      } finally {
        fs.rmSync(file, { force: true });
      }
      return;
    }

    if (!/^\s*(SELECT|WITH)\b/i.test(sql)) {
      // DDL and other commands: chdb streams only queries.
      try {
        const out = await session.queryBindAsync(sql, params, { format: 'TabSeparated' });
        record.outcome = 'done';
        res.writeHead(200, headers);
        res.end(Buffer.from(out.bytes()));
      } catch (e) {
        record.outcome = 'error';
        fail(res, (e as Error).message.replace(/^Query failed: /, ''));
      }
      return;
    }
    const formatMatch = FORMAT_AT_END.exec(sql);
    const format = formatMatch?.[1] ?? 'TabSeparated';
    const statement = formatMatch ? sql.slice(0, formatMatch.index) : sql.replace(/;\s*$/, '');
    const settingsClause = Object.keys(settings).length
      ? ` SETTINGS ${Object.entries(settings).map(([k, v]) => `${k}=${settingValue(v)}`).join(', ')}`
      : '';
    const stream = session.queryStreamBind(`${statement}${settingsClause}`, params, { format });
    running.set(queryId, { stream, record });
    let clientGone = false;
    let sentChunks = 0;
    const headerLines = /WithNamesAndTypes$/i.test(format) ? 2 : /WithNames$/i.test(format) ? 1 : 0;
    res.on('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      record.outcome ??= 'cancelled';
      stream.cancel();
    });
    try {
      for await (const chunk of stream) {
        if (clientGone) break;
        if (!res.headersSent) res.writeHead(200, { ...headers, 'X-ClickHouse-Format': format, 'Content-Type': 'application/x-ndjson; charset=UTF-8' });
        // chdb formats every chunk whole, header included; ClickHouse sends the header once.
        const bytes = headerLines > 0 && sentChunks++ > 0 ? dropLines(chunk.raw(), headerLines) : chunk.raw();
        record.bytesSent += bytes.length;
        if (!res.write(bytes)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
      }
      if (!clientGone && !res.writableEnded) {
        if (!res.headersSent) res.writeHead(200, { ...headers, 'X-ClickHouse-Format': format });
        record.outcome ??= 'done';
        res.end();
      }
    } catch (e) {
      record.outcome ??= 'error';
      if (!clientGone) fail(res, (e as Error).message.replace(/^Query failed: /, ''));
    } finally {
      running.delete(queryId);
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.writableEnded) fail(res, e.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    exec: (sql) => session.query(sql, 'TabSeparated'),
    close: async () => {
      for (const { stream } of running.values()) stream.cancel();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      session.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

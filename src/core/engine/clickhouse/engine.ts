import { TimedCursor } from '../clock.js';
import { queryResult } from '../../readRows.js';
import { randomUUID } from 'node:crypto';
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings, type Row } from '@clickhouse/client';
import { catalog } from '../../schema/catalog.js';
import type { Manifest } from '../../snapshot/layout.js';
import { OnchainSqlError, toOnchainSqlError } from '../../errors.js';
import { DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_MS, type ColumnInfo, type QueryResult, type RunOptions } from '../engine.js';
import type { QueryCursor, QueryEngine } from '../protocol.js';
import type { SqlStructure } from '../../sql/structure.js';
import type { Cell } from '../values.js';
import { toDuckDbCell } from './cells.js';
import { checkTarget, contractTableName, displayUrl, qualifiedTable, type ClickHouseTarget } from './connection.js';
import { toClickHouseSql } from './translate.js';
import { ContractValidator } from './validator.js';

export interface ClickHouseEngineOptions {
  /** Server-side memory cap per query (max_memory_usage), bytes. Default 4 GiB. */
  maxMemoryBytes?: number;
  /** How often the server's newest block time is re-read, ms. Default one minute. */
  snapshotTimeRefreshMs?: number;
}

const DEFAULT_MAX_MEMORY = 4 * 2 ** 30;
const SNAPSHOT_TIME_REFRESH_MS = 60_000;
const FORMAT = 'JSONCompactEachRowWithNamesAndTypes';

/**
 * Settings that make ClickHouse answer as DuckDB does for the contract's SQL
 * (the dialect's traps): NULL for unmatched outer-join columns and for
 * aggregates over no rows, CASTs that keep NULLs, UNION meaning DISTINCT,
 * subqueries in FROM without an alias,
 * UTC, and wide integers quoted in JSON so no digit is lost.
 */
const SEMANTICS: ClickHouseSettings = {
  join_use_nulls: 1,
  aggregate_functions_null_for_empty: 1,
  cast_keep_nullable: 1,
  union_default_mode: 'DISTINCT',
  enable_positional_arguments: 1,
  prefer_column_name_to_alias: 1,
  joined_subquery_requires_alias: 0,
  session_timezone: 'UTC',
  output_format_json_quote_64bit_integers: 1,
  output_format_json_quote_decimals: 1,
  output_format_json_quote_denormals: 1,
  cancel_http_readonly_queries_on_client_close: 1,
};

/**
 * The contract on a ClickHouse server or cluster. Every statement is
 * validated by the DuckDB validator against the contract (the one validator),
 * translated to ClickHouse SQL, and run read-only and bounded on the server
 * (readonly=1, max_execution_time, max_memory_usage, max_result_rows with
 * overflow mode break). Rows are streamed: a cursor reads the HTTP response as
 * its pages are asked for, so paging never re-runs the query.
 */
export class ClickHouseEngine implements QueryEngine {
  private readonly cursors = new Set<ClickHouseCursor>();
  private closed = false;
  private snapshotTimeAt = performance.now();

  private constructor(
    readonly target: ClickHouseTarget,
    readonly manifest: Manifest,
    /** @internal */ readonly client: ClickHouseClient,
    private readonly validator: ContractValidator,
    /** @internal the server's newest block time, what snapshot_time() stands for (refreshed, see newestBlockTime). */
    public snapshotTime: string,
    /** @internal */ readonly maxMemoryBytes: number,
    private readonly snapshotTimeRefreshMs: number,
  ) {}

  static async open(target: ClickHouseTarget, options: ClickHouseEngineOptions = {}): Promise<ClickHouseEngine> {
    checkTarget(target);
    const client = createClient({
      url: target.url,
      database: target.database,
      username: target.user ?? 'default',
      password: target.password ?? '',
      application: 'onchain-sql',
      // Errors reach the caller as OnchainSqlError; the client's own log would print statements to the host's console.
      log: { level: ClickHouseLogLevel.OFF },
    });
    let validator: ContractValidator | undefined;
    try {
      const { manifest, snapshotTime } = await describeServer(client, target);
      validator = await ContractValidator.open(manifest);
      return new ClickHouseEngine(target, manifest, client, validator, snapshotTime, options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY, options.snapshotTimeRefreshMs ?? SNAPSHOT_TIME_REFRESH_MS);
    } catch (e) {
      validator?.close();
      await client.close().catch(() => undefined);
      throw e;
    }
  }

  async validate(sql: string): Promise<{ sql: string; columns: ColumnInfo[] }> {
    if (this.closed) throw closedError();
    const v = await this.validator.validate(sql);
    this.translate(v.sql);
    return { sql: v.sql, columns: v.columns };
  }

  describeStatement(sql: string, options: Pick<RunOptions, 'signal'> = {}): Promise<SqlStructure> {
    if (this.closed) return Promise.reject(closedError());
    return this.validator.describeStatement(sql, options);
  }

  /** The ClickHouse SQL a validated DuckDB statement runs as. */
  translate(duckdbSql: string): string {
    return toClickHouseSql(duckdbSql, {
      snapshotTime: this.snapshotTime,
      tableName: (namespace, name) => qualifiedTable(this.target.database, { namespace, name }),
    });
  }

  async query(sql: string, options: RunOptions = {}): Promise<QueryResult> {
    return queryResult(await this.openCursor(sql, options), options.maxRows ?? DEFAULT_MAX_ROWS);
  }


  async openCursor(sql: string, options: RunOptions = {}): Promise<ClickHouseCursor> {
    if (this.closed) throw closedError();
    if (options.signal?.aborted) throw cancelledError();
    const started = performance.now();
    const validated = await this.validator.validate(sql);
    await this.refreshSnapshotTime();
    const clickhouseSql = this.translate(validated.sql);
    const validateMs = performance.now() - started;
    if (options.signal?.aborted) throw cancelledError();
    try { options.onValidated?.(validated.sql); } catch { /* a progress callback never breaks a query */ }
    const cursor = new ClickHouseCursor(this, validated.sql, clickhouseSql, validated.columns, options, started, validateMs);
    this.cursors.add(cursor);
    try {
      await cursor.start();
      return cursor;
    } catch (e) {
      cursor.close();
      throw e;
    }
  }

  /**
   * A live cluster keeps growing: "today" and "last 24 hours" follow its newest
   * block, re-read at most once a minute (max(block_time) of a table
   * partitioned by it comes from part metadata). A failed read keeps the last one.
   */
  private async refreshSnapshotTime(): Promise<void> {
    if (performance.now() - this.snapshotTimeAt < this.snapshotTimeRefreshMs) return;
    this.snapshotTimeAt = performance.now();
    try {
      const rs = await this.client.query({
        query: `SELECT toString(max(block_time)) AS t FROM ${qualifiedTable(this.target.database, { namespace: 'ethereum', name: 'blocks' })}`,
        format: 'JSONEachRow',
        clickhouse_settings: { readonly: '1', max_execution_time: 10, session_timezone: 'UTC' },
      });
      const [row] = await rs.json<{ t: string }>();
      if (row?.t) this.snapshotTime = row.t.replace(/\.0+$/, '');
    } catch { /* keep the last known time */ }
  }

  /** @internal per-query limits and semantics. */
  settingsFor(options: RunOptions): ClickHouseSettings {
    const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const limits: ClickHouseSettings = {
      max_memory_usage: String(this.maxMemoryBytes),
      // One more than asked, to know whether the result was cut; the server stops at a block boundary past it.
      max_result_rows: String(maxRows + 1),
      result_overflow_mode: 'break',
    };
    if (timeoutMs > 0) {
      limits.max_execution_time = Math.max(1, Math.ceil(timeoutMs / 1000));
      limits.timeout_overflow_mode = 'throw';
    }
    // readonly last: once it applies, the request may not change settings.
    return { ...SEMANTICS, ...limits, readonly: '1' };
  }

  /** @internal */
  forget(cursor: ClickHouseCursor): void {
    this.cursors.delete(cursor);
  }

  /** @internal Stops a query on the server (the HTTP request is aborted too). */
  async kill(queryId: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/.test(queryId)) return;
    await this.client.command({ query: `KILL QUERY WHERE query_id = '${queryId}' ASYNC` }).catch(() => undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of [...this.cursors]) c.close();
    this.validator.close();
    void this.client.close().catch(() => undefined);
  }
}

/** A statement streaming from the server; pages are read from the HTTP response on demand. */
export class ClickHouseCursor extends TimedCursor implements QueryCursor {
  truncated = false;
  readonly queryId = randomUUID();
  private readonly abort = new AbortController();
  private rows: AsyncIterator<Row[]> | undefined;
  private buffered: unknown[][] = [];
  private headerRows = 2;
  private delivered = 0;
  private done = false;
  private closed = false;
  private cancelReason: 'cancelled' | 'timeout' | null = null;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly onAbort = () => this.cancel();

  constructor(
    private readonly engine: ClickHouseEngine,
    readonly sql: string,
    /** The statement as sent to the server. */
    readonly clickhouseSql: string,
    readonly columns: ColumnInfo[],
    private readonly options: RunOptions,
    started: number,
    validateMs: number,
  ) {
    super(started);
    this.clock.validateMs = validateMs;
  }

  private get maxRows(): number {
    return this.options.maxRows ?? DEFAULT_MAX_ROWS;
  }

  /** @internal sends the statement; resolves once the server has answered with its header. */
  async start(): Promise<void> {
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (timeoutMs > 0) this.timer = setTimeout(() => this.cancel('timeout'), timeoutMs);
    this.clock.startExecution();
    try {
      const result = await this.engine.client.query({
        query: this.clickhouseSql,
        format: FORMAT,
        query_id: this.queryId,
        abort_signal: this.abort.signal,
        clickhouse_settings: this.engine.settingsFor(this.options),
      });
      this.rows = result.stream()[Symbol.asyncIterator]();
      await this.fill(0);
    } catch (e) {
      throw this.translate(e);
    }
  }

  next(n: number): Promise<Cell[][] | null> {
    return this.inTurn(async () => {
      const want = Math.min(n, this.maxRows - this.delivered);
      if (want <= 0) {
        if (!this.truncated && !this.done) this.truncated = (await this.fill(1)) > 0;
        return null;
      }
      await this.fill(want + (this.delivered + want >= this.maxRows ? 1 : 0));
      if (this.buffered.length === 0) return null;
      const page = this.buffered.splice(0, want).map((r) => this.toCells(r));
      this.delivered += page.length;
      if (this.delivered >= this.maxRows && this.buffered.length > 0) this.truncated = true;
      if (this.truncated) this.stopReading();
      return page;
    });
  }

  skip(n: number): Promise<number> {
    return this.inTurn(async () => {
      const want = Math.max(0, Math.min(n, this.maxRows - this.delivered));
      await this.fill(want);
      const skipped = this.buffered.splice(0, want).length;
      this.delivered += skipped;
      return skipped;
    });
  }

  /** Calls are served one after another: one HTTP response is read by one reader. */
  private inTurn<T>(call: () => Promise<T>): Promise<T> {
    const run = this.queue.then(call);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private toCells(row: unknown[]): Cell[] {
    return this.columns.map((c, i) => toDuckDbCell(row[i], c.type));
  }

  /** Reads from the response until `n` rows are buffered or it ends; returns the rows buffered. */
  private async fill(n: number): Promise<number> {
    while (!this.done && (this.buffered.length < n || this.headerRows > 0)) {
      if (this.cancelReason) throw this.translate(new Error('cancelled'));
      let step: IteratorResult<Row[]>;
      try {
        step = await this.rows!.next();
      } catch (e) {
        throw this.translate(e);
      }
      if (this.cancelReason) throw this.translate(new Error('cancelled'));
      if (step.done) {
        this.markDone();
        break;
      }
      for (const row of step.value) {
        const value = row.json<unknown>();
        if (!Array.isArray(value)) throw this.translate(new Error(serverException(value) ?? 'ClickHouse sent a row that is not an array.'));
        if (this.headerRows > 0) {
          this.headerRows--;
          continue;
        }
        this.buffered.push(value);
      }
    }
    return this.buffered.length;
  }

  private markDone(): void {
    this.done = true;
    this.finish();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The rows past the cap are not needed: stop the server's work on them. */
  private stopReading(): void {
    if (this.done) return;
    this.markDone();
    this.abort.abort();
  }

  cancel(reason: 'cancelled' | 'timeout' = 'cancelled'): void {
    if (this.done || this.cancelReason) return;
    this.cancelReason = reason;
    this.abort.abort();
    void this.engine.kill(this.queryId);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (!this.done) {
      this.cancelReason ??= 'cancelled';
      this.abort.abort();
      void this.engine.kill(this.queryId);
    }
    this.done = true;
    this.buffered = [];
    this.engine.forget(this);
  }

  private translate(e: unknown): OnchainSqlError {
    if (e instanceof OnchainSqlError && (e.code === 'cancelled' || e.code === 'timeout')) return e;
    if (this.cancelReason === 'timeout') return timeoutError(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    if (this.cancelReason === 'cancelled') return cancelledError();
    const err = toOnchainSqlError(e);
    const code = (e as { code?: string }).code ?? /Code: (\d+)\./.exec(err.message)?.[1];
    const message = err.message.split('\n')[0].replace(/\s*\(version [^)]*\)\s*$/, '');
    switch (code) {
      case '159':
        return timeoutError(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      case '241':
        return new OnchainSqlError('resource_limit', `The query needs more memory than allowed on the ClickHouse server: ${message}. Aggregate more, or add a LIMIT.`);
      case '394':
        return cancelledError();
      case '164':
        return new OnchainSqlError('forbidden_statement', `The ClickHouse server refused the statement as not read-only: ${message}`);
      default:
        return new OnchainSqlError('runtime_error', `ClickHouse: ${message}`);
    }
  }
}

/** ClickHouse's JSON*EachRow formats report a failure met mid-stream as {"exception": "..."}. */
function serverException(value: unknown): string | undefined {
  const ex = (value as { exception?: unknown } | null)?.exception;
  return typeof ex === 'string' ? ex : undefined;
}

/** The server's contract tables, their row counts and newest block: the manifest of a remote "snapshot". */
async function describeServer(client: ClickHouseClient, target: ClickHouseTarget): Promise<{ manifest: Manifest; snapshotTime: string }> {
  const settings: ClickHouseSettings = { readonly: '1', max_execution_time: 30, output_format_json_quote_64bit_integers: 1 };
  let present: Set<string>;
  try {
    const rs = await client.query({
      query: 'SELECT name FROM system.tables WHERE database = {db:String}',
      query_params: { db: target.database },
      format: 'JSONEachRow',
      clickhouse_settings: settings,
    });
    present = new Set((await rs.json<{ name: string }>()).map((r) => r.name));
  } catch (e) {
    throw new OnchainSqlError('snapshot_missing', `Cannot reach ClickHouse at ${displayUrl(target.url)}: ${toOnchainSqlError(e).message.split('\n')[0]}`, [
      'Check --url (the HTTP interface, usually port 8123 or 8443), --user and the password in ONCHAIN_SQL_CLICKHOUSE_PASSWORD.',
    ]);
  }
  const missing = catalog.tables.filter((t) => !present.has(contractTableName(t)));
  if (missing.length) {
    throw new OnchainSqlError('snapshot_corrupt', `The ClickHouse database ${target.database} at ${displayUrl(target.url)} lacks the contract tables ${missing.map(contractTableName).join(', ')}.`, [
      `Load a snapshot into it: onchain-sql clickhouse load --snapshot DIR --url ${displayUrl(target.url)} --database ${target.database}`,
    ]);
  }
  const counts = catalog.tables.map((t) => `(SELECT count() FROM ${qualifiedTable(target.database, t)}) AS ${contractTableName(t)}`).join(', ');
  const blocks = qualifiedTable(target.database, { namespace: 'ethereum', name: 'blocks' });
  const rs = await client.query({
    query: `SELECT toString(min(block_number)) AS first_block, toString(max(block_number)) AS last_block, toString(min(block_time)) AS first_time, toString(max(block_time)) AS last_time, ${counts} FROM ${blocks}`,
    format: 'JSONEachRow',
    clickhouse_settings: { ...settings, session_timezone: 'UTC' },
  });
  const [facts] = await rs.json<Record<string, string | number>>();
  if (!facts) throw new OnchainSqlError('snapshot_corrupt', `The ClickHouse database ${target.database} gave no facts about ethereum_blocks.`);
  const lastTime = String(facts.last_time).replace(/\.0+$/, '');
  const manifest: Manifest = {
    chain: 'ethereum',
    schemaVersion: 1,
    synthetic: false,
    source: 'clickhouse',
    blockRange: { first: Number(facts.first_block), last: Number(facts.last_block) },
    timeRange: { first: String(facts.first_time).replace(/\.0+$/, ''), last: lastTime },
    rowCounts: Object.fromEntries(catalog.tables.map((t) => [`${t.namespace}.${t.name}`, Number(facts[contractTableName(t)])])),
    createdAt: new Date().toISOString(),
  };
  return { manifest, snapshotTime: lastTime };
}


function closedError(): OnchainSqlError {
  return new OnchainSqlError('snapshot_missing', 'The ClickHouse connection has been closed.');
}

function cancelledError(): OnchainSqlError {
  return new OnchainSqlError('cancelled', 'The query was cancelled.');
}

function timeoutError(ms: number): OnchainSqlError {
  return new OnchainSqlError('timeout', `The query ran longer than ${ms} ms and was stopped on the ClickHouse server. Narrow the time window, add a LIMIT, or raise the query timeout setting.`);
}

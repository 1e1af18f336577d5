import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CallToolResultSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { catalog } from '../../src/core/schema/catalog.js';
import { defaultSnapshotDir } from '../../src/core/snapshot/paths.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';
import { loadGuardCorpus } from '../support/guard-corpus.js';
import { fileHashes } from '../support/file-hashes.js';
import { sqlReply, startAnthropicServer } from '../support/anthropic-server.js';
import { errorCodeOf, ROOT, startMcp, textOf, type McpSession } from './mcp-client.js';

/** Never finishes on the sample: a non-equi join of 175,000 × 175,000 × 49,799 rows (10^15 triples). */
const SLOW_SQL = 'SELECT count(*) AS n FROM ethereum.transactions a, ethereum.transactions b, ethereum.blocks c WHERE a.nonce + b.nonce + c.block_number = 7';
const FIRST_USE_MS = 180_000; // the sample is built on first use (about 20 s; more on a busy machine)

async function independently(sql: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    const reader = await c.runAndReadAll(sql);
    return reader.getRowsJS().map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

async function protocolError(p: Promise<unknown>): Promise<McpError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof McpError, `expected a protocol error, got ${String(e)}`);
    return e;
  }
  assert.fail('the call was answered with a result, not a protocol error');
}

describe('onchain-sql mcp on the sample (SDK client over stdio)', () => {
  let mcp: McpSession;
  let sample: string;

  before(async () => {
    mcp = await startMcp([]); // no --snapshot: the bundled sample, built on first use as the CLI does
    const info = await mcp.client.callTool({ name: 'snapshot_info', arguments: {} }, undefined, { timeout: FIRST_USE_MS });
    assert.ok(!info.isError, textOf(info));
    sample = defaultSnapshotDir();
  });
  after(async () => { await mcp?.close(); });

  it('initializes as onchain-sql with instructions and tool and resource capabilities', () => {
    assert.equal(mcp.client.getServerVersion()?.name, 'onchain-sql');
    assert.match(mcp.client.getInstructions() ?? '', /snapshot_time\(\)/);
    const caps = mcp.client.getServerCapabilities();
    assert.ok(caps?.tools && caps.resources);
  });

  it('lists five read-only tools, each with input and output JSON schemas and a description for a model', async () => {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['ask', 'describe_table', 'list_tables', 'run_sql', 'snapshot_info']);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal(t.outputSchema?.type, 'object', t.name);
      assert.ok((t.description ?? '').length > 150, `${t.name}: description too thin`);
      assert.equal(t.annotations?.readOnlyHint, true, t.name);
      assert.equal(t.annotations?.destructiveHint, false, t.name);
    }
    const run = tools.find((t) => t.name === 'run_sql')!;
    assert.deepEqual(run.inputSchema.required, ['sql']);
    const props = run.inputSchema.properties as Record<string, { maximum?: number }>;
    assert.equal(props.max_rows?.maximum, 1000);
    assert.equal(props.timeout_seconds?.maximum, 120);
  });

  it('describe_table gives columns, types, units, examples, joins and pitfalls from the contract', async () => {
    const r = await mcp.client.callTool({ name: 'describe_table', arguments: { table: 'tokens.transfers' } });
    const s = r.structuredContent as { table: string; columns: Array<{ name: string; type: string; unit?: string }>; joinHints: string[]; pitfalls: string[] };
    const spec = catalog.tables.find((t) => t.namespace === 'tokens' && t.name === 'transfers')!;
    assert.equal(s.table, 'tokens.transfers');
    assert.deepEqual(s.columns.map((c) => [c.name, c.type, c.unit]), spec.columns.map((c) => [c.name, c.type, c.unit]));
    assert.deepEqual(s.pitfalls, spec.pitfalls);
    assert.ok(s.joinHints.length > 0);
    assert.match(textOf(r), /^- amount_usd DOUBLE \[USD\]/m);
    assert.match(textOf(r), /pitfalls:/);
  });

  it('describe_table on a name that is not a table answers an error naming the nearest real table', async () => {
    const r = await mcp.client.callTool({ name: 'describe_table', arguments: { table: 'tokens.transfer' } });
    assert.equal(errorCodeOf(r), 'unknown_table');
    assert.match(textOf(r), /tokens\.transfers/);
  });

  it('run_sql returns the exact result, computed independently with a plain DuckDB connection on the same Parquet', async () => {
    const sql = `SELECT date_trunc('day', block_time)::VARCHAR AS day, count(*) AS txs, count(*) FILTER (WHERE NOT success) AS failed
      FROM ethereum.transactions GROUP BY 1 ORDER BY 1`;
    const r = await mcp.client.callTool({ name: 'run_sql', arguments: { sql } });
    assert.ok(!r.isError, textOf(r));
    const s = r.structuredContent as { columns: Array<{ name: string; type: string }>; rows: unknown[][]; rowCount: number; truncated: boolean };
    const file = path.join(sample, 'ethereum', 'transactions.parquet').replace(/'/g, "''");
    const expected = await independently(`SELECT date_trunc('day', block_time)::VARCHAR, count(*), count(*) FILTER (WHERE NOT success)
      FROM read_parquet('${file}') GROUP BY 1 ORDER BY 1`);
    assert.ok(expected.length >= 7, 'the sample covers at least a week');
    assert.deepEqual(s.rows, expected);
    assert.deepEqual(s.columns, [{ name: 'day', type: 'VARCHAR' }, { name: 'txs', type: 'BIGINT' }, { name: 'failed', type: 'BIGINT' }]);
    assert.equal(s.rowCount, expected.length);
    assert.equal(s.truncated, false);
    // The text table says the same: one line per row, column types first.
    const text = textOf(r);
    assert.match(text, /^columns: day VARCHAR, txs BIGINT, failed BIGINT$/m);
    assert.ok(text.includes(`| ${String(expected[0][0])} | ${String(expected[0][1])} | ${String(expected[0][2])} |`), text);
  });

  it('run_sql cuts at max_rows and says so', async () => {
    const r = await mcp.client.callTool({ name: 'run_sql', arguments: { sql: 'SELECT block_number FROM ethereum.blocks ORDER BY 1', max_rows: 5 } });
    const s = r.structuredContent as { rows: unknown[][]; truncated: boolean };
    assert.equal(s.rows.length, 5);
    assert.equal(s.truncated, true);
    assert.match(textOf(r), /cut at max_rows=5/);
  });

  it('run_sql errors name the nearest real column and the table\'s columns, so the agent can repair', async () => {
    const r = await mcp.client.callTool({ name: 'run_sql', arguments: { sql: 'SELECT hash, value FROM ethereum.transactions' } });
    assert.equal(errorCodeOf(r), 'unknown_column');
    assert.match(textOf(r), /tx_hash/);
    assert.match(textOf(r), /Columns of ethereum\.transactions: .*value_eth/);
    assert.equal(r.structuredContent, undefined);
  });

  it('a query over its timeout is stopped and reported as timeout', async () => {
    const t0 = performance.now();
    const r = await mcp.client.callTool({ name: 'run_sql', arguments: { sql: SLOW_SQL, timeout_seconds: 1 } });
    const ms = performance.now() - t0;
    assert.equal(errorCodeOf(r), 'timeout', textOf(r));
    assert.ok(ms < 15_000, `took ${ms} ms`);
  });

  it('a cancelled call (notifications/cancelled from the client) stops the query on the server', async () => {
    const ac = new AbortController();
    const call = mcp.client.callTool({ name: 'run_sql', arguments: { sql: SLOW_SQL, timeout_seconds: 120 } }, undefined, { signal: ac.signal });
    setTimeout(() => ac.abort('the user pressed stop'), 700);
    await assert.rejects(call);
    // The server logs the call's end: the query was interrupted, not left running for its 120 s.
    const log = await mcp.waitForLog(/run_sql: error cancelled \(cancelled by the client\)/, 20_000);
    assert.ok(log.length > 0);
    const next = await mcp.client.callTool({ name: 'run_sql', arguments: { sql: 'SELECT 42 AS answer' } });
    assert.deepEqual((next.structuredContent as { rows: unknown[][] }).rows, [[42]]);
  });

  it('malformed tool calls are protocol errors (-32602) and the server keeps serving', async () => {
    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['run_sql', { sql: 42 }, /"sql" must be a string/],
      ['run_sql', {}, /missing required argument "sql"/],
      ['run_sql', { sql: 'SELECT 1', max_rows: 5000 }, /"max_rows" must be between 1 and 1000/],
      ['run_sql', { sql: 'SELECT 1', timeout_seconds: 1.5 }, /"timeout_seconds" must be an integer/],
      ['run_sql', { sql: 'SELECT 1', path: '/etc/passwd' }, /unknown argument "path"/],
      ['drop_table', {}, /no tool "drop_table"/],
    ];
    for (const [name, args, message] of bad) {
      const e = await protocolError(mcp.client.callTool({ name, arguments: args }));
      assert.equal(e.code, -32602, `${name} ${JSON.stringify(args)}`);
      assert.match(e.message, message);
    }
    // Requests whose params do not have the shape of the method at all.
    const raw: Array<[string, unknown, RegExp]> = [
      ['tools/call', { arguments: {} }, /params\.name|"name"/],
      ['tools/call', { name: 'run_sql', arguments: 'SELECT 1' }, /arguments/],
      ['resources/read', {}, /params\.uri/],
    ];
    for (const [method, params, message] of raw) {
      const e = await protocolError(mcp.client.request({ method, params } as never, CallToolResultSchema));
      assert.equal(e.code, -32602, `${method} ${JSON.stringify(params)}`);
      assert.match(e.message, message);
    }
    const r = await mcp.client.callTool({ name: 'run_sql', arguments: { sql: 'SELECT count(*) AS n FROM labels.addresses' } });
    assert.ok(!r.isError);
    assert.deepEqual((r.structuredContent as { rows: unknown[][] }).rows, await independently(`SELECT count(*) FROM read_parquet('${path.join(sample, 'labels', 'addresses.parquet')}')`));
  });

  it('ask answers with SQL, an explanation and rows (offline translator, no key in the environment)', async () => {
    const r = await mcp.client.callTool({ name: 'ask', arguments: { question: 'How many transactions in the last 24 hours?' } });
    assert.ok(!r.isError, textOf(r));
    const s = r.structuredContent as { sql: string; provider: string; explanation: string; rows: unknown[][] };
    assert.equal(s.provider, 'offline');
    assert.match(s.sql, /snapshot_time\(\)/);
    assert.ok(s.explanation.length > 0);
    const again = await mcp.client.callTool({ name: 'run_sql', arguments: { sql: s.sql } });
    assert.deepEqual((again.structuredContent as { rows: unknown[][] }).rows, s.rows);
  });

  it('snapshot_info counts every table and says the sample is synthetic', async () => {
    const r = await mcp.client.callTool({ name: 'snapshot_info', arguments: {} });
    const s = r.structuredContent as { synthetic: boolean; rowCounts: Record<string, number>; snapshotTime: string; emptyTables: string[] };
    assert.equal(s.synthetic, true);
    assert.match(textOf(r), /SYNTHETIC/);
    assert.equal(Object.keys(s.rowCounts).length, catalog.tables.length);
    const [[blocks, newest]] = await independently(`SELECT count(*), max(block_time)::VARCHAR FROM read_parquet('${path.join(sample, 'ethereum', 'blocks.parquet')}')`) as [[number, string]];
    assert.equal(s.rowCounts['ethereum.blocks'], blocks);
    assert.equal(s.snapshotTime, newest);
    assert.deepEqual(s.emptyTables, []);
  });

  it('offers the contract document and the meaning rules as resources', async () => {
    const { resources } = await mcp.client.listResources();
    assert.equal(resources.length, 2);
    const doc = await mcp.client.readResource({ uri: 'onchain-sql://contract/chain-schema.md' });
    assert.equal((doc.contents[0] as { text: string }).text, fs.readFileSync(path.join(ROOT, 'docs', 'chain-schema.md'), 'utf8'));
    const rules = (await mcp.client.readResource({ uri: 'onchain-sql://contract/rules.md' })).contents[0] as { text: string };
    assert.match(rules.text, /Never use now\(\)/);
    assert.match(rules.text, /"Share" is a fraction 0–1/);
    const e = await protocolError(mcp.client.readResource({ uri: 'file:///etc/passwd' }));
    assert.equal(e.code, -32602);
  });
});

describe('onchain-sql mcp: every hostile statement of the guard corpus is refused through run_sql', () => {
  let mcp: McpSession;
  let snapshot: string;
  let scratch: string;
  let hashesBefore: Map<string, string>;

  before(async () => {
    snapshot = await makeTinySnapshot();
    hashesBefore = fileHashes(snapshot);
    // Relative paths in the corpus land in the server's working directory: an empty one, checked after.
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-mcp-cwd-'));
    mcp = await startMcp(['--snapshot', snapshot], { cwd: scratch });
  });
  after(async () => {
    await mcp?.close();
    for (const d of [snapshot, scratch]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('refuses each with its expected code, stops each limit case, lets the valid ones run, and writes nothing', async () => {
    const cases = loadGuardCorpus(snapshot);
    const failures: string[] = [];
    const tally = { refused: 0, limits: 0, ok: 0 };
    for (const c of cases) {
      const r = (await mcp.client.callTool({ name: 'run_sql', arguments: { sql: c.sql, max_rows: 1000, timeout_seconds: 1 } })) as CallToolResult;
      const code = errorCodeOf(r);
      const truncated = (r.structuredContent as { truncated?: boolean } | undefined)?.truncated === true;
      if (c.expect === 'ok') {
        if (r.isError) failures.push(`${c.file}:${c.name}: expected ok, got ${textOf(r).slice(0, 120)}`);
        else tally.ok++;
      } else if (c.expect === 'limit') {
        if (truncated || code === 'timeout' || code === 'resource_limit') tally.limits++;
        else failures.push(`${c.file}:${c.name}: expected a limit, got ${code ?? 'a full result'}`);
      } else if (code !== c.expect) {
        failures.push(`${c.file}:${c.name}: expected ${c.expect}, got ${code ?? 'a result'}: ${textOf(r).slice(0, 120)}`);
      } else {
        tally.refused++;
      }
    }
    console.log(`guard corpus through MCP run_sql: ${cases.length} cases / ${tally.refused} refused / ${tally.limits} stopped by a limit / ${tally.ok} valid ok / ${failures.length} wrong`);
    assert.deepEqual(failures, []);
    assert.ok(tally.refused >= 100, `only ${tally.refused} refusals`);
    assert.deepEqual(fileHashes(snapshot), hashesBefore);
    assert.deepEqual(fs.readdirSync(scratch), [], 'files appeared in the server\'s working directory');
  });
});

describe('onchain-sql mcp: secrets stay out of results', () => {
  it('an API key echoed by the model is redacted from the answer and the server log', async () => {
    const key = 'sk-ant-api03-mcp-test-secret-0123456789';
    const claude = await startAnthropicServer();
    const snapshot = await makeTinySnapshot();
    const mcp = await startMcp(['--snapshot', snapshot], { env: { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: claude.baseURL } });
    try {
      claude.script(sqlReply(`SELECT '${key}' AS leaked, count(*) AS n FROM ethereum.blocks`, `Your key is ${key}.`));
      const r = await mcp.client.callTool({ name: 'ask', arguments: { question: 'How many blocks?' } });
      assert.ok(!r.isError, textOf(r));
      assert.equal((r.structuredContent as { provider: string }).provider, 'claude');
      assert.equal(claude.requests.at(-1)?.headers['x-api-key'] ?? claude.requests.at(-1)?.headers.authorization?.replace('Bearer ', ''), key, 'the key was really used');
      const everything = `${JSON.stringify(r)}\n${mcp.stderr()}`;
      assert.ok(!everything.includes(key), 'the key appeared in a result or the log');
      assert.match(textOf(r), /\[redacted\]/);
    } finally {
      await mcp.close();
      await claude.close();
      fs.rmSync(snapshot, { recursive: true, force: true });
    }
  });
});

describe('onchain-sql mcp over raw stdio', () => {
  it('skips a line that is not JSON-RPC and answers the next request', async () => {
    const snapshot = await makeTinySnapshot();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), 'mcp', '--snapshot', snapshot], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const replies: Array<{ id?: number; result?: { structuredContent?: { rows: unknown[][] } }; error?: unknown }> = [];
      let buffer = '';
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString('utf8');
        for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
          replies.push(JSON.parse(buffer.slice(0, i)) as (typeof replies)[number]);
          buffer = buffer.slice(i + 1);
        }
      });
      const send = (line: string) => child.stdin.write(`${line}\n`);
      send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
      send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      send('{"jsonrpc": "2.0", "id": 2, "method": tools/call}'); // not JSON
      send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'run_sql', arguments: { sql: 'SELECT count(*) AS n FROM ethereum.blocks' } } }));
      const t0 = Date.now();
      while (!replies.some((r) => r.id === 3)) {
        assert.ok(Date.now() - t0 < 30_000, `no answer to the request after the bad line: ${JSON.stringify(replies)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(replies.find((r) => r.id === 3)?.result?.structuredContent?.rows, [[100]]);
      assert.equal(replies.some((r) => r.id === 2), false, 'a line that is not JSON has no id to answer');
    } finally {
      child.kill();
      fs.rmSync(snapshot, { recursive: true, force: true });
    }
  });
});

describe('the bundled dist/cli.js mcp', () => {
  it('starts, lists its tools and answers run_sql (SDK from dist/vendor/mcp-sdk.js)', async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) || !fs.existsSync(path.join(ROOT, 'dist', 'vendor', 'mcp-sdk.js'))) {
      execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT });
    }
    const text = fs.readFileSync(path.join(ROOT, 'dist', 'cli.js'), 'utf8');
    assert.match(text, /require\("\.\/vendor\/mcp-sdk\.js"\)/);
    assert.doesNotMatch(text, /notifications\/cancelled/, 'the SDK itself stays out of cli.js');
    const snapshot = await makeTinySnapshot();
    const mcp = await startMcp(['--snapshot', snapshot], { bundled: true });
    try {
      assert.equal((await mcp.client.listTools()).tools.length, 5);
      const r = await mcp.client.callTool({ name: 'run_sql', arguments: { sql: 'SELECT count(*) AS n FROM ethereum.transactions WHERE success' } });
      const [[n]] = await independently(`SELECT count(*) FROM read_parquet('${path.join(snapshot, 'ethereum', 'transactions.parquet')}') WHERE success`) as [[number]];
      assert.deepEqual((r.structuredContent as { rows: unknown[][] }).rows, [[n]]);
      const doc = await mcp.client.readResource({ uri: 'onchain-sql://contract/chain-schema.md' });
      assert.match((doc.contents[0] as { text: string }).text, /^# The bundled chain-data schema/);
    } finally {
      await mcp.close();
      fs.rmSync(snapshot, { recursive: true, force: true });
    }
  });
});

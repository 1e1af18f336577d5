// The language-model tools, invoked in the real editor the way Copilot's agent mode or a chat participant calls them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api } from './helpers.js';

/** Never finishes on the sample (10^15 triples): returning at all within 20 s means the cancellation stopped it. */
const SLOW_SQL = 'SELECT count(*) AS n FROM ethereum.transactions a, ethereum.transactions b, ethereum.blocks c WHERE a.nonce + b.nonce + c.block_number = 7';

function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

async function invoke(name: string, input: object, token?: vscode.CancellationToken): Promise<string> {
  return textOf(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token));
}

suite('Language-model tools (vscode.lm)', () => {
  suiteSetup(async () => {
    await api();
  });

  test('registers onchain_run_sql (#onchain), onchain_describe_table, onchain_list_tables and onchain_snapshot_info with their schemas', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('onchain_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), ['onchain_describe_table', 'onchain_list_tables', 'onchain_run_sql', 'onchain_snapshot_info']);
    const run = ours.find((t) => t.name === 'onchain_run_sql')!;
    assert.match(run.description, /read-only DuckDB SELECT/);
    assert.deepEqual((run.inputSchema as { required?: string[] }).required, ['sql']);
    assert.ok(run.tags.includes('onchain-sql'));
  });

  test('onchain_run_sql answers with the exact count and the column types', async () => {
    const { session } = await api();
    const manifest = session.activeSnapshot().manifest;
    assert.ok(manifest, 'the sample snapshot is built');
    const text = await invoke('onchain_run_sql', { sql: 'SELECT count(*) AS blocks FROM ethereum.blocks' });
    console.log(`onchain_run_sql →\n${text}`);
    assert.match(text, /^columns: blocks BIGINT$/m);
    assert.ok(text.includes(`| ${manifest.rowCounts['ethereum.blocks']} |`), text);
  });

  test('onchain_describe_table lists columns with types and units', async () => {
    const text = await invoke('onchain_describe_table', { table: 'ethereum.transactions' });
    assert.match(text, /^- value_eth DOUBLE \[ETH\]/m);
    assert.match(text, /pitfalls:/);
  });

  test('a hostile statement is refused by the guard, with the reason, and nothing runs', async () => {
    const text = await invoke('onchain_run_sql', { sql: "COPY ethereum.blocks TO '/tmp/onchain-lm-tool-leak.csv'" });
    console.log(`refused →\n${text}`);
    assert.match(text, /^error forbidden_statement: /);
  });

  test('a name that does not exist comes back with the nearest real one', async () => {
    const text = await invoke('onchain_run_sql', { sql: 'SELECT hash FROM ethereum.transactions LIMIT 1' });
    assert.match(text, /^error unknown_column: /);
    assert.match(text, /tx_hash/);
  });

  test('arguments outside the schema are refused', async () => {
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool('onchain_run_sql', { input: { sql: 'SELECT 1', max_rows: 5000 }, toolInvocationToken: undefined })));
  });

  test('cancelling invocations stops their queries: with every pooled connection taken, the next query still answers at once', async () => {
    // More slow calls than the engine has connections (at most 4): if a cancelled query kept running, the next one would wait for it.
    const sources = Array.from({ length: 5 }, () => new vscode.CancellationTokenSource());
    const t0 = Date.now();
    const calls = sources.map((cts) => Promise.resolve(vscode.lm.invokeTool('onchain_run_sql', { input: { sql: SLOW_SQL, timeout_seconds: 120 }, toolInvocationToken: undefined }, cts.token))
      .then((r) => textOf(r), (e: unknown) => `rejected: ${e instanceof Error ? e.message : String(e)}`));
    await new Promise((r) => setTimeout(r, 1500));
    for (const cts of sources) cts.cancel();
    const outcomes = await Promise.all(calls);
    console.log(`cancelled after ${Date.now() - t0} ms → ${outcomes.join(' / ')}`);
    for (const o of outcomes) assert.match(o, /cancel/i);
    const t1 = Date.now();
    const next = await invoke('onchain_run_sql', { sql: 'SELECT 42 AS answer' });
    const ms = Date.now() - t1;
    console.log(`next query after the cancellations answered in ${ms} ms`);
    assert.match(next, /\| 42 \|/);
    assert.ok(ms < 15_000, `the next query waited ${ms} ms: the cancelled ones were still running`);
    for (const cts of sources) cts.dispose();
  });
});

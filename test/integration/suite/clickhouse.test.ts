import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import type { Answer } from '../../../src/core/answer.js';
import { compareResults, hasTopLevelOrderBy } from '../../../src/core/eval/compare.js';
import { api, setSetting } from './helpers.js';

/**
 * The editor on the ClickHouse engine: the tests' ClickHouse HTTP server (chdb,
 * from the toolchain cache) runs in a child process with the sample snapshot
 * loaded; the extension, set to onchainSql.engine=clickhouse and its URL,
 * answers through the palette's ask command with the same rows as DuckDB.
 */

// out/test/index.js → the extension root (the checkout).
const ROOT = path.resolve(__dirname, '..', '..');
const QUESTIONS = ['How many blocks were produced in the last 24 hours?', 'Top 5 tokens by number of transfers'];

suite('ClickHouse engine in the editor', () => {
  let child: ChildProcess | undefined;
  let url = '';
  const received: string[] = [];

  suiteSetup(async function () {
    this.timeout(10 * 60_000);
    const { session } = await api();
    await session.getEngine(); // builds the sample snapshot if it is not there yet
    const snapshot = session.activeSnapshot().dir;
    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'support', 'clickhouse-http-server-main.ts'), snapshot, 'itest'], {
      cwd: ROOT, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    url = await new Promise<string>((resolve, reject) => {
      const lines = readline.createInterface({ input: child!.stdout! });
      lines.on('line', (line) => {
        const msg = JSON.parse(line) as { url?: string; received?: string };
        if (msg.url) resolve(msg.url);
        if (msg.received) received.push(msg.received);
      });
      child!.on('exit', (code) => reject(new Error(`the ClickHouse test server exited (${code}) before listening:\n${stderr.slice(-2_000)}`)));
    });
  });

  suiteTeardown(async () => {
    await setSetting('engine', undefined);
    await setSetting('clickhouse.url', undefined);
    await setSetting('clickhouse.database', undefined);
    child?.kill('SIGTERM');
  });

  const ask = (q: string) => vscode.commands.executeCommand<Answer>('onchainSql.ask', q);

  test('ask on ClickHouse gives the same rows as on the local snapshot (DuckDB)', async function () {
    this.timeout(5 * 60_000);
    const local: Answer[] = [];
    for (const q of QUESTIONS) local.push(await ask(q));
    await setSetting('clickhouse.url', url);
    await setSetting('clickhouse.database', 'itest');
    await setSetting('engine', 'clickhouse');
    for (const [i, q] of QUESTIONS.entries()) {
      const before = received.length;
      const remote = await ask(q);
      assert.ok(local[i].rowCount > 0, `DuckDB answered "${q}" with no rows`);
      assert.equal(remote.sql, local[i].sql, 'the same DuckDB SQL is generated and validated on both engines');
      // The eval's execution comparison (order matters only under a top-level ORDER BY).
      const cmp = compareResults(local[i], remote, hasTopLevelOrderBy(remote.sql));
      assert.ok(cmp.match && remote.rowCount === local[i].rowCount, `"${q}": ${cmp.reason ?? ''} (DuckDB ${local[i].rowCount} rows, ClickHouse ${remote.rowCount})`);
      // Proof the server answered: it received a statement over the loaded tables.
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(received.slice(before).some((sql) => sql.includes('`itest`.')), `the ClickHouse server received no query for "${q}"`);
    }
  });
});

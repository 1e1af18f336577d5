import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ask, AskError } from '../../src/core/ask.js';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { exportResult } from '../../src/core/export.js';
import { ClaudeProvider, type ClaudeOptions } from '../../src/core/nl2sql/claude.js';
import { OfflineProvider } from '../../src/core/nl2sql/offline/index.js';
import { errorReply, sqlReply, textReply, type Scripted } from '../support/anthropic-server.js';
import { snapshotSuite } from '../support/snapshot-suite.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';
import { changedFiles, fileHashes, refusal, ROOT } from './support.js';
import { Counter } from './tally.js';
import { skipReason } from '../support/skip.js';
import { freePort } from '../support/free-port.js';

// Category 4: bad input everywhere gets a specific error that says what to do, never a crash.
const KEY = 'sk-ant-sec-BADINPUT-1111-not-a-real-key';
const FAST_RETRY = { 'retry-after-ms': '5' };

describe('security 4: bad input', () => {
  const live = snapshotSuite({ snapshot: () => makeTinySnapshot(), scratchPrefix: 'onchain-sec-bad-', engine: { connections: 2, threads: 1 }, server: true, onDone: () => { for (const c of Object.values(counters)) c.flush(); } });
  const claude = (o: ClaudeOptions = {}) => new ClaudeProvider({ apiKey: KEY, baseURL: live.server.baseURL, maxRetries: 0, timeoutMs: 5_000, ...o });
  const counters = {
    questions: new Counter('bad input', 'questions'),
    replies: new Counter('bad input', 'model replies'),
    api: new Counter('bad input', 'API errors'),
    snapshots: new Counter('bad input', 'snapshot files'),
    exports: new Counter('bad input', 'export targets'),
  };


  it('questions: empty, whitespace, 20,000 chars, other languages, emoji, SQL — answered or refused specifically', async () => {
    const offline = await OfflineProvider.forEngine(live.engine);
    const hashes = fileHashes(live.dir);
    const cases: Array<{ q: string; expect: (r: unknown) => boolean }> = [
      { q: '', expect: (r) => r instanceof OnchainSqlError && r.code === 'empty_question' },
      { q: ' \n\t\u00a0 ', expect: (r) => r instanceof OnchainSqlError && r.code === 'empty_question' },
      { q: 'how many blocks '.repeat(1_250), expect: (r) => r instanceof OnchainSqlError && r.code === 'too_long' && /limit is 4,000/.test(r.message) },
      ...['过去24小时有多少笔交易？', 'كم عدد المعاملات في آخر 24 ساعة؟', 'Сколько транзакций было за последние 24 часа?', '🔥🚀💸 how many 🧱 blocks? 🤔', '\u202eskcolb ynam woh',
        'SELECT * FROM ethereum.blocks; DROP TABLE ethereum.blocks', "'; ATTACH '/tmp/x.db' AS x; --", 'COPY ethereum.transactions TO \'/tmp/stolen.csv\''].map((q) => ({
        q,
        // Either a real answer, or a refusal with a specific code and next steps (never a crash or raw DuckDB text).
        expect: (r: unknown) => (r !== null && typeof r === 'object' && 'rows' in r) || (r instanceof OnchainSqlError && ['cannot_answer', 'empty_question'].includes(r.code) && r.message.length > 20),
      })),
    ];
    const problems: string[] = [];
    for (const c of cases) {
      let r: unknown;
      try { r = await ask(live.engine, c.q, { provider: offline }); } catch (e) { r = e; }
      if (!counters.questions.check(c.expect(r), r instanceof OnchainSqlError || (r && typeof r === 'object' && 'rows' in r) ? undefined : `crash: ${String(r)}`)) {
        problems.push(`${JSON.stringify(c.q.slice(0, 40))}: ${r instanceof Error ? `${(r as OnchainSqlError).code}: ${r.message}` : JSON.stringify(r).slice(0, 200)}`);
      }
    }
    // Claude gets the same questions: the refusals come before any request is sent.
    const sent = live.server.requests.length;
    for (const q of ['', '   ', 'x'.repeat(20_000)]) {
      const r = await refusal(ask(live.engine, q, { provider: claude() }));
      counters.questions.check(r instanceof OnchainSqlError && ['empty_question', 'too_long'].includes(r.code));
    }
    assert.equal(live.server.requests.length, sent, 'nothing was sent for an empty or overlong question');
    assert.deepEqual(problems, []);
    assert.deepEqual(changedFiles(hashes, fileHashes(live.dir)), []);
    assert.ok(!fs.existsSync('/tmp/stolen.csv') && !fs.existsSync('/tmp/x.db'));
  });

  it('model replies: prose, empty, fenced, two statements, unknown tables', async () => {
    const cases: Array<{ name: string; reply: Scripted; expect: (r: OnchainSqlError | string | { rows: unknown[][] }) => boolean }> = [
      { name: 'prose', reply: textReply('You should look at the blocks table, it has what you need.'), expect: (r) => r instanceof OnchainSqlError && r.code === 'provider_error' && /prose instead of calling submit_query/.test(r.message) },
      { name: 'empty', reply: textReply(''), expect: (r) => r instanceof OnchainSqlError && /no content/.test(r.message) },
      { name: 'empty sql', reply: sqlReply('   '), expect: (r) => r instanceof OnchainSqlError && /empty "sql"/.test(r.message) },
      { name: 'fenced', reply: sqlReply('```sql\nSELECT count(*) AS n FROM ethereum.blocks\n```'), expect: (r) => typeof r === 'object' && 'rows' in r && r.rows[0]?.[0] === 100 },
      { name: 'two statements', reply: sqlReply('SELECT 1 AS a; SELECT 2 AS b'), expect: (r) => r instanceof OnchainSqlError && r.code === 'multiple_statements' },
      { name: 'unknown table', reply: sqlReply('SELECT * FROM ethereum.swaps'), expect: (r) => r instanceof OnchainSqlError && r.code === 'unknown_table' && /dex\.trades|ethereum\./.test(`${r.message} ${r.suggestions.join(' ')}`) },
      { name: 'unknown schema', reply: sqlReply('SELECT * FROM uniswap.pools'), expect: (r) => r instanceof OnchainSqlError && r.code === 'unknown_table' },
      { name: 'unknown column', reply: sqlReply('SELECT timestamp FROM ethereum.blocks'), expect: (r) => r instanceof OnchainSqlError && ['unknown_column', 'bind_error'].includes(r.code) && /block_time/.test(`${r.message} ${r.suggestions.join(' ')}`) },
      { name: 'unknown tool', reply: { kind: 'tool', name: 'run_shell', input: { cmd: 'rm -rf /' } }, expect: (r) => r instanceof OnchainSqlError && /unknown tool "run_shell"/.test(r.message) },
    ];
    const problems: string[] = [];
    for (const c of cases) {
      live.server.script(c.reply);
      let r: OnchainSqlError | string | { rows: unknown[][] };
      try { r = await ask(live.engine, 'How many blocks are there?', { provider: claude(), maxRepairs: 0 }); } catch (e) { r = e instanceof OnchainSqlError ? e : `crash: ${String(e)}`; }
      if (!counters.replies.check(c.expect(r), typeof r === 'string' ? r : undefined)) problems.push(`${c.name}: ${r instanceof OnchainSqlError ? `${r.code}: ${r.message}` : JSON.stringify(r).slice(0, 200)}`);
    }
    assert.deepEqual(problems, []);
  });

  it('API errors 401/403/404/429/500/529, timeout and connection refused each give a specific message', async () => {
    const port = await freePort();
    const cases: Array<{ name: string; reply?: Scripted; options?: ClaudeOptions; code: string; message: RegExp }> = [
      { name: '401', reply: errorReply(401, 'authentication_error', `invalid x-api-key ${KEY}`), code: 'provider_error', message: /key was rejected \(401 invalid key\).*Set a valid key/ },
      { name: '403', reply: errorReply(403, 'permission_error', 'no access'), code: 'provider_error', message: /403 permission denied.*Anthropic Console/ },
      { name: '404', reply: errorReply(404, 'not_found_error', 'model: claude-nope'), options: { model: 'claude-nope' }, code: 'provider_error', message: /Model 'claude-nope' was not found.*Set the model setting/ },
      { name: '429', reply: errorReply(429, 'rate_limit_error', 'rate limited', FAST_RETRY), code: 'provider_error', message: /rate-limiting this key \(429\).*Wait a minute/ },
      { name: '500', reply: errorReply(500, 'api_error', 'Internal server error', FAST_RETRY), code: 'provider_error', message: /server error \(500\).*Try again later/ },
      { name: '529', reply: errorReply(529, 'overloaded_error', 'Overloaded', FAST_RETRY), code: 'provider_error', message: /overloaded \(529\).*Try again in a moment/ },
      { name: 'timeout', reply: { kind: 'hang' }, options: { timeoutMs: 300 }, code: 'timeout', message: /did not answer within 300 ms/ },
      { name: 'connection refused', options: { baseURL: `http://127.0.0.1:${port}` }, code: 'provider_error', message: new RegExp(`127\\.0\\.0\\.1:${port}: the connection was refused`) },
    ];
    const problems: string[] = [];
    for (const c of cases) {
      if (c.reply) live.server.script(c.reply);
      const r = await refusal(ask(live.engine, 'How many blocks are there?', { provider: claude(c.options), maxRepairs: 2 }));
      const ok = r instanceof AskError && r.code === c.code && c.message.test(r.message) && !r.message.includes(KEY) && r.attempts.length === 0;
      if (!counters.api.check(ok, typeof r === 'string' ? `${c.name}: ${r}` : undefined)) problems.push(`${c.name}: ${typeof r === 'string' ? r : `${r.code}: ${r.message}`}`);
    }
    assert.deepEqual(problems, []);
    assert.equal(live.server.pending(), 0);
  });

  it('snapshots: corrupt, truncated, missing, wrong-schema files and a deleted folder give snapshot_corrupt/snapshot_missing', async () => {
    const copy = () => {
      const d = fs.mkdtempSync(path.join(live.scratch, 'snap-'));
      fs.cpSync(live.dir, d, { recursive: true });
      return d;
    };
    const blocks = (d: string) => path.join(d, 'ethereum', 'blocks.parquet');
    const problems: string[] = [];
    const expectOpen = async (name: string, d: string, code: string, message: RegExp) => {
      const r = await refusal(Engine.open(d, { connections: 1, threads: 1 }));
      const ok = r instanceof OnchainSqlError && r.code === code && message.test(r.message);
      if (!counters.snapshots.check(ok, typeof r === 'string' && r.startsWith('crashed') ? `${name}: ${r}` : undefined)) problems.push(`${name}: ${typeof r === 'string' ? r : `${r.code}: ${r.message}`}`);
      if (r === 'succeeded') problems.push(`${name}: opened`);
    };
    let d = copy();
    fs.writeFileSync(blocks(d), 'this is not parquet at all');
    await expectOpen('corrupt', d, 'snapshot_corrupt', /blocks\.parquet.*Rebuild or re-import/);
    d = copy();
    const bytes = fs.readFileSync(blocks(d));
    fs.writeFileSync(blocks(d), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectOpen('truncated', d, 'snapshot_corrupt', /blocks\.parquet.*Rebuild or re-import/);
    d = copy();
    fs.rmSync(blocks(d));
    await expectOpen('missing file', d, 'snapshot_corrupt', /no file for ethereum\.blocks.*Rebuild or re-import/);
    d = copy();
    fs.rmSync(path.join(d, 'manifest.json'));
    await expectOpen('missing manifest', d, 'snapshot_missing', /not a snapshot.*snapshot build/);
    d = copy();
    fs.writeFileSync(path.join(d, 'manifest.json'), '{"chain": "ethereum", ');
    await expectOpen('corrupt manifest', d, 'snapshot_corrupt', /not valid JSON/);
    await expectOpen('missing folder', path.join(live.scratch, 'no-such-snapshot'), 'snapshot_missing', /No snapshot folder/);
    d = copy();
    fs.copyFileSync(path.join(d, 'ethereum', 'transactions.parquet'), blocks(d));
    await expectOpen('wrong schema', d, 'snapshot_corrupt', /blocks\.parquet cannot be read as ethereum\.blocks/);

    // Changed or deleted while open: every query says so, the engine never crashes, close() returns.
    for (const [name, damage] of [
      ['file corrupted while open', (x: string) => fs.writeFileSync(blocks(x), 'garbage')],
      ['folder deleted while open', (x: string) => fs.rmSync(x, { recursive: true, force: true })],
    ] as const) {
      d = copy();
      const open = await Engine.open(d, { connections: 2, threads: 1 });
      assert.equal((await open.query('SELECT count(*) FROM ethereum.blocks')).rows[0][0], 100);
      damage(d);
      for (let i = 0; i < 3; i++) {
        const r = await refusal(open.query('SELECT count(*) AS n, max(block_time) FROM ethereum.blocks'));
        const ok = r instanceof OnchainSqlError && ['snapshot_corrupt', 'snapshot_missing'].includes(r.code) && /Reopen the snapshot|rebuild|re-import/i.test(r.message);
        if (!counters.snapshots.check(ok, typeof r === 'string' && r.startsWith('crashed') ? `${name}: ${r}` : undefined)) problems.push(`${name} #${i + 1}: ${typeof r === 'string' ? r : `${r.code}: ${r.message}`}`);
      }
      // Tables whose files are intact (or cached) still answer or fail the same clean way.
      const other = await refusal(open.query('SELECT count(*) FROM ethereum.transactions'));
      counters.snapshots.check(other === 'succeeded' || (other instanceof OnchainSqlError && ['snapshot_corrupt', 'snapshot_missing'].includes(other.code)));
      open.close();
      const after = await refusal(open.query('SELECT 1'));
      counters.snapshots.check(after instanceof OnchainSqlError && after.code === 'snapshot_missing');
    }
    assert.deepEqual(problems, []);
  });

  it('export to a read-only or full location, or a missing folder: specific messages, nothing half-written', async (t) => {
    const problems: string[] = [];
    // Permission denied (/sys refuses new files even to root) and a folder that does not exist, in-process.
    for (const [name, file, message] of [
      ['permission denied', '/sys/onchain-sec-export.csv', /permission denied\. Choose another folder|read-only\. Choose another folder/],
      ['missing folder', path.join(live.scratch, 'nope', 'out.csv'), /the folder does not exist\. Choose another folder/],
      ['a folder', live.scratch, /that name is a folder\. Choose a file name/],
    ] as const) {
      const r = await refusal(exportResult(live.engine, 'SELECT * FROM ethereum.blocks', { format: 'csv', file }));
      const ok = r instanceof OnchainSqlError && r.code === 'export_failed' && message.test(r.message);
      if (!counters.exports.check(ok, typeof r === 'string' && r.startsWith('crashed') ? r : undefined)) problems.push(`${name}: ${typeof r === 'string' ? r : `${r.code}: ${r.message}`}`);
    }
    // Read-only and full file systems: tmpfs mounts in a private mount namespace (unshare), in a child.
    // Not /dev/full: an export writes a partial file beside the target and renames it into place,
    // so "exporting to /dev/full" would write into /dev and (as root) rename over the device node.
    const probe = spawnSync('unshare', ['-rm', 'true'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      skipReason('read-only/full tmpfs not simulable here (unshare -rm failed)');
      counters.exports.notes.push('read-only/full tmpfs not simulable here (unshare -rm failed)');
      t.diagnostic(`unshare unavailable: ${probe.stderr}`);
    } else {
      const ro = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sec-ro-'));
      const full = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sec-full-'));
      try {
        const script = `mount -t tmpfs -o ro,size=64k tmpfs "$1" && mount -t tmpfs -o size=16k tmpfs "$2" && exec "$3" --import tsx "$4" "$5" "$1" "$2"`;
        const r = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', ro, full, process.execPath, path.join(__dirname, 'fs-fault-child.ts'), live.dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 0, r.stderr);
        const outcomes = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Array<{ target: string; format: string; code: string; message: string; leftover: string[] }>;
        for (const o of outcomes) {
          const message = o.target === 'full' ? /the disk is full\. Free some space or choose another folder/ : /read-only\. Choose another folder/;
          const ok = o.code === 'export_failed' && message.test(o.message) && o.leftover.length === 0;
          if (!counters.exports.check(ok, o.code === 'crash' ? `${o.target} ${o.format}: ${o.message}` : undefined)) problems.push(`${o.target} ${o.format}: ${o.code}: ${o.message} (left ${o.leftover.join(', ')})`);
        }
        assert.equal(outcomes.length, 6);
      } finally {
        fs.rmSync(ro, { recursive: true, force: true });
        fs.rmSync(full, { recursive: true, force: true });
      }
    }
    assert.deepEqual(problems, []);
  });
});

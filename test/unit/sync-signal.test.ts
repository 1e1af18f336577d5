// SIGTERM during `onchain-sql snapshot sync` (the real CLI, spawned, against the
// tests' own JSON-RPC node): the sync stops at once, even with a request in
// flight; what it leaves is a valid snapshot of the ranges it finished (or
// nothing), never a folder that claims more; no process of its group outlives
// it; it exits 143 with a message that says it stopped and how to continue.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { MANIFEST_FILE, type Manifest } from '../../src/core/snapshot/layout.js';
import { FixtureRpcServer } from '../support/rpc-server.js';

const CLI = path.resolve(__dirname, '../../src/cli/main.ts');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sync-signal-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/**
 * Longer than any prompt stop, far shorter than what a stalled request would
 * take without the abort (the RPC client's 30 s timeout, then retries): a CLI
 * that waits for its request instead of stopping fails here.
 */
const STOP_WITHIN_MS = 15_000;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startSync(url: string, server: FixtureRpcServer, outDir: string): Run {
  // Its own process group (detached), so that any process it starts can be found after it exits.
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'snapshot', 'sync', '--from-block', String(server.firstBlock), '--to-block', String(server.lastBlock), '--chunk-size', '1', '--out', outDir],
    { env: { ...process.env, ONCHAIN_SQL_RPC_URL: url }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** True while any process of the group `pgid` exists. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** SIGTERM now; resolves with the exit once the process is gone, or fails (after killing the group) when it is not gone in time. */
async function terminate(run: Run): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  run.child.kill('SIGTERM');
  const late = setTimeout(() => { try { process.kill(-run.child.pid!, 'SIGKILL'); } catch { /* gone */ } }, STOP_WITHIN_MS);
  const t0 = performance.now();
  const exit = await run.exited;
  clearTimeout(late);
  assert.ok(performance.now() - t0 < STOP_WITHIN_MS, `the sync did not stop within ${STOP_WITHIN_MS} ms of SIGTERM (killed); stderr:\n${run.stderr()}`);
  return exit;
}

/** What a stopped sync may leave in and beside `outDir`: no temporary file, no work folder. */
function assertNoLeftovers(outDir: string): void {
  const siblings = fs.readdirSync(path.dirname(outDir)).filter((f) => f.startsWith(`.${path.basename(outDir)}.`));
  assert.deepEqual(siblings, [], 'the work folder was removed');
  if (!fs.existsSync(outDir)) return;
  const all = fs.readdirSync(outDir, { recursive: true }).map(String);
  assert.deepEqual(all.filter((f) => /\.tmp$|\.jsonl$/.test(f)), [], 'no temporary or half-written file');
}

function assertStoppedMessage(run: Run, exit: { code: number | null; signal: NodeJS.Signals | null }): void {
  assert.equal(exit.signal, null, 'the CLI exited by itself, not killed by the signal');
  assert.equal(exit.code, 143, `exit code 143 (SIGTERM); stderr:\n${run.stderr()}`);
  assert.match(run.stderr(), /Stopping \(SIGTERM\); the blocks synced so far are kept/);
  assert.match(run.stderr(), /error \(cancelled\): Sync stopped by SIGTERM before it finished; .*Run the same command again to continue\./);
  // Nothing on stdout: the summary a finished sync prints would read as a complete snapshot.
  assert.equal(run.stdout(), '');
  assert.doesNotMatch(run.stderr(), /SECRET-KEY/, 'the RPC URL (with its key) is never printed');
}

describe('SIGTERM during the CLI\'s snapshot sync', () => {
  it('mid-range, with a request in flight: keeps the finished range as a valid snapshot, claims nothing more, leaves no process', { timeout: 120_000 }, async () => {
    // Every request a little slow, so the sync is surely still running when the first range is written.
    const server = new FixtureRpcServer({ slowMs: 150, everySlow: 1 });
    const url = await server.start();
    const outDir = path.join(tmpRoot, 'mid-range');
    try {
      const run = startSync(url, server, outDir);
      await waitFor('the first range', () => /\[1\/2 blocks/.test(run.stderr()), 90_000);
      // From here the node answers nothing: the sync sits in a request when the signal comes.
      server.faults.stallAfter = server.requests;
      const stalled = server.requests;
      await waitFor('a request in flight', () => server.requests > stalled, 10_000);
      const exit = await terminate(run);
      assertStoppedMessage(run, exit);
      await waitFor('the process group to end', () => !groupAlive(run.child.pid!), 3_000).catch(() => undefined);
      assert.equal(groupAlive(run.child.pid!), false, 'no process of the sync outlived it');
      assertNoLeftovers(outDir);
      // The manifest describes the first range only, and every file it lists is there, whole.
      const manifest = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST_FILE), 'utf8')) as Manifest;
      assert.deepEqual(manifest.sync?.ranges, [{ first: server.firstBlock, last: server.firstBlock }]);
      assert.ok(manifest.files && manifest.files.length > 0);
      for (const f of manifest.files) {
        const bytes = fs.readFileSync(path.join(outDir, f));
        assert.equal(bytes.subarray(-4).toString('latin1'), 'PAR1', `${f} is a complete Parquet file`);
      }
      const last = manifest.files.filter((f) => f.includes(String(server.lastBlock)));
      assert.deepEqual(last, [], 'no file of the range the signal interrupted');
    } finally {
      await server.stop();
    }
  });

  it('before any range is written: leaves no snapshot at all', { timeout: 60_000 }, async () => {
    // The node never answers: the sync is still asking for the chain id when the signal comes.
    const server = new FixtureRpcServer({ stallAfter: 0 });
    const url = await server.start();
    const outDir = path.join(tmpRoot, 'first-request');
    try {
      const run = startSync(url, server, outDir);
      await waitFor('the first request', () => server.requests > 0, 30_000);
      const exit = await terminate(run);
      assertStoppedMessage(run, exit);
      await waitFor('the process group to end', () => !groupAlive(run.child.pid!), 3_000).catch(() => undefined);
      assert.equal(groupAlive(run.child.pid!), false, 'no process of the sync outlived it');
      assertNoLeftovers(outDir);
      assert.equal(fs.existsSync(path.join(outDir, MANIFEST_FILE)), false, 'no manifest: nothing reads as a snapshot');
    } finally {
      await server.stop();
    }
  });
});

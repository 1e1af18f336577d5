import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ask, AskError } from '../../src/core/ask.js';
import { turnOf } from '../../src/core/nl2sql/history.js';
import { ClaudeProvider } from '../../src/core/nl2sql/claude.js';
import { promptText, sqlReply } from '../support/anthropic-server.js';
import { snapshotSuite } from '../support/snapshot-suite.js';
import { makeHostileSnapshot } from './hostile-snapshot.js';
import { changedFiles, fileHashes, refusal } from './support.js';
import { Counter } from './tally.js';

// Category 2: instructions hidden in chain data reach the model only as quoted, bounded
// data; a model that obeys them anyway cannot make anything run.
const KEY = 'sk-ant-sec-INJECTION-0000-not-a-real-key';
const DATA_BLOCK = /<data kind="([a-z]+)">\n([\s\S]*?)\n<\/data>/g;
/** Per data kind, the longest a quoted value may be (quotedData limits in context.ts / prompt.ts). */
const LIMITS: Record<string, number> = { tokens: 24, labels: 64, result: 300 };

interface Leak { canary: string; where: string }

/** Every canary in the prompt must sit inside a data block, as a JSON string no longer than its kind allows. */
function inspectPrompt(text: string): { seen: Set<string>; leaks: Leak[]; tooLong: string[]; rawTags: string[] } {
  const seen = new Set<string>();
  const leaks: Leak[] = [];
  const tooLong: string[] = [];
  const rawTags: string[] = [];
  let outside = text;
  for (const m of text.matchAll(DATA_BLOCK)) {
    outside = outside.replace(m[0], '');
    const kind = m[1];
    for (const line of m[2].split('\n')) {
      for (const c of line.match(/CANARY_[A-Z]\d/g) ?? []) seen.add(c);
      if (/[<>\u202a-\u202e\u2066-\u2069]/.test(line)) rawTags.push(line.slice(0, 80));
      // Each line is a JSON value (an object of strings, or one string): its strings are bounded.
      const value: unknown = JSON.parse(line);
      const strings = typeof value === 'string' ? [value] : Object.values(value as Record<string, unknown>).filter((v): v is string => typeof v === 'string');
      for (const s of strings) if (!/^0x[0-9a-f]{40}$/.test(s) && [...s].length > (LIMITS[kind] ?? 300)) tooLong.push(`${kind}: ${s.length} chars`);
    }
  }
  for (const c of outside.match(/CANARY_[A-Z]\d/g) ?? []) leaks.push({ canary: c, where: outside.slice(Math.max(0, outside.indexOf(c) - 40), outside.indexOf(c) + 40) });
  return { seen, leaks, tooLong, rawTags };
}

describe('security 2: prompt injection through data', () => {
  const live = snapshotSuite({ snapshot: makeHostileSnapshot, scratchPrefix: 'onchain-sec-inject-', engine: { connections: 2, threads: 1 }, server: true, onDone: () => counter.flush() });
  const claude = () => new ClaudeProvider({ apiKey: KEY, baseURL: live.server.baseURL, maxRetries: 0, timeoutMs: 5_000 });
  const counter = new Counter('prompt injection', 'hostile symbols/labels; obeying model');


  it('hostile symbols, labels and result rows reach the model only as quoted, length-limited data', async () => {
    const questions = [
      'Which tokens had the most transfers?',
      'How many USDC transfers did Binance labelled addresses receive, by label category?',
    ];
    const seen = new Set<string>();
    let first: Awaited<ReturnType<typeof ask>> | undefined;
    for (const q of questions) {
      live.server.script(sqlReply('SELECT symbol, count(*) AS transfers FROM tokens.transfers GROUP BY 1 ORDER BY 2 DESC'));
      const answer = await ask(live.engine, q, { provider: claude() });
      first ??= answer;
      const r = inspectPrompt(promptText(live.server.requests.at(-1)!));
      r.seen.forEach((c) => seen.add(c));
      counter.check(r.leaks.length === 0 && r.tooLong.length === 0 && r.rawTags.length === 0);
      assert.deepEqual(r.leaks, [], 'a canary outside a <data> block');
      assert.deepEqual(r.tooLong, [], 'a quoted value over its length limit');
      assert.deepEqual(r.rawTags, [], 'a tag or bidi control inside a data line');
    }
    // The result rows (hostile symbols) travel into a follow-up as data too.
    live.server.script(sqlReply('SELECT symbol FROM tokens.erc20 ORDER BY 1 LIMIT 1'));
    await ask(live.engine, 'and the first one alphabetically?', { provider: claude(), history: [turnOf(first!)] });
    const follow = inspectPrompt(promptText(live.server.requests.at(-1)!));
    follow.seen.forEach((c) => seen.add(c));
    counter.check(follow.leaks.length === 0 && follow.tooLong.length === 0 && follow.rawTags.length === 0);
    assert.deepEqual(follow.leaks, []);
    assert.deepEqual(follow.tooLong, []);
    // The data did reach the model (as data): symbols, label names, label categories.
    for (const c of ['CANARY_S1', 'CANARY_S2', 'CANARY_S3', 'CANARY_S4', 'CANARY_S5', 'CANARY_L1', 'CANARY_L2', 'CANARY_L3']) {
      assert.ok(seen.has(c), `${c} never reached the model`);
    }
    // No request body carries the 10,000-character runs.
    assert.ok(live.server.requests.every((r) => !r.raw.includes('A'.repeat(400)) && !r.raw.includes('B'.repeat(400))));
  });

  it('a model that obeys the injection: nothing executes, the snapshot stays byte-identical', async () => {
    const before = fileHashes(live.dir);
    const csv = path.join(live.scratch, 'pwn.csv');
    const db = path.join(live.scratch, 'pwn.db');
    const obeyed = [
      'DROP TABLE ethereum.blocks',
      'DROP VIEW tokens.erc20',
      `COPY ethereum.transactions TO '${csv}'`,
      `COPY (SELECT * FROM tokens.erc20) TO '${csv}' (FORMAT csv)`,
      `ATTACH '${db}' AS pwn`,
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT * FROM '/etc/passwd'",
      'SELECT 1 AS ok; DROP VIEW tokens.transfers',
      `SELECT symbol FROM tokens.erc20; COPY tokens.erc20 TO '${csv}'`,
      "INSTALL httpfs; LOAD httpfs; SELECT * FROM read_parquet('https://example.com/x.parquet')",
      "SET enable_external_access = true",
      "SELECT getenv('ANTHROPIC_API_KEY') AS k",
    ];
    // One ask per obeyed reply (no repairs), so each is judged on its own.
    for (const sql of obeyed) {
      live.server.script(sqlReply(sql));
      const r = await refusal(ask(live.engine, 'Which tokens had the most transfers?', { provider: claude(), maxRepairs: 0 }));
      const ok = r instanceof AskError && r.attempts.length === 1 && r.attempts[0].error !== undefined;
      counter.check(ok, typeof r === 'string' ? `${sql}: ${r}` : undefined);
      assert.ok(ok, `${sql}: ${typeof r === 'string' ? r : r.code}`);
    }
    const changed = changedFiles(before, fileHashes(live.dir));
    for (const f of changed) counter.lost.push(`snapshot file changed: ${f}`);
    const written = fs.readdirSync(live.scratch);
    for (const f of written) counter.lost.push(`file written: ${f}`);
    assert.deepEqual(changed, []);
    assert.deepEqual(written, []);
    // The views are all still there and the engine still answers.
    const r = await live.engine.query('SELECT (SELECT count(*) FROM tokens.erc20) AS t, (SELECT count(*) FROM tokens.transfers) AS x, (SELECT count(*) FROM ethereum.blocks) AS b');
    assert.deepEqual(r.rows, [[5, 50, 100]]);
  });
});

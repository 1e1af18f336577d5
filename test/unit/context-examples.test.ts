import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Engine } from '../../src/core/engine/engine.js';
import { buildContext } from '../../src/core/nl2sql/context.js';
import { builtInExamples, loadSavedExamples, retrieveExamples, saveExample } from '../../src/core/nl2sql/examples.js';
import { closeChainEngine, openChainEngine } from './ask-snapshot.js';

const ROOT = path.resolve(__dirname, '../..');

describe('context: few-shot verified examples and named labels', () => {
  let dir: string;
  let engine: Engine;
  let tmp: string;
  before(async () => {
    ({ dir, engine } = await openChainEngine());
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-examples-'));
  });
  after(() => {
    closeChainEngine(dir, engine);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the built-in library is the development set, pair for pair', () => {
    const dev = fs.readFileSync(path.join(ROOT, 'eval/dev-questions.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; question: string; sql: string });
    assert.deepEqual(builtInExamples().map((e) => [e.id, e.question, e.sql]), dev.map((d) => [d.id, d.question, d.sql]));
  });

  it('retrieves the nearest verified pairs by word overlap and puts their SQL in the context', async () => {
    const near = retrieveExamples('How many USDC were burned in the last 3 days?', builtInExamples());
    assert.equal(near[0].id, 'd15', 'the DAI burn example is nearest');
    assert.deepEqual(retrieveExamples('zzz qqq', builtInExamples()), []);
    const ctx = await buildContext(engine, 'How much USDC was burned yesterday?');
    assert.match(ctx.dynamicPart, /Verified examples \(answered correctly on this schema\):\nQ: How much DAI was burned yesterday\?\nSQL: select sum\(amount\) from tokens\.transfers where symbol = 'DAI'/);
  });

  it('saves accepted answers per workspace, replacing a re-saved question, and they are retrieved', async () => {
    const file = path.join(tmp, 'ws', 'examples.jsonl');
    assert.deepEqual(loadSavedExamples(file), []);
    saveExample(file, { question: 'Blocks mined by builder 0x01', sql: "select count(*) from ethereum.blocks where miner = '0x01'" });
    const saved = saveExample(file, { question: 'blocks mined by builder 0x01', sql: "select count(*) from ethereum.blocks where miner = '0x0000000000000000000000000000000000000001'" });
    assert.equal(saved.length, 1);
    assert.deepEqual(loadSavedExamples(file), saved);
    assert.throws(() => saveExample(file, { question: 'x', sql: 'drop table t' }), /one SELECT or WITH/);
    const ctx = await buildContext(engine, 'How many blocks did builder 0x02 mine?', { examples: [...builtInExamples(), ...loadSavedExamples(file)] });
    assert.ok(ctx.dynamicPart.includes("where miner = '0x0000000000000000000000000000000000000001'"));
  });

  it('lists the labels a question names even when the label table is not otherwise relevant', async () => {
    const ctx = await buildContext(engine, 'How much ETH did Binance withdraw yesterday?');
    assert.match(ctx.dynamicPart, /<data kind="labels">[\s\S]*"name": "Binance 14", "category": "cex"/);
    const plain = await buildContext(engine, 'How many blocks are there?');
    assert.doesNotMatch(plain.dynamicPart, /kind="labels"/);
  });
});

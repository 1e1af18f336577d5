import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ask } from '../../src/core/ask.js';
import type { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError, toOnchainSqlError } from '../../src/core/errors.js';
import type { Generation, GenerationRequest, Provider } from '../../src/core/nl2sql/provider.js';
import { createProvider } from '../../src/core/nl2sql/providers.js';
import { ModelOutputError, isRepairable, repairFeedback } from '../../src/core/nl2sql/repair.js';
import { closeChainEngine, openChainEngine } from './ask-snapshot.js';

/** A scripted provider: returns the given SQL texts in turn and records every request. */
function scripted(sqls: string[]): Provider & { requests: GenerationRequest[] } {
  const requests: GenerationRequest[] = [];
  return {
    id: 'offline',
    requests,
    generate: async (r: GenerationRequest): Promise<Generation> => {
      requests.push(r);
      const sql = sqls[requests.length - 1];
      if (sql === undefined) throw new Error('unscripted');
      return { sql, explanation: '', chart: null };
    },
  };
}

describe('repair feedback and the offline provider through ask', () => {
  let dir: string;
  let engine: Engine;
  const errorOf = async (sql: string): Promise<OnchainSqlError> => {
    try {
      await engine.query(sql);
    } catch (e) {
      return toOnchainSqlError(e);
    }
    assert.fail(`expected ${sql} to fail`);
  };

  before(async () => ({ dir, engine } = await openChainEngine()));
  after(() => closeChainEngine(dir, engine));

  it('feeds back the exact error, the nearest names, and the real columns or tables', async () => {
    const col = await errorOf('SELECT sum(value_usd) FROM ethereum.transactions');
    const colText = repairFeedback('SELECT sum(value_usd) FROM ethereum.transactions', col);
    assert.ok(colText.startsWith(`${col.code}: ${col.message}`));
    assert.match(colText, /value_eth/);
    assert.match(colText, /Columns of ethereum\.transactions: block_number, .*fee_eth/);

    const table = await errorOf('SELECT count(*) FROM dex.swaps');
    const tableText = repairFeedback('SELECT count(*) FROM dex.swaps', table);
    assert.equal(table.code, 'unknown_table');
    assert.match(tableText, /dex\.trades/);
    assert.match(tableText, /Available tables: ethereum\.blocks, .*labels\.addresses/);

    const hex = "SELECT count(*) FROM ethereum.transactions WHERE to_address = 0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2";
    assert.match(repairFeedback(hex, await errorOf(hex)), /'0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2'/, 'says to quote the address');

    const long = repairFeedback('SELECT 1', new OnchainSqlError('runtime_error', 'x'.repeat(10_000)));
    assert.ok(long.length <= 3_001);
  });

  it('repairs model mistakes but not API failures, timeouts or cancellation', () => {
    for (const code of ['parse_error', 'unknown_column', 'unknown_table', 'multiple_statements', 'forbidden_statement', 'bind_error', 'runtime_error'] as const) {
      assert.equal(isRepairable(new OnchainSqlError(code, 'x')), true, code);
    }
    for (const code of ['timeout', 'cancelled', 'provider_error', 'missing_api_key', 'cannot_answer', 'resource_limit'] as const) {
      assert.equal(isRepairable(new OnchainSqlError(code, 'x')), false, code);
    }
    assert.equal(isRepairable(new ModelOutputError('prose', 'hello')), true);
  });

  it('a runtime error is repaired too, with the error text in the next request', async () => {
    const p = scripted([
      "SELECT CAST(CASE WHEN block_number > 1050 THEN 'x' || block_hash ELSE '1' END AS INTEGER) AS n FROM ethereum.blocks",
      'SELECT count(*) AS n FROM ethereum.blocks',
    ]);
    const a = await ask(engine, 'How many blocks?', { provider: p });
    assert.equal(a.rows[0][0], 100);
    assert.equal(a.attempts.length, 2);
    assert.equal(a.attempts[0].error?.code, 'runtime_error', 'fails while running, not while binding');
    assert.ok(p.requests[1].repair?.error.includes(a.attempts[0].error.message));
    assert.match(p.requests[1].repair!.sql, /^SELECT CAST\(CASE/);
    assert.equal(p.requests[0].repair, undefined);
  });

  it('maxRepairs 0 means one try only', async () => {
    const p = scripted(['SELECT nope FROM ethereum.blocks', 'SELECT 1']);
    await assert.rejects(ask(engine, 'x', { provider: p, maxRepairs: 0 }), (e: OnchainSqlError) => e.code === 'unknown_column' || e.code === 'bind_error');
    assert.equal(p.requests.length, 1);
  });

  it('the offline translator answers through the same ask, and declines with suggestions', async () => {
    const offline = createProvider({ kind: 'offline', engine });
    const a = await ask(engine, 'How many transactions happened today?', { provider: offline });
    assert.equal(a.provider, 'offline');
    assert.deepEqual(a.rows, [[1000]], 'the tiny snapshot has 1,000 transactions, all on its last day');
    await assert.rejects(ask(engine, 'What is the meaning of life?', { provider: offline }), (e: OnchainSqlError) => {
      assert.equal(e.code, 'cannot_answer');
      assert.ok(e.suggestions.length > 0);
      return true;
    });
  });
});

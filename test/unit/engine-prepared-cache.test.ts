import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Engine } from '../../src/core/engine/engine.js';
import { OnchainSqlError } from '../../src/core/errors.js';
import { makeTinySnapshot } from '../support/tiny-snapshot.js';

// The engine keeps validated, prepared statements per connection, keyed by text
// (a re-run skips validation). These check that a re-run still behaves exactly
// like a first run.
describe('Engine prepared-statement cache', () => {
  let dir: string;
  let engine: Engine;
  before(async () => {
    dir = await makeTinySnapshot();
    engine = await Engine.open(dir, { connections: 1, threads: 1 });
  });
  after(() => {
    engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('re-running the same text gives the same rows and columns', async () => {
    const sql = 'select block_number, gas_used from ethereum.blocks order by block_number';
    const a = await engine.query(sql);
    const b = await engine.query(sql);
    assert.ok(a.rowCount > 0);
    assert.deepEqual(b.rows, a.rows);
    assert.deepEqual(b.columns, a.columns);
  });

  it('a statement whose cursor was closed after one page runs again in full', async () => {
    const sql = 'select range as n from range(10000)';
    const cursor = await engine.openCursor(sql, { maxRows: 10000 });
    assert.equal((await cursor.next(10))?.length, 10);
    cursor.close();
    const again = await engine.query(sql, { maxRows: 10000 });
    assert.equal(again.rowCount, 10000);
    assert.equal(again.rows[9999][0], 9999);
  });

  it('a refused statement is refused again (failures are not cached)', async () => {
    for (let i = 0; i < 2; i++) {
      await assert.rejects(engine.query('select nope from ethereum.blocks'), (e: unknown) => e instanceof OnchainSqlError && e.code === 'unknown_column');
    }
  });

  it('still correct after more distinct statements than the cache holds', async () => {
    const first = await engine.query('select 0 + 1 as v');
    for (let i = 1; i <= 70; i++) assert.equal((await engine.query(`select ${i} + 1 as v`)).rows[0][0], i + 1);
    assert.deepEqual((await engine.query('select 0 + 1 as v')).rows, first.rows);
  });

  it('engine.validate returns a statement the caller may destroy without breaking the next query', async () => {
    const sql = 'select count(*) as n from ethereum.transactions';
    const expected = (await engine.query(sql)).rows;
    (await engine.validate(sql)).prepared.destroySync();
    assert.deepEqual((await engine.query(sql)).rows, expected);
  });
});

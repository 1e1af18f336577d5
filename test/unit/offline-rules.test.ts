import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emptyFrame } from '../../src/core/nl2sql/offline/frame.js';
import { frameFacts } from '../../src/core/nl2sql/offline/interpret.js';
import { fill, firstRule, holds, slotNames, type When } from '../../src/core/nl2sql/offline/rules.js';
import rules from '../../src/core/nl2sql/offline/rules.json';
import tables from '../../src/core/nl2sql/offline/tables.json';

/** Every `when` anywhere in a JSON value. */
function whens(v: unknown, out: When[] = []): When[] {
  if (Array.isArray(v)) for (const x of v) whens(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) if (k === 'when') out.push(x as When); else whens(x, out);
  }
  return out;
}

describe('offline rules (rules.ts over rules.json and tables.json)', () => {
  const facts = { nouns: ['token', 'transfer'], tokens: [] as string[], which: false, rank: { dir: 'desc' }, agg: undefined, table: 'trades' };

  it('reads has, lacks, set, unset, only, any and not as written', () => {
    assert.equal(holds({ has: { nouns: ['block', 'token'] } }, facts), true);
    assert.equal(holds({ has: { nouns: ['block'] } }, facts), false);
    assert.equal(holds({ has: { table: ['trades', 'blocks'] } }, facts), true, 'a single value equals one of the list');
    assert.equal(holds({ lacks: { nouns: ['transfer'] } }, facts), false);
    assert.equal(holds({ set: ['nouns', 'rank'], unset: ['tokens', 'which', 'agg'] }, facts), true);
    assert.equal(holds({ set: ['tokens'] }, facts), false);
    assert.equal(holds({ only: { nouns: ['token', 'transfer', 'block'], tokens: ['ETH'], agg: ['sum'] } }, facts), true, 'empty and unset slots pass only');
    assert.equal(holds({ only: { nouns: ['token'] } }, facts), false);
    assert.equal(holds({ any: [{ set: ['tokens'] }, { set: ['rank'] }] }, facts), true);
    assert.equal(holds({ any: [{ set: ['tokens'] }, { set: ['which'] }] }, facts), false);
    assert.equal(holds({ not: { set: ['which'] } }, facts), true);
    assert.equal(holds(undefined, facts), true);
  });

  it('takes the first rule that holds, and fills slots into messages', () => {
    const list = [{ when: { set: ['tokens'] }, name: 'a' }, { when: { set: ['nouns'] }, name: 'b' }, { name: 'default' }];
    assert.equal(firstRule(list, facts)?.name, 'b');
    assert.equal(firstRule(list.slice(0, 1), facts), undefined);
    assert.equal(fill('"{nouns.1}" does not apply to {table}', facts), '"transfer" does not apply to trades');
  });

  it('refuses a slot name it does not know instead of reading it as unset', () => {
    assert.throws(() => holds({ unset: ['tokenz'] }, facts), /unknown slot "tokenz"/);
    assert.throws(() => fill('{nope}', facts), /unknown slot "nope"/);
  });

  it('every rule in the data names only slots the translator provides', () => {
    const all = [...whens(rules), ...whens(tables)];
    assert.ok(all.length >= 25, `the data holds the rules, got ${all.length}`);
    // The facts interpret.ts adds for the rules that need them (measure, listing, decline and bucket rules).
    const known = frameFacts(emptyFrame(), { table: 'transactions', rowNoun: 'transactions', agg: undefined, ranking: false, labelJoin: undefined, field: undefined, timeKind: undefined, timeUnit: undefined });
    for (const w of all) for (const name of slotNames(w)) assert.ok(name in known, `unknown slot "${name}" in ${JSON.stringify(w)}`);
    assert.deepEqual(slotNames({ has: { nouns: [] }, any: [{ unset: ['rank'] }], not: { set: ['which'] } }), ['nouns', 'rank', 'which']);
  });
});

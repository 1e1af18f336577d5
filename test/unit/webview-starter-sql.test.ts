import { test } from 'node:test';
import assert from 'node:assert/strict';
import { likelyTables, starterSql } from '../../src/extension/starterSql.js';
import { qualifiedName } from '../../src/core/schema/catalog.js';

test('likely tables follow the question\'s words', () => {
  assert.equal(qualifiedName(likelyTables('Daily DEX swap volume by project')[0]), 'dex.trades');
  assert.equal(qualifiedName(likelyTables('hourly price of LINK')[0]), 'prices.hourly');
  assert.equal(qualifiedName(likelyTables('which miner produced the most blocks')[0]), 'ethereum.blocks');
  assert.equal(qualifiedName(likelyTables('qwerty zxcv')[0]), 'ethereum.transactions');
});

test('the starter query names the tables, keeps the question in one comment line and passes validation', () => {
  const sql = starterSql('Top USDC senders\nDROP TABLE x; -- yes');
  const first = sql.split('\n')[0];
  assert.match(first, /^-- Question: Top USDC senders DROP TABLE x; -- yes$/);
  assert.match(sql, /FROM tokens\.transfers/);
  assert.match(sql, /snapshot_time\(\) - INTERVAL 1 DAY/);
  // Only the first line holds the question; everything after the comments is one SELECT.
  assert.equal(sql.split('\n').filter((l) => l.includes('DROP')).length, 1);
  assert.match(sql.split('\n').filter((l) => !l.startsWith('--')).join(' '), /^SELECT [\s\S]+ LIMIT 100;\s*$/);
});

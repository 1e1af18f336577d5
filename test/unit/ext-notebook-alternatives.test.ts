import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_WAYS_FORWARD, SUGGESTIONS_METADATA_KEY, statusBarText, suggestionsFromMetadata, suggestionsMetadata, waysForward,
} from '../../src/extension/notebook/alternatives.js';

const gas = {
  text: 'Gas price is read as the price transactions paid (effective gas price, base fee plus tip), not the block base fee.',
  alternative: { label: 'Use the block base fee', question: 'Daily average base fee in gwei' },
};

test('an alternative reading becomes a one-click item that asks the other question', () => {
  const items = waysForward({ assumptions: [gas, { text: 'No alternative here.' }] }, []);
  assert.equal(items.length, 1);
  assert.deepEqual({ kind: items[0].kind, label: items[0].label, question: items[0].question }, { kind: 'reading', label: 'Use the block base fee', question: 'Daily average base fee in gwei' });
  assert.match(items[0].tooltip, /^Gas price is read as the price transactions paid/);
  assert.match(items[0].tooltip, /Ask instead \(new cell below\): Daily average base fee in gwei$/);
  assert.equal(statusBarText(items[0]), '$(arrow-swap) Use the block base fee');
});

test('a refusal keeps its suggested questions in the output metadata; only question-like codes do', () => {
  const meta = suggestionsMetadata('cannot_answer', ['Transactions per hour over the last 24 hours', ' ', 'Top 10 addresses by ETH received yesterday']);
  assert.deepEqual(meta, { [SUGGESTIONS_METADATA_KEY]: ['Transactions per hour over the last 24 hours', 'Top 10 addresses by ETH received yesterday'] });
  // "Choose Snapshot" is an action, not a question to ask.
  assert.deepEqual(suggestionsMetadata('snapshot_missing', ['Run "Onchain SQL: Choose Snapshot"']), {});
  assert.deepEqual(suggestionsFromMetadata(meta), meta[SUGGESTIONS_METADATA_KEY]);
  assert.deepEqual(suggestionsFromMetadata({ [SUGGESTIONS_METADATA_KEY]: 'not a list' }), []);
  assert.deepEqual(suggestionsFromMetadata({ [SUGGESTIONS_METADATA_KEY]: [1, 'ok', null] }), ['ok']);
  assert.deepEqual(suggestionsFromMetadata(undefined), []);
  const items = waysForward(undefined, suggestionsFromMetadata(meta));
  assert.deepEqual(items.map((i) => [i.kind, i.question]), [
    ['suggestion', 'Transactions per hour over the last 24 hours'], ['suggestion', 'Top 10 addresses by ETH received yesterday']]);
  assert.equal(statusBarText(items[0]), '$(lightbulb) Transactions per hour over the last 24 hours');
});

test('items are few, unrepeated, one line, and chain text cannot hide characters or draw icons', () => {
  const many = Array.from({ length: 10 }, (_, i) => `Question ${i}`);
  assert.equal(waysForward({ assumptions: [gas] }, [...many, gas.alternative.question]).length, MAX_WAYS_FORWARD);
  assert.deepEqual(waysForward({ assumptions: [gas] }, [gas.alternative.question]).map((i) => i.kind), ['reading']);
  const hostile = waysForward(undefined, ['Transfers of\u202E $(alert) EVIL\nnext line'])[0];
  assert.doesNotMatch(hostile.question, /[\u202E\n]/);
  assert.match(hostile.question, /<U\+202E>/);
  assert.doesNotMatch(statusBarText(hostile), /\$\(alert\)/);
  const long = waysForward(undefined, ['x'.repeat(200)])[0];
  assert.ok(long.label.length <= 48);
  assert.equal(long.question.length, 200);
});

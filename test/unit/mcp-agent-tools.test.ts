import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkInput, ToolInputError, UNDERSTOOD_KEYWORDS, type InputSchema } from '../../src/core/agent/input.js';
import { cellText, invocationText, resultTable } from '../../src/core/agent/format.js';
import { AGENT_TOOLS, runAgentTool } from '../../src/core/agent/tools.js';
import type { Engine } from '../../src/core/engine/engine.js';
import { markdownSection } from '../../src/mcp/resources.js';
import { closeChainEngine, HOSTILE_SYMBOL, HOSTILE_TOKEN, openChainEngine } from './ask-snapshot.js';

const ROOT = path.resolve(__dirname, '../..');

describe('agent tool definitions (src/core/agent/tools.json)', () => {
  it('use only the JSON-Schema keywords the argument checker enforces', () => {
    for (const t of AGENT_TOOLS) {
      assert.equal(t.inputSchema.type, 'object');
      assert.equal(t.inputSchema.additionalProperties, false, `${t.name} must refuse unknown arguments`);
      for (const [prop, schema] of Object.entries(t.inputSchema.properties)) {
        for (const k of Object.keys(schema)) assert.ok((UNDERSTOOD_KEYWORDS as readonly string[]).includes(k), `${t.name}.${prop}: keyword "${k}" is not enforced`);
        assert.ok(schema.description && schema.description.length > 20, `${t.name}.${prop} needs a description for the model`);
      }
      for (const r of t.inputSchema.required ?? []) assert.ok(r in t.inputSchema.properties, `${t.name}: required "${r}" is not a property`);
    }
  });

  it('the editor\'s language-model tools in package.json carry the same schemas and descriptions (one definition)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      engines: { vscode: string };
      contributes: { languageModelTools: Array<{ name: string; toolReferenceName?: string; modelDescription: string; userDescription: string; inputSchema: unknown; canBeReferencedInPrompt?: boolean }> };
    };
    const lm = pkg.contributes.languageModelTools;
    assert.deepEqual(lm.map((t) => t.name).sort(), ['onchain_describe_table', 'onchain_list_tables', 'onchain_run_sql', 'onchain_snapshot_info']);
    for (const t of lm) {
      const core = AGENT_TOOLS.find((a) => `onchain_${a.name}` === t.name)!;
      assert.equal(t.modelDescription, core.description, t.name);
      assert.deepEqual(t.inputSchema, core.inputSchema, t.name);
      assert.ok(t.userDescription.length > 20);
      assert.equal(t.canBeReferencedInPrompt, true);
    }
    assert.equal(lm.find((t) => t.toolReferenceName === 'onchain')?.name, 'onchain_run_sql', '#onchain is run_sql');
    // vscode.lm.registerTool is stable from 1.95 on (the pinned @types/vscode).
    assert.match(pkg.engines.vscode, /^\^1\.(9[5-9]|\d{3})\./);
  });
});

describe('checkInput', () => {
  const schema: InputSchema = {
    type: 'object',
    properties: {
      sql: { type: 'string', description: 'x' },
      max_rows: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'x' },
    },
    required: ['sql'],
    additionalProperties: false,
  };
  it('fills defaults and keeps valid values', () => {
    assert.deepEqual(checkInput('t', schema, { sql: 'SELECT 1' }), { sql: 'SELECT 1', max_rows: 100 });
    assert.deepEqual(checkInput('t', schema, { sql: 'SELECT 1', max_rows: 1000 }), { sql: 'SELECT 1', max_rows: 1000 });
  });
  it('refuses each kind of bad call with a specific message', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[1, 2], /must be an object, got an array/],
      ['SELECT 1', /must be an object, got string/],
      [{}, /missing required argument "sql"/],
      [{ sql: null }, /"sql" must be a string, got null/],
      [{ sql: 'x', max_rows: 0 }, /between 1 and 1000, got 0/],
      [{ sql: 'x', max_rows: '10' }, /"max_rows" must be an integer, got string/],
      [{ sql: 'x', max_rows: Number.NaN }, /must be an integer/],
      [{ sql: 'x', file: 'a' }, /unknown argument "file"; it takes "sql", "max_rows"/],
    ];
    for (const [args, message] of cases) {
      assert.throws(() => checkInput('t', schema, args), (e: unknown) => e instanceof ToolInputError && message.test(e.message), JSON.stringify(args));
    }
  });
});

describe('agent text formatting', () => {
  it('makes hostile chain text inert: one line, no controls or bidi, no table breaks, cut short', () => {
    const s = cellText(HOSTILE_SYMBOL);
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    assert.ok(!/[\u0000-\u001f\u202e]/.test(s));
    assert.match(s, /\\u202e\\u0007/);
    assert.ok(s.length <= 200);
    assert.equal(cellText('a|b\nc'), 'a\\|b c');
    assert.equal(cellText(null), 'NULL');
    assert.equal(cellText({ k: [1, 'x'] }), '{"k":[1,"x"]}');
    const table = resultTable([{ name: 'sym|bol', type: 'VARCHAR' }], [['x\r\ny']]);
    assert.deepEqual(table.split('\n'), ['columns: sym\\|bol VARCHAR', '| sym\\|bol |', '| --- |', '| x y |']);
  });

  it('the run_sql confirmation shows the statement and the limits; schema reads ask nothing', () => {
    const run = AGENT_TOOLS.find((t) => t.name === 'run_sql')!;
    const c = invocationText('run_sql', checkInput('run_sql', run.inputSchema, { sql: 'SELECT count(*) FROM ethereum.blocks', max_rows: 5 }));
    assert.match(c.confirmation!.message, /SELECT count\(\*\) FROM ethereum\.blocks/);
    assert.match(c.confirmation!.message, /at most 5 rows, stopped after 30 s/);
    assert.match(c.confirmation!.title, /Run this SQL/);
    assert.ok(invocationText('run_sql', { sql: 'x'.repeat(5000) }).confirmation!.message.length < 800);
    assert.equal(invocationText('describe_table', { table: 'dex.trades' }).confirmation, undefined);
    assert.match(invocationText('describe_table', { table: 'dex.trades' }).progress, /dex\.trades/);
  });

  it('reads one section of the contract document', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'chain-schema.md'), 'utf8');
    const rules = markdownSection(doc, 'Meaning rules');
    assert.match(rules, /^- ETH that moves/);
    assert.doesNotMatch(rules, /^## /m);
    assert.equal(markdownSection(doc, 'No such heading'), '');
  });
});

describe('runAgentTool on a real engine (the core behind MCP and the editor tools)', () => {
  let dir: string | undefined;
  let engine: Engine | undefined;
  before(async () => { ({ dir, engine } = await openChainEngine()); });
  after(() => closeChainEngine(dir, engine));
  const ctx = () => ({ engine: async () => engine! });

  it('returns hostile token symbols as inert data in the text and exact values in the JSON', async () => {
    const out = await runAgentTool('run_sql', { sql: `SELECT symbol FROM tokens.erc20 WHERE contract_address = '${HOSTILE_TOKEN}'` }, ctx());
    assert.equal(out.isError, false);
    assert.deepEqual((out.structured as { rows: unknown[][] }).rows, [[HOSTILE_SYMBOL]]);
    assert.ok(!out.text.includes('\u202e'));
    assert.equal(out.text.split('\n').length, 5, 'count, types, header, rule and one line for the one row');
  });

  it('a cancelled signal ends a call as cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const out = await runAgentTool('run_sql', { sql: 'SELECT 1' }, { ...ctx(), signal: ac.signal });
    assert.equal(out.errorCode, 'cancelled');
  });

  it('ask without a configured SQL writer is an error that points to run_sql', async () => {
    const out = await runAgentTool('ask', { question: 'How many blocks?' }, ctx());
    assert.equal(out.isError, true);
    assert.match(out.text, /run_sql/);
  });

  it('snapshot_info names the empty tables', async () => {
    const out = await runAgentTool('snapshot_info', {}, ctx());
    const s = out.structured as { emptyTables: string[]; rowCounts: Record<string, number> };
    assert.ok(s.emptyTables.includes('dex.trades'));
    assert.ok(!s.emptyTables.includes('tokens.transfers'));
    assert.equal(s.rowCounts['ethereum.transactions'], 1000);
    assert.match(out.text, /empty \(queries on them return nothing\): .*dex\.trades/);
  });

  it('secrets given in the context never appear in an output', async () => {
    const secret = 'super-secret-rpc-token-123';
    const out = await runAgentTool('run_sql', { sql: `SELECT '${secret}' AS s` }, { ...ctx(), secrets: [secret] });
    assert.ok(!JSON.stringify(out).includes(secret));
    assert.match(out.text, /\[redacted\]/);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { catalog, qualifiedName, type TableSpec } from '../../src/core/schema/catalog.js';
import { buildSnapshot } from '../../src/core/snapshot/build.js';
import { tableFile } from '../../src/core/snapshot/layout.js';
import { Engine } from '../../src/core/engine/engine.js';

/**
 * schemas/chain.json is the contract as data. It must agree with the contract
 * document (docs/chain-schema.md), carry what a model and a person need
 * (descriptions, units, examples, join hints, pitfalls, rules), and describe
 * exactly what a built snapshot contains, column by column.
 */

const repoRoot = path.resolve(__dirname, '..', '..');
const contractDoc = path.join(repoRoot, 'docs', 'chain-schema.md');
const devSet = path.join(repoRoot, 'eval', 'dev-questions.jsonl');

interface DocTable {
  name: string;
  columns: Array<{ name: string; type: string }>;
}

/** Tables and columns from the Markdown contract: a `## ns.table` heading followed by a `| column | type | meaning |` table. */
function parseContractDoc(text: string): DocTable[] {
  const tables: DocTable[] = [];
  let current: DocTable | null = null;
  for (const line of text.split('\n')) {
    const heading = /^##\s+([a-z_]+\.[a-z_0-9]+)\b/.exec(line);
    if (heading) {
      current = { name: heading[1], columns: [] };
      tables.push(current);
      continue;
    }
    if (line.startsWith('## ')) current = null;
    const row = /^\|\s*([a-z_0-9]+)\s*\|\s*([A-Z]+)\s*\|/.exec(line);
    if (current && row && row[1] !== 'column') current.columns.push({ name: row[1], type: row[2] });
  }
  return tables;
}

/** The three relative-time bullets of the contract document, whitespace-normalised. */
function relativeTimeRules(text: string): string[] {
  const section = text.split('## Relative time')[1]?.split('\n## ')[0] ?? '';
  // Markdown code spans are formatting, not part of the rule.
  const bullets = section.split('\n- ').slice(1).map((b) => b.replace(/`/g, '').replace(/\s+/g, ' ').trim());
  return bullets;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('schemas/chain.json agrees with the contract document', () => {
  it('has exactly the tables, columns (in order) and types of chain-schema.md', () => {
    const doc = parseContractDoc(fs.readFileSync(contractDoc, 'utf8'));
    assert.ok(doc.length >= 8, `parsed only ${doc.length} tables from chain-schema.md`);
    assert.deepEqual(catalog.tables.map(qualifiedName).sort(), doc.map((t) => t.name).sort());
    for (const d of doc) {
      const t = catalog.tables.find((x) => qualifiedName(x) === d.name)!;
      assert.deepEqual(t.columns.map((c) => `${c.name} ${c.type}`), d.columns.map((c) => `${c.name} ${c.type}`), `columns of ${d.name}`);
    }
  });

  it('states the relative-time rules exactly as chain-schema.md does', () => {
    const bullets = relativeTimeRules(fs.readFileSync(contractDoc, 'utf8'));
    assert.equal(bullets.length, 3, 'expected three relative-time bullets in chain-schema.md');
    const rules = (catalog.rules ?? []).map(norm);
    for (const b of bullets) assert.ok(rules.some((r) => r.includes(b)), `rules lack: ${b}`);
    assert.ok(rules.some((r) => r.includes('snapshot_time()') && /never/i.test(r) && r.includes('now()')), 'a rule must forbid now()');
  });
});

describe('schemas/chain.json is written for a model and a person', () => {
  it('describes every table with grain, join hints, pitfalls and example questions', () => {
    for (const t of catalog.tables) {
      const name = qualifiedName(t);
      assert.match(t.description, /one row per/i, `${name}: description must state the grain`);
      assert.ok((t.joinHints ?? []).length >= 1, `${name}: joinHints`);
      assert.ok((t.pitfalls ?? []).length >= 1, `${name}: pitfalls`);
      assert.ok((t.exampleQuestions ?? []).length >= 3, `${name}: exampleQuestions`);
    }
  });

  it('describes every column with examples, and gives a unit to every amount', () => {
    const unitFor = (col: string): string | undefined => {
      if (col.endsWith('_wei')) return 'wei';
      if (col.endsWith('_eth')) return 'ETH';
      if (col.endsWith('_gwei')) return 'gwei';
      if (col.endsWith('_usd')) return 'USD';
      if (col === 'amount' || col.endsWith('_amount')) return 'token units';
      if (col === 'amount_raw') return 'token base units';
      return undefined;
    };
    for (const t of catalog.tables) {
      for (const c of t.columns) {
        const where = `${qualifiedName(t)}.${c.name}`;
        assert.ok(c.description.length >= 10, `${where}: description`);
        assert.ok(Array.isArray(c.examples) && c.examples.length >= 1 && c.examples.length <= 4, `${where}: 1–4 examples`);
        const unit = unitFor(c.name);
        if (unit) assert.equal(c.unit, unit, `${where}: unit`);
      }
    }
  });

  it('gives example addresses and hashes in the contract form (lowercase hex of the right length)', () => {
    for (const t of catalog.tables) {
      for (const c of t.columns) {
        const isAddress = c.name === 'address' || c.name.endsWith('_address') || c.name === 'miner' || c.name === 'taker';
        const isHash = c.name.endsWith('_hash');
        for (const e of c.examples ?? []) {
          if (e === null) continue;
          if (isAddress) assert.match(String(e), /^0x[0-9a-f]{40}$/, `${qualifiedName(t)}.${c.name} example ${String(e)}`);
          if (isHash) assert.match(String(e), /^0x[0-9a-f]{64}$/, `${qualifiedName(t)}.${c.name} example ${String(e)}`);
        }
      }
    }
  });

  it('has top-level rules on units, lowercase addresses and the DuckDB dialect', () => {
    const text = (catalog.rules ?? []).join('\n');
    for (const needle of ['value_eth', 'amount_raw', 'lowercase', 'DuckDB', 'snapshot_time()', 'INTERVAL']) {
      assert.ok(text.includes(needle), `rules mention ${needle}`);
    }
  });

  it('names the pitfalls that trip models: wei vs ETH, decimals, quoted addresses, snapshot_time, hostile symbols, NULL USD, pair order', () => {
    const all = catalog.tables.flatMap((t) => t.pitfalls ?? []).join('\n');
    for (const re of [/value_eth.*value_wei/, /amount_raw/, /quoted/i, /snapshot_time\(\)/, /attacker-controlled/, /amount_usd is NULL/, /'USDC-WETH'/, /lowercase/]) {
      assert.match(all, re);
    }
  });

  it('does not copy the dev-set questions into exampleQuestions', () => {
    const dev = new Set(
      fs.readFileSync(devSet, 'utf8').split('\n').filter(Boolean)
        .map((l) => (JSON.parse(l) as { question: string }).question.toLowerCase().replace(/[^a-z0-9 ]/g, '').trim()),
    );
    for (const q of catalog.tables.flatMap((t) => t.exampleQuestions ?? [])) {
      assert.ok(!dev.has(q.toLowerCase().replace(/[^a-z0-9 ]/g, '').trim()), `copied from the dev set: ${q}`);
    }
  });
});

describe('a built snapshot has exactly the columns and types of schemas/chain.json', () => {
  let dir = '';
  let instance: DuckDBInstance;

  before(async () => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-contract-')), 'snap');
    await buildSnapshot({ outDir: dir, scale: 0.02, seed: 11 });
    instance = await DuckDBInstance.create(':memory:');
  });
  after(() => {
    instance?.closeSync();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  // Parquet has no 128-bit integer: DuckDB stores HUGEINT as DECIMAL(38,0), which the engine's views cast back.
  const parquetType = (t: string) => (t === 'HUGEINT' ? 'DECIMAL(38,0)' : t);

  for (const t of catalog.tables) {
    it(`${qualifiedName(t)}: Parquet columns match, column by column`, async () => {
      const c = await instance.connect();
      try {
        const file = tableFile(dir, t).replace(/'/g, "''");
        const r = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
        const got = r.getRowObjects().map((row) => `${String(row.column_name)} ${String(row.column_type)}`);
        assert.deepEqual(got, t.columns.map((col: TableSpec['columns'][number]) => `${col.name} ${parquetType(col.type)}`));
      } finally {
        c.closeSync();
      }
    });
  }

  it('exposes every contract column with its exact type through the engine', async () => {
    const engine = await Engine.open(dir);
    try {
      for (const t of catalog.tables) {
        const r = await engine.query(`SELECT * FROM ${qualifiedName(t)} LIMIT 0`);
        assert.deepEqual(r.columns.map((c) => `${c.name} ${c.type}`), t.columns.map((c) => `${c.name} ${c.type}`), qualifiedName(t));
      }
    } finally {
      engine.close();
    }
  });
});

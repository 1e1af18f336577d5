// "Write SQL": a starter query over the tables a question most likely needs, for
// the user to finish by hand when no provider could answer. No `vscode` import.
import { catalog, qualifiedName, type TableSpec } from '../core/schema/catalog.js';
import { sanitizeText } from '../webview/format.js';

/** Words that say nothing about which table is meant. */
const STOP = new Set(['the', 'a', 'an', 'of', 'in', 'on', 'by', 'per', 'for', 'to', 'from', 'and', 'or', 'how', 'many', 'much', 'what', 'which', 'who', 'is', 'was', 'were', 'are', 'last', 'top', 'day', 'days', 'hour', 'hours', 'week', 'today', 'yesterday', 'with', 'most', 'show', 'me', 'did', 'do', 'does', 'number', 'count', 'total', 'average', 'daily', 'hourly']);

/** Words of a question that point at tables (some mapped to the contract's names). */
const SYNONYMS: Record<string, string[]> = {
  swap: ['trades', 'dex'], swaps: ['trades', 'dex'], trade: ['trades'], volume: ['trades', 'transfers'], pool: ['trades'], pair: ['trades'],
  usdc: ['transfers'], usdt: ['transfers'], dai: ['transfers'], weth: ['transfers'], wbtc: ['transfers'], link: ['transfers'],
  sender: ['transfers'], senders: ['transfers'], receiver: ['transfers'], receivers: ['transfers'], holders: ['transfers'],
  token: ['transfers', 'erc20'], tokens: ['transfers', 'erc20'], transfer: ['transfers'], sent: ['transfers', 'transactions'], received: ['transfers', 'transactions'],
  price: ['hourly', 'prices'], prices: ['hourly', 'prices'], usd: ['hourly', 'trades'],
  gas: ['transactions', 'blocks'], fee: ['transactions', 'blocks'], fees: ['transactions', 'blocks'], block: ['blocks'], miner: ['blocks'],
  tx: ['transactions'], txs: ['transactions'], transaction: ['transactions'], eth: ['transactions'], failed: ['transactions'],
  event: ['logs'], events: ['logs'], label: ['addresses', 'labels'], exchange: ['addresses', 'labels'], cex: ['addresses', 'labels'], bridge: ['addresses', 'labels'],
};

function words(s: string): string[] {
  return s.toLowerCase().split(/[^a-z0-9_]+/).filter((w) => w.length > 1 && !STOP.has(w));
}

function score(t: TableSpec, qWords: string[]): number {
  const name = new Set([t.name, t.namespace, ...t.name.split('_')]);
  const cols = new Set(t.columns.flatMap((c) => [c.name, ...c.name.split('_')]));
  let n = 0;
  for (const w of qWords) {
    const targets = [w, ...(SYNONYMS[w] ?? [])];
    if (targets.some((x) => name.has(x) || name.has(x.replace(/s$/, '')) || name.has(`${x}s`))) n += 3;
    if (cols.has(w)) n += 1;
  }
  return n;
}

/** Tables ranked for a question (at most `max`), the most used ones when nothing matches. */
export function likelyTables(question: string, max = 2): TableSpec[] {
  const q = words(question);
  const ranked = catalog.tables.map((t, i) => ({ t, s: score(t, q), i })).filter((x) => x.s > 0).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.t);
  if (ranked.length) return ranked.slice(0, max);
  return ['ethereum.transactions'].flatMap((name) => catalog.tables.filter((t) => qualifiedName(t) === name));
}

function timeColumn(t: TableSpec): string | undefined {
  return t.columns.find((c) => /^TIMESTAMP/i.test(c.type))?.name;
}

/** A commented, runnable SELECT over the likely tables for `question`. */
export function starterSql(question: string | undefined): string {
  const tables = likelyTables(question ?? '');
  const [main, other] = tables;
  const time = timeColumn(main);
  const shown = main.columns.slice(0, 8).map((c) => c.name);
  // The question goes into a line comment: folded to one line so it cannot end the comment.
  const asked = question ? sanitizeText(question).slice(0, 300) : '';
  const lines = [
    ...(asked ? [`-- Question: ${asked}`] : []),
    `-- Tables that may hold the answer: ${tables.map(qualifiedName).join(', ')}.`,
    `-- ${qualifiedName(main)}: ${sanitizeText(main.description).split(/(?<=\.)\s/)[0]}`,
    ...(other ? [`-- ${qualifiedName(other)} columns: ${other.columns.map((c) => c.name).join(', ')}`] : []),
    '-- Relative time: snapshot_time() is the newest block. Run with "Onchain SQL: Run SQL".',
    'SELECT',
    `  ${shown.join(',\n  ')}`,
    `FROM ${qualifiedName(main)}`,
    ...(time ? [`WHERE ${time} > snapshot_time() - INTERVAL 1 DAY`, `ORDER BY ${time} DESC`] : []),
    'LIMIT 100;',
  ];
  return lines.join('\n') + '\n';
}

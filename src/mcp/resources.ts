/**
 * What the MCP server offers to read besides its tools: the data contract as
 * written for people (docs/chain-schema.md, shipped beside dist/) and the
 * meaning rules an answer must follow (how words map to columns, relative time,
 * units), which agents should read before writing SQL.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnchainSqlError } from '../core/errors.js';
import { catalog } from '../core/schema/catalog.js';
import { packageRoot } from '../core/snapshot/paths.js';

export interface McpResource {
  uri: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
  read(): string;
}

export function contractDocumentPath(): string {
  return path.join(packageRoot(), 'docs', 'chain-schema.md');
}

function contractDocument(): string {
  const file = contractDocumentPath();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new OnchainSqlError('runtime_error', `The contract document is not installed (${file}); reinstall onchain-sql.`);
  }
}

/** The body of one `## ` section of a Markdown text (heading line excluded), or '' when absent. */
export function markdownSection(text: string, headingStart: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## ${headingStart}`));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
}

function meaningRules(): string {
  const doc = contractDocument();
  return [
    '# Onchain SQL: rules for writing SQL on a snapshot',
    '',
    '## SQL rules',
    ...(catalog.rules ?? []).map((r) => `- ${r}`),
    '',
    '## Relative time',
    markdownSection(doc, 'Relative time'),
    '',
    '## Meaning rules (how a question\'s words map to the data)',
    markdownSection(doc, 'Meaning rules'),
  ].join('\n');
}

export const RESOURCES: McpResource[] = [
  {
    uri: 'onchain-sql://contract/chain-schema.md',
    name: 'chain-schema',
    title: 'The chain-data contract',
    description: 'Every table and column every snapshot exposes (names, types, units, meanings), the relative-time convention and the meaning rules. Stable: names never change.',
    mimeType: 'text/markdown',
    read: contractDocument,
  },
  {
    uri: 'onchain-sql://contract/rules.md',
    name: 'meaning-rules',
    title: 'Meaning rules for SQL on a snapshot',
    description: 'The short rules an answer must follow: DuckDB dialect, units in column names, quoted lowercase addresses, time relative to snapshot_time(), and how question words (sent, received, share, percent) map to columns.',
    mimeType: 'text/markdown',
    read: meaningRules,
  },
];

import { StatementType, type DuckDBConnection, type DuckDBExtractedStatements, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { errorMessage, OnchainSqlError } from '../errors.js';
import { snapshotFileError } from '../engine/file-errors.js';
import type { ColumnInfo } from '../columnTypes.js';
import { catalog, findTable, qualifiedName, type TableSpec } from '../schema/catalog.js';
import { serializeSql, type StatementRefs, type TableRef } from './duckdb-ast.js';
import { forbiddenStatementMessage, statementName, statementNames } from './statement-guard.js';
import { asciiLower, blankNonCode, leadingKeywords, maxParenDepth, oddCharacters, unquotedHexLiterals } from './sql-text.js';
import { nearestColumns, nearestTables } from './suggest.js';
import { checkFunction } from './function-policy.js';
import { checkPlanScans, serializePlan } from './duckdb-plan.js';

export interface ValidatedSql {
  /** The statement as it will run (trimmed, without a trailing semicolon). */
  sql: string;
  columns: ColumnInfo[];
  /** Prepared (parsed and bound) by DuckDB, ready to run; never executed here. */
  prepared: DuckDBPreparedStatement;
}

export const MAX_SQL_LENGTH = 100_000;
/** Parentheses/brackets deeper than this are refused before any parser recurses into them. */
export const MAX_NESTING = 100;

const CONTRACT_TABLES = new Set(catalog.tables.map(qualifiedName));
const SYSTEM_SCHEMAS = new Set(['information_schema', 'pg_catalog', 'system', 'temp']);
const NAMESPACE_LIST = [...new Set(catalog.tables.map((t) => `${t.namespace}.*`))].join(', ');

/**
 * Checks that `input` is exactly one read-only SELECT (or WITH … SELECT, FROM-first
 * SELECT, VALUES, or PIVOT with an IN list) over the contract's tables, and
 * returns it prepared by DuckDB. Layers, cheapest first (details in ./README.md):
 *  1. text: length, empty, NUL bytes, invisible characters, nesting depth;
 *  2. first word: must be able to begin a query (else refused before DuckDB sees it);
 *  3. DuckDB's parse tree (json_serialize_sql): one SELECT, every table a contract
 *     table or a CTE in scope where it is named, every function (scalar, aggregate,
 *     window, table) on the allow-list (allowed-functions.json);
 *  4. unquoted 0x… literals;
 *  5. DuckDB's statement splitter (exactly one);
 *  6. DuckDB's logical plan (json_serialize_plan, bound, not optimised): every scan
 *     one of the contract views as the engine defined them, or an allowed generator;
 *  7. DuckDB's binder (prepare), only for a statement that passed all of the above.
 * EXPLAIN, DESCRIBE, SHOW and SUMMARIZE are refused (run the SELECT itself).
 */
export async function validateSql(conn: DuckDBConnection, input: string): Promise<ValidatedSql> {
  const { sql, refs } = await parseStatement(conn, input);
  checkRefs(sql, refs);
  checkLiterals(sql);
  const extracted = await checkStatementCount(conn, sql);
  await checkPlan(conn, sql, extracted, refs);
  return prepare(extracted, sql, refs);
}

/**
 * The final word on what the statement reads: DuckDB's own bound plan. When
 * DuckDB cannot bind or serialize it, the binder's message (unknown column …)
 * is the answer if preparing fails too; otherwise it is refused unchecked.
 */
async function checkPlan(conn: DuckDBConnection, sql: string, extracted: DuckDBExtractedStatements, refs: StatementRefs): Promise<void> {
  const plan = await serializePlan(conn, sql);
  if (plan.kind === 'plan') return checkPlanScans(conn, plan);
  const validated = await prepare(extracted, sql, refs);
  validated.prepared.destroySync();
  throw new OnchainSqlError('forbidden_function', `The statement reads something DuckDB cannot show in a plan (${firstLines(plan.message)}), so it cannot be checked against the snapshot's tables (${NAMESPACE_LIST}): query those tables by name.`);
}

/**
 * Trimmed, without trailing semicolons. A loop, not a regex: `/[;\s]+$/` is
 * quadratic on text like "; ; ; … x" (100,000 characters blocked the event loop for 38 s).
 */
function normalise(input: string): string {
  const sql = input.trim();
  let end = sql.length;
  while (end > 0 && (sql[end - 1] === ';' || /\s/.test(sql[end - 1]))) end--;
  return sql.slice(0, end);
}

function checkText(sql: string): void {
  if (sql.length > MAX_SQL_LENGTH) {
    throw new OnchainSqlError('too_long', `The SQL is ${sql.length} characters long; the limit is ${MAX_SQL_LENGTH}. Aggregate in SQL instead of listing values.`);
  }
  if (!sql || !blankNonCode(sql).replace(/[;\s]/g, '')) {
    throw new OnchainSqlError('empty_sql', sql ? 'The SQL holds only comments: there is no statement to run.' : 'The SQL is empty.');
  }
  if (sql.includes('\0')) throw new OnchainSqlError('parse_error', 'The SQL contains a NUL byte (\\0); remove it.');
  const invisible = oddCharacters(sql).filter((c) => c.kind === 'invisible');
  if (invisible.length) {
    const c = invisible[0];
    throw new OnchainSqlError('parse_error', `The SQL contains an invisible character ${c.codePoint} outside a string literal (at offset ${c.index}); remove it so the statement reads as it runs.`);
  }
  const depth = maxParenDepth(sql);
  if (depth > MAX_NESTING) {
    throw new OnchainSqlError('parse_error', `The SQL nests parentheses ${depth} levels deep; the limit is ${MAX_NESTING}. Flatten it with a WITH clause.`);
  }
}

/** Words a read-only query can begin with in DuckDB (after comments and opening parentheses). */
const QUERY_STARTERS = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'PIVOT', 'UNPIVOT', 'PIVOT_WIDER', 'PIVOT_LONGER', 'TABLE']);

/**
 * Refuses a statement whose first word cannot begin a query before DuckDB sees
 * it at all: DuckDB's statement splitter already expands some statements
 * (IMPORT DATABASE reads files, PRAGMA binds functions, COPY FROM DATABASE
 * queries the catalog), so they must not reach even that.
 */
function checkLeadingKeyword(sql: string): void {
  const first = leadingKeywords(sql, 1)[0];
  if (first && /[^\p{ASCII}]/u.test(first)) throw parseError(sql, `The first word "${first}" is not an SQL keyword.`);
  if (first && !QUERY_STARTERS.has(first)) {
    throw new OnchainSqlError('forbidden_statement', forbiddenStatementMessage(statementName(sql)));
  }
}

/** DuckDB's own splitter decides how many statements there are, comments and strings included. */
async function checkStatementCount(conn: DuckDBConnection, sql: string): Promise<DuckDBExtractedStatements> {
  let extracted: DuckDBExtractedStatements;
  try {
    extracted = await conn.extractStatements(sql);
  } catch (e) {
    throw parseError(sql, errorMessage(e));
  }
  const count = extracted.count;
  if (count === 1) return extracted;
  if (count === 0) throw new OnchainSqlError('empty_sql', 'The SQL holds no statement.');
  const names = statementNames(sql);
  if (names.length === 1 && (names[0] === 'PIVOT' || names[0] === 'UNPIVOT')) {
    // DuckDB expands PIVOT without an IN list into a CREATE TYPE plus the query.
    throw new OnchainSqlError('forbidden_statement', forbiddenStatementMessage(names[0]));
  }
  throw multipleStatements(count, names.length === count ? names : []);
}

function multipleStatements(count: number, names: string[]): OnchainSqlError {
  const listed = names.length ? ` (${names.join('; ')})` : '';
  return new OnchainSqlError('multiple_statements', `Expected exactly one statement, found ${count}${listed}. Send one SELECT at a time, without a second statement after a semicolon.`);
}

/** One SELECT as DuckDB parsed it: the text as it runs, its parse tree, and what the tree names. */
export interface ParsedStatement {
  /** Trimmed, without trailing semicolons: the text DuckDB's offsets in `node` refer to. */
  sql: string;
  /** The statement's tree from json_serialize_sql. */
  node: unknown;
  refs: StatementRefs;
}

/**
 * The guard's first three layers (text, first word, DuckDB's parse tree):
 * exactly one SELECT that DuckDB parses, or the guard's own refusal. Nothing
 * is bound or run. Also what "Explain SQL" reads (structure.ts), so an
 * explanation describes the statement exactly as the guard sees it.
 */
export async function parseStatement(conn: DuckDBConnection, input: string): Promise<ParsedStatement> {
  const sql = normalise(input);
  checkText(sql);
  checkLeadingKeyword(sql);
  const tree = await serializeSql(conn, sql);
  if (tree.kind === 'parse_error') throw parseError(sql, tree.message);
  if (tree.kind === 'not_select') {
    // Refused either way; only the label is chosen here. Counting with DuckDB's splitter would
    // expand a hidden second statement (e.g. a PRAGMA), so the statements are named from the text.
    const names = statementNames(sql);
    if (names.length > 1) throw multipleStatements(names.length, names);
    throw new OnchainSqlError('forbidden_statement', forbiddenStatementMessage(statementName(sql)));
  }
  if (tree.statementCount !== 1) {
    const names = statementNames(sql);
    throw multipleStatements(tree.statementCount, names.length === tree.statementCount ? names : []);
  }
  return { sql, node: tree.node, refs: tree.refs };
}

/** What the parse tree names: no DESCRIBE/SHOW, only allowed functions, only contract tables (or CTEs in scope). */
function checkRefs(sql: string, refs: StatementRefs): void {
  if (refs.hasShowRef) {
    // DESCRIBE / SHOW / SUMMARIZE, possibly nested in a subquery: name the one written.
    const word = blankNonCode(sql).match(/\b(DESCRIBE|DESC|SHOW|SUMMARIZE)\b/i)?.[1]?.toUpperCase();
    throw new OnchainSqlError('forbidden_statement', forbiddenStatementMessage(word === 'DESC' ? 'DESCRIBE' : word ?? statementName(sql)));
  }
  for (const fn of refs.functions) checkFunction(fn.name, fn.position);
  for (const t of refs.tables) checkTable(t);
}

function looksLikePath(name: string): boolean {
  return /[/\\~:*?]/.test(name) || (/\.[a-z0-9]{1,8}(\.gz|\.zst)?$/i.test(name) && !CONTRACT_TABLES.has(name.toLowerCase()));
}

/** A table named where no CTE of that name is in scope (duckdb-ast resolves scope): it must be a contract table. */
function checkTable(t: TableRef): void {
  const schema = asciiLower(t.schema);
  const table = asciiLower(t.table);
  const catalogName = asciiLower(t.catalog);
  if ((!catalogName || catalogName === 'memory') && CONTRACT_TABLES.has(`${schema}.${table}`)) return;
  const written = [t.catalog, t.schema, t.table].filter(Boolean).join('.');
  if (!schema && CONTRACT_TABLES.has(table)) {
    throw new OnchainSqlError('unknown_table', `Table "${t.table}" is written as one quoted name; write it unquoted as ${table} (namespace.table).`, [table]);
  }
  if (!schema && looksLikePath(t.table)) {
    throw new OnchainSqlError('forbidden_function', `Reading files or URLs is not allowed ('${t.table}' is a file read, like read_csv): only the snapshot's tables (${NAMESPACE_LIST}) can be queried.`);
  }
  if (SYSTEM_SCHEMAS.has(schema) || SYSTEM_SCHEMAS.has(catalogName) || /^(duckdb_|sqlite_|pg_)/.test(table)) {
    throw new OnchainSqlError('unknown_table', `Table ${written} is part of the engine's catalog, not the chain data; only these tables can be queried: ${[...CONTRACT_TABLES].join(', ')}.`, [...CONTRACT_TABLES]);
  }
  const near = nearestTables(schema && ['main', 'memory'].includes(schema) ? table : `${schema ? schema + '.' : ''}${table}`);
  const hint = near.length ? ` Did you mean ${near.join(' or ')}?` : ` Available tables: ${[...CONTRACT_TABLES].join(', ')}.`;
  const form = schema ? '' : ' Tables are named namespace.table.';
  throw new OnchainSqlError('unknown_table', `Table ${written} does not exist.${form}${hint}`, near);
}

/** `to_address = 0xabc…` parses as `0` plus an alias, or fails: either way it is not what was meant. */
function checkLiterals(sql: string): void {
  const hex = unquotedHexLiterals(sql);
  if (hex.length) throw addressError(hex);
}

function addressError(hex: string[]): OnchainSqlError {
  const shown = hex.slice(0, 3);
  return new OnchainSqlError(
    'parse_error',
    `Unquoted hex literal ${shown.join(', ')}: addresses and hashes are lowercase quoted strings, e.g. '${shown[0].toLowerCase()}'.`,
    shown.map((h) => `'${h.toLowerCase()}'`),
  );
}

function parseError(sql: string, duckdbMessage: string): OnchainSqlError {
  const hex = unquotedHexLiterals(sql);
  if (hex.length) return addressError(hex);
  const message = firstLines(duckdbMessage.replace(/^Failed to extract statements: /, ''));
  const odd = [...new Set(oddCharacters(sql).filter((c) => c.kind === 'look-alike').map((c) => `${c.char} (${c.codePoint})`))];
  const oddNote = odd.length ? ` The SQL contains look-alike character${odd.length > 1 ? 's' : ''} ${odd.slice(0, 3).join(', ')} outside string literals: write keywords and names in plain ASCII.` : '';
  return new OnchainSqlError('parse_error', `${message}${oddNote}`);
}

/** DuckDB's message without the LINE/caret excerpt, which repeats the SQL. */
function firstLines(message: string): string {
  const text = message.split(/\n\s*\nLINE \d+:|\nLINE \d+:/)[0].trim();
  // DuckDB suggests raising the limit with SET, which is exactly what may not run.
  if (/max(imum)? expression depth/i.test(text)) return 'The expression nests too deeply (over 1000 levels). Flatten it, e.g. with IN (…) or a WITH clause.';
  return text;
}

async function prepare(extracted: DuckDBExtractedStatements, sql: string, refs: StatementRefs): Promise<ValidatedSql> {
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await extracted.prepare(0);
  } catch (e) {
    throw bindError(errorMessage(e), refs);
  }
  if (prepared.statementType !== StatementType.SELECT) {
    prepared.destroySync();
    throw new OnchainSqlError('forbidden_statement', forbiddenStatementMessage(statementName(sql)));
  }
  if (prepared.parameterCount > 0) {
    prepared.destroySync();
    throw new OnchainSqlError('bind_error', 'The SQL has parameter placeholders (?, $1): write the values into the SQL instead.');
  }
  const columns: ColumnInfo[] = [];
  for (let i = 0; i < prepared.columnCount; i++) columns.push({ name: prepared.columnName(i), type: prepared.columnType(i).toString() });
  return { sql, columns, prepared };
}

function tablesInScope(refs: StatementRefs): TableSpec[] {
  const specs = refs.tables.map((t) => findTable(`${t.schema}.${t.table}`)).filter((t): t is TableSpec => !!t);
  return [...new Set(specs)];
}

/** Turns DuckDB's binder message into one that names the problem and the nearest real names. */
function bindError(duckdbMessage: string, refs: StatementRefs): OnchainSqlError {
  const message = firstLines(duckdbMessage);
  const fileError = snapshotFileError(message);
  if (fileError) return fileError;
  const column = /Referenced column "([^"]+)" not found/.exec(message) ?? /does not have a column named "([^"]+)"/.exec(message);
  if (column) {
    const name = column[1];
    const scope = tablesInScope(refs);
    const near = nearestColumns(name, scope.length ? scope : catalog.tables);
    const where = scope.length ? ` in ${scope.map(qualifiedName).join(', ')}` : '';
    const hint = near.length ? ` Did you mean ${near.join(' or ')}?` : scope.length ? ` Its columns: ${scope.flatMap((t) => t.columns.map((c) => c.name)).join(', ')}.` : '';
    return new OnchainSqlError('unknown_column', `Column "${name}" does not exist${where}.${hint}`, near);
  }
  const table = /Table with name ([^\s!]+) does not exist/.exec(message);
  if (table) {
    const near = nearestTables(table[1]);
    return new OnchainSqlError('unknown_table', `Table ${table[1]} does not exist.${near.length ? ` Did you mean ${near.join(' or ')}?` : ''}`, near);
  }
  if (/Permission Error|file system operations are disabled/i.test(message)) {
    return new OnchainSqlError('forbidden_function', `Reading files outside the snapshot is not allowed: ${message}`);
  }
  return new OnchainSqlError('bind_error', message.replace(/^(Binder|Catalog|Conversion) Error: /, '$1 error: '));
}

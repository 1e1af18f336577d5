import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { OnchainSqlError } from '../errors.js';
import type { ColumnInfo } from '../engine/engine.js';

export interface ValidatedSql {
  /** The statement as it will run (trimmed, without a trailing semicolon). */
  sql: string;
  columns: ColumnInfo[];
  /** Prepared (parsed and bound) by DuckDB, ready to run; never executed here. */
  prepared: DuckDBPreparedStatement;
}

export const MAX_SQL_LENGTH = 100_000;

/**
 * Minimal guard: exactly one statement that DuckDB prepares as a SELECT.
 * (Being extended: node-sql-parser AST checks, contract-only tables, table
 * function allow-list, nearest-name suggestions.)
 */
export async function validateSql(conn: DuckDBConnection, input: string): Promise<ValidatedSql> {
  const sql = input.trim().replace(/;\s*$/, '');
  if (!sql) throw new OnchainSqlError('empty_sql', 'The SQL is empty.');
  if (sql.length > MAX_SQL_LENGTH) throw new OnchainSqlError('too_long', `The SQL is ${sql.length} characters long; the limit is ${MAX_SQL_LENGTH}.`);
  let extracted;
  try {
    extracted = await conn.extractStatements(sql);
  } catch (e) {
    throw new OnchainSqlError('parse_error', (e as Error).message);
  }
  if (extracted.count !== 1) {
    throw new OnchainSqlError('multiple_statements', `Expected exactly one statement, found ${extracted.count}. Send one SELECT at a time.`);
  }
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await extracted.prepare(0);
  } catch (e) {
    throw new OnchainSqlError('bind_error', (e as Error).message);
  }
  if (prepared.statementType !== StatementType.SELECT) {
    prepared.destroySync();
    throw new OnchainSqlError('forbidden_statement', `Only read-only SELECT (or WITH … SELECT) queries are allowed; this is a ${StatementType[prepared.statementType]} statement.`);
  }
  const columns: ColumnInfo[] = [];
  for (let i = 0; i < prepared.columnCount; i++) columns.push({ name: prepared.columnName(i), type: prepared.columnType(i).toString() });
  return { sql, columns, prepared };
}

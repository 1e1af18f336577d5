import { blankNonCode, leadingKeywords, topLevelWords } from './sql-text.js';

/**
 * Names the statement DuckDB refused to treat as a SELECT, precisely enough
 * for a person or a model to see what went wrong ("CREATE VIEW", "COPY",
 * "INSERT" hidden behind a WITH clause). Naming only: whether a statement may
 * run is decided by DuckDB's parser and binder, never by these words.
 */

// Words that may follow CREATE before the object kind.
const CREATE_MODIFIERS = new Set(['OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'PERSISTENT', 'UNIQUE', 'GLOBAL', 'LOCAL', 'UNLOGGED', 'IF', 'NOT', 'EXISTS']);
const OBJECT_KINDS = new Set(['TABLE', 'VIEW', 'MACRO', 'FUNCTION', 'SEQUENCE', 'TYPE', 'INDEX', 'SCHEMA', 'SECRET', 'DATABASE', 'EXTENSION']);
const WRITE_VERBS = ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'SELECT', 'COPY'];

/** e.g. "CREATE TABLE", "DROP VIEW", "INSERT", "FORCE INSTALL", "EXPORT DATABASE". */
export function statementName(sql: string): string {
  const words = leadingKeywords(sql, 12);
  const first = words[0] ?? '';
  switch (first) {
    case 'CREATE': {
      const rest = words.slice(1);
      const kind = rest.find((w) => OBJECT_KINDS.has(w)) ?? rest.find((w) => !CREATE_MODIFIERS.has(w));
      return kind ? `CREATE ${kind}` : 'CREATE';
    }
    case 'DROP':
    case 'ALTER':
    case 'COMMENT':
      return words[1] && OBJECT_KINDS.has(words[1]) ? `${first} ${words[1]}` : first;
    case 'EXPORT':
    case 'IMPORT':
      return `${first} DATABASE`;
    case 'FORCE':
      return words[1] === 'INSTALL' ? 'FORCE INSTALL' : 'FORCE CHECKPOINT';
    case 'BEGIN':
    case 'START':
      return 'BEGIN TRANSACTION';
    case 'END':
      return 'COMMIT';
    case 'WITH': {
      // The verb after the CTE list: `WITH x AS (…) INSERT INTO …`.
      const verb = topLevelWords(sql).find((w) => WRITE_VERBS.includes(w));
      return verb && verb !== 'SELECT' ? verb : 'WITH';
    }
    case 'PIVOT':
    case 'UNPIVOT':
      return first;
    default:
      if (first) return first === 'DESC' ? 'DESCRIBE' : first;
      return 'this statement';
  }
}

/** Extra advice for statements people reach for with a good reason. */
export function adviceFor(name: string): string {
  if (name === 'EXPLAIN') return ' Run the SELECT itself (EXPLAIN ANALYZE would execute it anyway).';
  if (name === 'DESCRIBE' || name === 'SHOW' || name === 'SUMMARIZE') return ' The tables and columns are listed in the schema; query them with SELECT.';
  if (name === 'PIVOT' || name === 'UNPIVOT') return ' Give PIVOT an explicit IN list (PIVOT … ON col IN (\'a\', \'b\') USING …) so it stays a single read-only query.';
  if (name === 'COPY' || name === 'EXPORT DATABASE') return ' Results are exported by the app, not by SQL.';
  return '';
}

export function forbiddenStatementMessage(name: string): string {
  return `${name} is not allowed: only read-only SELECT queries can run.${adviceFor(name)}`;
}

/** The statements of a multi-statement text, named one by one (split on semicolons outside strings and comments). */
export function statementNames(sql: string): string[] {
  const code = blankNonCode(sql);
  const names: string[] = [];
  let start = 0;
  for (let i = 0; i <= code.length; i++) {
    if (i === code.length || code[i] === ';') {
      const piece = sql.slice(start, i);
      if (blankNonCode(piece).trim()) names.push(statementName(piece));
      start = i + 1;
    }
  }
  return names;
}

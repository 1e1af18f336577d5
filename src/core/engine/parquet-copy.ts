/**
 * The COPY statement a Parquet export runs: written by the engine itself (the
 * trusted side) around a statement the guard has already validated. The guard
 * refuses COPY from users and models; this text is never theirs.
 */
import { uniqueNames, type ColumnInfo } from '../columnTypes.js';
import { sqlString } from '../sql/literal.js';

function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * Parquet has no 128-bit integer and DuckDB would write HUGEINT as DOUBLE,
 * rounding wei amounts; DECIMAL(38,0) keeps them exact (up to 10^38 - 1; a
 * larger value fails the cast and the export writes those columns as text).
 */
function parquetColumn(expr: string, type: string, wideAsText: boolean): string {
  if (!/^U?HUGEINT$/i.test(type.trim())) return expr;
  return `CAST(${expr} AS ${wideAsText ? 'VARCHAR' : 'DECIMAL(38,0)'})`;
}

export interface ParquetCopy {
  /** COPY of at most `maxRows` rows into `file`; `wideAsText` writes 128-bit integers as text. */
  copy(wideAsText: boolean): string;
  /** One row if the result has more than `maxRows` rows. */
  beyondLimit: string;
}

export function parquetCopy(validatedSql: string, columns: readonly ColumnInfo[], file: string, maxRows: number): ParquetCopy {
  const keys = columns.map((_, i) => `c${i}`);
  const names = uniqueNames(columns.map((c) => c.name));
  const from = `FROM (${validatedSql}\n) AS q(${keys.map(sqlIdent).join(', ')})`;
  return {
    copy: (wideAsText) => {
      const select = keys.map((k, i) => `${parquetColumn(sqlIdent(k), columns[i].type, wideAsText)} AS ${sqlIdent(names[i])}`).join(', ');
      return `COPY (SELECT ${select} ${from} LIMIT ${maxRows}) TO ${sqlString(file)} (FORMAT parquet)`;
    },
    beyondLimit: `SELECT 1 ${from} OFFSET ${maxRows} LIMIT 1`,
  };
}

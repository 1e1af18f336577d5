import type * as NodeSqlParser from 'node-sql-parser';
import type { AST } from 'node-sql-parser';

/**
 * A second opinion from node-sql-parser (PostgreSQL dialect, the closest it
 * has to DuckDB). It has no DuckDB dialect, so it only ever adds detail to a
 * refusal DuckDB has already decided; a statement it cannot parse is simply
 * not described here, never refused for that.
 */

export interface ParserView {
  /** Statement types as node-sql-parser names them, e.g. ['create view', 'drop table']. */
  statements: string[];
  /** Tables as 'verb::schema::table'. */
  tables: string[];
}

type ParserModule = typeof NodeSqlParser;
let parserModule: ParserModule | undefined;

function parser(): InstanceType<ParserModule['Parser']> {
  // Loaded on first use, and only the PostgreSQL build (300 KB, not the 2.5 MB
  // all-dialect index): it is bundled into the extension, whose load time it sets.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parserModule ??= require('node-sql-parser/build/postgresql') as ParserModule;
  return new parserModule.Parser();
}

export function describeWithSqlParser(sql: string): ParserView | null {
  if (sql.length > 20_000) return null;
  try {
    const p = parser();
    const opt = { database: 'postgresql' };
    const ast = p.astify(sql, opt);
    const list: AST[] = Array.isArray(ast) ? ast : [ast];
    return {
      statements: list.map((a) => {
        const keyword = 'keyword' in a && typeof a.keyword === 'string' ? ` ${a.keyword}` : '';
        return `${a.type}${keyword}`.trim();
      }),
      tables: p.tableList(sql, opt),
    };
  } catch {
    return null;
  }
}

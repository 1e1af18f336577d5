import type { DuckDBConnection } from '@duckdb/node-api';
import tokenList from '../../../../schemas/tokens.json';
import { sqlString } from '../../sql/literal.js';

interface BundledToken {
  address: string;
  symbol: string;
  name: string;
  decimals: number;
}

/**
 * The bundled real mainnet token list (schemas/tokens.json) as the temp table
 * `bundled_tokens(contract_address, symbol, name, decimals)`: it fills symbols
 * and decimals where an export has no tokens file. Bundled into the build, so
 * it needs no file at run time.
 */
export async function createBundledTokens(c: DuckDBConnection): Promise<void> {
  const tokens = (tokenList as { tokens: BundledToken[] }).tokens;
  const rows = tokens.map((t) => `(${sqlString(t.address.toLowerCase())}, ${sqlString(t.symbol)}, ${sqlString(t.name)}, ${Number.isInteger(t.decimals) ? t.decimals : 'NULL'})`);
  await c.run(`CREATE OR REPLACE TEMP TABLE bundled_tokens (contract_address VARCHAR, symbol VARCHAR, name VARCHAR, decimals INTEGER)`);
  if (rows.length) await c.run(`INSERT INTO bundled_tokens VALUES ${rows.join(',\n')}`);
}

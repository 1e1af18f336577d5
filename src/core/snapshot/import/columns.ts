import type { DuckDBConnection } from '@duckdb/node-api';
import { OnchainSqlError } from '../../errors.js';
import { describeColumns } from './sql.js';

/**
 * The columns one input dataset really has (exports differ by tool version and
 * options), so staging SQL can use a column when present and NULL otherwise,
 * and refuse clearly when a column it cannot do without is missing.
 */
export class DatasetColumns {
  private constructor(
    /** How the dataset is named to people, e.g. "blocks.csv" or "cryo blocks". */
    readonly label: string,
    readonly types: Map<string, string>,
  ) {}

  static async read(c: DuckDBConnection, label: string, relation: string): Promise<DatasetColumns> {
    return new DatasetColumns(label, await describeColumns(c, relation));
  }

  has(name: string): boolean {
    return this.types.has(name);
  }

  /** The first of `names` that exists, or undefined. */
  pick(...names: string[]): string | undefined {
    return names.find((n) => this.types.has(n));
  }

  type(name: string): string | undefined {
    return this.types.get(name);
  }

  /** `name` quoted as a column reference when present, else a typed NULL. */
  ref(name: string, nullType = 'VARCHAR'): string {
    return this.has(name) ? `"${name}"` : `NULL::${nullType}`;
  }

  /** Throws `import_format` unless, for each group, one of its alternative names exists. */
  require(format: string, ...groups: string[][]): void {
    const missing = groups.filter((g) => !g.some((n) => this.has(n))).map((g) => g.join(' or '));
    if (missing.length) {
      throw new OnchainSqlError('import_format', `Not a usable ${format} export: ${this.label} has no column ${missing.join(', ')} (its columns: ${[...this.types.keys()].join(', ') || 'none'}).`);
    }
  }
}

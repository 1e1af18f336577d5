import chain from '../../../schemas/chain.json';

/** One column of the chain-data contract (schemas/chain.json). */
export interface ColumnSpec {
  name: string;
  type: string;
  description: string;
  unit?: string;
  examples?: unknown[];
}

export interface TableSpec {
  namespace: string;
  name: string;
  description: string;
  columns: ColumnSpec[];
  joinHints?: string[];
  pitfalls?: string[];
  exampleQuestions?: string[];
}

export interface Catalog {
  schemaVersion: number;
  tables: TableSpec[];
  rules?: string[];
}

export const catalog = chain as Catalog;

export const NAMESPACES = [...new Set(catalog.tables.map((t) => t.namespace))];

export function qualifiedName(t: Pick<TableSpec, 'namespace' | 'name'>): string {
  return `${t.namespace}.${t.name}`;
}

export function findTable(qualified: string): TableSpec | undefined {
  const q = qualified.toLowerCase();
  return catalog.tables.find((t) => qualifiedName(t) === q);
}

/**
 * What a DuckDB column type is, by its name. One list for the terminal table,
 * CSV export, the webviews' cells and the grid's alignment (bundled for the
 * browser too: no Node imports here).
 */
/** A result column: its name and its DuckDB type as DuckDB writes it (`BIGINT`, `DECIMAL(38,0)`, …). */
export interface ColumnInfo {
  name: string;
  type: string;
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC)\b/i;
const INTEGER_TYPE = /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)\b/i;
const TIME_TYPE = /^(TIMESTAMP|DATE|TIME)\b/i;
/** A number as DuckDB writes one in text (wide integers and decimals arrive as strings). */
const NUMERIC_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?(Infinity|NaN|inf|nan)$/;

export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type.trim());
}

export function isIntegerType(type: string): boolean {
  return INTEGER_TYPE.test(type.trim());
}

export function isTimeType(type: string): boolean {
  return TIME_TYPE.test(type.trim());
}

export function isNumericText(s: string): boolean {
  return NUMERIC_TEXT.test(s);
}

/** Column names made distinct (`a, a` → `a, a_2`): JSON keys and Parquet columns need distinct names. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let k = 2; seen.has(name); k++) name = `${n}_${k}`;
    seen.add(name);
    return name;
  });
}

import type { TimeWindow } from './time.js';

export type Table = 'transactions' | 'blocks' | 'transfers' | 'trades' | 'prices' | 'erc20' | 'labels';

export const TABLE_SQL: Record<Table, string> = {
  transactions: 'ethereum.transactions',
  blocks: 'ethereum.blocks',
  transfers: 'tokens.transfers',
  trades: 'dex.trades',
  prices: 'prices.hourly',
  erc20: 'tokens.erc20',
  labels: 'labels.addresses',
};

/** A WHERE condition with the words that describe it. Column names are unqualified; the builder qualifies them. */
export interface Filter {
  /** SQL with `{c}` placed before each column of the main table (e.g. "{c}symbol = 'USDT'"). */
  sql: string;
  words: string;
}

export interface Dimension {
  /** Expression with `{c}` before main-table columns, or `l.` columns of the label join. */
  expr: string;
  alias: string;
  words: string;
  /** This column is only the sort key of the dimension with this alias (isodow for a weekday name). */
  orders?: string;
}

export type Aggregate = 'count' | 'sum' | 'avg' | 'median' | 'min' | 'max' | 'count_distinct' | 'share' | 'volume_share' | 'raw';

export interface Measure {
  agg: Aggregate;
  /** Column or expression (with `{c}`), absent for count(*). */
  column?: string;
  /** For share: the condition whose frequency is measured. */
  shareCondition?: string;
  percent?: boolean;
  /** The column is in ETH and is valued in USD at its hour's ETH price (prices.hourly joined as `p`). */
  ethPrice?: boolean;
  /** An outer aggregate over time buckets: "average daily transactions". */
  outer?: 'avg' | 'median' | 'min' | 'max';
  alias: string;
  words: string;
}

/**
 * What the question asks, independent of SQL text. One builder turns every
 * intent into SQL, so the families differ only in data, not in code paths.
 */
export interface Intent {
  table: Table;
  /** Absent for a row listing. */
  measure?: Measure;
  /** Measures shown beside the first ("min and max"); never ordered by. */
  extraMeasures: Measure[];
  /** Plain-word subject ("transactions", "USDC transfers"). */
  subject: string;
  filters: Filter[];
  /** Join labels.addresses l on the given column of the main table. */
  labelJoin?: { column: string; category?: string };
  time?: TimeWindow;
  timeColumn: string;
  bucket?: 'minute' | 'hour' | 'day' | 'week' | 'month';
  dims: Dimension[];
  rank?: { dir: 'asc' | 'desc'; n: number };
  /** Every group, ordered by the measure ("sort it biggest first"): a ranking with no cut. */
  sortByMeasure?: 'asc' | 'desc';
  /** A row listing: these columns, ordered by `orderBy`. */
  rows?: { columns: string[]; orderBy: string; dir: 'asc' | 'desc'; n: number; latest?: boolean };
  /** Price series or latest price: plain rows with no aggregate. */
  series?: { columns: string[] };
}

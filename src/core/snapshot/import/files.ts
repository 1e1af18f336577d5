import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnchainSqlError } from '../../errors.js';

export type ImportFormat = 'cryo' | 'ethereum-etl';

/** The ethereum-etl datasets we read, as named by `export_all` (blocks_00000000_00099999.csv) and `stream`. */
export const ETL_DATASETS = ['blocks', 'transactions', 'receipts', 'logs', 'token_transfers', 'tokens'] as const;
export type EtlDataset = (typeof ETL_DATASETS)[number];

/** The cryo datasets we read (ethereum__blocks__00017173049_to_00017173050.parquet). */
export const CRYO_DATASETS = ['blocks', 'transactions', 'logs', 'erc20_transfers', 'erc20_metadata', 'contracts'] as const;
export type CryoDataset = (typeof CRYO_DATASETS)[number];

/** Every file under `dir`, as absolute paths, sorted so block ranges read in order. Hidden entries are skipped. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      // Follow symlinks (exports are often linked in from elsewhere); a dangling one is skipped.
      const st = e.isSymbolicLink() ? fs.statSync(p, { throwIfNoEntry: false }) : e;
      if (st?.isDirectory()) walk(p);
      else if (st?.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * ethereum-etl CSV of one dataset: `blocks.csv`, `blocks_00000000_00099999.csv`
 * (optionally gzipped), in any subfolder (export_all's `blocks/start_block=…/`).
 * Digits-only suffixes keep `transaction_hashes_….csv` and `token_transfers` apart
 * from `transactions` and `tokens`.
 */
export function etlCsvFiles(files: string[], dataset: EtlDataset): string[] {
  const re = new RegExp(`^${dataset}(_\\d+)*\\.csv(\\.gz)?$`, 'i');
  // A zero-byte file (an interrupted or empty range) holds nothing, not even a header.
  return files.filter((f) => re.test(path.basename(f)) && fs.statSync(f).size > 0);
}

/** Newline-delimited JSON files (ethereum-etl `stream` output: one item per line with a `type`). */
export function jsonFiles(files: string[]): string[] {
  return files.filter((f) => /\.(json|jsonl|ndjson)(\.gz)?$/i.test(path.basename(f)));
}

/** cryo Parquet files of one dataset: `<network>__<dataset>__<first>_to_<last>.parquet` (or `<dataset>.parquet`). */
export function cryoFiles(files: string[], dataset: CryoDataset): string[] {
  const re = new RegExp(`^(?:[^_]+(?:_[^_]+)*__)?${dataset}(?:__.*)?\\.parquet$`, 'i');
  return files.filter((f) => re.test(path.basename(f)));
}

export interface EtlLayout {
  kind: 'csv' | 'json';
  csv: Record<EtlDataset, string[]>;
  json: string[];
  /** Every file of the folder, for messages. */
  all: string[];
}

export type CryoLayout = Record<CryoDataset, string[]>;

/** The CSV layout when blocks and transactions are there; else the JSON stream layout when there are JSON files; else null. */
export function detectEtl(files: string[]): EtlLayout | null {
  const csv = Object.fromEntries(ETL_DATASETS.map((d) => [d, etlCsvFiles(files, d)])) as Record<EtlDataset, string[]>;
  if (csv.blocks.length && csv.transactions.length) return { kind: 'csv', csv, json: [], all: files };
  const json = jsonFiles(files);
  if (json.length && !csv.blocks.length && !csv.transactions.length) return { kind: 'json', csv, json, all: files };
  return null;
}

export function detectCryo(files: string[]): CryoLayout | null {
  const layout = Object.fromEntries(CRYO_DATASETS.map((d) => [d, cryoFiles(files, d)])) as CryoLayout;
  return layout.blocks.length && layout.transactions.length ? layout : null;
}

/** A short list of what is in the folder, for error messages. */
export function describeFound(dir: string, files: string[], max = 8): string {
  if (files.length === 0) return 'the folder is empty';
  const names = files.slice(0, max).map((f) => path.relative(dir, f));
  return `found: ${names.join(', ')}${files.length > max ? `, … ${files.length - max} more` : ''}`;
}

const EXPECTED: Record<ImportFormat, string> = {
  'ethereum-etl': 'blocks.csv and transactions.csv (plain or with block ranges, e.g. blocks_00000000_00099999.csv; also receipts, logs, token_transfers, tokens) or the newline-delimited JSON of `ethereumetl stream`',
  cryo: 'Parquet datasets blocks and transactions (e.g. ethereum__blocks__00017173049_to_00017173050.parquet; also logs, erc20_transfers, erc20_metadata, contracts)',
};

/** 'a cryo', 'an ethereum-etl'. */
function withArticle(f: ImportFormat): string {
  return f === 'cryo' ? 'a cryo' : 'an ethereum-etl';
}

/** Finds the export's files for `from`, or explains what was expected (and which format the folder looks like instead). */
export function locateExport(from: 'ethereum-etl', dir: string): EtlLayout;
export function locateExport(from: 'cryo', dir: string): CryoLayout;
export function locateExport(from: ImportFormat, dir: string): EtlLayout | CryoLayout {
  if (!fs.existsSync(dir)) throw new OnchainSqlError('import_format', `Export folder not found: ${dir}.`);
  if (!fs.statSync(dir).isDirectory()) throw new OnchainSqlError('import_format', `${dir} is a file; give the folder that holds the ${from} export.`);
  const files = listFiles(dir);
  refuseMixed(dir, files);
  const layout = from === 'cryo' ? detectCryo(files) : detectEtl(files);
  if (layout) return layout;
  const other: ImportFormat = from === 'cryo' ? 'ethereum-etl' : 'cryo';
  const looksOther = other === 'cryo' ? detectCryo(files) !== null : detectEtl(files)?.kind === 'csv';
  if (looksOther) {
    throw new OnchainSqlError('import_format', `Not ${withArticle(from)} export: ${dir} looks like ${withArticle(other)} export (${describeFound(dir, files)}). Use --from ${other}.`, [`onchain-sql snapshot import --from ${other} ${dir} --out …`]);
  }
  throw new OnchainSqlError('import_format', `Not ${withArticle(from)} export: expected ${EXPECTED[from]} in ${dir} (${describeFound(dir, files)}).`);
}

/** The export kinds present in a folder, each with the files that show it. */
function kindsFound(files: string[]): Array<{ kind: string; files: string[] }> {
  const kinds = [
    { kind: 'ethereum-etl CSV', files: ETL_DATASETS.flatMap((d) => etlCsvFiles(files, d)) },
    { kind: 'ethereum-etl stream JSON', files: jsonFiles(files) },
    { kind: 'cryo Parquet', files: CRYO_DATASETS.flatMap((d) => cryoFiles(files, d)) },
  ];
  return kinds.filter((k) => k.files.length > 0);
}

/**
 * One export per folder: importing one format and dropping the other's blocks
 * would look complete and not be, so a folder holding several is refused,
 * naming what was found.
 */
function refuseMixed(dir: string, files: string[]): void {
  const kinds = kindsFound(files);
  if (kinds.length < 2) return;
  const found = kinds.map((k) => `${k.kind} (${describeFound(dir, k.files, 3).replace(/^found: /, '')})`).join('; ');
  throw new OnchainSqlError('import_format', `${dir} mixes export formats, so importing one would silently drop the other's data: ${found}. Put each export in its own folder and import them separately.`);
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ETL_FIXTURE } from './cryo-export.js';

export const ETL_CSV_FILES = ['blocks.csv', 'transactions.csv', 'receipts.csv', 'logs.csv', 'token_transfers.csv'];

let cached: string | undefined;

/**
 * The fixture's CSV export alone. The fixture folder also holds the same blocks
 * as stream JSON (stream-json/), which the importer rightly refuses as a mixed
 * export; tests of the CSV import read this copy.
 */
export function etlCsvExport(dir?: string): string {
  if (!dir && cached && fs.existsSync(cached)) return cached;
  const out = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-etl-csv-'));
  fs.mkdirSync(out, { recursive: true });
  for (const f of ETL_CSV_FILES) fs.copyFileSync(path.join(ETL_FIXTURE, f), path.join(out, f));
  if (!dir) {
    cached = out;
    process.once('exit', () => fs.rmSync(out, { recursive: true, force: true }));
  }
  return out;
}

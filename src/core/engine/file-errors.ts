import { OnchainSqlError } from '../errors.js';

/**
 * DuckDB's messages for a Parquet file that vanished or changed under an open
 * snapshot. They surface while binding or running a query, but the SQL is not
 * at fault: reported as `snapshot_corrupt` (naming the file) so that nobody,
 * the repair loop included, tries to fix the query.
 */
const FILE_FAILURE = /No magic bytes found|No files found that match the pattern|Could not open file|Cannot open file|Invalid Input Error: .*(parquet|footer)|IO Error: .*\.parquet/i;

export function snapshotFileError(message: string): OnchainSqlError | null {
  if (!FILE_FAILURE.test(message) || !message.includes('.parquet')) return null;
  const file = /["']([^"']+\.parquet)["']/.exec(message)?.[1];
  const shown = file ? ` (${file})` : '';
  return new OnchainSqlError(
    'snapshot_corrupt',
    `A snapshot file is missing or damaged${shown}: it changed after the snapshot was opened. Reopen the snapshot, or rebuild or re-import it. DuckDB said: ${message.split('\n')[0]}`,
  );
}

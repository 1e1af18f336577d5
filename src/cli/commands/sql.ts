import { DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_MS } from '../../core/engine/engine.js';
import { expectPositionals, numberOption } from '../args.js';
import { defineCommand } from '../command.js';
import { formatTable } from '../format.js';
import { ENGINE_OPTIONS, openSnapshot } from '../open-snapshot.js';
import { writeOut } from '../output.js';

/** `onchain-sql sql "<SQL>"`: runs the statement as written (validated like every statement). */
export const command = defineCommand({
  ...ENGINE_OPTIONS,
  'max-rows': { type: 'string' },
  'timeout-ms': { type: 'string' },
}, async (values, positionals) => {
  const [sql] = expectPositionals(positionals, 1, 'sql needs exactly one argument: the SQL text, quoted');
  const maxRows = numberOption(values['max-rows'], 'max-rows', DEFAULT_MAX_ROWS);
  const timeoutMs = numberOption(values['timeout-ms'], 'timeout-ms', DEFAULT_TIMEOUT_MS);
  const engine = await openSnapshot(values);
  try {
    const result = await engine.query(sql, { maxRows, timeoutMs });
    if (values.json) {
      writeOut(JSON.stringify(result));
    } else {
      writeOut(formatTable(result.columns, result.rows));
      const more = result.truncated ? ` (truncated at ${result.rowCount}; use --max-rows)` : '';
      process.stderr.write(`${result.rowCount} row${result.rowCount === 1 ? '' : 's'}${more} in ${result.timings.totalMs.toFixed(1)} ms\n`);
    }
    return 0;
  } finally {
    engine.close();
  }
});

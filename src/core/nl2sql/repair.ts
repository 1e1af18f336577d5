import type { TokenUsage } from '../answer.js';
import { OnchainSqlError, isValidationCode } from '../errors.js';
import { catalog, qualifiedName } from '../schema/catalog.js';

/**
 * A model replied, but not with usable SQL (prose instead of a tool call, a tool
 * call without a string `sql`, output cut off). Code `provider_error`, but unlike
 * an API failure it is worth one more try, with this message as feedback.
 */
export class ModelOutputError extends OnchainSqlError {
  constructor(
    message: string,
    /** What the model sent instead (trimmed), kept as the attempt's text. */
    readonly output: string,
    readonly usage?: TokenUsage,
    readonly model?: string,
  ) {
    super('provider_error', message);
    this.name = 'ModelOutputError';
  }
}

/** Errors the model can fix by writing different SQL; API failures, timeouts and cancellation are not. */
export function isRepairable(e: OnchainSqlError): boolean {
  return e instanceof ModelOutputError || isValidationCode(e.code) || e.code === 'runtime_error';
}

const MAX_FEEDBACK_CHARS = 3_000;

/**
 * The text fed back to the model: the exact error, the validator's nearest real
 * names, and for an unknown name the real columns of the tables the SQL used, so
 * the next try picks an existing one instead of guessing again.
 */
export function repairFeedback(sql: string, e: OnchainSqlError): string {
  const parts = [`${e.code}: ${e.message}`];
  if (e.suggestions.length) parts.push(`Nearest real names / hints: ${e.suggestions.join('; ')}`);
  if (['unknown_column', 'bind_error', 'unknown_table'].includes(e.code)) {
    const used = tablesUsed(sql);
    for (const name of used) {
      const t = catalog.tables.find((x) => qualifiedName(x) === name)!;
      parts.push(`Columns of ${name}: ${t.columns.map((c) => c.name).join(', ')}`);
    }
    if (e.code === 'unknown_table' || used.length === 0) {
      parts.push(`Available tables: ${catalog.tables.map(qualifiedName).join(', ')}`);
    }
  }
  if (/0x[0-9a-f]{6,}/i.test(sql) && /syntax error|Parser Error/i.test(e.message)) {
    parts.push("Addresses must be quoted lowercase strings, e.g. to_address = '0xabc…'.");
  }
  const text = parts.join('\n');
  return text.length > MAX_FEEDBACK_CHARS ? `${text.slice(0, MAX_FEEDBACK_CHARS)}…` : text;
}

function tablesUsed(sql: string): string[] {
  const lower = sql.toLowerCase();
  return catalog.tables.map(qualifiedName).filter((n) => new RegExp(`\\b${n.replace('.', '\\s*\\.\\s*')}\\b`).test(lower));
}

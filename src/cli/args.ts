import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errnoCode, errorMessage, OnchainSqlError } from '../core/errors.js';

/**
 * The one option parser of the CLI. Every command declares its own options;
 * these common ones are added to each. A bad option, a missing value or a
 * wrong argument count is an `OnchainSqlError('usage')` (exit code 2).
 */
export const COMMON_OPTIONS = {
  snapshot: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
export type Values<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ options: typeof COMMON_OPTIONS & O; allowPositionals: true; strict: true }>>['values'];
export type CommonValues = Values<Record<never, never>>;

export function usageError(message: string): OnchainSqlError {
  return new OnchainSqlError('usage', message);
}

/** Parses a command's arguments (after the command word) with the common options and its own. */
export function parseCommandArgs<O extends OptionsConfig>(args: string[], options: O): { values: Values<O>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (e) {
    // node:util reports unknown options and missing values as ERR_PARSE_ARGS_* errors.
    throw errnoCode(e)?.startsWith('ERR_PARSE_ARGS') ? usageError(errorMessage(e)) : e;
  }
}

/** A non-negative number option (`--max-rows 100`), or `fallback` when absent. */
export function numberOption(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw usageError(`--${name} needs a non-negative number, got "${raw}"`);
  return n;
}

/** One of a fixed set of words (`--provider claude`), or `fallback` when absent. */
export function choiceOption<T extends string>(raw: string | undefined, name: string, choices: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw usageError(`--${name} must be ${choices.join(', ')}; got "${raw}"`);
  return raw as T;
}

/** Exactly `n` positional arguments, or a usage error that says what they are. */
export function expectPositionals(positionals: string[], n: number, what: string): string[] {
  if (positionals.length !== n) throw usageError(what);
  return positionals;
}

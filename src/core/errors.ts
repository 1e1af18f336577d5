/**
 * Every failure the core reports carries a stable code, so surfaces (CLI JSON,
 * webviews, the repair loop) can react without parsing message text.
 */
export type ErrorCode =
  // validation: the SQL is refused before it runs
  | 'empty_sql'
  | 'too_long'
  | 'parse_error'
  | 'multiple_statements'
  | 'forbidden_statement'
  | 'unknown_table'
  | 'unknown_column'
  | 'forbidden_function'
  | 'bind_error'
  // execution
  | 'timeout'
  | 'cancelled'
  | 'runtime_error'
  | 'resource_limit'
  // snapshots
  | 'snapshot_missing'
  | 'snapshot_corrupt'
  | 'import_format'
  // RPC sync: the endpoint failed or refused (its URL never in the message)
  | 'rpc'
  // exports (the host writes a file the user chose)
  | 'export_failed'
  // generation
  | 'empty_question'
  | 'cannot_answer'
  | 'provider_error'
  | 'missing_api_key'
  | 'usage';

export class OnchainSqlError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Nearest real names or next steps, shown to people and fed to the repair loop. */
    readonly suggestions: string[] = [],
  ) {
    super(message);
    this.name = 'OnchainSqlError';
  }

  toJSON(): { code: ErrorCode; message: string; suggestions?: string[] } {
    return this.suggestions.length
      ? { code: this.code, message: this.message, suggestions: this.suggestions }
      : { code: this.code, message: this.message };
  }
}

export function isValidationCode(code: ErrorCode): boolean {
  return [
    'empty_sql', 'too_long', 'parse_error', 'multiple_statements', 'forbidden_statement',
    'unknown_table', 'unknown_column', 'forbidden_function', 'bind_error',
  ].includes(code);
}

export function toOnchainSqlError(e: unknown, fallback: ErrorCode = 'runtime_error'): OnchainSqlError {
  if (e instanceof OnchainSqlError) return e;
  return new OnchainSqlError(fallback, errorMessage(e));
}

/** The message of anything thrown. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The `code` of a Node.js system error (`ENOENT`, `EACCES`, `ERR_PARSE_ARGS_…`), if it is one. */
export function errnoCode(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** One try of a question: the SQL generated and, if it failed, why. */
export interface Attempt {
  sql: string;
  error?: { code: ErrorCode; message: string };
}

/** A failed ask: the final error, plus every attempt made (surfaces show them). */
export class AskError extends OnchainSqlError {
  constructor(cause: OnchainSqlError, readonly attempts: Attempt[]) {
    super(cause.code, cause.message, cause.suggestions);
    this.name = 'AskError';
  }

  override toJSON(): { code: ErrorCode; message: string; suggestions?: string[]; attempts?: Attempt[] } {
    return this.attempts.length ? { ...super.toJSON(), attempts: this.attempts } : super.toJSON();
  }
}

/** The attempts of a failed ask; none for any other error. */
export function attemptsOf(e: unknown): Attempt[] {
  return e instanceof AskError ? e.attempts : [];
}

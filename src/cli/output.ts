import { attemptsOf, toOnchainSqlError } from '../core/errors.js';
import { redactSecrets } from '../core/text/redact.js';

/** Anything that looks like an Anthropic key (or is the key in the environment) never reaches stdout or stderr. */
export function scrub(text: string): string {
  return redactSecrets(text, [process.env.ANTHROPIC_API_KEY]);
}

export function writeOut(text: string): void {
  process.stdout.write(`${scrub(text)}\n`);
}

/** Progress for people, on stderr; silent with --json so stdout stays one JSON document. */
export function progressLog(json: boolean): (message: string) => void {
  return (m) => { if (!json) process.stderr.write(`${scrub(m)}\n`); };
}

/**
 * Prints a failure (as `{"error": …}` on stdout with --json, else on stderr with
 * hints and, for a failed ask, each attempt) and returns the exit code: 2 for a
 * usage error, 1 otherwise.
 */
export function printError(e: unknown, json: boolean, usage?: string): number {
  const err = toOnchainSqlError(e);
  if (json) {
    writeOut(JSON.stringify({ error: err.toJSON() }));
  } else {
    const lines = [`error (${err.code}): ${err.message}`, ...err.suggestions.map((s) => `  hint: ${s}`)];
    attemptsOf(e).forEach((at, i) => {
      lines.push(`  attempt ${i + 1}: ${at.sql ? at.sql.replace(/\s+/g, ' ').slice(0, 160) : '(no SQL)'}`);
      if (at.error) lines.push(`    → ${at.error.code}: ${at.error.message.split('\n')[0]}`);
    });
    if (err.code === 'usage' && usage) lines.push('', usage);
    process.stderr.write(`${scrub(lines.join('\n'))}\n`);
  }
  return err.code === 'usage' ? 2 : 1;
}

import type { ParseArgsConfig } from 'node:util';
import { parseCommandArgs, type Values } from './args.js';

/**
 * One CLI command: its own options and what it does. `main.ts` lists the
 * commands (one line each) and loads a command's module only when it runs.
 */
export interface CliCommand {
  /** Runs with the arguments after the command word; returns the exit code. */
  run(args: string[]): Promise<number>;
}

/** A command whose options are parsed (common + its own) before `run` sees them. */
export function defineCommand<O extends NonNullable<ParseArgsConfig['options']>>(
  options: O,
  run: (values: Values<O>, positionals: string[]) => Promise<number>,
): CliCommand {
  return {
    run: (args) => {
      const { values, positionals } = parseCommandArgs(args, options);
      return run(values, positionals);
    },
  };
}

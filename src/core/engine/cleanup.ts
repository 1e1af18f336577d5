import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';

/**
 * What the engine leaves on the machine while it runs: DuckDB's spill folders
 * (onchain-sql-duckdb-*) and worker processes. All are removed when the process
 * exits, however it exits short of SIGKILL; `exitOnSignals` turns SIGINT and
 * SIGTERM into such an exit for command-line runs.
 */
/** Spill folders, and worker scripts built from source (worker-process.ts). */
const tempDirs = new Set<string>();
const children = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  });
}

export function makeTempDir(): string {
  hookExit();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onchain-sql-duckdb-'));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** A file this process made for itself, removed when it exits. */
export function trackFile(file: string): void {
  hookExit();
  tempDirs.add(file);
}

export function trackChild(child: ChildProcess): void {
  hookExit();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** The shell's exit code for a run ended by `signal` (128 + its number), for commands that stop on a signal themselves. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return SIGNAL_EXIT_CODES[signal] ?? 130;
}

/**
 * For a command-line run: SIGINT, SIGTERM and SIGHUP end the process through
 * process.exit (with the shell's 128+signal code), so the exit hook above runs.
 * A command with its own handler for a signal handles it instead (see above).
 * Not for the extension host, whose signals belong to the editor.
 */
export function exitOnSignals(): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    // A command that stops gracefully on its own (snapshot sync) listens too: then it decides;
    // a second signal, once its handler is gone, ends the process here.
    process.on(signal as NodeJS.Signals, () => { if (process.listenerCount(signal) === 1) process.exit(code); });
  }
}

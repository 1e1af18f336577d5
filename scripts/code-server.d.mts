// Types for scripts/code-server.mjs (imported by the TypeScript UI tests).
import type { BrowserContext } from 'playwright-core';
import type { ChildProcess } from 'node:child_process';

export const CODE_SERVER_VERSION: string;
export const NODE_VERSION: string;
export const APT_PACKAGES: string[];
export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export const REPO_ROOT: string;

export interface CodeServer { node: string; nodeDir: string; entry: string; dir: string; version: string }
export interface RunningServer {
  url: string; host: string; port: number; authority: string; child: ChildProcess;
  output(): string; stop(): Promise<void>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
export interface StartOptions {
  folder?: string; stateDir: string; extensionsDir?: string; userDataDir?: string; host?: string; port?: number;
  smokeTestDriver?: boolean; timeoutMs?: number; echo?: boolean; extraArgs?: string[];
}

export function cacheRoot(): string;
export function installEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function withLock<T>(name: string, fn: () => Promise<T>, options?: { pollMs?: number }): Promise<T>;
export function readMarker(dir: string): Record<string, unknown> | undefined;
export function writeMarker(dir: string, data: Record<string, unknown>): void;
export function run(cmd: string, args: string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string; logFile?: string; timeoutMs?: number }): void;
export function ensureAptPackages(): void;
export function ensureNode(): Promise<{ dir: string; bin: string }>;
export function ensureCodeServer(): Promise<CodeServer>;
export function makeTempDir(prefix: string): string;
export function removeDir(dir: string): void;
export function startCodeServer(cs: CodeServer, options: StartOptions): Promise<RunningServer>;
export function installVsix(cs: CodeServer, vsix: string, dirs: { extensionsDir: string; stateDir: string }): string;
export function launchBrowser(profileDir: string, options?: { headless?: boolean; viewport?: { width: number; height: number } }): Promise<BrowserContext>;
export function ensureSampleSnapshot(): string;
export function isCI(): boolean;
export function killServersOnSignals(): void;

import * as vscode from 'vscode';
import { redactSecrets } from '../core/text/redact.js';

/**
 * The "Onchain SQL" output channel, wrapped so that every line passes through
 * `redactSecrets` first: an API key (by value or by shape) never reaches the log file.
 */
export function createRedactingLog(name: string, secrets: () => readonly string[]): vscode.LogOutputChannel {
  const channel = vscode.window.createOutputChannel(name, { log: true });
  const clean = (message: string | Error): string => redactSecrets(message instanceof Error ? `${message.name}: ${message.message}` : message, secrets());
  const cleanArgs = (args: unknown[]): string[] => args.map((a) => clean(a instanceof Error ? a : typeof a === 'string' ? a : safeJson(a)));
  const wrapped: Partial<vscode.LogOutputChannel> = {
    trace: (m: string, ...a: unknown[]) => channel.trace(clean(m), ...cleanArgs(a)),
    debug: (m: string, ...a: unknown[]) => channel.debug(clean(m), ...cleanArgs(a)),
    info: (m: string, ...a: unknown[]) => channel.info(clean(m), ...cleanArgs(a)),
    warn: (m: string, ...a: unknown[]) => channel.warn(clean(m), ...cleanArgs(a)),
    error: (e: string | Error, ...a: unknown[]) => channel.error(clean(e), ...cleanArgs(a)),
    append: (v: string) => channel.append(clean(v)),
    appendLine: (v: string) => channel.appendLine(clean(v)),
    replace: (v: string) => channel.replace(clean(v)),
  };
  return new Proxy(channel, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in wrapped) return wrapped[prop as keyof vscode.LogOutputChannel];
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
    },
  });
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

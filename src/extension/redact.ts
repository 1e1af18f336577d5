/** API-key helpers of the extension. No `vscode` import. */

// Shared with the MCP server and the language-model tools (core), re-exported for the extension.
export { redact } from '../core/redact.js';

/** A loose format check for an Anthropic API key: catches pasting the wrong thing, not a validation. */
export function checkApiKeyFormat(key: string): string | undefined {
  const k = key.trim();
  if (!k) return 'The key is empty.';
  if (/\s/.test(k)) return 'The key contains spaces or line breaks.';
  if (k.length < 20) return 'The key looks too short.';
  if (!k.startsWith('sk-')) return 'Anthropic keys usually start with "sk-ant-". Press Enter again to save it anyway.';
  return undefined;
}

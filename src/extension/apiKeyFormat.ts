/** No `vscode` import: unit-tested in plain Node. Redaction itself is the core's `redactSecrets`. */

/** A loose format check for an Anthropic API key: catches pasting the wrong thing, not a validation. */
export function checkApiKeyFormat(key: string): string | undefined {
  const k = key.trim();
  if (!k) return 'The key is empty.';
  if (/\s/.test(k)) return 'The key contains spaces or line breaks.';
  if (k.length < 20) return 'The key looks too short.';
  if (!k.startsWith('sk-')) return 'Anthropic keys usually start with "sk-ant-". Press Enter again to save it anyway.';
  return undefined;
}

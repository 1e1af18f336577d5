/** Removes API keys from text before it reaches a log or a message. No `vscode` import. */

/** Anthropic keys look like `sk-ant-…`; anything of that shape is hidden even if unknown to us. */
const KEY_SHAPE = /sk-ant-[A-Za-z0-9_\-]{8,}/g;

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 8) out = out.split(s).join('[redacted]');
  }
  return out.replace(KEY_SHAPE, 'sk-ant-[redacted]');
}

/** A loose format check for an Anthropic API key: catches pasting the wrong thing, not a validation. */
export function checkApiKeyFormat(key: string): string | undefined {
  const k = key.trim();
  if (!k) return 'The key is empty.';
  if (/\s/.test(k)) return 'The key contains spaces or line breaks.';
  if (k.length < 20) return 'The key looks too short.';
  if (!k.startsWith('sk-')) return 'Anthropic keys usually start with "sk-ant-". Press Enter again to save it anyway.';
  return undefined;
}

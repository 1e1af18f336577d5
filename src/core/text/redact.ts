/** Removes API keys from text before it reaches a log, a message or the terminal. */

/** Anthropic keys look like `sk-ant-…`; anything of that shape is hidden even if unknown to us. */
const KEY_SHAPE = /sk-ant-[A-Za-z0-9_-]{4,}/g;

/** Hides every given secret (by value, when 8+ characters) and anything shaped like an Anthropic key. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    const secret = s?.trim();
    if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  return out.replace(KEY_SHAPE, 'sk-ant-[redacted]');
}

/** Removes API keys from text before it reaches a log, a message or a tool result. */

/** Anthropic keys look like `sk-ant-…`; anything of that shape is hidden even if unknown to us. */
const KEY_SHAPE = /sk-ant-[A-Za-z0-9_\-]{8,}/g;

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 8) out = out.split(s).join('[redacted]');
  }
  return out.replace(KEY_SHAPE, 'sk-ant-[redacted]');
}

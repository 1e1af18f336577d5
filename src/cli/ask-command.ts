import type { Answer } from '../core/answer.js';
import { ask, AskError } from '../core/ask.js';
import { DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_MS } from '../core/engine/engine.js';
import type { QueryEngine as Engine } from '../core/engine/protocol.js';
import { OnchainSqlError, toOnchainSqlError } from '../core/errors.js';
import { buildContext } from '../core/nl2sql/context.js';
import { buildHistory } from '../core/nl2sql/history.js';
import { renderUserMessage } from '../core/nl2sql/prompt.js';
import { createProvider, resolveProviderKind, type ProviderKind } from '../core/nl2sql/providers.js';
import { formatTable } from './format.js';
import type { CliValues } from './main.js';

/**
 * `onchain-sql ask "<question>" [--then "<follow-up>" …] [--provider claude|offline] [--json] [--print-prompt]`.
 * With --then, each question is asked in turn with the earlier answers as
 * history (the same history builder as the chat, @onchain and notebooks) and
 * the last answer is printed, after one line per earlier turn.
 * Settings come from the environment: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,
 * ONCHAIN_SQL_MODEL. Without a key the offline translator answers. Errors are
 * printed here (not in main) so the attempts of a failed repair loop are shown.
 */

const PROVIDER_KINDS: ProviderKind[] = ['claude', 'offline', 'auto'];

/** Anything that looks like an Anthropic key never reaches stdout or stderr. */
function scrub(text: string): string {
  const key = process.env.ANTHROPIC_API_KEY?.trim();
  let out = text;
  if (key && key.length >= 8) out = out.split(key).join('[redacted key]');
  return out.replace(/sk-ant-[A-Za-z0-9_-]{4,}/g, 'sk-ant-…[redacted]');
}

function numberOption(values: CliValues, name: 'max-rows' | 'timeout-ms', fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new OnchainSqlError('usage', `--${name} needs a non-negative number, got "${raw}"`);
  return n;
}

function providerKind(values: CliValues): ProviderKind {
  const p = values.provider ?? 'auto';
  if (!PROVIDER_KINDS.includes(p as ProviderKind)) throw new OnchainSqlError('usage', `--provider must be claude or offline, got "${p}"`);
  return p as ProviderKind;
}

function describeProvider(answer: Pick<Answer, 'provider' | 'model'>): string {
  const names = { claude: 'Claude', offline: 'offline translator', 'vscode-lm': "the editor's language model" } as const;
  return `${names[answer.provider]}${answer.model && answer.provider !== 'offline' ? ` (${answer.model})` : ''}`;
}

async function printPrompt(values: CliValues, engine: Engine, question: string, kind: 'claude' | 'offline'): Promise<void> {
  const context = await buildContext(engine, question);
  if (kind === 'claude') {
    const { ClaudeProvider } = await import('../core/nl2sql/claude.js');
    const claude = new ClaudeProvider({ model: process.env.ONCHAIN_SQL_MODEL, baseURL: process.env.ANTHROPIC_BASE_URL });
    const body = claude.buildRequest({ question, history: [], context: context.text });
    if (values.json) {
      process.stdout.write(`${scrub(JSON.stringify({ provider: 'claude', baseURL: claude.baseURL, request: body }))}\n`);
      return;
    }
    const system = Array.isArray(body.system) ? body.system : [];
    const out = [
      `# provider: claude, model ${body.model}, ${claude.baseURL}/v1/messages, max_tokens ${body.max_tokens}`,
      `# tools: ${(body.tools ?? []).map((t) => ('name' in t ? t.name : t.type)).join(', ')}; tool_choice: ${JSON.stringify(body.tool_choice)}`,
      ...system.map((b) => `\n# system block${b.cache_control ? ' (cache_control: ephemeral)' : ''}\n${b.text}`),
      ...body.messages.map((m) => `\n# ${m.role}\n${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`),
    ];
    process.stdout.write(`${scrub(out.join('\n'))}\n`);
    return;
  }
  const user = renderUserMessage({ question, history: [] });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ provider: 'offline', context: context.text, user })}\n`);
    return;
  }
  process.stdout.write(`# provider: offline (local translator; nothing is sent anywhere)\n\n# context\n${context.text}\n\n# user\n${user}\n`);
}

function printAnswer(a: Answer, earlier: Answer[]): void {
  const t = a.timings;
  const repairs = a.attempts.length - 1;
  const lines = [
    ...earlier.map((e, i) => `turn ${i + 1}      ${e.question}\n             ${e.sql.replace(/\s+/g, ' ')}\n             → ${e.summary ?? `${e.rowCount} rows`}`),
    ...(earlier.length ? [`turn ${earlier.length + 1}      ${a.question}`] : []),
    ...(a.resolvedQuestion ? [`resolved as  ${a.resolvedQuestion}`] : []),
    `provider     ${describeProvider(a)}`,
    `explanation  ${a.explanation || '(none)'}`,
    '',
    a.sql.split('\n').map((l) => `  ${l}`).join('\n'),
    '',
    formatTable(a.columns, a.rows),
    '',
    ...(a.summary ? [`answer       ${a.summary}`] : []),
    ...(a.assumptions ?? []).map((x) => `assumed      ${x.text}${x.alternative ? `\n             other reading: ${x.alternative.question}` : ''}`),
    ...(a.notes ?? []).map((n) => `note         ${n}`),
    `${a.rowCount.toLocaleString('en-US')} row${a.rowCount === 1 ? '' : 's'}${a.truncated ? ' (truncated; use --max-rows)' : ''}` +
      ` in ${t.totalMs.toFixed(1)} ms (generate ${t.generateMs.toFixed(1)}, validate ${t.validateMs.toFixed(1)}, execute ${t.executeMs.toFixed(1)})` +
      (repairs > 0 ? `, after ${repairs} repair${repairs === 1 ? '' : 's'}` : '') +
      (a.usage ? `; tokens in ${a.usage.inputTokens} (cache read ${a.usage.cacheReadInputTokens ?? 0}), out ${a.usage.outputTokens}` : ''),
  ];
  process.stdout.write(`${scrub(lines.join('\n'))}\n`);
}

function printError(values: CliValues, e: unknown): number {
  const err = toOnchainSqlError(e);
  if (values.json) {
    process.stdout.write(`${scrub(JSON.stringify({ error: err.toJSON() }))}\n`);
  } else {
    const lines = [`error (${err.code}): ${err.message}`, ...err.suggestions.map((s) => `  hint: ${s}`)];
    if (err instanceof AskError) {
      err.attempts.forEach((at, i) => {
        lines.push(`  attempt ${i + 1}: ${at.sql ? at.sql.replace(/\s+/g, ' ').slice(0, 160) : '(no SQL)'}`);
        if (at.error) lines.push(`    → ${at.error.code}: ${at.error.message.split('\n')[0]}`);
      });
    }
    process.stderr.write(`${scrub(lines.join('\n'))}\n`);
  }
  return err.code === 'usage' ? 2 : 1;
}

export async function askCommand(values: CliValues, question: string, open: (v: CliValues) => Promise<Engine>): Promise<number> {
  let engine: Engine | undefined;
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const kind = providerKind(values);
    const settings = {
      kind,
      apiKey: process.env.ANTHROPIC_API_KEY,
      baseURL: process.env.ANTHROPIC_BASE_URL,
      model: process.env.ONCHAIN_SQL_MODEL,
    };
    const maxRows = numberOption(values, 'max-rows', DEFAULT_MAX_ROWS);
    const timeoutMs = numberOption(values, 'timeout-ms', DEFAULT_TIMEOUT_MS);
    engine = await open(values);
    if (values['print-prompt']) {
      await printPrompt(values, engine, question.trim(), resolveProviderKind(settings));
      return 0;
    }
    const provider = createProvider({ ...settings, engine });
    const questions = [question, ...(values.then ?? [])];
    const earlier: Answer[] = [];
    for (const [i, q] of questions.slice(0, -1).entries()) {
      try {
        earlier.push(await ask(engine, q, { provider, history: buildHistory(earlier), maxRows, timeoutMs, signal: ac.signal }));
      } catch (e) {
        const err = toOnchainSqlError(e);
        throw new OnchainSqlError(err.code, `turn ${i + 1} ("${q}") got no answer, so the follow-ups have nothing to refer to: ${err.message}`, err.suggestions);
      }
    }
    const answer = await ask(engine, questions.at(-1)!, { provider, history: buildHistory(earlier), maxRows, timeoutMs, signal: ac.signal });
    if (values.json) {
      const turns = earlier.map((e) => ({ question: e.question, sql: e.sql, rowCount: e.rowCount, ...(e.summary ? { summary: e.summary } : {}) }));
      process.stdout.write(`${scrub(JSON.stringify(turns.length ? { ...answer, history: turns } : answer))}\n`);
    } else printAnswer(answer, earlier);
    return 0;
  } catch (e) {
    return printError(values, e);
  } finally {
    process.removeListener('SIGINT', onSigint);
    engine?.close();
  }
}

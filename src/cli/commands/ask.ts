import type { Answer } from '../../core/answer.js';
import { ask } from '../../core/ask.js';
import { DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_MS } from '../../core/engine/engine.js';
import type { QueryEngine as Engine } from '../../core/engine/protocol.js';
import { OnchainSqlError, toOnchainSqlError } from '../../core/errors.js';
import { buildHistory } from '../../core/nl2sql/history.js';
import { buildContext } from '../../core/nl2sql/context.js';
import { renderUserMessage } from '../../core/nl2sql/prompt.js';
import { createProvider, resolveProviderKind, type ProviderKind } from '../../core/nl2sql/providers.js';
import { choiceOption, expectPositionals, numberOption } from '../args.js';
import { defineCommand } from '../command.js';
import { formatTable } from '../format.js';
import { ENGINE_OPTIONS, openSnapshot } from '../open-snapshot.js';
import { writeOut } from '../output.js';

/**
 * `onchain-sql ask "<question>" [--then "<follow-up>" …] [--provider claude|offline] [--json] [--print-prompt]`.
 * With --then, each question is asked in turn with the earlier answers as
 * history (the same history builder as the chat, @onchain and notebooks) and
 * the last answer is printed, after one line per earlier turn.
 * Settings come from the environment: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,
 * ONCHAIN_SQL_MODEL. Without a key the offline translator answers. Errors are
 * printed by `output.ts`, with the attempts of a failed repair loop.
 */

const PROVIDER_KINDS: readonly ProviderKind[] = ['claude', 'offline', 'auto'];

function describeProvider(answer: Pick<Answer, 'provider' | 'model'>): string {
  const names = { claude: 'Claude', offline: 'offline translator', 'vscode-lm': "the editor's language model", user: 'your SQL' } as const;
  return `${names[answer.provider]}${answer.model && answer.provider !== 'offline' ? ` (${answer.model})` : ''}`;
}

async function printPrompt(json: boolean, engine: Engine, question: string, kind: 'claude' | 'offline'): Promise<void> {
  const context = await buildContext(engine, question);
  if (kind === 'claude') {
    const { ClaudeProvider } = await import('../../core/nl2sql/claude.js');
    const claude = new ClaudeProvider({ model: process.env.ONCHAIN_SQL_MODEL, baseURL: process.env.ANTHROPIC_BASE_URL });
    const body = claude.buildRequest({ question, history: [], context: context.text });
    if (json) {
      writeOut(JSON.stringify({ provider: 'claude', baseURL: claude.baseURL, request: body }));
      return;
    }
    const system = Array.isArray(body.system) ? body.system : [];
    const out = [
      `# provider: claude, model ${body.model}, ${claude.baseURL}/v1/messages, max_tokens ${body.max_tokens}`,
      `# tools: ${(body.tools ?? []).map((t) => ('name' in t ? t.name : t.type)).join(', ')}; tool_choice: ${JSON.stringify(body.tool_choice)}`,
      ...system.map((b) => `\n# system block${b.cache_control ? ' (cache_control: ephemeral)' : ''}\n${b.text}`),
      ...body.messages.map((m) => `\n# ${m.role}\n${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`),
    ];
    writeOut(out.join('\n'));
    return;
  }
  const user = renderUserMessage({ question, history: [] });
  if (json) {
    writeOut(JSON.stringify({ provider: 'offline', context: context.text, user }));
    return;
  }
  writeOut(`# provider: offline (local translator; nothing is sent anywhere)\n\n# context\n${context.text}\n\n# user\n${user}`);
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
  writeOut(lines.join('\n'));
}

export const command = defineCommand({
  ...ENGINE_OPTIONS,
  then: { type: 'string', multiple: true },
  provider: { type: 'string' },
  'print-prompt': { type: 'boolean', default: false },
  'max-rows': { type: 'string' },
  'timeout-ms': { type: 'string' },
}, async (values, positionals) => {
  const [question] = expectPositionals(positionals, 1, 'ask needs exactly one argument: the question, quoted');
  const settings = {
    kind: choiceOption(values.provider, 'provider', PROVIDER_KINDS, 'auto'),
    apiKey: process.env.ANTHROPIC_API_KEY,
    baseURL: process.env.ANTHROPIC_BASE_URL,
    model: process.env.ONCHAIN_SQL_MODEL,
  };
  const maxRows = numberOption(values['max-rows'], 'max-rows', DEFAULT_MAX_ROWS);
  const timeoutMs = numberOption(values['timeout-ms'], 'timeout-ms', DEFAULT_TIMEOUT_MS);
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  const engine = await openSnapshot(values);
  try {
    if (values['print-prompt']) {
      await printPrompt(values.json, engine, question.trim(), resolveProviderKind(settings));
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
    const answer = await ask(engine, questions[questions.length - 1], { provider, history: buildHistory(earlier), maxRows, timeoutMs, signal: ac.signal });
    if (values.json) {
      const turns = earlier.map((e) => ({ question: e.question, sql: e.sql, rowCount: e.rowCount, ...(e.summary ? { summary: e.summary } : {}) }));
      writeOut(JSON.stringify(turns.length ? { ...answer, history: turns } : answer));
    } else printAnswer(answer, earlier);
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    engine.close();
  }
});

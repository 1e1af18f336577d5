import * as vscode from 'vscode';
import { invocationText } from '../core/agent/format.js';
import { checkInput } from '../core/agent/input.js';
import { findAgentTool, type AgentToolName } from '../core/agent/tools.js';
import { toOnchainSqlError } from '../core/errors.js';
import type { Session } from './session.js';

/**
 * The language-model tools (contributes.languageModelTools): Copilot's agent
 * mode, any chat participant and `#onchain` in a prompt reach the snapshot
 * through the same agent tools as the MCP server (src/core/agent), on the
 * session's engine. run_sql asks for confirmation showing the statement; the
 * schema tools only read the contract. Nothing here writes anything.
 */

/** Tool name in package.json → agent tool. `ask` stays out: the calling model writes the SQL itself. */
export const LM_TOOLS: Record<string, AgentToolName> = {
  onchain_run_sql: 'run_sql',
  onchain_describe_table: 'describe_table',
  onchain_list_tables: 'list_tables',
  onchain_snapshot_info: 'snapshot_info',
};

type ToolInput = Record<string, unknown>;

class OnchainLmTool implements vscode.LanguageModelTool<ToolInput> {
  constructor(private readonly session: Session, private readonly tool: AgentToolName) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<ToolInput>): vscode.PreparedToolInvocation {
    const input = options.input ?? {};
    let args: Record<string, unknown> = input;
    try {
      args = checkInput(this.tool, findAgentTool(this.tool)!.inputSchema, input);
    } catch {
      // Shown as given; invoke reports what is wrong with it.
    }
    const text = invocationText(this.tool, args);
    if (!text.confirmation) return { invocationMessage: text.progress };
    const message = new vscode.MarkdownString();
    message.isTrusted = false;
    message.supportHtml = false;
    message.appendText(text.confirmation.message); // the SQL is shown as text, never rendered as Markdown
    return { invocationMessage: text.progress, confirmationMessages: { title: text.confirmation.title, message } };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<ToolInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    try {
      // Loaded on first use: activation stays free of the agent tools' dependencies.
      const { runAgentTool } = await import('../core/agent/tools.js');
      const out = await runAgentTool(this.tool, options.input, {
        engine: () => this.session.getEngine(),
        signal: abort.signal,
        secrets: this.session.keys.knownValues(),
      });
      if (out.isError) this.session.output.info(`Tool ${this.tool}: ${out.errorCode}`);
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(out.text)]);
    } catch (e) {
      // Arguments the schema refuses: VS Code hands the message to the model.
      throw new Error(toOnchainSqlError(e).message, { cause: e });
    } finally {
      sub.dispose();
    }
  }
}

/** Registers every tool; none in editors without the language-model tool API. */
export function registerLanguageModelTools(session: Session): vscode.Disposable[] {
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  return Object.entries(LM_TOOLS).map(([name, tool]) => vscode.lm.registerTool(name, new OnchainLmTool(session, tool)));
}

import * as vscode from 'vscode';
import { checkApiKeyFormat } from '../apiKeyFormat.js';
import { register, type CommandContext } from './context.js';

export function registerApiKeyCommands(c: CommandContext): vscode.Disposable[] {
  return [
    // With a key argument (tests) it stores it without a prompt. The key is never shown or logged.
    register(c, 'onchainSql.setApiKey', 'Set Anthropic API Key', async (arg?: unknown) => {
      let key = typeof arg === 'string' ? arg : undefined;
      if (key === undefined) {
        key = await vscode.window.showInputBox({
          title: 'Onchain SQL: Set Anthropic API Key',
          prompt: 'Stored in the editor\'s secret storage only (never in settings or logs).',
          placeHolder: 'sk-ant-…',
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => {
            const problem = checkApiKeyFormat(v);
            if (!problem) return undefined;
            // A key that merely looks unusual may still be accepted.
            return /usually/.test(problem) ? { message: problem, severity: vscode.InputBoxValidationSeverity.Warning } : problem;
          },
        });
      }
      if (!key) return false;
      const problem = checkApiKeyFormat(key);
      if (problem && !/usually/.test(problem)) throw new Error(problem);
      await c.session.keys.set(key);
      c.log.info('An Anthropic API key was stored in secret storage.');
      void vscode.window.showInformationMessage('Onchain SQL: Anthropic API key saved in secret storage. Questions now go to Claude (unless "onchainSql.provider" says otherwise).');
      return true;
    }),
    register(c, 'onchainSql.clearApiKey', 'Clear Anthropic API Key', async () => {
      await c.session.keys.clear();
      c.log.info('The stored Anthropic API key was removed.');
      const env = process.env.ANTHROPIC_API_KEY ? ' ANTHROPIC_API_KEY is still set in the environment and will be used.' : '';
      void vscode.window.showInformationMessage(`Onchain SQL: Anthropic API key removed from secret storage.${env}`);
      return true;
    }),
  ];
}

import * as vscode from 'vscode';
import { CLICKHOUSE_PASSWORD_KEY } from '../clickhouseConnection.js';
import { register, type CommandContext } from './context.js';

/** "Set ClickHouse Password": kept in the editor's secret storage only. */
export function registerClickHousePasswordCommand(c: CommandContext): vscode.Disposable {
  // With a string argument (tests) it stores it without a prompt; an empty string clears it.
  return register(c, 'onchainSql.setClickHousePassword', 'Set ClickHouse Password', async (arg?: unknown) => {
    const password = typeof arg === 'string' ? arg : await vscode.window.showInputBox({
      title: 'Onchain SQL: Set ClickHouse Password',
      prompt: 'For the user in "onchainSql.clickhouse.user". Stored in the editor\'s secret storage only. Empty clears it.',
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) return false;
    if (password) await c.ext.secrets.store(CLICKHOUSE_PASSWORD_KEY, password);
    else await c.ext.secrets.delete(CLICKHOUSE_PASSWORD_KEY);
    c.log.info(password ? 'A ClickHouse password was stored in secret storage.' : 'The stored ClickHouse password was removed.');
    c.session.reopenEngine();
    return true;
  });
}

import * as vscode from 'vscode';
import { SECTION, type ProviderSetting } from '../settings.js';
import { starterSql } from '../starterSql.js';
import { register, type CommandContext } from './context.js';

interface ProviderItem extends vscode.QuickPickItem {
  setting: ProviderSetting;
}

const PROVIDERS: ProviderItem[] = [
  { setting: 'auto', label: 'Automatic', detail: 'Claude when an API key is set, else the editor\'s model when there is one, else offline.' },
  { setting: 'claude', label: 'Claude', detail: 'Needs an Anthropic API key (kept in the editor\'s secret storage).' },
  { setting: 'vscode-lm', label: 'Editor model', detail: 'The editor\'s language model (e.g. GitHub Copilot); no key of ours.' },
  { setting: 'offline', label: 'Offline', detail: 'No model, no key, no network: common question families only.' },
];

/** The ways forward an answer or a refusal offers: write the SQL by hand, choose who answers. */
export function registerWayForwardCommands(c: CommandContext): vscode.Disposable[] {
  return [
    register(c, 'onchainSql.writeSql', 'Write SQL', async (arg?: unknown) => {
      const question = typeof arg === 'string' ? arg : typeof (arg as { question?: unknown } | undefined)?.question === 'string' ? (arg as { question: string }).question : undefined;
      const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: starterSql(question) });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
      return doc;
    }),
    register(c, 'onchainSql.chooseModel', 'Choose Model', async () => {
      const config = vscode.workspace.getConfiguration(SECTION);
      const current = config.get<string>('provider', 'auto');
      const pick = await vscode.window.showQuickPick(
        PROVIDERS.map((p) => ({ ...p, description: p.setting === current ? 'current' : undefined })),
        { title: 'Onchain SQL: who turns questions into SQL?' },
      );
      if (!pick) return undefined;
      await config.update('provider', pick.setting, vscode.ConfigurationTarget.Global);
      if (pick.setting === 'claude') {
        const model = await vscode.window.showInputBox({ title: 'Claude model id', value: config.get<string>('model', ''), prompt: 'Leave as it is to keep the current model' });
        if (model?.trim()) await config.update('model', model.trim(), vscode.ConfigurationTarget.Global);
      }
      return pick.setting;
    }),
  ];
}

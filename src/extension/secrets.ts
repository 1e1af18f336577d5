import * as vscode from 'vscode';

/** The only place the Anthropic key lives: SecretStorage (or the environment, read-only). */
export const SECRET_KEY = 'onchainSql.anthropicApiKey';

export class ApiKeyStore implements vscode.Disposable {
  private cached: string | undefined;
  private loaded = false;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.sub = secrets.onDidChange((e) => {
      if (e.key === SECRET_KEY) {
        this.loaded = false;
        this.changed.fire();
      }
    });
  }

  /** The key from SecretStorage, else `ANTHROPIC_API_KEY`, else undefined. */
  async get(): Promise<string | undefined> {
    if (!this.loaded) {
      this.cached = (await this.secrets.get(SECRET_KEY)) || undefined;
      this.loaded = true;
    }
    return this.cached ?? (process.env.ANTHROPIC_API_KEY?.trim() || undefined);
  }

  async hasStoredKey(): Promise<boolean> {
    return Boolean(await this.secrets.get(SECRET_KEY));
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
    this.cached = key.trim();
    this.loaded = true;
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.cached = undefined;
    this.loaded = true;
    this.changed.fire();
  }

  /** Values to scrub from logs: whatever keys we know of right now (sync, for the log wrapper). */
  knownValues(): string[] {
    return [this.cached, process.env.ANTHROPIC_API_KEY].filter((v): v is string => Boolean(v));
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

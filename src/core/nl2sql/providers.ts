import type { ProviderId } from '../answer.js';
import type { Generation, GenerationRequest, Provider } from './provider.js';
import type { ClaudeOptions } from './claude.js';

/**
 * Choosing and creating a provider from settings. Both providers load lazily on
 * their first question, so activation and `--help` never pay for the Anthropic
 * SDK or the offline lexicon. (The extension adds its own vscode.lm provider.)
 */

export type ProviderKind = 'claude' | 'offline' | 'auto';

export interface ProviderSettings extends Omit<ClaudeOptions, 'allowCannotAnswer'> {
  kind: ProviderKind;
  /** The open snapshot, so the offline translator also knows its token symbols and newest day. */
  engine?: SnapshotQueries;
}

/** `auto` means Claude when a key is available, the offline translator otherwise. */
export function resolveProviderKind(settings: ProviderSettings): 'claude' | 'offline' {
  if (settings.kind === 'claude' || settings.kind === 'offline') return settings.kind;
  return settings.apiKey?.trim() || process.env.ANTHROPIC_API_KEY?.trim() ? 'claude' : 'offline';
}

/** A provider whose implementation is loaded on first use. */
export class LazyProvider implements Provider {
  private loaded: Promise<Provider> | undefined;

  constructor(readonly id: ProviderId, private readonly load: () => Promise<Provider>, readonly model?: string) {}

  get(): Promise<Provider> {
    this.loaded ??= this.load().catch((e) => {
      this.loaded = undefined;
      throw e;
    });
    return this.loaded;
  }

  async generate(request: GenerationRequest): Promise<Generation> {
    return (await this.get()).generate(request);
  }
}

/** What the offline translator reads from a snapshot (its token symbols, its newest block time). */
export interface SnapshotQueries {
  query(sql: string, options?: { maxRows?: number }): Promise<{ rows: unknown[][] }>;
}

// One offline translator per open snapshot: its lexicon is built once, not per question.
const offlineBySnapshot = new WeakMap<SnapshotQueries, Promise<Provider>>();

async function loadOffline(engine?: SnapshotQueries): Promise<Provider> {
  const { OfflineProvider } = await import('./offline/index.js');
  if (!engine) return new OfflineProvider();
  let p = offlineBySnapshot.get(engine);
  if (!p) {
    p = OfflineProvider.forEngine(engine);
    p.catch(() => offlineBySnapshot.delete(engine));
    offlineBySnapshot.set(engine, p);
  }
  return p;
}

export function createProvider(settings: ProviderSettings): LazyProvider {
  const kind = resolveProviderKind(settings);
  if (kind === 'offline') return new LazyProvider('offline', () => loadOffline(settings.engine));
  return new LazyProvider('claude', async () => {
    const { ClaudeProvider } = await import('./claude.js');
    return new ClaudeProvider({
      apiKey: settings.apiKey,
      model: settings.model,
      baseURL: settings.baseURL,
      maxTokens: settings.maxTokens,
      timeoutMs: settings.timeoutMs,
      maxRetries: settings.maxRetries,
    });
  }, settings.model);
}

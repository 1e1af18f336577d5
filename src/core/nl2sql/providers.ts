import type { ProviderId } from '../answer.js';
import { OnchainSqlError } from '../errors.js';
import type { Generation, GenerationRequest, Provider } from './provider.js';

/**
 * Choosing and creating a provider from settings. Both providers load lazily on
 * their first question, so activation and `--help` never pay for the Anthropic
 * SDK or the offline lexicon. (The extension adds its own vscode.lm provider.)
 */

export type ProviderKind = 'claude' | 'offline' | 'auto';

export interface ProviderSettings {
  kind: ProviderKind;
  /** From SecretStorage or the caller; ANTHROPIC_API_KEY is the fallback. */
  apiKey?: string;
  model?: string;
  baseURL?: string;
  maxTokens?: number;
  timeoutMs?: number;
  maxRetries?: number;
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

interface OfflineModule {
  OfflineProvider: new () => Provider;
}

/**
 * The offline translator lives in ./offline (written separately). It is required
 * rather than imported so this module type-checks and bundles whether or not it
 * is there yet; esbuild still bundles it when it exists.
 */
function loadOffline(): Provider {
  let mod: OfflineModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('./offline/index.js') as OfflineModule;
  } catch (e) {
    throw new OnchainSqlError('provider_error', `The offline translator could not be loaded: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof mod.OfflineProvider !== 'function') {
    throw new OnchainSqlError('provider_error', 'The offline translator module has no OfflineProvider export.');
  }
  return new mod.OfflineProvider();
}

export function createProvider(settings: ProviderSettings): LazyProvider {
  const kind = resolveProviderKind(settings);
  if (kind === 'offline') return new LazyProvider('offline', async () => loadOffline());
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

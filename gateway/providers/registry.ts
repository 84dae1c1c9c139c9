/**
 * Provider adapters for a config. Adapters whose provider config did not change are kept, so a
 * config change elsewhere does not drop warm upstream connections.
 */
import type { ProviderConfig } from '../config/schema';
import { createAnthropicProvider } from './anthropic';
import { createOllamaProvider } from './ollama';
import { createOpenAIProvider } from './openai';
import type { ProviderAdapter, ProviderContext } from './types';

const CREATE: Record<ProviderConfig['kind'], (config: ProviderConfig, context: ProviderContext) => ProviderAdapter> = {
  ollama: createOllamaProvider,
  openai: createOpenAIProvider,
  anthropic: createAnthropicProvider,
};

export interface ProviderSet {
  adapters: Map<string, ProviderAdapter>;
  /** Adapters of the previous set that this one no longer uses: close them once it is in place. */
  retired: ProviderAdapter[];
}

export function createProviderSet(providers: readonly ProviderConfig[], context: ProviderContext, previous?: Map<string, ProviderAdapter>): ProviderSet {
  const adapters = new Map<string, ProviderAdapter>();
  const kept = new Set<ProviderAdapter>();
  for (const config of providers) {
    const old = previous?.get(config.name);
    if (old && JSON.stringify(old.config) === JSON.stringify(config)) {
      adapters.set(config.name, old);
      kept.add(old);
      continue;
    }
    adapters.set(config.name, CREATE[config.kind](config, context));
  }
  const retired = [...(previous?.values() ?? [])].filter((adapter) => !kept.has(adapter));
  return { adapters, retired };
}

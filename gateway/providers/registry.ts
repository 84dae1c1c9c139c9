/**
 * Provider adapters for a config. Adapters whose provider config did not change are kept, so a
 * config change elsewhere does not drop warm upstream connections.
 */
import type { ProviderConfig } from '../config/schema';
import { createAnthropicProvider } from './anthropic';
import { createOllamaProvider } from './ollama';
import { createOpenAIProvider } from './openai';
import { randomBytes } from 'node:crypto';
import type { Secrets } from '../config/secrets';
import { createSignatureBook } from './thinking-signatures';
import type { ProviderAdapter, ProviderContext } from './types';

const CREATE: Record<ProviderConfig['kind'], (config: ProviderConfig, context: ProviderContext) => ProviderAdapter> = {
  ollama: createOllamaProvider,
  openai: createOpenAIProvider,
  anthropic: createAnthropicProvider,
};

/**
 * What every adapter of one gateway shares: its secrets, its id (sent with every upstream request,
 * so a loop back to it shows) and the book of thinking signatures.
 */
export function upstreamContext(secrets: Secrets): ProviderContext & { gatewayId: string } {
  return { secrets, gatewayId: randomBytes(12).toString('base64url'), signatures: createSignatureBook() };
}

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
    adapters.set(config.name, watched(CREATE[config.kind](config, context), context));
  }
  const retired = [...(previous?.values() ?? [])].filter((adapter) => !kept.has(adapter));
  return { adapters, retired };
}

/** An adapter whose Messages answers (to requests that think) have their thinking signatures noted as its deployment's model's. */
function watched(adapter: ProviderAdapter, { signatures }: ProviderContext): ProviderAdapter {
  if (!signatures) return adapter;
  const thinks = (body: Record<string, unknown>) => ((body.thinking as { type?: unknown } | undefined)?.type ?? 'disabled') !== 'disabled';
  return {
    ...adapter,
    nativeJson: async (endpoint, body, context) => {
      const answer = await adapter.nativeJson(endpoint, body, context);
      return thinks(body) ? signatures.watched(endpoint, context.deployment.model, answer) : answer;
    },
    nativeStream: async (endpoint, body, context) => {
      const events = await adapter.nativeStream(endpoint, body, context);
      return thinks(body) ? signatures.watched(endpoint, context.deployment.model, events) : events;
    },
  };
}

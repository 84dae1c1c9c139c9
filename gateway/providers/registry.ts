/**
 * Provider adapters for a config. Adapters whose provider config and key did not change are kept,
 * so a config change elsewhere does not drop warm upstream connections; the others are replaced,
 * and retire once nothing they run is under way.
 */
import type { ProviderConfig } from '../config/schema';
import { createAnthropicProvider } from './anthropic';
import { createOllamaProvider } from './ollama';
import { createOpenAIProvider } from './openai';
import { randomBytes } from 'node:crypto';
import type { Secrets } from '../config/secrets';
import { referencesOf } from '../config/key-binding';
import { proxySettings } from './proxy';
import { createSignatureBook } from './signed-reasoning';
import { createQuirkMemory } from './quirk-memory';
import type { CallContext, NativeEndpoint, ProviderAdapter, ProviderContext, QuirkMemory, QuirkRows } from './types';

const CREATE: Record<ProviderConfig['kind'], (config: ProviderConfig, context: ProviderContext) => ProviderAdapter> = {
  ollama: createOllamaProvider,
  openai: createOpenAIProvider,
  anthropic: createAnthropicProvider,
};

/**
 * What every adapter of one gateway shares: its secrets, its id (sent with every upstream request,
 * so a loop back to it shows), the book of thinking signatures, the proxy its environment names, and
 * what it learned of each server (kept in `quirks` when given).
 */
export function upstreamContext(secrets: Secrets, env: Record<string, string | undefined> = {}, quirks?: QuirkRows): ProviderContext & { gatewayId: string; quirks: QuirkMemory } {
  return { secrets, gatewayId: randomBytes(12).toString('base64url'), signatures: createSignatureBook(), proxy: proxySettings(env), quirks: createQuirkMemory(quirks) };
}

export interface ProviderSet {
  adapters: Map<string, ProviderAdapter>;
  /** Adapters of the previous set that this one no longer uses: retire them once it is in place. */
  retired: ProviderAdapter[];
}

/**
 * The keys each adapter was made with (its API key's, its headers'), as their references resolved
 * then. A key typed again in the dashboard keeps its reference (`secret:NAME`), so the config alone
 * does not say it changed.
 */
const madeWithKeys = new WeakMap<ProviderAdapter, string>();
const keysOf = (config: ProviderConfig, secrets: Secrets) => JSON.stringify(referencesOf(config).map(({ reference }) => secrets.resolve(reference) ?? null));

export function createProviderSet(providers: readonly ProviderConfig[], context: ProviderContext, previous?: Map<string, ProviderAdapter>): ProviderSet {
  const adapters = new Map<string, ProviderAdapter>();
  const kept = new Set<ProviderAdapter>();
  for (const config of providers) {
    const old = previous?.get(config.name);
    const keys = keysOf(config, context.secrets);
    if (old && JSON.stringify(old.config) === JSON.stringify(config) && madeWithKeys.get(old) === keys) {
      adapters.set(config.name, old);
      kept.add(old);
      continue;
    }
    // The same server keeps one cap: what the replaced adapter still runs counts against it.
    const sameServer = old && old.config.kind === config.kind && old.config.baseUrl === config.baseUrl;
    const adapter = watched(CREATE[config.kind](config, sameServer ? { ...context, limiter: old.limiter } : context), context);
    madeWithKeys.set(adapter, keys);
    adapters.set(config.name, adapter);
  }
  const retired = [...(previous?.values() ?? [])].filter((adapter) => !kept.has(adapter));
  return { adapters, retired };
}

/** Closes adapters' connections; one that fails to close is no reason to keep the others open. */
export async function closeAdapters(adapters: ProviderAdapter[]): Promise<void> {
  await Promise.all(adapters.map((a) => a.close().catch(() => undefined)));
}

/**
 * An adapter whose answers have their signed reasoning noted (signed-reasoning.ts): a Messages
 * answer's thinking as its deployment's model's, a Responses answer's encrypted reasoning and a
 * compaction's compacted history as this provider's. Only answers to requests that ask for
 * reasoning can have any; a compaction always has.
 */
function watched(adapter: ProviderAdapter, { signatures }: ProviderContext): ProviderAdapter {
  if (!signatures) return adapter;
  const signer = (endpoint: NativeEndpoint, body: Record<string, unknown>, context: CallContext): string | undefined => {
    if (endpoint === 'messages') return ((body.thinking as { type?: unknown } | undefined)?.type ?? 'disabled') !== 'disabled' ? context.deployment.model : undefined;
    // A compaction is always encrypted for the account that made it.
    if (endpoint === 'responses.compact') return adapter.config.name;
    return endpoint === 'responses' && Array.isArray(body.include) && body.include.includes('reasoning.encrypted_content') ? adapter.config.name : undefined;
  };
  return {
    ...adapter,
    nativeJson: async (endpoint, body, context) => {
      const answer = await adapter.nativeJson(endpoint, body, context);
      const by = signer(endpoint, body, context);
      return by ? signatures.watched(endpoint, by, answer) : answer;
    },
    nativeStream: async (endpoint, body, context) => {
      const events = await adapter.nativeStream(endpoint, body, context);
      const by = signer(endpoint, body, context);
      return by ? signatures.watched(endpoint, by, events) : events;
    },
  };
}

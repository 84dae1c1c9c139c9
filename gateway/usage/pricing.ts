/**
 * What a deployment's tokens cost: its own `pricing` when set, else the maintained price table of
 * @pydantic/genai-prices (looked up once per deployment: a lookup costs ~35 us), else unknown.
 * Local deployments (an Ollama, or any server on this machine) cost 0 unless priced, and what they
 * answer "would have cost" the comparison price: that is what local saved.
 */
import { lazy } from '../lazy';
import type { DeploymentConfig, ProviderConfig, Settings } from '../config/schema';
import { isLocalProvider } from '../routing/locality';

export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
  source: 'config' | 'price table' | 'local' | 'unknown';
}

/** When the user names none: a widely used small cloud model, so "saved by local" means something. */
export const DEFAULT_COMPARISON = { label: 'gpt-4.1-mini', inputPerMTok: 0.4, outputPerMTok: 1.6 };

const memo = new Map<string, Price>();

export function priceOf(deployment: DeploymentConfig, provider: ProviderConfig | undefined): Price {
  if (deployment.pricing) return { ...deployment.pricing, source: 'config' };
  if (isLocal(provider)) return { inputPerMTok: 0, outputPerMTok: 0, source: 'local' };
  const key = `${provider?.baseUrl ?? ''}\u0000${deployment.model}`;
  let price = memo.get(key);
  if (!price) {
    const found = lookup(deployment.model, provider?.baseUrl);
    price = found ? { ...found, source: 'price table' } : { inputPerMTok: 0, outputPerMTok: 0, source: 'unknown' };
    memo.set(key, price);
  }
  return price;
}

const prices = lazy<typeof import('@pydantic/genai-prices')>('@pydantic/genai-prices');

function lookup(model: string, baseUrl: string | undefined): { inputPerMTok: number; outputPerMTok: number } | undefined {
  try {
    const { calcPrice } = prices();
    const result = calcPrice({ input_tokens: 1_000_000, output_tokens: 1_000_000 }, model, baseUrl ? { providerApiUrl: baseUrl } : undefined) ?? calcPrice({ input_tokens: 1_000_000, output_tokens: 1_000_000 }, model);
    return result ? { inputPerMTok: result.input_price, outputPerMTok: result.output_price } : undefined;
  } catch {
    return undefined;
  }
}

export function cost(price: { inputPerMTok: number; outputPerMTok: number }, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}

/**
 * The price the same tokens would have had without local models: a local deployment's (even one
 * priced at 0, as the first start writes them) at the comparison price, any other at its own.
 */
export function referencePrice(price: Price, provider: ProviderConfig | undefined, settings: Settings | undefined): { inputPerMTok: number; outputPerMTok: number } {
  return isLocal(provider) ? (settings?.usage?.compareWith ?? DEFAULT_COMPARISON) : price;
}

const isLocal = (provider: ProviderConfig | undefined): boolean => provider !== undefined && isLocalProvider(provider);

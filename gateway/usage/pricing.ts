/**
 * What a deployment's tokens cost: its own `pricing` when set, else the maintained price table of
 * @pydantic/genai-prices (looked up once per deployment: a lookup costs ~35 us), else unknown.
 * Local deployments (an Ollama, or any server on this machine; not an Ollama's cloud models) cost 0
 * unless priced, and what they answer "would have cost" the comparison price: that is what local saved.
 *
 * Prompt tokens read from a provider's prompt cache cost a tenth of the input price or less, and
 * writing them costs more (Anthropic: 1.25x). An agent's prompts are mostly cache reads, so they are
 * priced as such; a price that names no cache rate charges them as input. The table's long-context
 * tiers (a higher price for every token of a request whose prompt passes a threshold) apply as the
 * table's own calculator applies them.
 */
import { lazy } from '../lazy';
import type { DeploymentConfig, Pricing, ProviderConfig, Settings } from '../config/schema';
import { isLocalDeployment } from '../providers/locality';

/** Dollars per million tokens: one rate, or one that rises for requests whose whole prompt passes a `start`. */
export type Rate = number | { base: number; tiers: readonly { start: number; price: number }[] };

export interface Price {
  inputPerMTok: Rate;
  outputPerMTok: Rate;
  cacheReadPerMTok?: Rate | undefined;
  cacheWritePerMTok?: Rate | undefined;
  source: 'config' | 'price table' | 'local' | 'unknown';
}

/** When the user names none: a widely used small cloud model, so "saved by local" means something. */
export const DEFAULT_COMPARISON = { label: 'gpt-4.1-mini', inputPerMTok: 0.4, outputPerMTok: 1.6 };

const memo = new Map<string, Price>();

export function priceOf(deployment: DeploymentConfig, provider: ProviderConfig | undefined): Price {
  if (deployment.pricing) return configPrice(deployment.pricing);
  if (isLocalDeployment(deployment, provider)) return { inputPerMTok: 0, outputPerMTok: 0, source: 'local' };
  const key = `${provider?.baseUrl ?? ''}\u0000${deployment.model}`;
  let price = memo.get(key);
  if (!price) {
    const found = lookup(deployment.model, provider?.baseUrl);
    price = found ? { ...found, source: 'price table' } : { inputPerMTok: 0, outputPerMTok: 0, source: 'unknown' };
    memo.set(key, price);
  }
  return price;
}

/** A deployment's own prices as rates: a long-context price is the tier above its threshold. */
function configPrice(pricing: Pricing): Price {
  const { longContext: long, ...flat } = pricing;
  if (!long) return { ...flat, source: 'config' };
  const rising = (base: number, above: number): Rate => ({ base, tiers: [{ start: long.aboveTokens, price: above }] });
  // A cache rate with no long price rises as the input price does (providers raise every rate alike).
  const factor = flat.inputPerMTok > 0 ? long.inputPerMTok / flat.inputPerMTok : undefined;
  const cacheRate = (base: number | undefined, above: number | undefined): Rate =>
    rising(base ?? flat.inputPerMTok, above ?? (base !== undefined && factor !== undefined ? base * factor : long.inputPerMTok));
  return {
    inputPerMTok: rising(flat.inputPerMTok, long.inputPerMTok),
    outputPerMTok: rising(flat.outputPerMTok, long.outputPerMTok),
    cacheReadPerMTok: cacheRate(flat.cacheReadPerMTok, long.cacheReadPerMTok),
    cacheWritePerMTok: cacheRate(flat.cacheWritePerMTok, long.cacheWritePerMTok),
    source: 'config',
  };
}

const prices = lazy<typeof import('@pydantic/genai-prices')>('@pydantic/genai-prices');

const OPENAI = { providerId: 'openai' };

function lookup(model: string, baseUrl: string | undefined): Omit<Price, 'source'> | undefined {
  try {
    const { calcPrice } = prices();
    const usage = { input_tokens: 1, output_tokens: 1 };
    // Google lists its models as `models/gemini-...`, which its API takes too: the table has the bare id.
    const ids = model.startsWith('models/') ? [model, model.slice('models/'.length)] : [model];
    const at = baseUrl ? { providerApiUrl: baseUrl } : undefined;
    // The table finds OpenAI's embedding models only under OpenAI: behind a proxy (a base URL it does not know) they are OpenAI's still.
    const rates = ids.map((id) => calcPrice(usage, id, at) ?? calcPrice(usage, id) ?? calcPrice(usage, id, OPENAI)).find(Boolean)?.model_price;
    const input = rateOf(rates?.input_mtok);
    if (!rates || input === undefined) return undefined;
    return { inputPerMTok: input, outputPerMTok: rateOf(rates.output_mtok) ?? 0, cacheReadPerMTok: rateOf(rates.cache_read_mtok), cacheWritePerMTok: rateOf(rates.cache_write_mtok) };
  } catch {
    return undefined;
  }
}

function rateOf(value: unknown): Rate | undefined {
  if (typeof value === 'number') return value;
  const tiered = value as { base?: unknown; tiers?: unknown } | undefined;
  if (typeof tiered?.base !== 'number' || !Array.isArray(tiered.tiers)) return undefined;
  return { base: tiered.base, tiers: (tiered.tiers as { start: number; price: number }[]).map(({ start, price }) => ({ start, price })) };
}

/** The rate for a request whose prompt has `prompt` tokens in all. */
function perMTok(rate: Rate, prompt: number): number {
  if (typeof rate === 'number') return rate;
  let price = rate.base;
  for (const tier of rate.tiers) if (prompt > tier.start) price = tier.price;
  return price;
}

/** Token counts of one request: `input` counts every prompt token, the cached ones too (`cacheRead`, `cacheWrite` are parts of it). */
export interface PricedTokens {
  input: number;
  output: number;
  cacheRead?: number | undefined;
  cacheWrite?: number | undefined;
  /** Of `cacheWrite`, what was written for an hour (Anthropic's `ttl: "1h"`), billed at twice the input rate, not the write rate of the 5-minute cache. */
  cacheWrite1h?: number | undefined;
  /** What the provider says it billed for the answer, in US dollars (OpenRouter's `usage.cost`, xAI's ticks: canonical.ts `billedIn`). */
  billedUsd?: number | undefined;
}

/**
 * What an answer cost: what its provider billed, where it says (OpenRouter bills every model at its
 * own rates, many of them in no price table; xAI says its bill too), else its tokens at `price`. A local deployment's price
 * is its own (0, or what the config gives it), whatever a server on this machine says.
 */
export function answerCost(price: Price, tokens: PricedTokens, local: boolean): number {
  return tokens.billedUsd !== undefined && !local ? tokens.billedUsd : cost(price, tokens);
}

/** What an answer cost, and what it would have cost without local models (a cloud deployment is its own reference). */
export function answerCosts(deployment: DeploymentConfig, provider: ProviderConfig | undefined, tokens: PricedTokens, settings: Settings | undefined): { paid: number; wouldCost: number } {
  const price = priceOf(deployment, provider);
  const local = isLocalDeployment(deployment, provider);
  const paid = answerCost(price, tokens, local);
  return { paid, wouldCost: local ? cost(referencePrice(price, deployment, provider, settings), tokens) : paid };
}

export function cost(price: Omit<Price, 'source'>, tokens: PricedTokens): number {
  const cacheRead = Math.min(tokens.cacheRead ?? 0, tokens.input);
  const cacheWrite = Math.min(tokens.cacheWrite ?? 0, tokens.input - cacheRead);
  const hour = Math.min(tokens.cacheWrite1h ?? 0, cacheWrite);
  const at = (rate: Rate | undefined) => perMTok(rate ?? price.inputPerMTok, tokens.input);
  const written = (cacheWrite - hour) * at(price.cacheWritePerMTok) + hour * 2 * at(price.inputPerMTok);
  return ((tokens.input - cacheRead - cacheWrite) * at(price.inputPerMTok) + cacheRead * at(price.cacheReadPerMTok) + written + tokens.output * at(price.outputPerMTok)) / 1_000_000;
}

/** A million input and a million output tokens, at the rates most requests pay. */
export function baseCostPerMTok(price: Price): number {
  return perMTok(price.inputPerMTok, 0) + perMTok(price.outputPerMTok, 0);
}

/**
 * The price the same tokens would have had without local models: a local deployment's (even one
 * priced at 0, as the first start writes them) at the comparison price, any other at its own.
 */
export function referencePrice(price: Price, deployment: DeploymentConfig, provider: ProviderConfig | undefined, settings: Settings | undefined): Omit<Price, 'source'> {
  return isLocalDeployment(deployment, provider) ? (settings?.usage?.compareWith ?? DEFAULT_COMPARISON) : price;
}

/**
 * What a deployment's model can do and how much it can read: the deployment's own config first,
 * then what its upstream says (Ollama's `/api/show`), then the bundled table of well-known cloud
 * models (known-models.json, the one place those numbers live). `/api/show` tells clients; the
 * router skips deployments that cannot serve a request.
 */
import { CAPABILITIES, type DeploymentConfig, type ProviderConfig } from '../config/schema';
import table from './known-models.json';

export type Capability = (typeof CAPABILITIES)[number];

export interface ModelFacts {
  family?: string | undefined;
  contextWindow?: number | undefined;
  capabilities?: Capability[] | undefined;
  /** The most tokens one answer may have, where the provider documents it. */
  maxOutput?: number | undefined;
  /** The window it reads when a request opts into a longer one (Anthropic's `context-1m` beta), where that is larger. */
  longContextWindow?: number | undefined;
}

/** What Ollama's `/api/show` says about one of its models. */
export interface OllamaShowFacts extends ModelFacts {
  /** The window the model was trained for (`model_info["<arch>.context_length"]`). */
  trainedContext?: number | undefined;
  /** A `num_ctx` its Modelfile sets. */
  modelfileNumCtx?: number | undefined;
  /** The context it runs with while loaded (`/api/ps`). */
  loadedContext?: number | undefined;
  /** The manifest digest of the model these facts were learned from (`/api/tags`): which version of it Ollama has. */
  digest?: string | undefined;
  /** Its `details` (format, family, parameter size, quantization), which `/api/tags` gives each model. */
  details?: Record<string, unknown> | undefined;
}

const KNOWN = [...table.models].sort((a, b) => b.match.length - a.match.length);
const isCapability = (value: unknown): value is Capability => (CAPABILITIES as readonly unknown[]).includes(value);

const knownMemo = new Map<string, ModelFacts | null>();

/** The bundled table's entry for a model id: the longest `match` the id starts with, after any `vendor/` prefix. */
export function knownModel(model: string): ModelFacts | undefined {
  const memo = knownMemo.get(model);
  if (memo !== undefined) return memo ?? undefined;
  const id = model.toLowerCase().slice(model.lastIndexOf('/') + 1);
  const entry = KNOWN.find((k) => id.startsWith(k.match));
  const facts = entry ? { family: entry.family, contextWindow: entry.contextWindow, capabilities: entry.capabilities.filter(isCapability), maxOutput: 'maxOutput' in entry ? entry.maxOutput : undefined, longContextWindow: 'longContextWindow' in entry ? entry.longContextWindow : undefined } : null;
  // Only configured model ids are looked up, but bound the memo all the same.
  if (knownMemo.size >= 10_000) knownMemo.clear();
  knownMemo.set(model, facts);
  return facts ?? undefined;
}

/**
 * Whether an Ollama deployment's `think` takes a level (low, medium, high) rather than true: gpt-oss's
 * does, and a deployment set to a level says its model does. Others refuse a level ("think value
 * "high" is not supported for this model").
 */
export function thinksInLevels({ model, think }: { model: string; think?: unknown }): boolean {
  return typeof think === 'string' || /^gpt-oss/i.test(model.slice(model.lastIndexOf('/') + 1));
}

/** Ollama's num_ctx when nothing sets one (its documented default). */
export const OLLAMA_DEFAULT_NUM_CTX = 4096;

/**
 * A chat deployment whose model only embeds, as its provider says: added as chat (the deployment
 * form's default type), it would refuse every chat. The router passes it over; the health report says so.
 */
export function misfiledEmbedding(type: string | undefined, capabilities: readonly string[] | undefined): boolean {
  return (type ?? 'chat') === 'chat' && capabilities !== undefined && capabilities.includes('embedding') && !capabilities.includes('completion');
}

/** The facts in an Ollama `/api/show` answer. */
export function ollamaShowFacts(show: Record<string, unknown>): OllamaShowFacts {
  const info = (show.model_info ?? {}) as Record<string, unknown>;
  const family = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : undefined;
  const trained = family ? info[`${family}.context_length`] : undefined;
  const numCtx = /^num_ctx\s+(\d+)/m.exec(typeof show.parameters === 'string' ? show.parameters : '')?.[1];
  const capabilities = Array.isArray(show.capabilities) ? show.capabilities.filter(isCapability) : undefined;
  return {
    family,
    details: show.details !== null && typeof show.details === 'object' && !Array.isArray(show.details) ? (show.details as Record<string, unknown>) : undefined,
    trainedContext: typeof trained === 'number' ? trained : undefined,
    modelfileNumCtx: numCtx ? Number(numCtx) : undefined,
    capabilities,
  };
}

/** What a deployment's model is known to do (config, upstream, table), or undefined when nothing says. */
export function knownCapabilities(deployment: DeploymentConfig, upstream?: ModelFacts): Capability[] | undefined {
  if (deployment.capabilities) return [...deployment.capabilities];
  if (upstream?.capabilities?.length) return upstream.capabilities;
  return knownModel(deployment.model)?.capabilities;
}

/**
 * How far `num_ctx` may be raised for one request on an Ollama deployment with `numCtx: "auto"`:
 * the model's trained maximum, capped by `maxNumCtx`. Before the trained maximum is known (Ollama
 * not probed yet) only the cap limits it: Ollama itself never runs a model past its training.
 */
export function raiseLimitOf(deployment: DeploymentConfig, upstream?: OllamaShowFacts): number | undefined {
  if (deployment.numCtx !== 'auto') return undefined;
  return Math.min(upstream?.trainedContext ?? Number.POSITIVE_INFINITY, deployment.maxNumCtx ?? Number.POSITIVE_INFINITY);
}

/** What a deployment's model can do: its config's list, else its upstream's, else the table's, else a chat model's basics. */
export function capabilitiesOf(deployment: DeploymentConfig, upstream?: ModelFacts): Capability[] {
  if (deployment.capabilities) return [...deployment.capabilities];
  if (upstream?.capabilities?.length) return upstream.capabilities;
  if (deployment.type === 'embedding') return ['embedding'];
  return knownModel(deployment.model)?.capabilities ?? ['completion', 'tools'];
}

/**
 * The most tokens one answer from a deployment may have: its own `maxOutputTokens`, else what its
 * server's models list says (`listed`), else the bundled table's (cloud models; a request over it is
 * refused, not cut). Undefined: no limit known.
 */
export function maxOutputOf(deployment: DeploymentConfig, listed?: number): number | undefined {
  return deployment.maxOutputTokens ?? listed ?? knownModel(deployment.model)?.maxOutput;
}

/**
 * The context window a deployment's requests get, in tokens, or undefined when nothing says.
 * For Ollama that is the `num_ctx` the gateway sends (the deployment's option), else the Modelfile's,
 * else what the loaded model runs with (`/api/ps`); the trained maximum is only what `num_ctx` may
 * be raised to. For another server, what its models list says (`listed`: as it serves the model),
 * else the bundled table.
 */
export function contextWindowOf(deployment: DeploymentConfig, kind: ProviderConfig['kind'], upstream?: OllamaShowFacts, listed?: number): number | undefined {
  if (deployment.contextWindow) return deployment.contextWindow;
  if (kind !== 'ollama') return listed ?? knownModel(deployment.model)?.contextWindow;
  const numCtx = deployment.options?.num_ctx;
  if (typeof numCtx === 'number' && numCtx > 0) return numCtx;
  return upstream?.modelfileNumCtx ?? upstream?.loadedContext;
}

/**
 * The window a deployment reads when a request opts into a longer one, where its model has one:
 * Anthropic's API alone is told (the client's `anthropic-beta` goes on to it), and a window set in
 * the config stays.
 */
export function longWindowOf(deployment: DeploymentConfig, kind: ProviderConfig['kind']): number | undefined {
  return kind === 'anthropic' && !deployment.contextWindow ? knownModel(deployment.model)?.longContextWindow : undefined;
}

/**
 * The `num_ctx` an Ollama deployment runs a request with when its client names one (`asked`): the
 * larger of it and the deployment's own (or one raised for the prompt), so neither cuts what the
 * other made room for. The router checks this window; the request is sent with it (wire/ollama.ts).
 */
export function numCtxWith(own: unknown, asked: number): number {
  return typeof own === 'number' && own > asked ? own : asked;
}

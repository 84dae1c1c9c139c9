/**
 * What `/api/tags`, `/api/show` and `/api/ps` say about routes and deployments. For a model backed
 * by an Ollama upstream, `/api/show` passes on the upstream's own `parameters` and `template`
 * (Continue reads `num_ctx` from them), with the deployment's `num_ctx` written in when it sets one,
 * since that is what the gateway will send.
 */
import { createHash } from 'node:crypto';
import type { CancelSignal } from '../../cancel';
import type { DeploymentConfig, ProviderConfig } from '../../config/schema';
import { GatewayError } from '../../errors';
import type { Catalog } from '../../routing/catalog';
import { didYouMean } from '../../config/nearest';
import { listedModels, listedNames } from '../../routing/listing';
import { capabilitiesOf, contextWindowOf, knownModel, ollamaShowFacts, type ModelFacts, type OllamaShowFacts } from '../../models/facts';

export function tags(catalog: Catalog, modifiedAt: number, allowed?: readonly string[] | null, learned?: UpstreamKnowledge['learned']) {
  const modified = new Date(modifiedAt).toISOString();
  const entry = (name: string, deployment: DeploymentConfig | undefined) => ({
    name,
    model: name,
    modified_at: modified,
    size: 0,
    digest: createHash('sha256').update(name).digest('hex'),
    details: listedDetails(catalog, deployment, learned),
  });
  const listed = listedModels(catalog, allowed);
  return {
    models: [
      ...listed.routes.map((r) => entry(r.name, representativeOrUndefined(catalog, r.name))),
      ...listed.deployments.map((d) => entry(d.name, d)),
      ...listed.aliases.map((alias) => entry(alias, representativeOrUndefined(catalog, alias))),
    ],
  };
}

function representativeOrUndefined(catalog: Catalog, name: string): DeploymentConfig | undefined {
  try {
    return representative(catalog, name);
  } catch {
    return undefined;
  }
}

/** The deployment that answers for a model name: itself, or a route's first (preferring an Ollama-backed one); aliases followed. */
function representative(catalog: Catalog, name: string): DeploymentConfig {
  const direct = catalog.deployments.get(name);
  if (direct) return direct;
  const aliased = catalog.routes.has(name) ? undefined : catalog.alias(name);
  if (aliased) return representative(catalog, aliased.target);
  const route = catalog.routes.get(name);
  if (!route) throw new GatewayError('model_not_found', `model "${name}" not found`);
  const members = route.deployments.map((d) => catalog.deployments.get(d) as DeploymentConfig);
  return members.find((d) => catalog.providers.get(d.provider)?.config.kind === 'ollama') ?? (members[0] as DeploymentConfig);
}

/**
 * A model's `details` as `/api/tags` and `/api/show` give them: an Ollama's own word on its model
 * when it has been heard (the architecture as its family, the size and quantization), else the
 * family the table knows a cloud model by, or the provider's kind.
 */
function listedDetails(catalog: Catalog, deployment: DeploymentConfig | undefined, learned: UpstreamKnowledge['learned']): Record<string, unknown> {
  const kind = deployment && catalog.providers.get(deployment.provider)?.config.kind;
  if (!deployment || !kind) return detailsOf(undefined, undefined);
  return detailsOf(kind, kind === 'ollama' ? learned?.(deployment.provider, deployment.model) : knownModel(deployment.model));
}

function detailsOf(kind: ProviderConfig['kind'] | undefined, facts: (ModelFacts & { details?: Record<string, unknown> | undefined }) | undefined): Record<string, unknown> {
  if (facts?.details) return facts.details;
  const family = facts?.family ?? kind ?? '';
  return { parent_model: '', format: kind === 'ollama' ? 'gguf' : 'api', family, families: family ? [family] : [], parameter_size: '', quantization_level: '' };
}

/** Continue offers autocomplete only for models whose template mentions `.Suffix`. */
const FIM_TEMPLATE = '{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>{{- else }}{{ .Prompt }}{{- end }}';

/** What the gateway knows of its upstreams beside asking them: the routed windows, and its health probes' word on each Ollama. */
export interface UpstreamKnowledge {
  /** A deployment's window as the router knows it (another server's from its models list: health/listed-limits.ts). */
  routedWindow?: ((deployment: DeploymentConfig) => number | undefined) | undefined;
  /** Whether the last health probe of a provider failed. */
  down?: ((provider: string) => boolean) | undefined;
  /** What a provider's `/api/show` said of a model when it was last asked (health/monitor.ts). */
  learned?: ((provider: string, model: string) => OllamaShowFacts | undefined) | undefined;
}

/**
 * A model as Ollama's `/api/show` describes one, truthfully for every kind of upstream: the
 * capabilities clients filter on (Roo Code hides models without `tools`, Zed reads `vision` and
 * `thinking`), `model_info["<arch>.context_length"]`, and a template that mentions `.Suffix` only
 * where fill-in-the-middle works. The deployment's `capabilities` and `contextWindow` win; another
 * server's window is what its models list says, where it says one.
 */
export async function show(catalog: Catalog, name: string, signal: CancelSignal, allowed: readonly string[] | null | undefined, known: UpstreamKnowledge = {}): Promise<Record<string, unknown>> {
  const deployment = representativeOrUndefined(catalog, name);
  if (!deployment) throw new GatewayError('model_not_found', `model "${name}" not found${didYouMean(name, listedNames(catalog, allowed).slice(0, 100))}`);
  const provider = catalog.providers.get(deployment.provider);
  const kind = provider?.config.kind ?? 'openai';
  let upstream: Record<string, unknown> | undefined;
  // An Ollama its last probe found down (a hung one takes the whole timeout to fail) is not asked:
  // Continue and Copilot ask for every model listed, one after another, at start.
  if (provider?.show && known.down?.(deployment.provider) !== true) {
    try {
      upstream = await provider.show(deployment.model, signal);
    } catch {
      // The upstream may be down; a description from the config still helps the client.
    }
  }
  // Without its answer, what it said when last asked: the model's family, window and capabilities.
  const facts = kind !== 'ollama' ? knownModel(deployment.model) : upstream ? ollamaShowFacts(upstream) : known.learned?.(deployment.provider, deployment.model);
  upstream ??= {};
  const capabilities = capabilitiesOf(deployment, facts);
  const family = facts?.family ?? kind;
  // What the deployment is configured to read, else what the upstream says (as Ollama itself would).
  // Another server's as the router knows it (its models list's word, listed-limits.ts, over the table's).
  const routed = kind === 'ollama' ? undefined : known.routedWindow?.(deployment);
  const window = routed ?? contextWindowOf(deployment, kind, kind === 'ollama' ? (facts as OllamaShowFacts) : undefined) ?? (facts as OllamaShowFacts | undefined)?.trainedContext ?? facts?.contextWindow;
  const modelInfo: Record<string, unknown> = { ...((upstream.model_info as Record<string, unknown> | undefined) ?? {}), 'general.architecture': family };
  if (window) modelInfo[`${family}.context_length`] = window;

  const numCtx = deployment.options?.num_ctx;
  let parameters = typeof upstream.parameters === 'string' ? upstream.parameters : '';
  if (typeof numCtx === 'number') {
    parameters = parameters.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('num_ctx')).concat(`num_ctx                        ${numCtx}`).join('\n');
  }
  let template = typeof upstream.template === 'string' ? upstream.template : '{{ .Prompt }}';
  const fim = capabilities.includes('insert');
  if (fim && !template.includes('.Suffix')) template = FIM_TEMPLATE;
  if (!fim && template.includes('.Suffix')) template = '{{ .Prompt }}';
  return {
    modelfile: typeof upstream.modelfile === 'string' ? upstream.modelfile : '',
    parameters,
    template,
    details: upstream.details ?? detailsOf(kind, facts),
    model_info: modelInfo,
    capabilities,
    modified_at: new Date().toISOString(),
  };
}

/**
 * Deployments whose model is loaded in its Ollama right now, each as that Ollama's own `/api/ps`
 * entry (size, VRAM, context length, when it unloads) under the deployment's name: the `ollama` CLI
 * reads `expires_at` as a time and `digest` as at least 12 characters.
 */
export async function running(catalog: Catalog, signal: CancelSignal, down?: (provider: string) => boolean) {
  const loadedByProvider = new Map<string, Record<string, unknown>[]>();
  await Promise.all(
    [...catalog.providers.values()]
      .filter((p) => p.config.kind === 'ollama' && p.running && down?.(p.config.name) !== true)
      .map(async (p) => loadedByProvider.set(p.config.name, await p.running!(signal).catch(() => []))),
  );
  const models = catalog.config.deployments.flatMap((d) => {
    const entry = loadedByProvider.get(d.provider)?.find((m) => m.name === d.model || m.name === `${d.model}:latest` || m.model === d.model);
    return entry ? [{ ...entry, name: d.name, model: d.name }] : [];
  });
  return { models };
}

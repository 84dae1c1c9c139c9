/**
 * What `/api/tags`, `/api/show` and `/api/ps` say about routes and deployments. For a model backed
 * by an Ollama upstream, `/api/show` passes on the upstream's own `parameters` and `template`
 * (Continue reads `num_ctx` and fill-in-the-middle support from them), with the deployment's
 * `num_ctx` written in when it sets one, since that is what the gateway will send.
 */
import { createHash } from 'node:crypto';
import type { CancelSignal } from '../../cancel';
import type { DeploymentConfig } from '../../config/schema';
import { GatewayError } from '../../errors';
import type { Catalog } from '../../routing/catalog';

export function tags(catalog: Catalog, modifiedAt: number) {
  const modified = new Date(modifiedAt).toISOString();
  const entry = (name: string, deployment: DeploymentConfig | undefined) => ({
    name,
    model: name,
    modified_at: modified,
    size: 0,
    digest: createHash('sha256').update(name).digest('hex'),
    details: {
      parent_model: '',
      format: catalog.providers.get(deployment?.provider ?? '')?.config.kind === 'ollama' ? 'gguf' : 'api',
      family: deployment?.model ?? '',
      families: [],
      parameter_size: '',
      quantization_level: '',
    },
  });
  return {
    models: [
      ...catalog.config.routes.map((r) => entry(r.name, catalog.deployments.get(r.deployments[0] ?? ''))),
      ...catalog.config.deployments.map((d) => entry(d.name, d)),
    ],
  };
}

/** The deployment that answers for a model name: itself, or a route's first (preferring an Ollama-backed one). */
function representative(catalog: Catalog, name: string): DeploymentConfig {
  const direct = catalog.deployments.get(name);
  if (direct) return direct;
  const route = catalog.routes.get(name);
  if (!route) throw new GatewayError('model_not_found', `model "${name}" not found`);
  const members = route.deployments.map((d) => catalog.deployments.get(d) as DeploymentConfig);
  return members.find((d) => catalog.providers.get(d.provider)?.config.kind === 'ollama') ?? (members[0] as DeploymentConfig);
}

export async function show(catalog: Catalog, name: string, signal: CancelSignal): Promise<Record<string, unknown>> {
  const deployment = representative(catalog, name);
  const provider = catalog.providers.get(deployment.provider);
  const embedding = deployment.type === 'embedding';
  let upstream: Record<string, unknown> = {};
  if (provider?.show) {
    try {
      upstream = await provider.show(deployment.model, signal);
    } catch {
      // The upstream may be down; a description from the config still helps the client.
    }
  }
  const numCtx = deployment.options?.num_ctx;
  let parameters = typeof upstream.parameters === 'string' ? upstream.parameters : '';
  if (typeof numCtx === 'number') {
    parameters = parameters.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('num_ctx')).concat(`num_ctx                        ${numCtx}`).join('\n');
  }
  return {
    modelfile: typeof upstream.modelfile === 'string' ? upstream.modelfile : '',
    parameters,
    template: typeof upstream.template === 'string' ? upstream.template : '{{ .Prompt }}',
    details: upstream.details ?? { parent_model: '', format: provider?.config.kind === 'ollama' ? 'gguf' : 'api', family: deployment.model, families: [], parameter_size: '', quantization_level: '' },
    model_info: upstream.model_info ?? {},
    capabilities: Array.isArray(upstream.capabilities) ? upstream.capabilities : embedding ? ['embedding'] : ['completion', 'tools'],
    modified_at: new Date().toISOString(),
  };
}

/** Deployments whose model is loaded in its Ollama right now, from each Ollama upstream's own `/api/ps`. */
export async function running(catalog: Catalog, signal: CancelSignal) {
  const loadedByProvider = new Map<string, string[]>();
  await Promise.all(
    [...catalog.providers.values()]
      .filter((p) => p.config.kind === 'ollama')
      .map(async (p) => {
        try {
          loadedByProvider.set(p.config.name, (await p.probe(signal)).loaded ?? []);
        } catch {
          loadedByProvider.set(p.config.name, []);
        }
      }),
  );
  const models = catalog.config.deployments
    .filter((d) => loadedByProvider.get(d.provider)?.some((m) => m === d.model || m === `${d.model}:latest`))
    .map((d) => ({ name: d.name, model: d.name, size: 0, digest: createHash('sha256').update(d.name).digest('hex'), details: {}, expires_at: '', size_vram: 0 }));
  return { models };
}

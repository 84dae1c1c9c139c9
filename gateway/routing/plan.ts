/**
 * Which deployments a request may try, in order, and why the others are skipped. Pure: the same
 * catalog, request and instant always give the same plan.
 */
import type { DeploymentConfig, RouteConfig } from '../config/schema';
import { GatewayError } from '../errors';
import type { Catalog } from './catalog';
import { describeInstant } from './time-windows';

export type ModelType = 'chat' | 'embedding';

export interface PlanRequest {
  /** What the client sent as `model`: a route or a deployment name. */
  model: string;
  type: ModelType;
  /** `x-switchyard-prefer`: a deployment of the route to try first. */
  prefer?: string | undefined;
  now: number;
  /** "Local only": deployments on non-local providers are skipped (the desktop app's pause switch). */
  localOnly?: boolean;
}

export interface Skip {
  deployment: string;
  provider: string;
  reason: 'time_window' | 'disabled' | 'local_only' | 'provider_unavailable' | 'circuit_open' | 'probe_in_flight' | 'cooling' | 'busy';
  readonly message: string;
  /** When it becomes usable again (epoch ms), if known. */
  until: number | null;
}

export interface Plan {
  route: RouteConfig;
  /** True when the client named a deployment rather than a route. */
  direct: boolean;
  targets: DeploymentConfig[];
  skipped: Skip[];
}

export function plan(catalog: Catalog, request: PlanRequest): Plan {
  const { route, direct } = resolveModel(catalog, request.model);
  let names = route.deployments;
  if (request.prefer !== undefined && request.prefer !== '') {
    if (!names.includes(request.prefer)) {
      throw new GatewayError(
        'invalid_request',
        `x-switchyard-prefer names "${request.prefer}", which is not a deployment of "${route.name}" (its deployments: ${names.join(', ')})`,
        { param: 'x-switchyard-prefer' },
      );
    }
    names = [request.prefer, ...names.filter((n) => n !== request.prefer)];
  }

  const targets: DeploymentConfig[] = [];
  const skipped: Skip[] = [];
  for (const name of names) {
    const deployment = catalog.deployments.get(name) as DeploymentConfig;
    const type = deployment.type ?? 'chat';
    if (type !== request.type) {
      throw new GatewayError('wrong_model_type', `"${request.model}" serves ${type} requests, not ${request.type}`, { param: 'model' });
    }
    const skip = skipReason(catalog, deployment, request.now, request.localOnly === true);
    if (skip) skipped.push(skip);
    else targets.push(deployment);
  }
  return { route, direct, targets, skipped };
}

function resolveModel(catalog: Catalog, model: string): { route: RouteConfig; direct: boolean } {
  const route = catalog.routes.get(model);
  if (route) return { route, direct: false };
  if (catalog.deployments.has(model)) return { route: { name: model, deployments: [model] }, direct: true };
  const known = [...catalog.routes.keys(), ...catalog.deployments.keys()];
  throw new GatewayError(
    'model_not_found',
    `The model "${model}" does not exist: name a route or a deployment (${known.length > 0 ? known.slice(0, 20).join(', ') : 'none are configured'})`,
    { param: 'model' },
  );
}

function skipReason(catalog: Catalog, deployment: DeploymentConfig, now: number, localOnly: boolean): Skip | undefined {
  const base = { deployment: deployment.name, provider: deployment.provider };
  if (deployment.enabled === false) return { ...base, reason: 'disabled', message: `${deployment.name} is disabled`, until: null };
  const provider = catalog.providers.get(deployment.provider)?.config;
  if (localOnly && provider && !isLocalProvider(provider)) {
    return { ...base, reason: 'local_only', message: `${deployment.name} is a cloud deployment and routing is set to local only`, until: null };
  }
  const unavailable = catalog.providers.get(deployment.provider)?.unavailableReason;
  if (unavailable) {
    return { ...base, reason: 'provider_unavailable', message: `${deployment.name}: provider ${deployment.provider} cannot be used: ${unavailable}`, until: null };
  }
  const window = catalog.windowStateOf(deployment, now);
  if (window.usable) return undefined;
  const until = window.until;
  return lazySkip(deployment, 'time_window', until, () =>
    until === null
      ? `${deployment.name} is outside its time windows at all times`
      : `${deployment.name} is inside a time window until ${describeInstant(until, catalog.timeZoneOf(deployment), now)} (${new Date(until).toISOString()})`,
  );
}

/**
 * A skip whose message is written only if someone reads it (an error, the playground). A skipped
 * deployment is on the path of every request while it is skipped, and the zoned time in the
 * message costs more than the rest of the routing decision.
 */
export function lazySkip(deployment: DeploymentConfig, reason: Skip['reason'], until: number | null, describe: () => string): Skip {
  let message: string | undefined;
  return {
    deployment: deployment.name,
    provider: deployment.provider,
    reason,
    until,
    get message() {
      return (message ??= describe());
    },
  };
}

/** An Ollama (on this machine or the LAN), or any server on this machine (LM Studio, vLLM, llama.cpp). */
export function isLocalProvider(provider: { kind: string; baseUrl: string; local?: boolean | undefined }): boolean {
  if (provider.local !== undefined) return provider.local;
  if (provider.kind === 'ollama') return true;
  try {
    const host = new URL(provider.baseUrl).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

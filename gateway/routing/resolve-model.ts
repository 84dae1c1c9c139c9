/**
 * What a request's `model` names: a route, a deployment (a route of its own), or an alias of
 * either. A name that is none of them is a 404 that lists the names able to serve the request
 * (a chat request is not offered an embedding route), and the nearest of them to a typo.
 */
import type { DeploymentConfig, RouteConfig } from '../config/schema';
import { didYouMean } from '../config/nearest';
import { GatewayError } from '../errors';
import type { Catalog } from './catalog';

/** What a request asks of a model: a deployment's type. */
type RequestType = NonNullable<DeploymentConfig['type']>;

export function resolveModel(catalog: Catalog, model: string, type: RequestType): { route: RouteConfig; direct: boolean; alias?: string } {
  const route = catalog.routes.get(model);
  if (route) return { route, direct: false };
  if (catalog.deployments.has(model)) return { route: catalog.directRoute(model), direct: true };
  const aliased = catalog.alias(model);
  if (aliased) {
    const target = catalog.routes.get(aliased.target);
    if (target) return { route: target, direct: false, alias: aliased.alias };
    if (catalog.deployments.has(aliased.target)) return { route: catalog.directRoute(aliased.target), direct: true, alias: aliased.alias };
  }
  const known = servingNames(catalog, type);
  // A tool set up with a typo: the name it was a letter or two off. Among the first 100 names: at
  // worst (100 names of the typed one's length) about 0.2 ms, so a stream of unknown names stays cheap.
  // Ollama's `:latest` is read past, as the Ollama API reads it.
  const bare = model.replace(/:latest$/, '');
  const meant = runnersOf(catalog, bare, type) || (bare !== model && known.includes(bare) ? ` (did you mean ${JSON.stringify(bare)}?)` : didYouMean(bare, known.slice(0, 100)));
  throw new GatewayError('model_not_found', `The model "${model}" does not exist${meant}: name a route or a deployment of ${type} models (${known.length > 0 ? known.slice(0, 20).join(', ') : 'none are configured'}), or make this name an alias of one`, {
    param: 'model',
  });
}

/**
 * A model's own name (`llama3.2:3b`, as a user coming from Ollama types it) is not a name here: the
 * deployments that run it are, which the 404 offers.
 */
function runnersOf(catalog: Catalog, bare: string, type: RequestType): string {
  const runners = [...catalog.deployments.values()].filter((d) => (d.type ?? 'chat') === type && d.model.replace(/:latest$/, '') === bare).map((d) => JSON.stringify(d.name));
  if (runners.length === 0) return '';
  return runners.length === 1 ? ` (did you mean ${runners[0]}, the deployment that runs it?)` : ` (did you mean one of the deployments that run it: ${runners.slice(0, 5).join(', ')}?)`;
}

/** The routes and deployments of this type, routes first (a route's deployments share one type). */
function servingNames(catalog: Catalog, type: RequestType): string[] {
  const typeOf = (deployment: string) => catalog.deployments.get(deployment)?.type ?? 'chat';
  const routes = [...catalog.routes.values()].filter((r) => r.deployments[0] !== undefined && typeOf(r.deployments[0]) === type).map((r) => r.name);
  const deployments = [...catalog.deployments.values()].filter((d) => (d.type ?? 'chat') === type).map((d) => d.name);
  return [...routes, ...deployments];
}

/**
 * Hooks that belong to the model endpoints only (routes whose config names a usage `endpoint`):
 * attached to those routes as they are declared, so other routes never run them and a model
 * request never asks at run time which kind of route it is on.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

type HookName = 'onRequest' | 'preValidation' | 'onSend';
type Hooks = { [K in HookName]?: NonNullable<RouteOptions[K]> extends infer H ? (H extends readonly (infer F)[] ? F : H) : never };

/** Must be called before the model routes are declared. */
export function addModelRouteHooks(app: FastifyInstance, hooksFor: (endpoint: string) => Hooks): void {
  app.addHook('onRoute', (route) => {
    const endpoint = route.config?.usage;
    if (!endpoint) return;
    const hooks = hooksFor(endpoint) as Record<HookName, unknown>;
    for (const name of ['onRequest', 'preValidation', 'onSend'] as const) {
      const hook = hooks[name];
      if (!hook) continue;
      const existing = route[name] as unknown;
      (route as unknown as Record<HookName, unknown[]>)[name] = existing === undefined ? [hook] : Array.isArray(existing) ? [...existing, hook] : [existing, hook];
    }
  });
}

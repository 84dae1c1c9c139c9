/**
 * Sticky sessions by hand: where a session is kept (the deployment each of its routes sends its next
 * request to first), and letting it go. A Claude Code conversation that fell back to the cloud while
 * the local model was down stays there, prompt cache and all, until it is idle for half an hour; its
 * user, seeing the local model back, sends it by the route's order again from here.
 */
import type { FastifyInstance } from 'fastify';
import type { Catalog } from '../../routing/catalog';
import { sessionKey, type SessionMemory } from '../../routing/sessions';
import { KeptSessionSchema, ReleasedSessionSchema, SessionRefSchema, type SessionRef } from './schemas';

export function keptSessions(app: FastifyInstance, { catalog, sessions }: { catalog: () => Catalog; sessions: SessionMemory | undefined }): void {
  app.get<{ Querystring: SessionRef }>('/usage/sessions/kept', { schema: { querystring: SessionRefSchema, response: { 200: KeptSessionSchema } } }, async (request) => {
    const kept: { route: string; deployment: string }[] = [];
    for (const route of catalog().config.routes) {
      if (!route.stickySessions) continue;
      for (const clientKey of keysNamed(request.query.clientKey)) {
        const deployment = sessions?.deploymentOf(sessionKey(route, request.query.session, clientKey));
        if (deployment) kept.push({ route: route.name, deployment });
      }
    }
    return { kept };
  });

  // Every route's note goes, not only the sticky ones': a route switched to keeping sessions later starts from the route's order too.
  app.delete<{ Querystring: SessionRef }>('/usage/sessions/kept', { schema: { querystring: SessionRefSchema, response: { 200: ReleasedSessionSchema } } }, async (request) => {
    let released = 0;
    for (const route of catalog().config.routes) {
      for (const clientKey of keysNamed(request.query.clientKey)) if (sessions?.forget(sessionKey(route, request.query.session, clientKey))) released++;
    }
    return { released };
  });
}

/** The usage log names requests without a key `anonymous`, which a key may also be named: both are meant. */
const keysNamed = (name: string): (string | undefined)[] => (name === 'anonymous' ? [undefined, name] : [name]);

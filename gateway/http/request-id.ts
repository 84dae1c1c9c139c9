/**
 * Every answer names its request (`x-request-id`), errors included: clients and logs can tie any
 * answer to its usage row or log line. A model surface's answers also say, until routing says
 * otherwise, that no deployment answered after no attempts (`routed`); the dashboard, its API and
 * `/health` are routed to no deployment, so theirs say nothing of one.
 */
import fp from 'fastify-plugin';

export const requestIdPlugin = fp<{ routed?: boolean }>(
  async (app, { routed = false }) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
      if (!routed) return;
      reply.header('x-switchyard-deployment', 'none');
      reply.header('x-switchyard-attempts', '0');
    });
  },
  { name: 'switchyard-request-id' },
);

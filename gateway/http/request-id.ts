/**
 * Every answer of a model surface names its request and, until routing says otherwise, no
 * deployment and no attempts: clients and logs can tie any answer, errors included, to its usage row.
 */
import fp from 'fastify-plugin';

export const requestIdPlugin = fp(
  async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
      reply.header('x-switchyard-deployment', 'none');
      reply.header('x-switchyard-attempts', '0');
    });
  },
  { name: 'switchyard-request-id' },
);

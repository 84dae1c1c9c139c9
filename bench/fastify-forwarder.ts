/**
 * The bare forwarder written as a Fastify route (parse the JSON body, set the model, send it on a
 * pooled undici connection, parse and return the answer; streams piped through): the framework's
 * floor under the gateway, measured in the same run.
 */
import Fastify from 'fastify';
import { Pool } from 'undici';

const upstream = new Pool(process.argv[2] as string, { connections: 128, keepAliveTimeout: 60_000 });
const app = Fastify({ logger: false });
app.post('/v1/chat/completions', async (request, reply) => {
  const answer = await upstream.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...(request.body as object), model: 'bench-model' }),
  });
  const type = String(answer.headers['content-type'] ?? '');
  if (type.includes('event-stream')) return reply.type(type).send(answer.body);
  return answer.body.json();
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
process.on('SIGTERM', () => process.exit(0));

// The floor for start-up time and memory: a bare Fastify app with one /health route, plain
// JavaScript, nothing else loaded. `npm run bench` starts it beside the gateway and compares.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: app.server.address().port })}\n`);
process.on('SIGTERM', () => process.exit(0));

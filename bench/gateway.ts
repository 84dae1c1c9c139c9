/** The benchmark's gateway process: createGateway with a config pointing at the bench upstream. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway } from '../gateway/gateway';

const [upstream, deadPort, failing, hanging] = process.argv.slice(2) as [string, string, string, string];
const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
const gateway = await createGateway({
  dataDir,
  port: 0,
  discoverOllama: false,
  env: { BENCH_KEY: 'sk-bench' },
  config: {
    version: 1,
    providers: [
      { name: 'fast', kind: 'openai', baseUrl: `${upstream}/v1`, apiKey: 'env:BENCH_KEY' },
      { name: 'dead', kind: 'openai', baseUrl: `http://127.0.0.1:${deadPort}/v1`, apiKey: 'env:BENCH_KEY' },
      { name: 'failing', kind: 'openai', baseUrl: `${failing}/v1`, apiKey: 'env:BENCH_KEY' },
      { name: 'hanging', kind: 'openai', baseUrl: `${hanging}/v1`, apiKey: 'env:BENCH_KEY', timeouts: { firstByteMs: 200 } },
      // Ollama's default cap of 2 in flight would measure the queue, not the gateway.
      { name: 'local', kind: 'ollama', baseUrl: upstream, maxConcurrent: 10_000 },
    ],
    deployments: [
      { name: 'fast-model', provider: 'fast', model: 'bench-model' },
      { name: 'dead-model', provider: 'dead', model: 'bench-model' },
      { name: 'failing-model', provider: 'failing', model: 'bench-model' },
      { name: 'hanging-model', provider: 'hanging', model: 'bench-model' },
      { name: 'ollama-model', provider: 'local', model: 'bench-model' },
    ],
    routes: [
      { name: 'live', deployments: ['fast-model', 'dead-model'] },
      { name: 'dead-first', deployments: ['dead-model', 'fast-model'] },
      { name: 'failing-first', deployments: ['failing-model', 'fast-model'] },
      { name: 'hanging-first', deployments: ['hanging-model', 'fast-model'] },
      { name: 'live-ollama', deployments: ['ollama-model'] },
    ],
  },
});
const { port } = await gateway.start();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', async () => {
  await gateway.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});

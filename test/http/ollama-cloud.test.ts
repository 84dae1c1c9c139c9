/**
 * An Ollama's cloud models: pulled like any other, but the local Ollama passes their prompts to
 * ollama.com. Local only must never use them, and what they answer is not "saved by local". They
 * are known by their tag (`-cloud`, `:cloud`) at once, and by `remote_host` in Ollama's model list
 * (a cloud-only model tagged `latest`) once it has been read.
 */
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startGateway, stopAll, type Harness } from '../support/harness';
import { installedOllamaModels } from '../../gateway/config/defaults';

let ollama: FakeServer;
let h: Harness;
const cloud = ['gpt-oss:120b-cloud', 'deepseek-v4-flash:latest'];

beforeAll(async () => {
  ollama = await startFakeOllama({ models: ['llama3.2:3b', ...cloud], cloudModels: cloud });
  h = await startGateway({
    version: 1,
    providers: [{ name: 'ollama', kind: 'ollama', baseUrl: ollama.url }],
    deployments: [
      { name: 'oss', provider: 'ollama', model: 'gpt-oss:120b-cloud', pricing: { inputPerMTok: 0, outputPerMTok: 0 } },
      { name: 'flash', provider: 'ollama', model: 'deepseek-v4-flash:latest' },
      { name: 'llama', provider: 'ollama', model: 'llama3.2:3b', pricing: { inputPerMTok: 0, outputPerMTok: 0 } },
    ],
    routes: [{ name: 'cloud-first', deployments: ['oss', 'flash', 'llama'] }],
  });
});
afterAll(() => stopAll(h, ollama));

const chatModels = () => ollama.requests.filter((r) => r.path === '/api/chat').map((r) => r.body.model);
const report = () => h.admin('/admin/api/health').then((r) => r.json() as Promise<{ deployments: { name: string; local: boolean; skippedLocalOnly: boolean }[] }>);

it('keeps local only local: a cloud model by its tag at once, one tagged latest once the model list says it is remote', async () => {
  h.gateway.setLocalOnly(true);
  onTestFinished(() => h.gateway.setLocalOnly(false));
  await h.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'private' }] });
  // Before Ollama's list was read (the health monitor reads it at start), only the name tells.
  expect(chatModels()).toEqual(['deepseek-v4-flash:latest']);

  await h.gateway.health.probeAll();
  ollama.requests.length = 0;
  const answer = await h.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'private' }] }, { headers: { 'x-switchyard-decision': '1' } }).withResponse();
  expect(answer.data.choices[0]!.message.content).toBe('Echo: private');
  expect(answer.response.headers.get('x-switchyard-deployment')).toBe('llama');
  expect(chatModels()).toEqual(['llama3.2:3b']);
  const deployments = (await report()).deployments;
  expect(Object.fromEntries(deployments.map((d) => [d.name, [d.local, d.skippedLocalOnly]]))).toEqual({ oss: [false, true], flash: [false, true], llama: [true, false] });
});

it("does not count a cloud model's answer as saved by local, though it is priced at 0", async () => {
  const { response } = await h.openai.chat.completions.create({ model: 'oss', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  expect(response.status).toBe(200);
  await h.openai.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] });
  const page = (await h.admin('/admin/api/usage?limit=10').then((r) => r.json())) as { rows: { deployment: string; saved: number }[] };
  const saved = Object.fromEntries(page.rows.map((r) => [r.deployment, r.saved]));
  expect(saved.llama).toBeGreaterThan(0);
  expect(saved.oss).toBe(0);
});

it('leaves cloud models out of the first-start route, which is local first', async () => {
  expect(await installedOllamaModels(ollama.url)).toEqual(['llama3.2:3b']);
});

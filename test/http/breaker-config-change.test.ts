/**
 * A config edit and a deployment's open breaker: an edit that points the deployment at another
 * server or model (the usual fix: Ollama was on another port, the model was misspelt) closes it, so
 * the fix is tried at once rather than after a cooldown that has grown to minutes; any other edit
 * keeps it open, since the deployment it stands for is still down.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, twoTierConfig, type Harness } from '../support/harness';

let broken: FakeServer;
let working: FakeServer;
let openai: FakeServer;
let h: Harness;
const clock = Date.parse('2026-11-23T10:00:00Z');

const config = (ollama = broken.url, extraRoute = false) => {
  const c = twoTierConfig({ ollama, openai: openai.url });
  Object.assign(c.providers[0]!, { healthCheck: { intervalMs: 0 } });
  Object.assign(c.deployments[0]!, { breaker: { failures: 2, cooldownMs: 600_000 } });
  if (extraRoute) c.routes.push({ name: 'also', deployments: ['mini'] });
  return c;
};

beforeAll(async () => {
  [broken, working, openai] = await Promise.all([startFakeOllama(), startFakeOllama(), startFakeOpenAI()]);
  h = await startGateway(config(), { now: () => clock });
});
afterAll(async () => {
  await h.stop();
  await Promise.all([broken.stop(), working.stop(), openai.stop()]);
});
beforeEach(async () => {
  await Promise.all([broken.reset(), working.reset(), openai.reset()]);
  h.gateway.applyConfig(config(), 'test');
  h.gateway.breakers.reset('llama');
  await broken.setMode({ kind: 'status', status: 500 });
  for (let i = 0; i < 2; i++) expect(await answeredBy()).toBe('mini');
  expect(h.gateway.breakers.snapshot('llama').state).toBe('open');
});

async function answeredBy(): Promise<string | null> {
  const res = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) });
  expect(res.status).toBe(200);
  return res.headers.get('x-switchyard-deployment');
}
const lastFailureOf = async (name: string) => ((await (await fetch(`${h.url}/health`)).json()) as { deployments: { name: string; lastFailureAt: string | null }[] }).deployments.find((d) => d.name === name)?.lastFailureAt;
const lastTransition = async () => ((await (await h.admin('/admin/api/breakers')).json()) as { transitions: { deployment: string; to: string; reason: string }[] }).transitions.at(-1);

it('closes when the deployment is pointed at another server: the next request tries it there', async () => {
  h.gateway.applyConfig(config(working.url), 'test');
  expect(h.gateway.breakers.snapshot('llama').state).toBe('closed');
  expect(await lastTransition()).toMatchObject({ deployment: 'llama', to: 'closed', reason: 'its model or server was changed' });
  expect(await answeredBy()).toBe('llama');
  expect(working.requests.filter((r) => r.path === '/api/chat')).toHaveLength(1);
});

it('closes when the deployment is given another model, and forgets what traffic said of the old one', async () => {
  expect(await lastFailureOf('llama')).toEqual(expect.any(String));
  const edited = config();
  edited.deployments[0]!.model = 'qwen3:8b';
  h.gateway.applyConfig(edited, 'test');
  expect(h.gateway.breakers.snapshot('llama').state).toBe('closed');
  expect(await lastFailureOf('llama')).toBeNull();
});

it('stays open through an edit that leaves the deployment as it was', async () => {
  h.gateway.applyConfig(config(broken.url, true), 'test');
  expect(h.gateway.breakers.snapshot('llama').state).toBe('open');
  const sent = broken.requests.length;
  expect(await answeredBy()).toBe('mini');
  expect(broken.requests).toHaveLength(sent);
});

it('stays open through a rename of its provider', async () => {
  expect((await h.admin('/admin/api/providers/local', { method: 'PATCH', body: JSON.stringify({ name: 'ollama' }) })).status).toBe(200);
  expect(h.gateway.breakers.snapshot('llama').state).toBe('open');
});

it('stays open through a rename in the dashboard, with what traffic said of the deployment, under its new name', async () => {
  const res = await h.admin('/admin/api/deployments/llama', { method: 'PATCH', body: JSON.stringify({ name: 'local-llama' }) });
  expect(res.status).toBe(200);
  expect(h.gateway.breakers.snapshot('local-llama')).toMatchObject({ state: 'open', consecutiveFailures: 2 });
  const sent = broken.requests.length;
  expect(await answeredBy()).toBe('mini');
  expect(broken.requests).toHaveLength(sent);
  expect(h.gateway.breakers.snapshot('local-llama').state).toBe('open');
  expect(await lastFailureOf('local-llama')).toEqual(expect.any(String));
});

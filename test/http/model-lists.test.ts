/**
 * Health's "is the model in its provider's list" for a cloud provider whose list names snapshots:
 * Anthropic lists `claude-haiku-4-5-20251001`, and first start configures `claude-haiku-4-5`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startGateway, stopAll, type Harness } from '../support/harness';

let anthropic: FakeServer;
let h: Harness;

beforeAll(async () => {
  anthropic = await startFakeAnthropic();
  const deployment = (name: string, model: string) => ({ name, provider: 'claude', model });
  h = await startGateway(
    {
      version: 1,
      providers: [{ name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:ANTHROPIC_TEST_KEY' }],
      deployments: [deployment('alias', 'claude-haiku-4-5'), deployment('snapshot', 'claude-sonnet-4-5-20250929'), deployment('typo', 'claude-haiku-4-6')],
      routes: [{ name: 'default', deployments: ['alias', 'snapshot', 'typo'] }],
    },
    { env: { ANTHROPIC_TEST_KEY: 'sk-ant-test' } },
  );
});
afterAll(() => stopAll(h, anthropic));

it('counts an alias as listed when its dated snapshot is, and still flags a name nothing lists', async () => {
  await h.gateway.health.probeAll();
  const health = await fetch(`${h.url}/health`).then((r) => r.json());
  expect(anthropic.requests.some((r) => r.method === 'GET' && r.path === '/v1/models')).toBe(true);
  const available = Object.fromEntries(health.deployments.map((d: { name: string; modelAvailable: boolean | null }) => [d.name, d.modelAvailable]));
  expect(available).toEqual({ alias: true, snapshot: true, typo: false });
});

/**
 * A provider whose API keeps no models list. MiniMax's APIs (OpenAI- and Anthropic-compatible
 * alike) and Moonshot's answer 404 for it; the health probe read that as the provider being
 * down, so the Overview showed it down between its answered requests, and "Test connection" failed.
 * Its server answered: it is up, and its models are unknown.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startGateway, stopAll, type Harness } from '../support/harness';

let kimi: FakeServer, h: Harness;

beforeAll(async () => {
  kimi = await startFakeAnthropic({ noModelsList: true });
  h = await startGateway(
    {
      version: 1,
      providers: [
        { name: 'kimi', kind: 'anthropic', baseUrl: kimi.url, apiKey: 'env:TEST_KEY' },
        // Nothing listens on port 9: a server that is down.
        { name: 'gone', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'env:TEST_KEY' },
      ],
      deployments: [{ name: 'k2', provider: 'kimi', model: 'kimi-k2.6' }],
      routes: [],
    },
    { env: { TEST_KEY: 'sk-test' } },
  );
});
afterAll(() => stopAll(h, kimi));

const report = () => h.admin('/admin/api/health').then((r) => r.json());

describe('a provider without a models list', () => {
  it('is up after its probe, before and after a request it answered, its models unknown', async () => {
    await h.gateway.health.probeAll();
    const probed = await report();
    expect(probed.providers.map((p: { name: string; status: string }) => [p.name, p.status])).toEqual([['kimi', 'up'], ['gone', 'down']]);
    expect(probed.providers[0].probe).toMatchObject({ ok: true, error: null, models: null });
    expect(probed.deployments[0].modelAvailable).toBeNull();

    await new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 }).messages.create({ model: 'k2', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    await h.gateway.health.probeAll();
    expect((await report()).providers[0].status).toBe('up');
  });

  it('passes its connection test, and model discovery says to type the name', async () => {
    expect(await h.admin('/admin/api/providers/kimi/test', { method: 'POST' }).then((r) => r.json())).toMatchObject({ ok: true, error: null, models: null });
    expect(await h.admin('/admin/api/providers/kimi/models').then((r) => r.json())).toEqual({ models: [], error: "kimi keeps no models list: type the model's name as its API takes it" });
    expect(await h.admin('/admin/api/providers/gone/test', { method: 'POST' }).then((r) => r.json())).toMatchObject({ ok: false, models: [] });
  });
});

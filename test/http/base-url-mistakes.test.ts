/**
 * A provider whose base URL misses its API's path (LM Studio's or vLLM's address without `/v1`) or
 * has one too many: an endpoint's address pasted whole from API docs (`.../v1/chat/completions`,
 * Ollama's `.../api/chat`, Anthropic's `.../v1/messages`), an Anthropic base URL with `/v1` (its SDK
 * adds it), an Ollama's with `/v1` (its OpenAI-compatible API's address). Every request then failed
 * as a missing model ("404 Not Found"). A path too many is refused where the provider is saved or
 * tested, naming the base URL meant; a path missing (which validation cannot tell from a server at
 * its origin) is found by the probe, which fails naming the address the API answers at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let lmstudio: FakeServer, claude: FakeServer, ollama: FakeServer, nolist: FakeServer, h: Harness;

beforeAll(async () => {
  [lmstudio, claude, ollama, nolist] = await Promise.all([startFakeOpenAI(), startFakeAnthropic(), startFakeOllama(), startFakeAnthropic({ noModelsList: true })]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'lmstudio', kind: 'openai', baseUrl: lmstudio.url },
      // No models list at its address nor under /v1: a server that keeps none, up with its models unknown.
      { name: 'nolist', kind: 'openai', baseUrl: nolist.url, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [{ name: 'qwen', provider: 'lmstudio', model: 'qwen3-8b' }],
    routes: [],
  });
});
afterAll(() => stopAll(h, lmstudio, claude, ollama, nolist));

const test = (body: unknown) => h.admin('/admin/api/providers/test', { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());

describe('a base URL that misses its API', () => {
  it('fails the connection test naming the address the API answers at', async () => {
    expect(await h.admin('/admin/api/providers/lmstudio/test', { method: 'POST' }).then((r) => r.json())).toMatchObject({
      ok: false,
      error: `lmstudio has no API at its base URL; it answers at ${lmstudio.url}/v1: set that as its base URL`,
    });
    // The form's test, before saving: the same answer, and the address it names passes.
    expect(await test({ name: 'typed', kind: 'openai', baseUrl: `${lmstudio.url}/` })).toMatchObject({ ok: false, error: expect.stringContaining(`it answers at ${lmstudio.url}/v1`) });
    expect(await test({ name: 'typed', kind: 'openai', baseUrl: `${lmstudio.url}/v1` })).toMatchObject({ ok: true, error: null });
    expect(await test({ name: 'typed', kind: 'ollama', baseUrl: ollama.url })).toMatchObject({ ok: true, error: null });
    // The key went only where the base URL points: the same origin.
    expect(lmstudio.requests.map((r) => r.path)).toEqual(['/models', '/v1/models', '/models', '/v1/models', '/v1/models']);
  });

  it('refuses a base URL with a path each request adds itself, naming the one meant, before anything is sent', async () => {
    const pasted: [string, string, string, string][] = [
      ['openai', `${lmstudio.url}/v1/chat/completions`, '/chat/completions', `${lmstudio.url}/v1`],
      ['openai', `${lmstudio.url}/v1/responses/`, '/responses', `${lmstudio.url}/v1`],
      ['ollama', `${ollama.url}/api/chat`, '/api/chat', ollama.url],
      ['ollama', `${ollama.url}/api`, '/api', ollama.url],
      ['ollama', `${ollama.url}/v1`, '/v1', ollama.url],
      ['anthropic', `${claude.url}/v1/messages`, '/v1/messages', claude.url],
      ['anthropic', `${claude.url}/v1/`, '/v1', claude.url],
    ];
    const sent = () => [claude, ollama, lmstudio].map((fake) => fake.requests.length);
    const before = sent();
    for (const [kind, baseUrl, endpoint, meant] of pasted) {
      const message = `"${baseUrl}" ends in "${endpoint}", which each request adds to the base URL itself: did you mean "${meant}"?`;
      const tested = await h.admin('/admin/api/providers/test', { method: 'POST', body: JSON.stringify({ name: 'typed', kind, baseUrl, apiKeyValue: 'sk-typed' }) });
      expect([tested.status, (await tested.json()).errors]).toEqual([400, [{ path: 'providers[0].baseUrl', field: 'baseUrl', message }]]);
      const saved = await h.admin('/admin/api/providers', { method: 'POST', body: JSON.stringify({ name: 'pasted', kind, baseUrl }) });
      expect([saved.status, (await saved.json()).error.message]).toEqual([400, expect.stringContaining(message)]);
    }
    // Nothing reached a server; a path of the API's own before the endpoint is tested as given (OpenRouter's /api/v1, a proxy's /ollama).
    expect(sent()).toEqual(before);
    expect(await test({ name: 'typed', kind: 'ollama', baseUrl: `${ollama.url}/ollama` })).toMatchObject({ ok: expect.any(Boolean) });
    expect(await test({ name: 'typed', kind: 'openai', baseUrl: `${lmstudio.url}/api/v1` })).toMatchObject({ ok: expect.any(Boolean) });
  });

  it('shows the provider down with that reason in the health report, and a server without any list up', async () => {
    await h.gateway.health.probeAll();
    const providers: { name: string; status: string; probe: { error: string | null; models: unknown } }[] = (await h.admin('/admin/api/health').then((r) => r.json())).providers;
    const byName = Object.fromEntries(providers.map((p) => [p.name, p]));
    expect(byName.lmstudio).toMatchObject({ status: 'down', probe: { error: expect.stringContaining(`${lmstudio.url}/v1`) } });
    expect(byName.nolist).toMatchObject({ status: 'up', probe: { error: null, models: null } });
  });
});

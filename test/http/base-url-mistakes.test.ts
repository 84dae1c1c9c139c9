/**
 * A provider whose base URL misses its API's path: LM Studio's or vLLM's address without `/v1`, an
 * Anthropic base URL with `/v1` (its SDK adds it), an Ollama's with `/v1` (its OpenAI-compatible
 * API's address). Every request then failed as a missing model ("404 Not Found"), and "Test
 * connection" passed with the models unknown. The probe now finds the API where the base URL most
 * likely meant it and fails naming that address, on the connection test and the health report.
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
      { name: 'claude', kind: 'anthropic', baseUrl: `${claude.url}/v1/`, apiKey: 'env:TEST_KEY' },
      { name: 'ollama', kind: 'ollama', baseUrl: `${ollama.url}/v1` },
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
    expect(await h.admin('/admin/api/providers/claude/test', { method: 'POST' }).then((r) => r.json())).toMatchObject({
      ok: false,
      error: `claude has no API at its base URL; it answers at ${claude.url}: set that as its base URL`,
    });
    expect(await h.admin('/admin/api/providers/ollama/test', { method: 'POST' }).then((r) => r.json())).toMatchObject({
      ok: false,
      error: `ollama's base URL ends in /v1, Ollama's OpenAI-compatible API: an Ollama provider takes the server's own address, ${ollama.url}`,
    });
    // The form's test, before saving: the same answer, and the address it names passes.
    expect(await test({ name: 'typed', kind: 'openai', baseUrl: `${lmstudio.url}/` })).toMatchObject({ ok: false, error: expect.stringContaining(`it answers at ${lmstudio.url}/v1`) });
    expect(await test({ name: 'typed', kind: 'openai', baseUrl: `${lmstudio.url}/v1` })).toMatchObject({ ok: true, error: null });
    expect(await test({ name: 'typed', kind: 'ollama', baseUrl: ollama.url })).toMatchObject({ ok: true, error: null });
    // The key went only where the base URL points: the same origin.
    expect(claude.requests.map((r) => r.path)).toEqual(['/v1/v1/models', '/v1/models']);
  });

  it('shows the provider down with that reason in the health report, and a server without any list up', async () => {
    await h.gateway.health.probeAll();
    const providers: { name: string; status: string; probe: { error: string | null; models: unknown } }[] = (await h.admin('/admin/api/health').then((r) => r.json())).providers;
    const byName = Object.fromEntries(providers.map((p) => [p.name, p]));
    expect(byName.lmstudio).toMatchObject({ status: 'down', probe: { error: expect.stringContaining(`${lmstudio.url}/v1`) } });
    expect(byName.ollama?.probe.error).toMatch(/ends in \/v1/);
    expect(byName.nolist).toMatchObject({ status: 'up', probe: { error: null, models: null } });
  });
});

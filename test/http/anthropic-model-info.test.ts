/**
 * Anthropic's models list as the gateway gives it (Claude Code's model discovery, any client of the
 * official SDK): every field of the SDK's `ModelInfo` (@anthropic-ai/sdk 1.14.0's, whose keys are
 * always present), with the window and answer limit the gateway knows: the largest of a route's
 * deployments, as `connect` tells a tool, and null where nothing says.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startGateway, stopAll, type Harness } from '../support/harness';

/** The keys of `ModelInfo` in @anthropic-ai/sdk 1.14.0 (resources/models.d.ts). */
const MODEL_INFO_KEYS = ['capabilities', 'created_at', 'deprecated_at', 'display_name', 'id', 'lifecycle', 'line', 'max_input_tokens', 'max_tokens', 'retires_at', 'type'];

let anthropic: FakeServer;
let ollama: FakeServer;
let h: Harness;

beforeAll(async () => {
  [anthropic, ollama] = await Promise.all([startFakeAnthropic(), startFakeOllama({ models: ['llama3.2:3b'] })]);
  h = await startGateway(
    {
      version: 1,
      providers: [
        { name: 'local', kind: 'ollama', baseUrl: ollama.url },
        { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:ANTHROPIC_TEST_KEY' },
      ],
      deployments: [
        { name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 16384 } },
        { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      ],
      routes: [
        { name: 'default', deployments: ['llama', 'sonnet'] },
        { name: 'local', deployments: ['llama'] },
      ],
      aliases: { 'claude-local': 'local' },
    },
    { env: { ANTHROPIC_TEST_KEY: 'sk-ant-test' } },
  );
  // What the gateway learns of its deployments (Anthropic's list says Sonnet's limits).
  await h.gateway.health.probeAll();
});
afterAll(() => stopAll(h, anthropic, ollama));

it("lists each model with every field of the SDK's ModelInfo, its window and answer limit as known", async () => {
  const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
  const listed = (await client.models.list({ limit: 1000 })).data;
  expect(listed.map((m) => m.id)).toEqual(['default', 'local', 'llama', 'sonnet', 'claude-local']);
  for (const model of listed) {
    expect(Object.keys(model).sort()).toEqual(MODEL_INFO_KEYS);
    expect(model).toMatchObject({ type: 'model', capabilities: null, deprecated_at: null, lifecycle: 'active', line: null, retires_at: null });
  }
  const limits = Object.fromEntries(listed.map((m) => [m.id, [m.max_input_tokens, m.max_tokens]]));
  expect(limits).toEqual({
    // The largest of its deployments': Sonnet's, from Anthropic's own list.
    default: [200_000, 64_000],
    // The window the deployment sends Ollama; how long a local answer may be, nothing says.
    local: [16_384, null],
    llama: [16_384, null],
    sonnet: [200_000, 64_000],
    'claude-local': [16_384, null],
  });
  expect(await client.models.retrieve('claude-local')).toEqual(listed.find((m) => m.id === 'claude-local'));
});

it('filters by lifecycle as Anthropic does: every model here is active, so a list of retired ones is empty; an unknown stage is refused', async () => {
  const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
  // The SDK sends `lifecycle[]=...` once for each stage.
  expect((await client.models.list({ lifecycle: ['retired'] })).data).toEqual([]);
  expect((await client.models.list({ lifecycle: ['deprecated', 'retired'] })).data).toEqual([]);
  expect((await client.models.list({ lifecycle: ['active', 'deprecated'], limit: 1000 })).data.map((m) => m.id)).toEqual(['default', 'local', 'llama', 'sonnet', 'claude-local']);
  // A stage named twice is still a known stage: the list is read, not its length.
  expect((await client.models.list({ lifecycle: ['retired', 'deprecated', 'retired', 'deprecated'] })).data).toEqual([]);
  const refused = await client.models.list({ lifecycle: ['gone' as 'active'] }).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
  expect((refused as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('lifecycle') } });
});

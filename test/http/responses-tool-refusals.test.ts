/**
 * A Responses server that takes function tools and nothing else (LM Studio: "Invalid discriminator
 * value. Expected 'function' | 'mcp'" at `tools.N.type`) refused every Codex request that offered
 * its freeform `apply_patch`, its MCP namespaces or web search: Codex through the gateway failed on
 * its first prompt. Such a request goes to that model translated instead, learned from the first
 * refusal; one that offers only functions still goes as sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let lmStudio: FakeServer, relay: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'lm-studio', kind: 'openai', baseUrl: `${lmStudio.url}/v1`, local: true, apis: ['chat', 'responses'] },
    // A server that speaks Responses alone: the translation comes back to it as Responses of functions.
    { name: 'relay', kind: 'openai', baseUrl: `${relay.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['responses'] },
  ],
  deployments: [
    { name: 'qwen', provider: 'lm-studio', model: 'qwen3.6-35b-a3b' },
    { name: 'relayed', provider: 'relay', model: 'qwen3-coder' },
    { name: 'small', provider: 'lm-studio', model: 'qwen3-8b' },
  ],
  routes: [],
});

beforeAll(async () => {
  [lmStudio, relay] = await Promise.all([startFakeOpenAI({ refusesOtherTools: true, withoutCompaction: true }), startFakeOpenAI({ refusesOtherTools: true })]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, lmStudio, relay));
beforeEach(() => resetBetweenTests(h, [lmStudio, relay], config()));

const weather = { type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false };
// As Codex offers them: a function, its freeform apply_patch, and web search.
const codexTools = [weather, { type: 'custom', name: 'apply_patch', description: 'Edit files' }, { type: 'web_search' }] as never[];
const paths = (server: FakeServer) => server.requests.map((r) => r.path);

describe('a Responses server that takes only function tools', () => {
  it("answers Codex's requests translated, from its first refusal on, streamed and whole; functions alone still go as sent", async () => {
    const stream = await h.openai.responses.create({ model: 'qwen', input: 'weather in Paris?', tools: codexTools, stream: true, store: false });
    const calls: unknown[] = [];
    for await (const event of stream) if (event.type === 'response.output_item.done' && event.item.type === 'function_call') calls.push([event.item.name, JSON.parse(event.item.arguments)]);
    expect(calls).toEqual([['get_weather', { city: 'Paris' }]]);
    expect(paths(lmStudio)).toEqual(['/v1/responses', '/v1/chat/completions']);
    // Learned: the next such request goes translated at once, and the translation offered no web search.
    const whole = await h.openai.responses.create({ model: 'qwen', input: 'weather in Paris?', tools: codexTools, store: false });
    expect(whole.output.find((item) => item.type === 'function_call')).toMatchObject({ name: 'get_weather' });
    expect(paths(lmStudio)).toEqual(['/v1/responses', '/v1/chat/completions', '/v1/chat/completions']);
    expect((lmStudio.requests.at(-1)!.body.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(['get_weather', 'apply_patch']);
    await h.openai.responses.create({ model: 'qwen', input: 'weather in Paris?', tools: [weather], store: false });
    expect(paths(lmStudio).at(-1)).toBe('/v1/responses');
  });

  it('answers through a server that speaks Responses alone, as Responses of functions', async () => {
    const whole = await h.openai.responses.create({ model: 'relayed', input: 'weather in Paris?', tools: codexTools, store: false });
    expect(whole.output.find((item) => item.type === 'function_call')).toMatchObject({ name: 'get_weather' });
    expect(paths(relay)).toEqual(['/v1/responses', '/v1/responses']);
    expect((relay.requests.at(-1)!.body.tools as { type: string }[]).map((t) => t.type)).toEqual(['function', 'function']);
  });

  it("still gives the client a refusal that is not of its tools' types", async () => {
    await lmStudio.setMode({ kind: 'status', status: 400, body: { error: { message: "Invalid 'input': empty", type: 'invalid_request_error', param: 'input', code: null } } });
    await expect(h.openai.responses.create({ model: 'small', input: 'x', tools: codexTools, store: false })).rejects.toMatchObject({ status: 400 });
    expect(paths(lmStudio)).toEqual(['/v1/responses']);
  });
});

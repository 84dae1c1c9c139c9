/**
 * A Responses server that takes function tools and nothing else (LM Studio: "Invalid discriminator
 * value. Expected 'function' | 'mcp'" at `tools.N.type`; llama.cpp: "'type' of tool must be
 * 'function'") refused every Codex request that offered its freeform `apply_patch`, its MCP
 * namespaces or web search: Codex through the gateway failed on its first prompt. llama.cpp refuses
 * a tool's output that is not text ("Output of tool call should be 'Input text'", Codex's
 * `view_image`). Such a request goes to that model translated instead, learned from the first
 * refusal; one that has none of it still goes as sent.
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
    // llama.cpp's server, as one that speaks Responses alone: the translation comes back to it as Responses of functions and text.
    { name: 'relay', kind: 'openai', baseUrl: `${relay.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['responses'] },
  ],
  deployments: [
    { name: 'qwen', provider: 'lm-studio', model: 'qwen3.6-35b-a3b' },
    { name: 'relayed', provider: 'relay', model: 'qwen3.6-35b-a3b', capabilities: ['completion', 'tools', 'vision'] },
    { name: 'small', provider: 'lm-studio', model: 'qwen3-8b' },
  ],
  routes: [],
});

beforeAll(async () => {
  [lmStudio, relay] = await Promise.all([startFakeOpenAI({ refusesOtherTools: 'lm-studio', withoutCompaction: true }), startFakeOpenAI({ refusesOtherTools: 'llama.cpp' })]);
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

  it("answers a history with an image a tool returned (Codex's view_image) where the server takes a tool's text alone", async () => {
    const input = [
      { role: 'user', content: 'look at the screenshot' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: 'Screenshot saved' }, { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=' }] },
    ] as never[];
    const answer = await h.openai.responses.create({ model: 'relayed', input, tools: [weather], store: false });
    expect(answer.status).toBe('completed');
    expect(paths(relay)).toEqual(['/v1/responses', '/v1/responses']);
    const sent = relay.requests.at(-1)!.body.input as { type?: string; output?: unknown }[];
    expect(sent.filter((item) => item.type === 'function_call_output').every((item) => typeof item.output === 'string')).toBe(true);
  });

  it("still gives the client a refusal that is not of its tools' types", async () => {
    await lmStudio.setMode({ kind: 'status', status: 400, body: { error: { message: "Invalid 'input': empty", type: 'invalid_request_error', param: 'input', code: null } } });
    await expect(h.openai.responses.create({ model: 'small', input: 'x', tools: codexTools, store: false })).rejects.toMatchObject({ status: 400 });
    expect(paths(lmStudio)).toEqual(['/v1/responses']);
  });
});

/**
 * What of a request's tools an Ollama's own Messages and Responses APIs leave out. Both leave out
 * `tool_choice` (its `anthropic` package reads it and never uses it; its Responses request has no
 * such field), so its model was offered every tool and could call one the client had said not to.
 * Such a request goes to Ollama's chat API translated, offered no tools for `none` and only those
 * named otherwise; one that names no narrower choice goes as sent. Its Messages API makes Anthropic's
 * own tools (`bash`, `text_editor`: schemas only Anthropic's servers know) functions of no
 * parameters: a request offering them goes translated too, which leaves them out.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer, h: Harness, claude: Anthropic;
const config = () => ({
  version: 1,
  providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url, apis: ['messages', 'responses'] }],
  deployments: [{ name: 'gemma', provider: 'local', model: 'gemma3:12b' }],
  routes: [],
});

beforeAll(async () => {
  ollama = await startFakeOllama({ version: '0.14.0', models: ['gemma3:12b'] });
  h = await startGateway(config());
  claude = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
});
afterAll(() => stopAll(h, ollama));
beforeEach(() => resetBetweenTests(h, [ollama], config()));

const parameters = { type: 'object' as const, properties: { city: { type: 'string' } } };
/** Where the request went, and the names of the tools it offered there. */
const offered = () => {
  const sent = ollama.requests.filter((r) => r.method === 'POST').at(-1)!;
  const tools = (sent.body.tools ?? []) as { name?: string; function?: { name?: string } }[];
  return { path: sent.path, tools: tools.map((t) => t.function?.name ?? t.name) };
};

describe("a Messages request's tool_choice, on an Ollama that speaks Messages", () => {
  const tools = [
    { name: 'weather', input_schema: parameters },
    { name: 'time', input_schema: parameters },
  ];
  const ask = (tool_choice?: Anthropic.ToolChoice) => claude.messages.create({ model: 'gemma', max_tokens: 100, tools, ...(tool_choice ? { tool_choice } : {}), messages: [{ role: 'user', content: 'weather in paris' }] });

  it('offers no tools for none, and only the one named for tool, through its chat API', async () => {
    expect((await ask({ type: 'none' })).content).toEqual([{ type: 'text', text: 'Echo: weather in paris' }]);
    expect(offered()).toEqual({ path: '/api/chat', tools: [] });
    await ask({ type: 'tool', name: 'time' });
    expect(offered()).toEqual({ path: '/api/chat', tools: ['time'] });
  });

  it("leaves Anthropic's own tools out through its chat API, which its Messages API would offer with no parameters", async () => {
    await claude.messages.create({ model: 'gemma', max_tokens: 100, tools: [...tools, { type: 'bash_20250124', name: 'bash' }], messages: [{ role: 'user', content: 'weather in paris' }] });
    expect(offered()).toEqual({ path: '/api/chat', tools: ['weather', 'time'] });
  });

  it('goes as sent where the choice narrows nothing', async () => {
    await ask();
    expect(offered()).toEqual({ path: '/v1/messages', tools: ['weather', 'time'] });
    await ask({ type: 'any' });
    expect(offered()).toEqual({ path: '/v1/messages', tools: ['weather', 'time'] });
  });
});

describe("a Responses request's tool_choice, on an Ollama that speaks Responses", () => {
  const tools = [
    { type: 'function' as const, name: 'weather', parameters, strict: false },
    { type: 'function' as const, name: 'time', parameters, strict: false },
  ];
  const ask = (tool_choice?: Parameters<typeof h.openai.responses.create>[0]['tool_choice']) => h.openai.responses.create({ model: 'gemma', tools, ...(tool_choice ? { tool_choice } : {}), input: 'weather in paris' });

  it('offers no tools for none, and only those named or allowed otherwise, through its chat API', async () => {
    expect((await ask('none')).output_text).toBe('Echo: weather in paris');
    expect(offered()).toEqual({ path: '/api/chat', tools: [] });
    await ask({ type: 'function', name: 'time' });
    expect(offered()).toEqual({ path: '/api/chat', tools: ['time'] });
    await ask({ type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'weather' }] });
    expect(offered()).toEqual({ path: '/api/chat', tools: ['weather'] });
  });

  it('goes as sent where the choice narrows nothing', async () => {
    await ask();
    expect(offered()).toEqual({ path: '/v1/responses', tools: ['weather', 'time'] });
    await ask('required');
    expect(offered()).toEqual({ path: '/v1/responses', tools: ['weather', 'time'] });
  });
});

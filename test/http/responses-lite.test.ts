/**
 * Codex from 0.150 ("responses lite"): no top-level `instructions` or `tools`; its tools come in an
 * `additional_tools` input item, grouped in a namespace, and each call names its namespace. OpenAI
 * gets the request as sent; a chat-only server and an Ollama get the tools as flat functions, and
 * their calls go back to Codex under the namespace and name it offered. Before, every such request
 * to a local model was refused ("input item type additional_tools"). Codex keeps MCP tools back
 * until the model searches for them (a tool search it runs itself): a local model gets the search as
 * a function, and the tools a search loaded. A web search OpenAI ran earlier in the session no
 * longer stops it from moving to a local model.
 */
import type { Response } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';

let ollama: FakeServer, openai: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    // An Ollama that serves /v1/responses: still no namespaces there, so the request is translated.
    { name: 'local', kind: 'ollama', baseUrl: ollama.url, apis: ['responses'] },
    { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
    { name: 'compat', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'qwen', provider: 'local', model: 'qwen3-coder:30b' },
    { name: 'gpt', provider: 'openai', model: 'gpt-5.6' },
    { name: 'mini', provider: 'compat', model: 'gpt-4.1-mini' },
  ],
  routes: [],
});

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama({ version: '0.13.5', models: ['qwen3-coder:30b'] }), startFakeOpenAI()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(() => resetBetweenTests(h, [ollama, openai], config()));

const city = { type: 'object', properties: { city: { type: 'string' } } };
const toolsItem = {
  type: 'additional_tools',
  role: 'developer',
  tools: [
    {
      type: 'namespace',
      name: 'functions',
      description: 'Local tools',
      tools: [
        { type: 'function', name: 'weather', description: 'Weather in a city', parameters: city, strict: false },
        { type: 'custom', name: 'exec', description: 'Runs a script', format: { type: 'text' } },
      ],
    },
  ],
};
const liteRequest = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  store: false,
  input: [toolsItem, { type: 'message', role: 'developer', content: 'You are Codex.' }, { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'call it' }] }],
  ...extra,
});
const post = (body: Record<string, unknown>) => fetch(`${h.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const calls = (response: Response) => response.output.filter((item) => item.type === 'function_call').map((item) => ({ namespace: (item as { namespace?: string }).namespace, name: item.name, arguments: item.arguments }));

describe("Codex's tools in an additional_tools item", () => {
  it('reach a chat-only server as flat functions, and its call comes back under the namespace, whole and streamed', async () => {
    const res = await post(liteRequest('mini'));
    expect(res.status).toBe(200);
    const response = (await res.json()) as Response;
    assertMatchesSpec('openai', 'Response', response);
    expect(calls(response)).toEqual([{ namespace: 'functions', name: 'weather', arguments: '{"city":"Paris"}' }]);
    const sent = openai.requests.at(-1)!.body;
    expect(sent.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['functions__weather', 'functions__exec']);
    expect(sent.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);

    const streamed = await h.openai.responses.stream(liteRequest('mini') as never).finalResponse();
    expect(calls(streamed)).toEqual([{ namespace: 'functions', name: 'weather', arguments: '{"city":"Paris"}' }]);
  });

  it('carries a namespaced call and its output in the history, and a namespaced tool choice', async () => {
    const history = [
      ...liteRequest('mini').input,
      { type: 'function_call', call_id: 'call_1', namespace: 'functions', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
    ];
    const res = await post({ ...liteRequest('mini'), input: history, tool_choice: { type: 'function', namespace: 'functions', name: 'weather' } });
    const response = (await res.json()) as Response;
    expect(response.output_text ?? response.output.flatMap((i) => (i.type === 'message' ? i.content.map((c) => (c.type === 'output_text' ? c.text : '')) : [])).join('')).toBe('The tool said: sunny');
    const sent = openai.requests.at(-1)!.body;
    expect(sent.messages[2].tool_calls[0].function.name).toBe('functions__weather');
    expect(sent.tool_choice).toEqual({ type: 'function', function: { name: 'functions__weather' } });
  });

  it('narrows a chat model to allowed tools named under their namespace (hosted tools among them left out)', async () => {
    const choice = { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', namespace: 'functions', name: 'exec' }, { type: 'mcp', server_label: 'docs' }] };
    const res = await post({ ...liteRequest('mini'), tool_choice: choice });
    expect(res.status).toBe(200);
    const sent = openai.requests.at(-1)!.body;
    assertMatchesSpec('openai', 'CreateChatCompletionRequest', sent);
    expect(sent.tool_choice).toEqual({ type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'functions__exec' } }] } });
    expect(sent.tools).toHaveLength(2);
  });

  it("reach an Ollama translated (its Responses API has no namespaces), and OpenAI as sent", async () => {
    const local = (await post(liteRequest('qwen')).then((r) => r.json())) as Response;
    expect(calls(local)).toEqual([{ namespace: 'functions', name: 'weather', arguments: '{"city":"Paris"}' }]);
    expect(ollama.requests.map((r) => r.path)).toEqual(['/api/chat']);
    expect(ollama.requests[0]!.body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['functions__weather', 'functions__exec']);

    const cloud = (await post(liteRequest('gpt')).then((r) => r.json())) as Response;
    expect(openai.requests.at(-1)).toMatchObject({ path: '/v1/responses', body: { input: [toolsItem, expect.anything(), expect.anything()] } });
    expect(calls(cloud)).toEqual([{ namespace: 'functions', name: 'weather', arguments: '{"city":"Paris"}' }]);
  });

  it('gives a call to a namespaced custom tool back as a custom tool call', async () => {
    const onlyExec = { ...toolsItem, tools: [{ ...toolsItem.tools[0], tools: [toolsItem.tools[0]!.tools[1]] }] };
    const response = (await post({ ...liteRequest('mini'), input: [onlyExec, { type: 'message', role: 'user', content: 'call it' }] }).then((r) => r.json())) as Response;
    assertMatchesSpec('openai', 'Response', response);
    expect(response.output.find((item) => item.type === 'custom_tool_call')).toMatchObject({ namespace: 'functions', name: 'exec' });
  });
});

describe("Codex's own tool search", () => {
  const search = { type: 'tool_search', execution: 'client', description: 'Find the tools you need', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } };

  it('is a function to a chat model, and a call to it goes back as a tool search call, whole and streamed', async () => {
    const request = { model: 'mini', store: false, tools: [search], input: [{ type: 'message', role: 'user', content: 'find a weather tool' }] };
    const response = (await post(request).then((r) => r.json())) as Response;
    assertMatchesSpec('openai', 'Response', response);
    expect(response.output).toEqual([expect.objectContaining({ type: 'tool_search_call', execution: 'client', call_id: expect.any(String), arguments: { city: 'Paris' } })]);
    expect(openai.requests.at(-1)!.body.tools).toEqual([{ type: 'function', function: { name: 'tool_search', description: 'Find the tools you need', parameters: search.parameters } }]);
    const streamed = await h.openai.responses.stream({ ...request, stream: true } as never).finalResponse();
    expect(streamed.output.map((item) => item.type)).toEqual(['tool_search_call']);
    const sse = await post({ ...request, stream: true }).then((r) => r.text());
    for (const event of sse.trim().split('\n\n')) assertMatchesSpec('openai', 'ResponseStreamEvent', JSON.parse(event.split('\n')[1]!.slice(6)));
  });

  it('offers the tools a search loaded, with the search and its output in the history', async () => {
    const weather = { type: 'function', name: 'weather', description: 'Weather in a city', parameters: city, defer_loading: true };
    const input = [
      { type: 'message', role: 'user', content: 'find a weather tool' },
      { type: 'tool_search_call', call_id: 'ts_1', execution: 'client', arguments: { query: 'weather' }, status: 'completed' },
      { type: 'tool_search_output', call_id: 'ts_1', execution: 'client', tools: [weather], status: 'completed' },
    ];
    const response = (await post({ model: 'mini', store: false, tools: [search], input }).then((r) => r.json())) as Response;
    expect(response.output.flatMap((i) => (i.type === 'message' ? i.content.map((c) => (c.type === 'output_text' ? c.text : '')) : []))).toEqual(['The tool said: Tools loaded: weather']);
    const sent = openai.requests.at(-1)!.body;
    expect(sent.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['tool_search', 'weather']);
    expect(sent.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'ts_1', type: 'function', function: { name: 'tool_search', arguments: '{"query":"weather"}' } }] },
      { role: 'tool', tool_call_id: 'ts_1', content: 'Tools loaded: weather' },
    ]);
  });
});

describe("a session that used OpenAI's web search", () => {
  it('goes on on a chat model, the search left out of the history', async () => {
    const input = [
      { type: 'message', role: 'user', content: 'what is new in node 24' },
      { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'node 24 release notes' } },
      { type: 'message', role: 'assistant', id: 'msg_1', status: 'completed', content: [{ type: 'output_text', text: 'Node 24 ships npm 11.', annotations: [] }] },
      { type: 'message', role: 'user', content: 'and npm?' },
    ];
    const res = await post({ model: 'mini', store: false, tools: [{ type: 'web_search' }], input });
    expect(res.status).toBe(200);
    expect(openai.requests.at(-1)!.body.messages).toEqual([
      { role: 'user', content: 'what is new in node 24' },
      { role: 'assistant', content: 'Node 24 ships npm 11.' },
      { role: 'user', content: 'and npm?' },
    ]);
  });
});

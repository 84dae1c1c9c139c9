/**
 * Claude Code's tool search through the gateway. With it on (`ENABLE_TOOL_SEARCH`; some versions
 * turn it on for custom base URLs by themselves) its MCP tools come with `defer_loading: true` beside its own
 * `ToolSearch` tool, and a search answers with `tool_reference` blocks. Anthropic shows the model a
 * deferred tool only once a reference loaded it. Before, a translated model was offered every tool
 * at once (hundreds of MCP tools, past a local model's window) and got an empty search result; a
 * server passed the request through that does not defer tools either refused every turn or did the same.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let openai: FakeServer, ollama: FakeServer, anthropic: FakeServer, relay: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat'] },
    { name: 'local', kind: 'ollama', baseUrl: ollama.url, apis: ['messages'] },
    { name: 'anthropic', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
    // A relay that serves Claude models behind a strict Messages API of its own, without deferral.
    { name: 'relay', kind: 'anthropic', baseUrl: relay.url, apiKey: 'env:TEST_KEY' },
    { name: 'kimi', kind: 'anthropic', baseUrl: relay.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
    { name: 'sonnet', provider: 'anthropic', model: 'claude-sonnet-4-5' },
    { name: 'relayed', provider: 'relay', model: 'claude-sonnet-4-5' },
    { name: 'k2', provider: 'kimi', model: 'kimi-k2.6' },
  ],
  routes: [],
});

beforeAll(async () => {
  [openai, ollama, anthropic, relay] = await Promise.all([startFakeOpenAI(), startFakeOllama({ models: ['qwen3:8b'], version: '0.14.0' }), startFakeAnthropic(), startFakeAnthropic({ strictFields: true })]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, openai, ollama, anthropic, relay));
beforeEach(() => resetBetweenTests(h, [openai, ollama, anthropic, relay], config()));

const schema = { type: 'object', properties: { query: { type: 'string' } } };
const tools = [
  { name: 'Bash', description: 'Run a command', input_schema: schema },
  { name: 'ToolSearch', description: 'Search the deferred tools', input_schema: schema },
  { name: 'mcp__github__create_issue', description: 'Open an issue', input_schema: schema, defer_loading: true },
  { name: 'mcp__slack__post', description: 'Post to Slack', input_schema: schema, defer_loading: true },
];
const searched = [
  { role: 'user', content: 'open an issue about the flaky test' },
  { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'ToolSearch', input: { query: 'github issue' } }] },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: [{ type: 'tool_reference', tool_name: 'mcp__github__create_issue' }] }] },
];
const turn = (model: string, messages: unknown[]) => ({ model, max_tokens: 200, tools, messages });
const client = () => new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
const names = (list: { name?: string; function?: { name: string } }[] | undefined) => (list ?? []).map((t) => t.function?.name ?? t.name);

describe('a model behind a translation', () => {
  it('is shown the tools not deferred, then each one a search loaded, and reads the search result', async () => {
    await client().messages.create(turn('mini', [searched[0]]) as never);
    expect(names(openai.requests[0]!.body.tools)).toEqual(['Bash', 'ToolSearch']);

    const message = await client().messages.create(turn('mini', searched) as never);
    const sent = openai.requests[1]!.body;
    expect(names(sent.tools)).toEqual(['Bash', 'ToolSearch', 'mcp__github__create_issue']);
    expect(sent.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'toolu_01', content: 'Tool available: mcp__github__create_issue' });
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'The tool said: Tool available: mcp__github__create_issue' })]);
  });

  it("shows every tool where the only search is Anthropic's own, which no other server runs", async () => {
    const withServerSearch = [{ type: 'tool_search_tool_regex_20251119', name: 'tool_search_tool_regex' }, ...tools];
    await client().messages.create({ ...turn('mini', [searched[0]]), tools: withServerSearch } as never);
    expect(names(openai.requests[0]!.body.tools)).toEqual(['Bash', 'ToolSearch', 'mcp__github__create_issue', 'mcp__slack__post']);
  });
});

describe('a server the request passes through to', () => {
  it('gets the deferral resolved when it serves other models than Claude (Ollama, an Anthropic-compatible API)', async () => {
    await client().messages.create(turn('qwen', searched) as never);
    await client().messages.create(turn('k2', searched) as never);
    for (const sent of [ollama.requests.find((r) => r.path === '/v1/messages')!.body, relay.requests[0]!.body]) {
      expect(sent.tools).toEqual([tools[0], tools[1], { name: 'mcp__github__create_issue', description: 'Open an issue', input_schema: schema }]);
      expect(sent.messages.at(-1).content).toEqual([{ type: 'tool_result', tool_use_id: 'toolu_01', content: [{ type: 'text', text: 'Tool available: mcp__github__create_issue' }] }]);
    }
    // The strict server took it at once: nothing it would refuse was sent.
    expect(relay.requests).toHaveLength(1);
  });

  it('gets it as sent when it is Anthropic', async () => {
    await client().messages.create(turn('sonnet', searched) as never);
    expect(anthropic.requests[0]!.body.tools).toEqual(tools);
    expect(anthropic.requests[0]!.body.messages).toEqual(searched);
  });

  it('gets it resolved for a Claude model, learned from the refusal, when it does not defer', async () => {
    const message = await client().messages.create(turn('relayed', searched) as never);
    expect(message.content[0]).toMatchObject({ type: 'text' });
    expect(relay.requests).toHaveLength(2);
    expect(relay.requests[1]!.body.tools.map((t: { name: string }) => t.name)).toEqual(['Bash', 'ToolSearch', 'mcp__github__create_issue']);

    // The next turn goes resolved at once.
    await client().messages.create(turn('relayed', searched) as never);
    expect(relay.requests).toHaveLength(3);
  });
});

describe('routing', () => {
  it('sizes a request by the tools its model is shown: 250 deferred MCP tools do not pass over a local model', async () => {
    h.gateway.applyConfig({ ...config(), deployments: config().deployments.map((d) => (d.name === 'qwen' ? { ...d, options: { num_ctx: 16_384 } } : d)), routes: [{ name: 'claude-code', deployments: ['qwen', 'mini'] }] }, 'test');
    const description = 'Create, update, list or close an item in the connected service, with every field it takes. '.repeat(8);
    const mcp = Array.from({ length: 250 }, (_, i) => ({ name: `mcp__server${i % 10}__tool_${i}`, description, input_schema: schema, defer_loading: true }));
    const route = async (list: unknown[]) => {
      const { response } = await client().messages.create({ model: 'claude-code', max_tokens: 200, tools: list, messages: [searched[0]] } as never).withResponse();
      return response.headers.get('x-switchyard-route');
    };
    expect(await route([...tools.slice(0, 2), ...mcp])).toBe('qwen:ok');
    // Shown at once (without tool search) they are past its window.
    expect(await route([...tools.slice(0, 2), ...mcp.map(({ defer_loading: _deferred, ...tool }) => tool)])).toBe('qwen:skip(context-too-small) mini:ok');
  });
});

describe('token counting', () => {
  it('counts the tools a translated model is shown, not those still deferred', async () => {
    const count = (list: unknown[]) => client().messages.countTokens({ model: 'mini', tools: list, messages: [searched[0]] } as never).then((r) => r.input_tokens);
    const shown = await count(tools.slice(0, 2));
    expect(await count(tools)).toBe(shown);
    expect(await count(tools.map(({ defer_loading: _deferred, ...tool }) => tool))).toBeGreaterThan(shown);
  });
});

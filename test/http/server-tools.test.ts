/**
 * Anthropic's own tools in a Messages request that a route would translate to chat. Claude Code's
 * WebSearch sends a request whose only tool is `web_search_20250305`, which Anthropic's servers
 * run; translated, the tool was dropped and the model answered with search results it made up,
 * which Claude Code then passed on as found. Such a request now goes to a deployment that speaks
 * Messages, or is refused naming the tool. Beside tools the client defines, Anthropic's are left
 * out as before: the model answers with the client's tools.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer, anthropic: FakeServer, h: Harness, client: Anthropic;
const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
  ],
  routes: [{ name: 'local-first', deployments: ['llama', 'sonnet'] }],
});

beforeAll(async () => {
  [ollama, anthropic] = await Promise.all([startFakeOllama(), startFakeAnthropic()]);
  h = await startGateway(config());
  client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
});
afterAll(() => stopAll(h, ollama, anthropic));
beforeEach(() => resetBetweenTests(h, [ollama, anthropic], config()));

// As Claude Code's WebSearch asks.
const search = (model: string) =>
  client.messages.create({
    model,
    max_tokens: 100,
    messages: [{ role: 'user', content: 'Perform a web search for the query: ollama 0.15 release notes' }],
    tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 8 }],
  });

describe("Anthropic's own tools", () => {
  it('sends a request that offers only a server tool to a deployment that speaks Messages, the tool with it', async () => {
    const message = await search('local-first');
    expect(message.model).toBe('claude-sonnet-4-5');
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
    expect(anthropic.requests.at(-1)!.body.tools).toEqual([{ type: 'web_search_20250305', name: 'web_search', max_uses: 8 }]);
  });

  it('refuses it by name, streamed too, where no deployment of the route speaks Messages', async () => {
    for (const stream of [false, true]) {
      const asked = stream ? client.messages.stream({ model: 'llama', max_tokens: 100, messages: [{ role: 'user', content: 'search' }], tools: [{ type: 'web_search_20250305', name: 'web_search' }] }).finalMessage() : search('llama');
      const refused = (await asked.catch((error: unknown) => error)) as InstanceType<typeof Anthropic.APIError>;
      expect(refused).toBeInstanceOf(Anthropic.APIError);
      const error = (refused.error as { error: { type: string; message: string } }).error;
      expect([refused.status, error.type]).toEqual([400, 'invalid_request_error']);
      expect(error.message).toBe(`tools[0] is Anthropic's "web_search_20250305" tool, which only Anthropic's API runs or defines: a request that offers no other tool can only go to a deployment that speaks the Messages API, and no deployment of "llama" does`);
    }
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
    expect(h.gateway.usage.list({}, { limit: 1 }).rows[0]).toMatchObject({ status: 400, errorClass: 'needs_native_api' });
  });

  it("sends a request that names MCP servers for Anthropic's connector to a deployment that speaks Messages, and refuses it by name where none does", async () => {
    const servers = [{ type: 'url', url: 'https://mcp.example.com/sse', name: 'tickets' }];
    const asked = (model: string) => client.beta.messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content: 'list my open tickets' }], mcp_servers: servers as never, betas: ['mcp-client-2025-04-04'] });
    expect((await asked('local-first')).model).toBe('claude-sonnet-4-5');
    expect(anthropic.requests.at(-1)!.body.mcp_servers).toEqual(servers);
    const refused = (await asked('llama').catch((error: unknown) => error)) as InstanceType<typeof Anthropic.APIError>;
    expect(refused.status).toBe(400);
    expect((refused.error as { error: { message: string } }).error.message).toBe(`mcp_servers names MCP servers that Anthropic's API connects to (its MCP connector): a request that uses them can only go to a deployment that speaks the Messages API, and no deployment of "llama" does`);
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
  });

  it('leaves them out beside tools the client defines, and the model answers with those', async () => {
    await client.messages.create({
      model: 'llama',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'what is the weather?' }],
      tools: [
        { type: 'web_search_20250305', name: 'web_search' },
        { name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
    });
    const sent = ollama.requests.find((r) => r.path === '/api/chat')!.body;
    expect(sent.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['get_weather']);
    expect(anthropic.requests).toHaveLength(0);
  });
});

describe("OpenAI's hosted tools", () => {
  // A chat app that offers its web search with every turn (as Codex does beside its own tools) keeps
  // working on a local model: the Responses front door leaves hosted tools out even alone.
  it('are left out of a translation, alone or beside the client\'s own tools', async () => {
    const responses = new OpenAI({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 }).responses;
    const shell = { type: 'function' as const, name: 'shell', parameters: { type: 'object', properties: { command: { type: 'string' } } }, strict: false };
    for (const tools of [[{ type: 'web_search' as const }], [{ type: 'web_search' as const }, shell]]) {
      const answer = await responses.create({ model: 'llama', input: 'list the files', tools });
      expect(answer.status).toBe('completed');
      const sent = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body;
      expect((sent.tools ?? []).map((t: { function: { name: string } }) => t.function.name)).toEqual(tools.length > 1 ? ['shell'] : []);
    }
  });
});

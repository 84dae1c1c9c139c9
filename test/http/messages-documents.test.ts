/**
 * Documents and search results in a Messages request translated to another API: Claude Code's and
 * MCP servers' tools return them inside tool results (a text file as a document, a search tool's
 * results), and a client may attach a text document to its turn. They were left out of the
 * translation without a word, so the model answered without what the tool had found. Text goes as
 * text under its title; a document only a Messages API reads (a PDF), or an image it holds by
 * `file_id`, goes to a deployment that speaks it, or is refused by name, never dropped. So for
 * Ollama's own Messages API, which drops every block it does not know (documents, search results),
 * and leaves out MCP servers and a structured output's schema.
 */
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { useMessagesUpstreams } from '../support/messages-upstreams';

const up = useMessagesUpstreams([{ name: 'local-first', deployments: ['qwen', 'sonnet'] }, { name: 'ollama-first', deployments: ['gemma', 'sonnet'] }]);

const pdf = { type: 'document' as const, source: { type: 'base64' as const, media_type: 'application/pdf' as const, data: Buffer.from('%PDF-1.7 fake').toString('base64') } };
const turns = (results: Anthropic.ToolResultBlockParam['content'], then: Anthropic.ContentBlockParam[] = [{ type: 'text', text: 'what did it find?' }]): Anthropic.MessageParam[] => [
  { role: 'user', content: 'look it up' },
  { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'search', input: { q: 'switchyard' } }] },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: results }, ...then] },
];

describe('a Messages request translated to chat', () => {
  it("gives the model a tool's documents and search results as text, under their titles", async () => {
    await up.client.messages.create({
      model: 'qwen',
      max_tokens: 100,
      messages: turns([
        { type: 'text', text: 'Two things found.' },
        { type: 'document', title: 'notes.txt', source: { type: 'text', media_type: 'text/plain', data: 'The gateway listens on 7788.' } },
        { type: 'search_result', source: 'https://example.com/docs', title: 'Docs', content: [{ type: 'text', text: 'Routes fall back in order.' }] },
      ], [{ type: 'document', title: 'brief', source: { type: 'content', content: [{ type: 'text', text: 'Answer in one line.' }] } }, { type: 'text', text: 'what did it find?' }]),
    });
    const sent = up.openai.requests.at(-1)!.body.messages as { role: string; content: string }[];
    expect(sent.find((m) => m.role === 'tool')?.content).toBe('Two things found.\nnotes.txt\n\nThe gateway listens on 7788.\nDocs (https://example.com/docs)\n\nRoutes fall back in order.');
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'brief\n\nAnswer in one line.\nwhat did it find?' });
  });

  it('sends a PDF a tool returned to a deployment that reads Messages, and refuses it by name where none does', async () => {
    const message = await up.client.messages.create({ model: 'local-first', max_tokens: 100, messages: turns([pdf]) });
    expect(message.model).toBe('claude-sonnet-4-5');
    expect(up.openai.requests).toHaveLength(0);
    expect(JSON.stringify(up.anthropic.requests.at(-1)!.body.messages)).toContain('application/pdf');

    const refused = await up.client.messages.create({ model: 'qwen', max_tokens: 100, messages: turns([pdf]) }).catch((error: unknown) => error as InstanceType<typeof Anthropic.APIError>);
    expect(refused).toBeInstanceOf(Anthropic.APIError);
    expect((refused as InstanceType<typeof Anthropic.APIError>).status).toBe(400);
    expect((refused as InstanceType<typeof Anthropic.APIError>).message).toContain('messages[2].content[0].content[0] is a document that is not text');
    expect(up.openai.requests).toHaveLength(0);
  });

  it("sends an image uploaded through Anthropic's Files API to a deployment that reads Messages, and refuses it by name where none does", async () => {
    // A local model that reads images, first: it cannot read this one.
    const base = up.config();
    up.h.gateway.applyConfig({ ...base, deployments: [...base.deployments, { name: 'vision', provider: 'vllm', model: 'local-vision-model' }], routes: [{ name: 'local-first', deployments: ['vision', 'sonnet'] }] }, 'test');
    const uploaded: Anthropic.MessageParam[] = [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' } } as never, { type: 'text', text: 'what is in it?' }] }];
    expect((await up.client.messages.create({ model: 'local-first', max_tokens: 100, messages: uploaded })).model).toBe('claude-sonnet-4-5');
    expect(JSON.stringify(up.anthropic.requests.at(-1)!.body.messages)).toContain('file_011CNha8iCJcU1wXNR6q4V8w');
    const refused = (await up.client.messages.create({ model: 'vision', max_tokens: 100, messages: uploaded }).catch((error: unknown) => error)) as InstanceType<typeof Anthropic.APIError>;
    expect(refused.status).toBe(400);
    expect((refused.error as { error: { message: string } }).error.message).toBe('messages[0].content[0] is an image by file_id: it can only go to a deployment that speaks the Messages API, and no deployment of "vision" does');
    expect(up.openai.requests).toHaveLength(0);
  });
});

describe("a Messages request passed through to Ollama's Messages API", () => {
  const found = [
    { type: 'text' as const, text: 'Two things found.' },
    { type: 'document' as const, title: 'notes.txt', source: { type: 'text' as const, media_type: 'text/plain' as const, data: 'The gateway listens on 7788.' } },
    { type: 'search_result' as const, source: 'https://example.com/docs', title: 'Docs', content: [{ type: 'text' as const, text: 'Routes fall back in order.' }] },
  ];
  const sentToOllama = () => up.ollama.requests.filter((r) => r.path === '/v1/messages').at(-1)?.body.messages;

  it('gives the model its documents and search results as text blocks, which Ollama reads, in a turn and in a tool result', async () => {
    const attached = { type: 'document' as const, title: 'brief', source: { type: 'content' as const, content: [{ type: 'text' as const, text: 'Answer in one line.' }] } };
    await up.client.messages.create({ model: 'gemma', max_tokens: 100, messages: turns(found, [attached, { type: 'text', text: 'what did it find?' }]) });
    const last = sentToOllama().at(-1);
    // Ollama joins a turn's (and a tool result's) text blocks with nothing between: each but the last ends with a line break.
    expect(last.content[0].content).toEqual([{ type: 'text', text: 'Two things found.\n' }, { type: 'text', text: 'notes.txt\n\nThe gateway listens on 7788.\n' }, { type: 'text', text: 'Docs (https://example.com/docs)\n\nRoutes fall back in order.' }]);
    expect(last.content.slice(1)).toEqual([{ type: 'text', text: 'brief\n\nAnswer in one line.\n' }, { type: 'text', text: 'what did it find?' }]);
    // A request without any goes as it came.
    await up.client.messages.create({ model: 'gemma', max_tokens: 100, messages: turns([found[0]!]) });
    expect(sentToOllama()).toEqual(turns([found[0]!]));
  });

  it('sends a PDF past Ollama to a deployment that reads it, and refuses it by name where none does', async () => {
    const message = await up.client.messages.create({ model: 'ollama-first', max_tokens: 100, messages: turns([pdf]) });
    expect(message.model).toBe('claude-sonnet-4-5');
    expect(sentToOllama()).toBeUndefined();
    const refused = (await up.client.messages.create({ model: 'gemma', max_tokens: 100, messages: turns([pdf]) }).catch((error: unknown) => error)) as InstanceType<typeof Anthropic.APIError>;
    expect(refused.status).toBe(400);
    expect((refused.error as { error: { message: string } }).error.message).toBe(`messages[2].content[0].content[0] is a document that is not text (a PDF, a file or a URL): it can only go to Anthropic's own API, and no deployment of "gemma" does`);
    expect(sentToOllama()).toBeUndefined();
  });

  it('sends an image by URL past Ollama, which fetches nothing and refuses it, and a base64 one to Ollama', async () => {
    const image = (source: object): Anthropic.MessageParam[] => [{ role: 'user', content: [{ type: 'image', source } as never, { type: 'text', text: 'what is in it?' }] }];
    const byUrl = image({ type: 'url', url: 'https://example.com/cat.png' });
    expect((await up.client.messages.create({ model: 'ollama-first', max_tokens: 100, messages: byUrl })).model).toBe('claude-sonnet-4-5');
    expect(sentToOllama()).toBeUndefined();
    const refused = (await up.client.messages.create({ model: 'gemma', max_tokens: 100, messages: byUrl }).catch((error: unknown) => error)) as InstanceType<typeof Anthropic.APIError>;
    expect(refused.status).toBe(400);
    expect((refused.error as { error: { message: string } }).error.message).toBe(`messages[0].content[0] is an image by URL, which Ollama's Messages API does not read (it decodes base64 and fetches nothing): it can only go to a deployment that reads images by URL, and no deployment of "gemma" does`);
    const inline = image({ type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' });
    expect((await up.client.messages.create({ model: 'ollama-first', max_tokens: 100, messages: inline })).model).toBe('gemma3:12b');
    expect(sentToOllama()).toEqual(inline);
  });

  it("sends a request naming MCP servers for Anthropic's connector past Ollama, which would leave their tools out", async () => {
    const servers = [{ type: 'url', url: 'https://mcp.example.com/sse', name: 'tickets' }];
    const asked = (model: string) => up.client.beta.messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content: 'list my open tickets' }], mcp_servers: servers as never, betas: ['mcp-client-2025-04-04'] });
    expect((await asked('ollama-first')).model).toBe('claude-sonnet-4-5');
    const refused = (await asked('gemma').catch((error: unknown) => error)) as InstanceType<typeof Anthropic.APIError>;
    expect(refused.status).toBe(400);
    expect((refused.error as { error: { message: string } }).error.message).toBe(`mcp_servers names MCP servers that Anthropic's API connects to (its MCP connector), which Ollama's Messages API leaves out: a request that uses them can only go to Anthropic's own API, and no deployment of "gemma" does`);
    expect(sentToOllama()).toBeUndefined();
  });

  it("keeps a structured output's schema, which Ollama's Messages API leaves out, by going to Ollama's own chat API with it as the format", async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    await up.client.messages.create({ model: 'gemma', max_tokens: 100, messages: [{ role: 'user', content: 'where is the Louvre?' }], output_config: { format: { type: 'json_schema', schema } } } as never);
    expect(sentToOllama()).toBeUndefined();
    expect(up.ollama.requests.find((r) => r.path === '/api/chat')?.body).toMatchObject({ model: 'gemma3:12b', format: schema });
  });
});

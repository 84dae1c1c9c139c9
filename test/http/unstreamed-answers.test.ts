/**
 * A server that answers a stream request whole, as JSON: a company's OpenAI proxy that does not
 * stream, a server with streaming off. The answer is streamed on to every client API as its own
 * stream (calls included), and the usage it reports is logged; only JSON that is no chat completion
 * is a failure of the deployment. The gateway failed every such answer ("answered a stream request
 * with content type application/json"), so a streaming client never got one.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let proxy: FakeServer, spare: FakeServer, h: Harness;

beforeAll(async () => {
  [proxy, spare] = await Promise.all([startFakeOpenAI({ neverStreams: true }), startFakeOpenAI()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'company-proxy', kind: 'openai', baseUrl: `${proxy.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'spare', kind: 'openai', baseUrl: `${spare.url}/v1`, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [
      { name: 'proxied', provider: 'company-proxy', model: 'gpt-4.1-mini' },
      { name: 'other', provider: 'spare', model: 'gpt-4.1-mini' },
    ],
    routes: [{ name: 'default', deployments: ['proxied', 'other'] }],
  });
});
afterAll(() => stopAll(h, proxy, spare));

const city = { type: 'object' as const, properties: { city: { type: 'string' } } };

describe('a server that answers a stream request whole', () => {
  it('streams its answer on to chat, Messages, Responses and Ollama clients, and logs its usage', async () => {
    const chunks = [];
    for await (const chunk of await h.openai.chat.completions.create({ model: 'proxied', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'one two three' }] })) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo: one two three');
    expect(chunks.at(-1)?.usage).toMatchObject({ completion_tokens: 4 });
    expect(proxy.requests.at(-1)?.body.stream).toBe(true);

    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await anthropic.messages.stream({ model: 'proxied', max_tokens: 200, messages: [{ role: 'user', content: 'one two three' }] }).finalMessage();
    expect(message.content.map((b) => (b.type === 'text' ? b.text : b.type))).toEqual(['Echo: one two three']);
    const response = await h.openai.responses.stream({ model: 'proxied', input: 'one two three' }).finalResponse();
    expect(response.output_text).toBe('Echo: one two three');
    let text = '';
    for await (const part of await h.ollama.chat({ model: 'proxied', stream: true, messages: [{ role: 'user', content: 'one two three' }] })) text += part.message.content;
    expect(text).toBe('Echo: one two three');

    const { rows } = (await h.admin('/admin/api/usage?limit=4').then((r) => r.json())) as { rows: { deployment: string; status: number; outputTokens: number }[] };
    expect(rows.map((row) => [row.deployment, row.status, row.outputTokens])).toEqual(Array(4).fill(['proxied', 200, 4]));
  });

  it('streams its calls on, each whole', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: city } }, { type: 'function' as const, function: { name: 'time', parameters: city } }];
    const streamed = await h.openai.chat.completions.stream({ model: 'proxied', messages: [{ role: 'user', content: 'call both' }], tools }).finalChatCompletion();
    expect(streamed.choices[0]?.finish_reason).toBe('tool_calls');
    expect(streamed.choices[0]?.message.tool_calls?.map((c) => (c.type === 'function' ? [c.function.name, c.function.arguments] : c.type))).toEqual([['weather', '{"city":"Paris"}'], ['time', '{"city":"Tokyo"}']]);
  });

  it('fails over when the JSON is no chat completion', async () => {
    await proxy.setMode({ kind: 'status', status: 200, body: { object: 'list', data: [] } });
    try {
      const chunks = [];
      for await (const chunk of await h.openai.chat.completions.create({ model: 'default', stream: true, messages: [{ role: 'user', content: 'one two' }] })) chunks.push(chunk);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo: one two');
      const { rows } = (await h.admin('/admin/api/usage?limit=1').then((r) => r.json())) as { rows: { deployment: string; attempts: { failure?: string; message?: string }[] }[] };
      expect(rows[0]?.deployment).toBe('other');
      expect(rows[0]?.attempts[0]).toMatchObject({ failure: 'upstream_protocol', message: expect.stringContaining('not a chat completion') });
    } finally {
      await proxy.setMode({ kind: 'healthy' });
    }
  });
});

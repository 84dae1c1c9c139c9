/**
 * Models only OpenAI's Responses API serves (its `-pro` and `-codex` models), asked for by clients of
 * every other front door: the gateway asks them through Responses and answers in the client's API.
 * Before, the chat completion's 404 ("only supported in v1/responses") counted as a missing model
 * and blocked the deployment for half an hour, for Codex's own Responses requests too.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { PREAMBLE, SECOND_THOUGHT } from '../support/responses-wire';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';

let openai: FakeServer, relay: FakeServer, phased: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
    // A relay that speaks Responses alone (as ChatGPT-account relays do).
    { name: 'relay', kind: 'openai', baseUrl: `${relay.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['responses'] },
    { name: 'phased', kind: 'openai', baseUrl: `${phased.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['responses'] },
  ],
  deployments: [
    { name: 'pro', provider: 'openai', model: 'gpt-5.5-pro' },
    { name: 'relayed', provider: 'relay', model: 'gpt-5.5' },
    { name: 'codex', provider: 'phased', model: 'gpt-5.3-codex' },
  ],
  routes: [],
});

beforeAll(async () => {
  [openai, relay, phased] = await Promise.all([startFakeOpenAI(), startFakeOpenAI({ responsesCacheWrites: 4 }), startFakeOpenAI({ speaksInPhases: true })]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, openai, relay, phased));
beforeEach(() => resetBetweenTests(h, [openai, relay, phased], config()));

const city = { type: 'object', properties: { city: { type: 'string' } } };
const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: city } }, { type: 'function' as const, function: { name: 'time', parameters: city } }];

describe('a model only the Responses API serves', () => {
  it('answers a chat client, whole and streamed, asked through Responses from the first refusal on', async () => {
    const whole = await h.openai.chat.completions.create({ model: 'pro', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'one two' }], max_tokens: 500 });
    assertMatchesSpec('openai', 'CreateChatCompletionResponse', whole);
    expect(whole.choices[0]?.message.content).toBe('Echo: one two');
    expect(whole.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
    expect(openai.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/responses']);
    expect(openai.requests[1]!.body).toMatchObject({ model: 'gpt-5.5-pro', instructions: 'Be brief.', input: [{ type: 'message', role: 'user', content: 'one two' }], max_output_tokens: 500, store: false });

    const sse = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'pro', stream: true, messages: [{ role: 'user', content: 'call both' }], tools }) }).then((r) => r.text());
    const chunks = sse.trim().split('\n\n');
    expect(chunks.pop()).toBe('data: [DONE]');
    for (const chunk of chunks) assertMatchesSpec('openai', 'CreateChatCompletionStreamResponse', JSON.parse(chunk.slice(6)));
    // Learned: no chat completion is asked for again.
    expect(openai.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/responses', '/v1/responses']);

    const streamed = await h.openai.chat.completions.stream({ model: 'pro', messages: [{ role: 'user', content: 'call both' }], tools }).finalChatCompletion();
    expect(streamed.choices[0]).toMatchObject({ finish_reason: 'tool_calls' });
    expect(streamed.choices[0]?.message.tool_calls?.map((c) => c.type === 'function' && [c.function.name, c.function.arguments])).toEqual([['weather', '{"city":"Paris"}'], ['time', '{"city":"Tokyo"}']]);
    expect(h.gateway.breakers.get('pro').snapshot(Date.now())).toMatchObject({ state: 'closed', blockedBy: null });
  });

  it('carries a tool call and its result to the next turn as Responses items', async () => {
    const answer = await h.openai.chat.completions.create({
      model: 'pro',
      tools,
      messages: [
        { role: 'user', content: 'call it' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe('The tool said: sunny');
    expect(openai.requests.at(-1)!.body.input.slice(1)).toEqual([
      { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
    ]);
  });

  it('carries a chat tool choice of allowed tools in the Responses API shape', async () => {
    await h.openai.chat.completions.create({ model: 'relayed', messages: [{ role: 'user', content: 'call both' }], tools, tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'time' } }] } } });
    const sent = relay.requests.at(-1)!.body;
    assertMatchesSpec('openai', 'CreateResponse', sent);
    expect(sent.tool_choice).toEqual({ type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'time' }] });
    expect(sent.tools.map((t: { name: string }) => t.name)).toEqual(['weather', 'time']);
  });

  it('sets a commentary preamble apart from the final answer, and one summary part from the next, whole and streamed', async () => {
    const request = { model: 'codex', messages: [{ role: 'user' as const, content: 'one two' }], reasoning_effort: 'low' as const };
    const expected = { content: `${PREAMBLE}\n\nEcho: one two`, reasoning: expect.stringMatching(new RegExp(`.\\n\\n${SECOND_THOUGHT}$`)) };
    const whole = await h.openai.chat.completions.create(request);
    const message = whole.choices[0]!.message as { content: string; reasoning_content?: string };
    expect({ content: message.content, reasoning: message.reasoning_content }).toEqual(expected);

    let content = '';
    let reasoning = '';
    for await (const chunk of await h.openai.chat.completions.create({ ...request, stream: true })) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      content += delta?.content ?? '';
      reasoning += delta?.reasoning_content ?? '';
    }
    expect({ content, reasoning }).toEqual(expected);
  });

  it("answers Claude Code in the Messages API", async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await client.messages.stream({ model: 'pro', max_tokens: 1_000, messages: [{ role: 'user', content: 'one two' }] }).finalMessage();
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Echo: one two' })]);
  });

  it("carries the prompt-cache writes it reports to Claude Code and the usage log, whole and streamed", async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const request = { model: 'relayed', max_tokens: 1_000, messages: [{ role: 'user' as const, content: 'one two' }] };
    for (const message of [await client.messages.create(request), await client.messages.stream(request).finalMessage()]) {
      // Anthropic's input_tokens are those neither read from the cache nor written to it.
      expect(message.usage).toMatchObject({ input_tokens: 8, cache_creation_input_tokens: 4, cache_read_input_tokens: 0 });
    }
    const { rows } = (await h.admin('/admin/api/usage?limit=2').then((r) => r.json())) as { rows: { cacheWriteTokens: number | null }[] };
    expect(rows.map((r) => r.cacheWriteTokens)).toEqual([4, 4]);
  });

  it('is reached through Responses at once on a provider that speaks nothing else', async () => {
    const answer = await h.openai.chat.completions.create({ model: 'relayed', messages: [{ role: 'user', content: 'one two' }] });
    expect(answer.choices[0]?.message.content).toBe('Echo: one two');
    expect(relay.requests.map((r) => r.path)).toEqual(['/v1/responses']);
  });
});

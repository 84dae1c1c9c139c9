/**
 * OpenRouter's reasoning details carried through a translation: Gemini 3 behind OpenRouter refuses a
 * tool loop's next turn unless each call's turn gives back the `reasoning_details` it came with
 * ("Gemini models require OpenRouter reasoning details to be preserved in each request"). Claude
 * Code's history (Messages) and Codex's (Responses) have no place for them, so every tool turn after
 * the first failed. They now ride with the answer as a redacted thinking block of the gateway's own,
 * joined from the stream's fragments, and go back to the server that gave them, and to no other.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DETAILS_PREFIX } from '../../gateway/wire/reasoning-details';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let openrouter: FakeServer, other: FakeServer, anthropic: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'openrouter', kind: 'openai', baseUrl: `${openrouter.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'other', kind: 'openai', baseUrl: `${other.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'gemini', provider: 'openrouter', model: 'google/gemini-3-flash-preview' },
    { name: 'mini', provider: 'other', model: 'gpt-4.1-mini' },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
  ],
  routes: [{ name: 'default', deployments: ['gemini', 'mini'] }],
});

beforeAll(async () => {
  [openrouter, other, anthropic] = await Promise.all([startFakeOpenAI({ chunkQuirk: 'openrouter-details' }), startFakeOpenAI(), startFakeAnthropic()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, openrouter, other, anthropic));
beforeEach(() => resetBetweenTests(h, [openrouter, other, anthropic], config()));

const weather = { name: 'get_weather', description: 'The weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
const assistantTurns = (requests: FakeServer['requests']) => requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => (r.body as { messages: Record<string, unknown>[] }).messages.filter((m) => m.role === 'assistant'));

describe("OpenRouter's reasoning details", () => {
  it('go back with the next turn of a Claude Code tool loop, joined, and only to OpenRouter', async () => {
    const claude = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const ask = { model: 'default', max_tokens: 200, tools: [weather], messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }] };
    const first = await claude.messages.stream(ask).finalMessage();
    const call = first.content.find((b) => b.type === 'tool_use');
    expect(call).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
    // The details ride before the call, as thinking does, in a block Claude Code keeps and sends back.
    const carrier = first.content.find((b) => b.type === 'redacted_thinking');
    expect(carrier && 'data' in carrier && carrier.data.startsWith(DETAILS_PREFIX)).toBe(true);
    expect(first.content.indexOf(carrier!)).toBeLessThan(first.content.indexOf(call!));

    const next = { ...ask, messages: [...ask.messages, { role: 'assistant' as const, content: first.content }, { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: call!.type === 'tool_use' ? call!.id : '', content: 'Sunny, 21 C' }] }] };
    const second = await claude.messages.stream(next).finalMessage();
    expect(second.content.filter((b) => b.type !== 'redacted_thinking')).toEqual([expect.objectContaining({ type: 'text', text: 'The tool said: Sunny, 21 C' })]);
    const [, turns] = assistantTurns(openrouter.requests);
    expect(turns![0]).toMatchObject({ reasoning_details: [{ type: 'reasoning.text', text: 'Let me check that.', index: 0 }, { type: 'reasoning.encrypted', data: expect.stringContaining('gemini-signature-for-') }] });
    expect(JSON.stringify(turns)).not.toContain(DETAILS_PREFIX);

    // OpenRouter down: the same history goes to the other server without them, or the gateway's carrier.
    await openrouter.setMode({ kind: 'status', status: 503 });
    const fellBack = await claude.messages.create(next).withResponse();
    expect(fellBack.response.headers.get('x-switchyard-route')).toBe('gemini:fail(upstream-5xx) mini:ok');
    const [elsewhere] = assistantTurns(other.requests);
    expect(elsewhere![0]).not.toHaveProperty('reasoning_details');
    expect(JSON.stringify(elsewhere)).not.toContain(DETAILS_PREFIX);
    // Nor does Claude, whose API passes the history through.
    await claude.messages.create({ ...next, model: 'sonnet' });
    expect(anthropic.requests.at(-1)!.body.messages[1].content.map((b: { type: string }) => b.type)).toEqual(['tool_use']);
  });

  it("go back with the next turn of a Codex tool loop, in its reasoning item's encrypted content", async () => {
    const tools = [{ type: 'function' as const, name: 'get_weather', parameters: weather.input_schema, strict: false }];
    const input = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
    const stream = await h.openai.responses.create({ model: 'default', input, tools, stream: true, store: false, include: ['reasoning.encrypted_content'] });
    const output: Record<string, unknown>[] = [];
    for await (const event of stream) if (event.type === 'response.output_item.done') output.push(event.item as unknown as Record<string, unknown>);
    const call = output.find((item) => item.type === 'function_call')!;
    expect(output.some((item) => item.type === 'reasoning' && typeof item.encrypted_content === 'string')).toBe(true);
    const answer = await h.openai.responses.create({ model: 'default', tools, store: false, input: [...input, ...(output as never[]), { type: 'function_call_output', call_id: String(call.call_id), output: 'Sunny, 21 C' }] });
    expect(answer.output_text).toBe('The tool said: Sunny, 21 C');
    const [, turns] = assistantTurns(openrouter.requests);
    expect(turns![0]).toHaveProperty('reasoning_details');
    // Claude, translated to, gets none of it either.
    await h.openai.responses.create({ model: 'sonnet', tools, store: false, input: [...input, ...(output as never[]), { type: 'function_call_output', call_id: String(call.call_id), output: 'Sunny, 21 C' }] });
    expect(JSON.stringify(anthropic.requests.at(-1)!.body.messages)).not.toContain('redacted_thinking');
  });
});

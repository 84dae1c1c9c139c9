/**
 * Tool call ids across vendors: Anthropic refuses any outside `^[a-zA-Z0-9_-]+$`, and Kimi K2 (on
 * Moonshot, Groq and the rest) names its calls `functions.<name>:<index>`. A conversation that
 * moves between them (a fallback, a route, an alias) must keep each call paired with its result and
 * every id in a form the next upstream takes. The fake Anthropic refuses ids as Anthropic does.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let kimi: FakeServer;
let anthropic: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'moonshot', kind: 'openai', baseUrl: `${kimi.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    // A window past what the longest history here counts (80,000 calls and their results): their pairing is what is tested.
    { name: 'kimi', provider: 'moonshot', model: 'kimi-k2-0905', contextWindow: 10_000_000 },
    // A model no window is known for: 250,000 images count as 250M tokens, past any window a config may give.
    { name: 'kimi-vision', provider: 'moonshot', model: 'kimi-vl-a3b', capabilities: ['completion', 'tools', 'vision'] },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
  ],
  routes: [],
});

beforeAll(async () => {
  [kimi, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, kimi, anthropic));
beforeEach(() => resetBetweenTests(h, [kimi, anthropic], config()));

const VALID = /^[a-zA-Z0-9_-]+$/;
const post = (path: string, body: Record<string, unknown>) => fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) });
const city = { type: 'object', properties: { city: { type: 'string' } } };
const tools = [{ name: 'weather', description: 'Weather in a city', input_schema: city }, { name: 'time', description: 'Time in a city', input_schema: city }];

describe('a Claude Code session that moves from Kimi to Claude', () => {
  it("gets Kimi's calls under ids Anthropic takes, so the next turn on Claude is answered", async () => {
    for (const stream of [false, true]) {
      const first = await post('/v1/messages', { model: 'kimi', max_tokens: 200, stream, tools, messages: [{ role: 'user', content: 'call both' }] });
      const text = await first.text();
      const ids = stream ? [...text.matchAll(/"type":"tool_use","id":"([^"]+)"/g)].map((m) => m[1]!) : (JSON.parse(text).content as { type: string; id: string }[]).filter((b) => b.type === 'tool_use').map((b) => b.id);
      expect(ids).toHaveLength(2);
      for (const id of ids) expect(id).toMatch(VALID);
      const content = ids.map((id, i) => ({ type: 'tool_use', id, name: ['weather', 'time'][i], input: { city: ['Paris', 'Tokyo'][i] } }));
      const next = await post('/v1/messages', {
        model: 'sonnet',
        max_tokens: 200,
        tools,
        messages: [{ role: 'user', content: 'call both' }, { role: 'assistant', content }, { role: 'user', content: ids.map((id) => ({ type: 'tool_result', tool_use_id: id, content: 'sunny' })) }],
      });
      expect(next.status).toBe(200);
    }
  });
});

describe("a chat client's history with Kimi's ids, sent to Claude", () => {
  it('keeps each call paired with its result under an id Anthropic takes, and two ids apart', async () => {
    const calls = ['functions.weather:0', 'functions.weather_0'].map((id, i) => ({ id, type: 'function', function: { name: 'weather', arguments: JSON.stringify({ city: ['Paris', 'Tokyo'][i] }) } }));
    const res = await post('/v1/chat/completions', {
      model: 'sonnet',
      tools: [{ type: 'function', function: { name: 'weather', parameters: city } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'call both' }, { type: 'text', text: '' }] }, { role: 'assistant', content: null, tool_calls: calls }, ...calls.map((c) => ({ role: 'tool', tool_call_id: c.id, content: 'sunny' }))],
    });
    expect(res.status).toBe(200);
    const [, assistant, results] = anthropic.requests[0]!.body.messages as { content: { id?: string; tool_use_id?: string }[] }[];
    const used = assistant!.content.map((b) => b.id as string);
    expect(results!.content.map((b) => b.tool_use_id)).toEqual(used);
    expect(used[1]).toBe('functions_weather_0_' + used[1]!.split('_').at(-1));
    expect(new Set(used).size).toBe(2);
  });
});

describe('histories too long for a quadratic pass or a spread call', () => {
  it("pairs an Ollama client's 80,000 results with 80,000 calls of one tool, in order", async () => {
    const n = 80_000;
    const res = await post('/api/chat', {
      model: 'kimi',
      stream: false,
      messages: [
        { role: 'user', content: 'call it many times' },
        { role: 'assistant', content: '', tool_calls: Array.from({ length: n }, (_, i) => ({ function: { name: 'weather', arguments: { city: `c${i}` } } })) },
        ...Array.from({ length: n }, (_, i) => ({ role: 'tool', tool_name: 'weather', content: `r${i}` })),
      ],
    });
    expect(res.status).toBe(200);
    const [, assistant, ...results] = kimi.requests[0]!.body.messages as { tool_calls?: { id: string; function: { arguments: string } }[]; tool_call_id?: string; content: string }[];
    const calls = assistant!.tool_calls!;
    expect(results.map((r) => r.tool_call_id)).toEqual(calls.map((c) => c.id));
    expect([JSON.parse(calls[n - 1]!.function.arguments).city, results[n - 1]!.content]).toEqual([`c${n - 1}`, `r${n - 1}`]);
  });

  it("takes a Messages tool result of 250,000 images to a chat model, each after the line that names its call", async () => {
    const n = 250_000;
    const image = { type: 'image', source: { type: 'url', url: 'https://example.com/i.png' } };
    const res = await post('/v1/messages', {
      model: 'kimi-vision',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'look' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'shot', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: Array.from({ length: n }, () => image) }, { type: 'text', text: 'what do you see?' }] },
      ],
    });
    expect(res.status).toBe(200);
    const sent = kimi.requests[0]!.body.messages.at(-1) as { role: string; content: { type: string; text?: string }[] };
    expect(sent.content).toHaveLength(n + 2);
    expect([sent.content[0]!.text, sent.content[1]!.type, sent.content.at(-1)!.text]).toEqual(['The images the tool call toolu_1 returned:', 'image_url', 'what do you see?']);
  });

  it('takes a Responses function output of 250,000 images to a chat model the same way', async () => {
    const n = 250_000;
    const output = Array.from({ length: n }, () => ({ type: 'input_image', image_url: 'https://example.com/i.png' }));
    const res = await post('/v1/responses', {
      model: 'kimi-vision',
      input: [{ role: 'user', content: 'look' }, { type: 'function_call', call_id: 'call_1', name: 'shot', arguments: '{}' }, { type: 'function_call_output', call_id: 'call_1', output }],
    });
    expect(res.status).toBe(200);
    const sent = kimi.requests[0]!.body.messages.at(-1) as { role: string; content: { type: string; text?: string }[] };
    expect(sent.content).toHaveLength(n + 1);
    expect([sent.content[0]!.text, sent.content.at(-1)!.type]).toEqual(['The images the tool call call_1 returned:', 'image_url']);
  });
});

/**
 * Mistral holds every tool call id of a history to nine letters and digits ("Tool call id was
 * toolu_01... but must be a-z, A-Z, 0-9, with a length of 9."), its API and Mistral models'
 * templates on vLLM and MLX servers alike. A session begun elsewhere (Claude Code's `toolu_` ids,
 * OpenAI's `call_` ones) failed its next turn on Mistral, fallback or not. Such a model now gets each
 * id as a nine-character digest, the same every turn, learned from the first refusal.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let mistral: FakeServer, h: Harness;

beforeAll(async () => {
  mistral = await startFakeOpenAI({ nineCharIds: true });
  h = await startGateway({
    version: 1,
    providers: [{ name: 'mistral', kind: 'openai', baseUrl: `${mistral.url}/v1`, apiKey: 'env:TEST_KEY' }],
    deployments: [{ name: 'devstral', provider: 'mistral', model: 'devstral-medium-2507' }],
    routes: [],
  });
});
afterAll(() => stopAll(h, mistral));

const city = { type: 'object' as const, properties: { city: { type: 'string' } } };
const NINE = /^[a-zA-Z0-9]{9}$/;

describe('a Mistral model given a history begun elsewhere', () => {
  it("answers Claude Code's next turn, its toolu_ ids sent as nine-character digests, and learns it", async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const turn = {
      model: 'devstral',
      max_tokens: 200,
      tools: [{ name: 'weather', input_schema: city }],
      messages: [
        { role: 'user' as const, content: 'call it' },
        { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'toolu_01A09q90qw90lq917835lq9', name: 'weather', input: { city: 'Paris' } }] },
        { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: 'sunny' }] },
      ],
    };
    const message = await client.messages.create(turn);
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'The tool said: sunny' })]);
    expect(mistral.requests).toHaveLength(2);
    const sent = mistral.requests[1]!.body.messages;
    expect(sent[1].tool_calls[0].id).toMatch(NINE);
    expect(sent[2].tool_call_id).toBe(sent[1].tool_calls[0].id);

    // The next turn goes with such ids at once, the same digest for the same call.
    await client.messages.create(turn);
    expect(mistral.requests).toHaveLength(3);
    expect(mistral.requests[2]!.body.messages[1].tool_calls[0].id).toBe(sent[1].tool_calls[0].id);
  });

  it("passes ids already of nine letters and digits as they are (the model's own)", async () => {
    const first = await h.openai.chat.completions.create({ model: 'devstral', messages: [{ role: 'user', content: 'call it' }], tools: [{ type: 'function', function: { name: 'weather', parameters: city } }] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(call.id).toMatch(NINE);
    const before = mistral.requests.length;
    await h.openai.chat.completions.create({ model: 'devstral', messages: [{ role: 'user', content: 'call it' }, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny' }] });
    expect(mistral.requests.at(-1)!.body.messages[1].tool_calls[0].id).toBe(call.id);
    expect(mistral.requests.length).toBe(before + 1);
  });
});

/**
 * Tool call ids in Ollama's API, both ways. Ollama gives each call an id since 0.12.10 and takes a
 * tool result's `tool_call_id`: the gateway keeps the ids Ollama gave (a client's next turn names the
 * call Ollama knows), sends them back with the history, and as an Ollama front door gives its own
 * calls ids and pairs results by them (two results for one tool, in any order, reach the right calls).
 */
import { Ollama } from 'ollama';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer, openai: FakeServer, h: Harness, client: Ollama;
const config = () => twoTierConfig({ ollama: ollama.url, openai: openai.url });

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama({ version: '0.14.2' }), startFakeOpenAI()]);
  h = await startGateway(config());
  client = new Ollama({ host: h.url });
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(() => resetBetweenTests(h, [ollama, openai], config()));

const weather = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
/** Ollama's own ids: `call_` and eight letters and digits (the gateway's are longer). */
const OLLAMA_ID = /^call_[a-z0-9]{8}$/;

describe('an Ollama deployment', () => {
  it("gives a chat client the ids Ollama gave, whole and streamed, and sends them back with the next turn", async () => {
    const first = await h.openai.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'weather?' }], tools: [weather] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(call.id).toMatch(OLLAMA_ID);

    const streamed = await h.openai.chat.completions.stream({ model: 'llama', messages: [{ role: 'user', content: 'weather?' }], tools: [weather] }).finalChatCompletion();
    expect(streamed.choices[0]!.message.tool_calls![0]!.id).toMatch(OLLAMA_ID);

    await h.openai.chat.completions.create({
      model: 'llama',
      tools: [weather],
      messages: [{ role: 'user', content: 'weather?' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
    });
    const sent = ollama.requests.at(-1)!.body.messages;
    expect(sent[1].tool_calls).toEqual([{ id: call.id, function: { name: 'get_weather', arguments: { city: 'Paris' } } }]);
    expect(sent[2]).toEqual({ role: 'tool', content: 'sunny', tool_name: 'get_weather', tool_call_id: call.id });
  });
});

describe('the Ollama front door, to an OpenAI deployment', () => {
  it('gives each call an id, whole and streamed', async () => {
    const whole = await client.chat({ model: 'mini', messages: [{ role: 'user', content: 'weather?' }], tools: [weather as never], stream: false });
    expect(whole.message.tool_calls?.[0]).toEqual({ id: expect.stringMatching(/^call_/), function: { name: 'get_weather', arguments: { city: 'Paris' } } });

    const streamed: unknown[] = [];
    for await (const part of await client.chat({ model: 'mini', messages: [{ role: 'user', content: 'weather?' }], tools: [weather as never], stream: true })) streamed.push(...(part.message.tool_calls ?? []));
    expect(streamed).toEqual([{ id: expect.stringMatching(/^call_/), function: { name: 'get_weather', arguments: { city: 'Paris' } } }]);
  });

  it('pairs results with their calls by id, in any order, and by name (in order, past those answered by id) where no id is given', async () => {
    const calls = [
      { id: 'call_paris', function: { name: 'get_weather', arguments: { city: 'Paris' } } },
      { id: 'call_tokyo', function: { name: 'get_weather', arguments: { city: 'Tokyo' } } },
    ];
    const ask = (results: Record<string, unknown>[]) =>
      client.chat({ model: 'mini', tools: [weather as never], stream: false, messages: [{ role: 'user', content: 'weather in both?' }, { role: 'assistant', content: '', tool_calls: calls } as never, ...(results as never[])] });

    await ask([
      { role: 'tool', content: 'rain', tool_name: 'get_weather', tool_call_id: 'call_tokyo' },
      { role: 'tool', content: 'sun', tool_name: 'get_weather', tool_call_id: 'call_paris' },
    ]);
    let sent = openai.requests.at(-1)!.body.messages;
    expect(sent[1].tool_calls.map((c: { id: string }) => c.id)).toEqual(['call_paris', 'call_tokyo']);
    expect(sent.slice(2)).toEqual([
      { role: 'tool', content: 'rain', tool_call_id: 'call_tokyo' },
      { role: 'tool', content: 'sun', tool_call_id: 'call_paris' },
    ]);

    await ask([
      { role: 'tool', content: 'sun', tool_name: 'get_weather' },
      { role: 'tool', content: 'rain', tool_name: 'get_weather' },
    ]);
    sent = openai.requests.at(-1)!.body.messages;
    expect(sent.slice(2).map((m: { tool_call_id: string }) => m.tool_call_id)).toEqual(['call_paris', 'call_tokyo']);

    // Mixed: a call answered by id is passed over by a result that names only its tool.
    await ask([
      { role: 'tool', content: 'sun', tool_name: 'get_weather', tool_call_id: 'call_paris' },
      { role: 'tool', content: 'rain', tool_name: 'get_weather' },
    ]);
    sent = openai.requests.at(-1)!.body.messages;
    expect(sent.slice(2).map((m: { tool_call_id: string }) => m.tool_call_id)).toEqual(['call_paris', 'call_tokyo']);
  });
});

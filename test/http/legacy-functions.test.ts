/**
 * OpenAI's function calling before tools (`functions`, `function_call`, `function` turns), which
 * agents written in 2023 still send (OpenAI serves it): it went on to Ollama, Anthropic and a vLLM-like
 * chat API as if nothing were offered, and the model answered in text. It is read as tools, one call at
 * a time, and the answer goes back in the old shape (`message.function_call`, `delta.function_call`).
 */
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useMessagesUpstreams } from '../support/messages-upstreams';

const up = useMessagesUpstreams();
const functions = [{ name: 'get_weather', description: 'The weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
const ask = { role: 'user' as const, content: 'what is the weather in Paris?' };
type Legacy = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

describe('a chat request in the function-calling API before tools', () => {
  it.each(['qwen', 'sonnet', 'gemma'])('gets %s to call the function, answered as function_call', async (model) => {
    const answer = await up.h.openai.chat.completions.create({ model, messages: [ask], functions } as Legacy);
    expect(answer.choices[0]).toMatchObject({ finish_reason: 'function_call', message: { function_call: { name: 'get_weather', arguments: '{"city":"Paris"}' } } });
    expect(answer.choices[0]?.message).not.toHaveProperty('tool_calls');
  });

  it('offers the functions as tools, one call at a time, and a function_call as the tool choice', async () => {
    await up.h.openai.chat.completions.create({ model: 'qwen', messages: [ask], functions, function_call: { name: 'get_weather' } } as Legacy);
    const sent = up.openai.requests.find((r) => r.path === '/v1/chat/completions')?.body as Record<string, unknown>;
    expect(sent).toMatchObject({ tools: [{ type: 'function', function: functions[0] }], tool_choice: { type: 'function', function: { name: 'get_weather' } }, parallel_tool_calls: false });
    expect(sent).not.toHaveProperty('functions');
    expect(sent).not.toHaveProperty('function_call');
  });

  it("pairs a function's result with the call before it, as Anthropic requires of a tool's", async () => {
    const called = { role: 'assistant' as const, content: null, function_call: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
    const result = { role: 'function' as const, name: 'get_weather', content: 'sunny, 21 C' };
    const answer = await up.h.openai.chat.completions.create({ model: 'sonnet', messages: [ask, called, result], functions } as Legacy);
    expect(answer.choices[0]?.message.content).toBe('The tool said: sunny, 21 C');
    const turns = (up.anthropic.requests.at(-1)?.body as { messages: { role: string; content: { type: string; id?: string; tool_use_id?: string }[] }[] }).messages;
    const use = turns[1]?.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } });
    expect(turns[2]?.content).toEqual([expect.objectContaining({ type: 'tool_result', tool_use_id: use?.id })]);
  });

  it('streams the call as delta.function_call, its name first', async () => {
    const stream = await up.h.openai.chat.completions.create({ model: 'gemma', messages: [ask], functions, stream: true } as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming);
    const calls: { name?: string; arguments?: string }[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.function_call) calls.push(choice.delta.function_call);
      expect(choice?.delta).not.toHaveProperty('tool_calls');
      finish = choice?.finish_reason ?? finish;
    }
    expect(calls[0]?.name).toBe('get_weather');
    expect(calls.map((c) => c.arguments ?? '').join('')).toBe('{"city":"Paris"}');
    expect(finish).toBe('function_call');
  });

  it('chooses nothing with a function_call among no functions, which OpenAI-compatible servers would refuse as a tool choice without tools', async () => {
    const answer = await up.h.openai.chat.completions.create({ model: 'qwen', messages: [ask], function_call: 'auto' } as Legacy);
    expect(answer.choices[0]?.message.content).toBe('Echo: what is the weather in Paris?');
    expect(up.openai.requests.at(-1)?.body).not.toHaveProperty('tool_choice');
  });

  it('refuses functions that are not a list, or one without a name or with parameters that are no schema, by its field', async () => {
    const post = (body: unknown) => fetch(`${up.h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const [body, param] of [
      [{ model: 'qwen', messages: [ask], functions: 'get_weather' }, 'functions'],
      [{ model: 'qwen', messages: [ask], functions: [{ description: 'x' }] }, 'functions[0].name'],
      [{ model: 'qwen', messages: [ask], functions: [...functions, { name: '' }] }, 'functions[1].name'],
      [{ model: 'qwen', messages: [ask], functions, function_call: 'always' }, 'function_call'],
      [{ model: 'qwen', messages: [ask], functions: [{ name: 'get_weather', parameters: 'a city' }] }, 'functions[0].parameters'],
    ] as const) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ type: 'invalid_request_error', param });
    }
  });
});

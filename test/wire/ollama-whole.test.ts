/**
 * A whole Ollama answer put together from its stream: by hand-written lines that carry every part
 * (split thinking, tool calls, logprobs, the counts of the last line), and against the whole answer
 * the fake Ollama gives for `stream: false`, which must come out the same and spec-valid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wholeFromLines, wholeFromStream } from '../../gateway/wire/ollama-whole';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { assertMatchesSpec } from '../support/spec';

async function* linesOf(values: Record<string, unknown>[]) {
  for (const data of values) yield { data };
}
/** Both forms, which must agree: from an upstream's stream, and from lines at hand (a cached stream). */
async function whole(lines: Record<string, unknown>[]) {
  const streamed = await wholeFromStream(linesOf(lines));
  expect(wholeFromLines(lines)).toEqual(streamed);
  return streamed;
}

const at = '2026-11-22T08:00:00.000000000Z';
const counts = { total_duration: 5_000_000, load_duration: 1_000_000, prompt_eval_count: 12, prompt_eval_duration: 1_500_000, eval_count: 4, eval_duration: 2_500_000 };

describe('a whole Ollama answer from its stream', () => {
  it('joins chat text and thinking, gathers tool calls and logprobs, and keeps the last line for the rest', async () => {
    const call = { function: { name: 'get_weather', arguments: { city: 'Oslo' } } };
    const answer = await whole([
      { model: 'm', created_at: at, message: { role: 'assistant', content: '', thinking: 'Let me ' }, done: false },
      { model: 'm', created_at: at, message: { role: 'assistant', content: '', thinking: 'check.' }, done: false },
      { model: 'm', created_at: at, message: { role: 'assistant', content: 'Hel' }, done: false, logprobs: [{ token: 'Hel', logprob: -0.1 }] },
      { model: 'm', created_at: at, message: { role: 'assistant', content: 'lo', tool_calls: [call] }, done: false, logprobs: [{ token: 'lo', logprob: -0.2 }] },
      { model: 'm', created_at: at, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', ...counts },
    ]);
    expect(answer).toEqual({
      model: 'm',
      created_at: at,
      message: { role: 'assistant', content: 'Hello', thinking: 'Let me check.', tool_calls: [call] },
      done: true,
      done_reason: 'stop',
      ...counts,
      logprobs: [
        { token: 'Hel', logprob: -0.1 },
        { token: 'lo', logprob: -0.2 },
      ],
    });
  });

  it('joins generate text at the top level and keeps the last line’s context', async () => {
    const answer = await whole([
      { model: 'm', created_at: at, response: 'def ', done: false },
      { model: 'm', created_at: at, response: 'f():', done: false },
      { model: 'm', created_at: at, response: '', done: true, done_reason: 'stop', context: [1, 2, 3], ...counts },
    ]);
    expect(answer).toEqual({ model: 'm', created_at: at, response: 'def f():', done: true, done_reason: 'stop', context: [1, 2, 3], ...counts });
  });

  it('answers a line that is whole already (a load request: no messages, `done_reason: "load"`) as it is', async () => {
    const load = { model: 'm', created_at: at, message: { role: 'assistant', content: '' }, done: true, done_reason: 'load' };
    expect(await whole([load])).toEqual(load);
  });
});

describe('against the fake Ollama’s own whole answers', () => {
  let ollama: FakeServer;
  beforeAll(async () => {
    ollama = await startFakeOllama({ models: ['llama3.2:3b', 'qwen3:8b'] });
  });
  afterAll(() => ollama.stop());

  const post = (path: string, body: Record<string, unknown>) => fetch(`${ollama.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const streamed = async (path: string, body: Record<string, unknown>) => {
    const text = await (await post(path, { ...body, stream: true })).text();
    return text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];

  it('comes out as the answer to `stream: false`, for chat with thinking, with tool calls, and for generate', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['/api/chat', { model: 'qwen3:8b', think: true, messages: [{ role: 'user', content: 'why is the sky blue' }] }, 'ChatResponse'],
      ['/api/chat', { model: 'llama3.2:3b', tools, messages: [{ role: 'user', content: 'weather in Oslo?' }] }, 'ChatResponse'],
      ['/api/generate', { model: 'llama3.2:3b', prompt: 'one two three' }, 'GenerateResponse'],
    ];
    for (const [path, body, schema] of cases) {
      const lines = await streamed(path, body);
      expect(lines.length).toBeGreaterThan(1);
      const answer = await whole(lines);
      expect(answer).toEqual(await (await post(path, { ...body, stream: false })).json());
      assertMatchesSpec('ollama', schema, answer);
    }
  });
});

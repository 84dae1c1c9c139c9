/**
 * A translated answer's messages carry their phase, as GPT-5.3-codex and later label theirs and
 * Codex reads them: `commentary` for a message another item follows (a line before the tool calls),
 * `final_answer` for the one that ends a completed Response, on `output_item.done`, in
 * `response.completed` and in a whole Response (never on `output_item.added`, when it is not yet
 * known). Codex finds a turn's answer by its final_answer: without one it showed a translated answer
 * twice, or among the turn's progress notes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer, anthropic: FakeServer, h: Harness;

beforeAll(async () => {
  [ollama, anthropic] = await Promise.all([startFakeOllama(), startFakeAnthropic()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url },
      { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    ],
    routes: [],
  });
});
afterAll(() => stopAll(h, ollama, anthropic));

const tools = [{ type: 'function' as const, name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }];
type Item = { type: string; phase?: string; name?: string };

async function streamed(body: Record<string, unknown>): Promise<{ type: string; item?: Item; response?: { output: Item[] } }[]> {
  const res = await fetch(`${h.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, stream: true }) });
  return (await res.text()).split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
}

describe('a translated answer to a Responses client', () => {
  it("labels its message the final answer when it ends the Response, streamed and whole", async () => {
    const events = await streamed({ model: 'llama', input: 'one two' });
    const added = events.find((e) => e.type === 'response.output_item.added' && e.item?.type === 'message')?.item;
    expect(added).not.toHaveProperty('phase');
    expect(events.find((e) => e.type === 'response.output_item.done' && e.item?.type === 'message')?.item?.phase).toBe('final_answer');
    expect(events.find((e) => e.type === 'response.completed')?.response?.output.map((i) => [i.type, i.phase])).toEqual([['message', 'final_answer']]);

    const whole = await h.openai.responses.create({ model: 'llama', input: 'one two' });
    expect(whole.output.map((i) => [i.type, i.type === 'message' ? i.phase : undefined])).toEqual([['message', 'final_answer']]);
  });

  it('labels a line before tool calls commentary, streamed and whole', async () => {
    const events = await streamed({ model: 'sonnet', input: 'say first, then call it', tools });
    expect(events.find((e) => e.type === 'response.completed')?.response?.output.map((i) => [i.type, i.phase ?? i.name])).toEqual([['message', 'commentary'], ['function_call', 'weather']]);
    expect(events.find((e) => e.type === 'response.output_item.done' && e.item?.type === 'message')?.item?.phase).toBe('commentary');

    const whole = await h.openai.responses.create({ model: 'sonnet', input: 'say first, then call it', tools });
    expect(whole.output.map((i) => [i.type, i.type === 'message' ? i.phase : i.type === 'function_call' ? i.name : undefined])).toEqual([['message', 'commentary'], ['function_call', 'weather']]);
    // The tool's result answered: that turn's message is the final answer.
    const call = whole.output.find((i) => i.type === 'function_call');
    const next = await h.openai.responses.create({ model: 'sonnet', tools, input: [{ role: 'user', content: 'say first, then call it' }, ...whole.output, { type: 'function_call_output', call_id: call?.type === 'function_call' ? call.call_id : '', output: 'sunny' }] as never });
    expect(next.output.map((i) => [i.type, i.type === 'message' ? i.phase : undefined])).toEqual([['message', 'final_answer']]);
  });
});

/**
 * A translated answer's messages carry their phase, and so do those of a Responses upstream that
 * gives none (Ollama's, vLLM's and LM Studio's Responses APIs) passed through, as GPT-5.3-codex and later label theirs and
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
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer, anthropic: FakeServer, ollamaNew: FakeServer, openai: FakeServer, h: Harness;

beforeAll(async () => {
  [ollama, anthropic, ollamaNew, openai] = await Promise.all([startFakeOllama(), startFakeAnthropic(), startFakeOllama({ version: '0.13.3' }), startFakeOpenAI({ speaksInPhases: true })]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url },
      { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
      // Speaks Responses itself (since 0.13.3): passed through, and no phase of its own.
      { name: 'ollama-new', kind: 'ollama', baseUrl: ollamaNew.url, apis: ['responses'] },
      { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['responses'] },
    ],
    deployments: [
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'passed', provider: 'ollama-new', model: 'llama3.2:3b' },
      { name: 'codex', provider: 'openai', model: 'gpt-5.5-codex' },
    ],
    routes: [],
  });
});
afterAll(() => stopAll(h, ollama, anthropic, ollamaNew, openai));

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

describe("a Responses upstream's own answer", () => {
  it('is labelled as it passes when it labels nothing, streamed and whole, in order', async () => {
    const events = await streamed({ model: 'passed', input: 'say first, then call it', tools });
    expect(ollamaNew.requests.at(-1)?.path).toBe('/v1/responses');
    expect(events.find((e) => e.type === 'response.completed')?.response?.output.map((i) => [i.type, i.phase ?? i.name])).toEqual([['message', 'commentary'], ['function_call', 'weather']]);
    const done = events.findIndex((e) => e.type === 'response.output_item.done' && e.item?.type === 'message');
    expect(events[done]?.item?.phase).toBe('commentary');
    // Held until the call opened, and sent before it: the events keep their order.
    expect(events[done + 1]).toMatchObject({ type: 'response.output_item.added', item: { type: 'function_call' } });
    const sequence = events.map((e) => (e as { sequence_number?: number }).sequence_number);
    expect(sequence).toEqual([...sequence].sort((a, b) => (a ?? 0) - (b ?? 0)));

    const whole = await h.openai.responses.create({ model: 'passed', input: 'one two' });
    expect(whole.output.map((i) => [i.type, i.type === 'message' ? i.phase : undefined])).toEqual([['message', 'final_answer']]);
    const last = await streamed({ model: 'passed', input: 'one two' });
    expect(last.find((e) => e.type === 'response.output_item.done')?.item?.phase).toBe('final_answer');
  });

  it("keeps the labels of one that gives its own (GPT-5.3-codex's commentary preamble)", async () => {
    const events = await streamed({ model: 'codex', input: 'one two' });
    expect(events.find((e) => e.type === 'response.completed')?.response?.output.filter((i) => i.type === 'message').map((i) => i.phase)).toEqual(['commentary', 'final_answer']);
  });
});

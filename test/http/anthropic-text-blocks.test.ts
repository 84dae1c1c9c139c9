/**
 * The Messages front door's text blocks as Anthropic writes them: with no `citations` where there
 * are none. The SDK's type has the field (null), but the API leaves it out, and the AI SDK's
 * Anthropic provider (opencode, Cherry Studio, Cline's CLI) refuses a whole Message whose text
 * block says `citations: null` ("Invalid JSON response", CherryHQ/cherry-studio#13769).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParser } from 'eventsource-parser';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama({ models: ['qwen3:8b'] }), startFakeOpenAI({ reasoningField: 'reasoning_content' })]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [
      { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    ],
    routes: [{ name: 'local-then-cloud', deployments: ['qwen', 'mini'] }],
  });
});
afterAll(() => stopAll(h, ollama, openai));

const ask = (model: string, stream: boolean) =>
  fetch(`${h.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 2048, stream, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'hello there' }] }),
  });

describe.each(['qwen', 'mini'])('a Message translated from %s', (model) => {
  it('has text blocks without citations, beside its thinking', async () => {
    const response = await ask(model, false);
    expect(response.status).toBe(200);
    const message = await response.json();
    const text = message.content.find((block: { type: string }) => block.type === 'text');
    expect(text).toEqual({ type: 'text', text: 'Echo: hello there' });
    expect('citations' in text).toBe(false);
    expect(message.content.map((block: { type: string }) => block.type)).toEqual(['thinking', 'text']);
  });

  it('starts its streamed text block without citations', async () => {
    const response = await ask(model, true);
    const started: Record<string, unknown>[] = [];
    const parser = createParser({
      onEvent: (event) => {
        const data = JSON.parse(event.data);
        if (data.type === 'content_block_start') started.push(data.content_block);
      },
    });
    parser.feed(await response.text());
    expect(started).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'text', text: '' },
    ]);
    expect('citations' in started[1]!).toBe(false);
  });
});

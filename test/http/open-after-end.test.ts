/**
 * A server that sends its stream's end marker and then leaves the response open (a proxy that holds
 * connections, an executor that keeps its body open after `message_stop`, vllm-project/agentic-api
 * #290). The answer is whole at the end marker: the client gets it then, with its usage row, and the
 * deployment's slot is free for the next request. The gateway waited for the connection to close,
 * so every such answer hung until the idle timeout (30 s by default) and held its slot as long.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer, openai: FakeServer, anthropic: FakeServer, h: Harness;
// Far past the test's own timeout: an answer that waits for the connection to close cannot pass.
const timeouts = { idleMs: 600_000 };
// One request at a time, no queue: a slot still held by the answer before refuses the next request.
const oneAtATime = { maxConcurrent: 1, queue: { max: 0 } };

beforeAll(async () => {
  [ollama, openai, anthropic] = await Promise.all([startFakeOllama(), startFakeOpenAI(), startFakeAnthropic()]);
  await Promise.all([ollama, openai, anthropic].map((fake) => fake.setMode({ kind: 'open-after-end' })));
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'ollama', kind: 'ollama', baseUrl: ollama.url, timeouts, ...oneAtATime },
      { name: 'vllm', kind: 'openai', baseUrl: `${openai.url}/v1`, local: true, apis: ['chat', 'responses'], timeouts, ...oneAtATime },
      { name: 'anthropic', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY', timeouts, ...oneAtATime },
    ],
    deployments: [
      { name: 'llama', provider: 'ollama', model: 'llama3.2:3b' },
      { name: 'qwen', provider: 'vllm', model: 'qwen3-coder' },
      { name: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-5' },
    ],
    routes: [],
  });
});
afterAll(() => stopAll(h, ollama, openai, anthropic));

const twice = async (ask: () => Promise<string>) => [await ask(), await ask()];

describe('a stream whose connection stays open after its end marker', () => {
  it('answers a chat client at [DONE], twice through a one-slot deployment', async () => {
    const ask = async () => (await h.openai.chat.completions.stream({ model: 'qwen', messages: [{ role: 'user', content: 'one two' }] }).finalChatCompletion()).choices[0]!.message.content!;
    expect(await twice(ask)).toEqual(['Echo: one two', 'Echo: one two']);
  });

  it("answers an Ollama client at Ollama's done line", async () => {
    const ask = async () => {
      let text = '';
      for await (const part of await h.ollama.chat({ model: 'llama', stream: true, messages: [{ role: 'user', content: 'one two' }] })) text += part.message.content;
      return text;
    };
    expect(await twice(ask)).toEqual(['Echo: one two', 'Echo: one two']);
  });

  it('answers Claude Code at message_stop, passed through', async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const ask = async () => {
      const message = await client.messages.stream({ model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'one two' }] }).finalMessage();
      return message.content[0]!.type === 'text' ? message.content[0]!.text : '';
    };
    expect(await twice(ask)).toEqual(['Echo: one two', 'Echo: one two']);
  });

  it('answers Codex at response.completed, passed through, and logs every answer', async () => {
    const ask = async () => (await h.openai.responses.stream({ model: 'qwen', input: 'one two' }).finalResponse()).output_text;
    expect(await twice(ask)).toEqual(['Echo: one two', 'Echo: one two']);
    const { rows } = (await h.admin('/admin/api/usage?limit=20').then((r) => r.json())) as { rows: { status: number }[] };
    expect(rows.map((row) => row.status)).toEqual(Array(8).fill(200));
  });
});

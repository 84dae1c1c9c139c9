/**
 * Images a tool returned, on their way to a model behind a translation: Claude Code's Read of a
 * screenshot (an image block in a tool_result) and Codex's view_image (an input_image in a
 * function_call_output). A chat tool message holds text only, so the images follow the tool
 * messages in a user message; a route skips the models that cannot see them. Before, Claude Code's
 * went nowhere (the model answered blind) and Codex's was refused with a 400.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat'] },
  ],
  deployments: [
    // As Ollama's /api/show describes them (the gateway reads it in the background).
    { name: 'llama', provider: 'local', model: 'llama3.2:3b', capabilities: ['completion', 'tools'] },
    { name: 'llava', provider: 'local', model: 'llava:7b', capabilities: ['completion', 'tools', 'vision'] },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
  ],
  // llama3.2 first: it cannot see, so a request with an image goes on to llava.
  routes: [{ name: 'local', deployments: ['llama', 'llava'] }],
});

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama({ models: ['llama3.2:3b', 'llava:7b'] }), startFakeOpenAI()]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(() => resetBetweenTests(h, [ollama, openai], config()));

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const post = (path: string, body: Record<string, unknown>) => fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) });

describe("Claude Code's screenshot in a tool result", () => {
  const read = (model: string) =>
    post('/v1/messages', {
      model,
      max_tokens: 100,
      tools: [{ name: 'Read', description: 'Reads a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }],
      messages: [
        { role: 'user', content: 'what does shot.png show?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'Read', input: { file_path: 'shot.png' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: [{ type: 'text', text: 'shot.png (1x1)' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }] }] },
      ],
    });

  it('reaches a model that can see it, after the tool message, on Ollama and OpenAI alike', async () => {
    expect((await read('local')).status).toBe(200);
    expect(ollama.requests.map((r) => r.body.model)).toEqual(['llava:7b']);
    expect(ollama.requests[0]?.body.messages.slice(2)).toEqual([
      { role: 'tool', content: 'shot.png (1x1)', tool_name: 'Read', tool_call_id: 'toolu_01' },
      { role: 'user', content: 'The image the tool call toolu_01 returned:', images: [png] },
    ]);
    expect((await read('mini')).status).toBe(200);
    expect(openai.requests[0]?.body.messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'toolu_01', content: 'shot.png (1x1)' },
      { role: 'user', content: [{ type: 'text', text: 'The image the tool call toolu_01 returned:' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] },
    ]);
  });
});

describe("Codex's view_image output", () => {
  it('reaches a chat model as a tool message and the image after it, where it was refused', async () => {
    const res = await post('/v1/responses', {
      model: 'mini',
      store: false,
      input: [
        { type: 'message', role: 'user', content: 'look at the chart' },
        { type: 'function_call', call_id: 'call_1', name: 'view_image', arguments: '{"path":"chart.png"}' },
        { type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: 'chart.png' }, { type: 'input_image', image_url: `data:image/png;base64,${png}` }] },
      ],
    });
    expect(res.status).toBe(200);
    expect(openai.requests[0]?.body.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'view_image', arguments: '{"path":"chart.png"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'chart.png' },
      { role: 'user', content: [{ type: 'text', text: 'The image the tool call call_1 returned:' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}`, detail: 'auto' } }] },
    ]);
  });
});

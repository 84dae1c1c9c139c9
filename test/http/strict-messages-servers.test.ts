/**
 * Claude Code sends more than the base Messages API: `context_management`, `diagnostics`, a caching
 * hint's `scope: "global"`, a tool's `eager_input_streaming` and `input_examples`. Anthropic takes
 * them; a strict Anthropic-compatible server refuses each in pydantic's words ("diagnostics: Extra
 * inputs are not permitted"), so every turn through the gateway to it failed. Each such field is left
 * out for that model, learned from the refusal, and nothing else of the request is.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startGateway, stopAll, type Harness } from '../support/harness';

let strict: FakeServer, h: Harness;

beforeAll(async () => {
  strict = await startFakeAnthropic({ strictFields: true });
  h = await startGateway({
    version: 1,
    providers: [{ name: 'compatible', kind: 'anthropic', baseUrl: strict.url, apiKey: 'env:TEST_KEY' }],
    deployments: [{ name: 'glm', provider: 'compatible', model: 'glm-5.1' }],
    routes: [],
  });
});
afterAll(() => stopAll(h, strict));

const claudeCodeTurn = {
  model: 'glm',
  max_tokens: 200,
  stream: true,
  system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral', scope: 'global' } }],
  tools: [{ name: 'Bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } }, eager_input_streaming: true, input_examples: [{ command: 'ls -la' }] }],
  context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  diagnostics: { session: 'abc' },
  messages: [{ role: 'user', content: 'one two' }],
};

describe('a strict Anthropic-compatible server', () => {
  it("answers Claude Code's turns, the fields it refuses left out, learned from its words", async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await client.messages.stream(claudeCodeTurn as never).finalMessage();
    expect(message.content).toEqual([expect.objectContaining({ type: 'tool_use', name: 'Bash' })]);
    // One refusal per field, in the order the server names them, then the answer.
    expect(strict.requests).toHaveLength(6);
    const sent = strict.requests.at(-1)!.body;
    expect(sent).not.toHaveProperty('context_management');
    expect(sent).not.toHaveProperty('diagnostics');
    expect(sent.system).toEqual([{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }]);
    expect(sent.tools[0]).toEqual({ name: 'Bash', description: 'Run a command', input_schema: claudeCodeTurn.tools[0]!.input_schema });

    // The next turn goes without them at once.
    await client.messages.stream(claudeCodeTurn as never).finalMessage();
    expect(strict.requests).toHaveLength(7);
  });

  it('still refuses what the request means differently without', async () => {
    const res = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'glm', max_tokens: 50, messages: [{ role: 'user', content: 'x' }], output_format: { type: 'json_schema', schema: {} } }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('output_format: Extra inputs are not permitted');
  });
});

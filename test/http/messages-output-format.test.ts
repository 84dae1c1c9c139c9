/**
 * A structured output asked for in its first form, the beta's top-level `output_format`
 * (structured-outputs-2025-11-13), which the AI SDK's Anthropic provider sends for Claude's model
 * names in its versions of early 2026 (3.0.20 does; 3.0.60 sends output_config.format) and which
 * Anthropic's API still takes: translated, it was left out without a word, and a local model
 * answered in free text where the program expected its JSON.
 */
import { describe, expect, it } from 'vitest';
import { useMessagesUpstreams } from '../support/messages-upstreams';

const up = useMessagesUpstreams();
const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
// As that provider sends it (the Anthropic SDK moves the field into output_config itself before sending).
const asked = async (model: string) => {
  const res = await fetch(`${up.h.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'any', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'structured-outputs-2025-11-13' },
    body: JSON.stringify({ model, max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'text', text: 'where is the Louvre?' }] }], output_format: { type: 'json_schema', schema } }),
  });
  expect(res.status).toBe(200);
};

describe("a Messages request's output_format", () => {
  it("reaches a chat API as the response format's schema", async () => {
    await asked('qwen');
    expect(up.openai.requests.find((r) => r.path === '/v1/chat/completions')?.body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { schema } } });
  });

  it("reaches an Ollama as its chat API's format, past its Messages API, which leaves it out", async () => {
    await asked('gemma');
    expect(up.ollama.requests.find((r) => r.path === '/v1/messages')).toBeUndefined();
    expect(up.ollama.requests.find((r) => r.path === '/api/chat')?.body).toMatchObject({ model: 'gemma3:12b', format: schema });
  });

  it("goes to Anthropic's own API as it was sent", async () => {
    await asked('sonnet');
    expect(up.anthropic.requests.at(-1)?.body).toMatchObject({ output_format: { type: 'json_schema', schema } });
  });
});

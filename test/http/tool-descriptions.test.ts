/**
 * A tool with `description: null`, as MCP bridges offer a tool that has none (llm-tools-mcp): OpenAI
 * refuses it ("Invalid type for 'tools[0].function.description': expected a string, but got null
 * instead") and llama.cpp's server fails on it with a 500 ("Failed to parse tools: ... type must be
 * string, but is null"), so the request failed at every OpenAI-compatible deployment. It goes
 * without a description, as it has none.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

it('sends a tool described as null without a description, to an OpenAI-compatible server', async () => {
  const tools = [
    { type: 'function', function: { name: 'introspect', description: null, parameters: { type: 'object', properties: {} } } },
    { type: 'function', function: { name: 'weather', description: 'the weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  ];
  const res = await fetch(`${t.h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'weather in Paris?' }], tools }) });
  expect(res.status).toBe(200);
  const sent = t.openai.requests.find((r) => r.path === '/v1/chat/completions')?.body.tools;
  expect(sent).toEqual([{ type: 'function', function: { name: 'introspect', parameters: { type: 'object', properties: {} } } }, tools[1]]);
});

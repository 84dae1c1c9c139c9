/**
 * A request that offers an empty tool list. Xcode 26 sends `tools: []` (so do clients that build
 * the list from what is enabled); Ollama takes it, but OpenAI and DeepSeek refuse it ("Invalid
 * 'tools': empty array") and a `tool_choice` without tools, so such a request failed wherever a route
 * sent it to the cloud. Offering no tools means the same as offering none.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

describe('an empty tool list', () => {
  it("is what Xcode's locally hosted provider sends: its models list, then a streamed chat that reaches the cloud", async () => {
    const models = (await fetch(`${t.h.url}/v1/models`).then((r) => r.json())) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(['default', 'cloud-first']));
    const res = await fetch(`${t.h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cloud-first', stream: true, messages: [{ role: 'user', content: 'hi there' }], tools: [] }) });
    const text = await res.text();
    expect(text).toContain('"content":"there"');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    expect(t.openai.requests).toHaveLength(1);
  });

  it('reaches an OpenAI-compatible upstream as no tools, from the chat and Ollama front doors', async () => {
    const client = new OpenAI({ baseURL: t.h.baseUrl, apiKey: 'any', maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hello' }], tools: [], tool_choice: 'auto', parallel_tool_calls: true });
    expect(answer.choices[0]!.message.content).toBe('Echo: hello');
    const sent = t.openai.requests[0]!.body;
    for (const field of ['tools', 'tool_choice', 'parallel_tool_calls']) expect(sent).not.toHaveProperty(field);

    const streamed = await client.chat.completions.create({ model: 'mini', stream: true, messages: [{ role: 'user', content: 'again' }], tools: [] });
    let text = '';
    for await (const chunk of streamed) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: again');

    const res = await fetch(`${t.h.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cloud-first', stream: false, messages: [{ role: 'user', content: 'hi' }], tools: [] }) });
    expect(res.status).toBe(200);
    expect((await res.json()).message.content).toBe('Echo: hi');
    expect(t.openai.requests).toHaveLength(3);
  });
});

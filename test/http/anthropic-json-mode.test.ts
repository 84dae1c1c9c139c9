/**
 * OpenAI's JSON mode (`response_format: {type: "json_object"}`, the Responses API's `text.format`)
 * translated for Claude, whose Messages API has no such field: it was left out, and Claude answered in
 * prose or a fenced block that the client's JSON.parse refused. The AI SDK's generateObject over an
 * OpenAI-compatible provider asks in this mode alone (2.0.92 sends no schema with it). The model is
 * now told in the system prompt, after the client's own.
 */
import { describe, expect, it } from 'vitest';
import { useMessagesUpstreams } from '../support/messages-upstreams';

const up = useMessagesUpstreams();
const told = 'Answer with one valid JSON object and nothing else: no text before or after it, and no code fences.';
const sentSystem = () => (up.anthropic.requests.at(-1)?.body as { system?: string }).system;

describe("JSON mode for a Claude deployment", () => {
  it('tells the model in the system prompt, after the client\'s own, from chat completions', async () => {
    await up.h.openai.chat.completions.create({ model: 'sonnet', response_format: { type: 'json_object' }, messages: [{ role: 'system', content: 'You extract places.' }, { role: 'user', content: 'where is the Louvre? JSON please' }] });
    expect(sentSystem()).toBe(`You extract places.\n\n${told}`);
  });

  it('and from the Responses API, streamed', async () => {
    const stream = await up.h.openai.responses.create({ model: 'sonnet', input: 'where is the Louvre? JSON please', text: { format: { type: 'json_object' } }, stream: true });
    for await (const _ of stream);
    expect(sentSystem()).toBe(told);
  });

  it('says nothing of JSON when the client did not ask for it, or gave a schema (a structured output)', async () => {
    await up.h.openai.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'where is the Louvre?' }] });
    expect(sentSystem()).toBeUndefined();
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    await up.h.openai.chat.completions.create({ model: 'sonnet', response_format: { type: 'json_schema', json_schema: { name: 'place', schema } }, messages: [{ role: 'user', content: 'where is the Louvre?' }] });
    expect(sentSystem()).toBeUndefined();
    expect(up.anthropic.requests.at(-1)?.body).toMatchObject({ output_config: { format: { type: 'json_schema', schema } } });
  });
});

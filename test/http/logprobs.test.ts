/**
 * Token log probabilities, asked for on one API and answered by a server of the other: OpenAI's
 * `logprobs`/`top_logprobs` (a choice's `logprobs.content`), the Responses API's (included as
 * `message.output_text.logprobs`) and Ollama's (since 0.12.11: chat's request fields, and a
 * `logprobs` list at the top of each line and answer). Scripts use them to
 * score a classification or a retrieval; an answer without them, when asked, is silently wrong.
 */
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { fakeLogprob } from '../support/replies';
import { assertMatchesSpec } from '../support/spec';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const ask = [{ role: 'user' as const, content: 'rate this answer' }];
/** The fake upstreams answer "Echo: <text>", a word at a time, each word one token. */
const tokens = ['Echo: ', 'rate ', 'this ', 'answer'];
const json = (value: unknown) => JSON.parse(JSON.stringify(value));

/** What the fakes report for each token (its log probability, bytes and alternatives), in OpenAI's shape. */
function expected(top: number) {
  return tokens.map((token) => {
    const { alternatives, ...chosen } = fakeLogprob(token, top);
    return { ...chosen, top_logprobs: alternatives };
  });
}

describe('log probabilities', () => {
  it("reach an OpenAI client from a local model on Ollama's own API, whole and streamed", async () => {
    const client = new OpenAI({ baseURL: t.h.baseUrl, apiKey: 'any', maxRetries: 0 });
    const whole = await client.chat.completions.create({ model: 'default', messages: ask, logprobs: true, top_logprobs: 2 });
    assertMatchesSpec('openai', 'CreateChatCompletionResponse', json(whole));
    expect(whole.choices[0]!.logprobs).toEqual({ content: expected(2), refusal: null });
    expect(t.ollama.requests[0]!.path).toBe('/api/chat');
    expect(t.ollama.requests[0]!.body).toMatchObject({ logprobs: true, top_logprobs: 2 });

    const stream = await client.chat.completions.create({ model: 'default', messages: ask, logprobs: true, top_logprobs: 2, stream: true });
    const streamed: unknown[] = [];
    for await (const chunk of stream) {
      assertMatchesSpec('openai', 'CreateChatCompletionStreamResponse', json(chunk));
      streamed.push(...(chunk.choices[0]?.logprobs?.content ?? []));
    }
    expect(streamed).toEqual(expected(2));

    // Not asked for, none: as OpenAI answers.
    const plain = await client.chat.completions.create({ model: 'default', messages: ask });
    expect(plain.choices[0]!.logprobs).toBeNull();
    expect(t.ollama.requests[2]!.body).not.toHaveProperty('logprobs');
  });

  it('reach an Ollama client from an OpenAI-compatible server, on /api/chat and /api/generate', async () => {
    const ollama = new Ollama({ host: t.h.url });
    const inOllamaShape = (top: number) => expected(top).map(({ token, logprob, bytes, top_logprobs }) => ({ token, logprob, bytes, top_logprobs }));

    const whole = await ollama.chat({ model: 'cloud-first', messages: ask, logprobs: true, top_logprobs: 3 });
    assertMatchesSpec('ollama', 'ChatResponse', json(whole));
    expect(whole.logprobs).toEqual(inOllamaShape(3));
    expect(t.openai.requests[0]!.body).toMatchObject({ logprobs: true, top_logprobs: 3 });

    const lines = await ollama.chat({ model: 'cloud-first', messages: ask, logprobs: true, top_logprobs: 3, stream: true });
    const streamed: unknown[] = [];
    for await (const line of lines) {
      assertMatchesSpec('ollama', 'ChatStreamEvent', json(line));
      streamed.push(...(line.logprobs ?? []));
    }
    expect(streamed).toEqual(inOllamaShape(3));

    const generated = await ollama.generate({ model: 'cloud-first', prompt: 'rate this answer', logprobs: true });
    assertMatchesSpec('ollama', 'GenerateResponse', json(generated));
    expect(generated.logprobs?.map((entry) => entry.token)).toEqual(tokens);
    expect(t.openai.requests.at(-1)!.path).toBe('/v1/chat/completions');
    expect(t.openai.requests.at(-1)!.body).toMatchObject({ logprobs: true });
  });

  it('reach a Responses client that includes them, whole and streamed', async () => {
    const client = new OpenAI({ baseURL: t.h.baseUrl, apiKey: 'any', maxRetries: 0 });
    const asked = { model: 'default', input: 'rate this answer', include: ['message.output_text.logprobs' as const], top_logprobs: 2 };
    const whole = await client.responses.create(asked);
    assertMatchesSpec('openai', 'Response', json(whole));
    expect(whole.top_logprobs).toBe(2);
    const text = whole.output.flatMap((item) => (item.type === 'message' ? item.content : []));
    expect(text).toEqual([expect.objectContaining({ type: 'output_text', text: tokens.join(''), logprobs: expected(2) })]);
    expect(t.ollama.requests[0]!.body).toMatchObject({ logprobs: true, top_logprobs: 2 });

    // A text delta carries each token's figures without its bytes, as the API's delta events have them.
    const withoutBytes = expected(2).map(({ token, logprob, top_logprobs }) => ({ token, logprob, top_logprobs: top_logprobs.map((alt) => ({ token: alt.token, logprob: alt.logprob })) }));
    const deltas: unknown[] = [];
    let done: unknown;
    for await (const event of await client.responses.create({ ...asked, stream: true })) {
      assertMatchesSpec('openai', 'ResponseStreamEvent', json(event));
      if (event.type === 'response.output_text.delta') deltas.push(...event.logprobs);
      if (event.type === 'response.output_text.done') done = event.logprobs;
    }
    expect(deltas).toEqual(withoutBytes);
    expect(done).toEqual(withoutBytes);

    // Not included, not asked of the model.
    await client.responses.create({ model: 'default', input: 'rate this answer' });
    expect(t.ollama.requests.at(-1)!.body).not.toHaveProperty('logprobs');
  });

  it('survive the answer cache: a whole answer served as a stream and a stream served whole', async () => {
    const client = new OpenAI({ baseURL: t.h.baseUrl, apiKey: 'any', maxRetries: 0 });
    const body = { model: 'cloud-first', messages: ask, logprobs: true, top_logprobs: 1, temperature: 0 };
    await client.chat.completions.create(body);
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const streamed: unknown[] = [];
    for await (const chunk of stream) streamed.push(...(chunk.choices[0]?.logprobs?.content ?? []));
    expect(t.openai.requests).toHaveLength(1);
    expect(streamed).toEqual(expected(1));

    // A Response kept whole from a server that speaks the Responses API, served as a stream.
    const config = t.configWith();
    t.h.gateway.applyConfig({ ...config, providers: config.providers.map((p) => (p.kind === 'openai' ? { ...p, apis: ['chat', 'responses'] } : p)) }, 'test');
    const asked = { model: 'cloud-first', input: 'rate this answer', include: ['message.output_text.logprobs' as const], top_logprobs: 1, temperature: 0 };
    const response = await client.responses.create(asked);
    expect(t.openai.requests.at(-1)!.path).toBe('/v1/responses');
    const kept = response.output.flatMap((item) => (item.type === 'message' ? item.content : []));
    expect(kept).toEqual([expect.objectContaining({ logprobs: expected(1) })]);
    const deltas: { token: string }[] = [];
    for await (const event of await client.responses.create({ ...asked, stream: true })) if (event.type === 'response.output_text.delta') deltas.push(...event.logprobs);
    expect(t.openai.requests).toHaveLength(2);
    expect(deltas.map((entry) => entry.token)).toEqual(tokens);

    // An Ollama answer kept whole and served as lines: the log probabilities ride with the text, as Ollama sends them.
    const res = await fetch(`${t.h.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'default', messages: ask, logprobs: true, stream: false, options: { temperature: 0 } }) });
    expect((await res.json()).logprobs).toHaveLength(tokens.length);
    const replay = await fetch(`${t.h.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'default', messages: ask, logprobs: true, options: { temperature: 0 } }) });
    const replayed = (await replay.text()).trim().split('\n').map((line) => JSON.parse(line));
    expect(t.ollama.requests).toHaveLength(1);
    expect(replayed.at(-1).done).toBe(true);
    expect(replayed.at(-1)).not.toHaveProperty('logprobs');
    expect(replayed.flatMap((line) => line.logprobs ?? []).map((entry: { token: string }) => entry.token)).toEqual(tokens);
  });

  it('are refused past 20 alternatives on the Ollama front door, in its own words', async () => {
    const res = await fetch(`${t.h.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'cloud-first', messages: ask, logprobs: true, top_logprobs: 21 }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/top_logprobs/);
    expect(t.openai.requests).toHaveLength(0);
  });
});

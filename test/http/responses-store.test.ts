/**
 * Responses the gateway keeps (`store`, the default): a conversation continued by
 * `previous_response_id` on any upstream, GET and DELETE of a kept response and its input items, each kept to the
 * client key that made it, and nothing kept with `store: false` or of an answer its client left.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { twoTierConfig } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';
import { useTwoTier } from '../support/two-tier';

// The cloud provider serves Responses itself (as OpenAI does): `mini` gets them passed through, `llama` translated.
const t = useTwoTier({
  ollama: { models: ['llama3.2:3b', 'nomic-embed-text', 'qwen3:8b'] },
  config: ({ ollama, openai }) => {
    const c = twoTierConfig({ ollama: ollama.url, openai: openai.url });
    Object.assign(c.providers[1]!, { apis: ['chat', 'responses'] });
    // A local model that thinks (llama3.2 does not: Ollama refuses to make it).
    c.deployments.push({ name: 'qwen', provider: 'local', model: 'qwen3:8b', type: 'chat' } as (typeof c.deployments)[number]);
    return c;
  },
});

describe('background', () => {
  it('answers a background request when it is done, on an upstream that runs it in the background too', async () => {
    // A client polls until the status is final: a response kept as "queued" would be polled for ever.
    for (const model of ['mini', 'llama']) {
      const created = await t.h.openai.responses.create({ model, input: 'take your time', background: true });
      expect([created.status, created.output_text]).toEqual(['completed', 'Echo: take your time']);
      const polled = await t.h.openai.responses.retrieve(created.id);
      expect([polled.status, polled.output_text]).toEqual(['completed', 'Echo: take your time']);
    }
    expect(t.openai.requests.at(-1)?.body.background).toBeUndefined();
  });

  it('answers a cancel with the final response, as a cancel of a finished one does: nothing runs on here', async () => {
    const created = await t.h.openai.responses.create({ model: 'mini', input: 'take your time', background: true });
    const cancelled = await t.h.openai.responses.cancel(created.id);
    expect([cancelled.id, cancelled.status, cancelled.output]).toEqual([created.id, 'completed', created.output]);
    expect(t.openai.requests.filter((r) => r.path.endsWith('/cancel'))).toEqual([]);
    await expect(t.h.openai.responses.cancel('resp_nope')).rejects.toMatchObject({ status: 404, error: { code: 'not_found' } });
    // Another client key's response is not its to cancel, nor to see.
    const other = new OpenAI({ baseURL: t.h.baseUrl, apiKey: t.h.gateway.keys.create(`other-${Date.now()}`).key, maxRetries: 0 });
    await expect(other.responses.cancel(created.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('previous_response_id', () => {
  it('continues a kept conversation on any upstream, and GET and DELETE work on kept responses', async () => {
    const first = await t.h.openai.responses.create({ model: 'mini', input: 'my name is Ada' });
    const second = await t.h.openai.responses.create({ model: 'llama', input: 'what is my name', previous_response_id: first.id });
    expect(second.previous_response_id).toBe(first.id);
    // Ollama saw the whole conversation: the first turn, its answer, the new question.
    expect(t.ollama.requests.at(-1)?.body.messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['user', 'my name is Ada'],
      ['assistant', 'Echo: my name is Ada'],
      ['user', 'what is my name'],
    ]);
    const third = await t.h.openai.responses.stream({ model: 'mini', input: 'and again', previous_response_id: second.id }).finalResponse();
    expect(third.previous_response_id).toBe(second.id);
    const sent = t.openai.requests.at(-1)?.body;
    expect(sent.previous_response_id).toBeUndefined();
    expect(sent.input.map((i: { role?: string; type?: string }) => i.role ?? i.type)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);

    const kept = await t.h.openai.responses.retrieve(second.id);
    expect(kept).toMatchObject({ id: second.id, previous_response_id: first.id, output: second.output });
    await t.h.openai.responses.delete(second.id);
    await expect(t.h.openai.responses.retrieve(second.id)).rejects.toMatchObject({ status: 404 });
    await expect(t.h.openai.responses.create({ model: 'mini', input: 'x', previous_response_id: second.id })).rejects.toMatchObject({ status: 404, error: { param: 'previous_response_id' } });
    // A DELETE whose (empty) body says it is JSON, as HTTP helpers that set the header on every call send it.
    const raw = await fetch(`${t.h.baseUrl}/responses/${first.id}`, { method: 'DELETE', headers: { 'content-type': 'application/json' } });
    expect(await raw.json()).toEqual({ id: first.id, object: 'response', deleted: true });
  });

  it('keeps a response to the client key that made it, under an id that cannot be guessed', async () => {
    const mine = t.h.gateway.keys.create('codex-a').key;
    const theirs = t.h.gateway.keys.create('codex-b').key;
    const as = (key: string) => new OpenAI({ baseURL: t.h.baseUrl, apiKey: key, maxRetries: 0 });
    const first = await as(mine).responses.create({ model: 'llama', input: 'private' });
    const second = await as(mine).responses.create({ model: 'llama', input: 'private too' });
    // The time (12 hex digits: kept in order, at the end of the store's index), then 32 random ones.
    expect(first.id).toMatch(/^resp_[0-9a-f]{44}$/);
    expect(Math.abs(parseInt(first.id.slice(5, 17), 16) - Date.now())).toBeLessThan(60_000);
    expect(second.id.slice(17, 29)).not.toBe(first.id.slice(17, 29));
    expect(second.id > first.id || second.id.slice(5, 17) === first.id.slice(5, 17)).toBe(true);
    expect((await as(mine).responses.retrieve(first.id)).id).toBe(first.id);
    await expect(as(theirs).responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
    await expect(t.h.openai.responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
    await expect(as(theirs).responses.create({ model: 'llama', input: 'x', previous_response_id: first.id })).rejects.toMatchObject({ status: 404 });
    await expect(as(theirs).responses.delete(first.id)).rejects.toMatchObject({ status: 404 });
  });

  it("lists a kept response's input items as OpenAI does: typed, with ids that page, newest first unless asked", async () => {
    const first = await t.h.openai.responses.create({ model: 'mini', input: 'Weather in Paris?', tools: [{ type: 'function', name: 'weather', parameters: { type: 'object', properties: {} }, strict: false }] });
    const call = first.output.find((o) => o.type === 'function_call') as { call_id: string };
    const second = await t.h.openai.responses.create({
      model: 'llama',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }, { role: 'developer', content: 'Be brief.' }, { role: 'user', content: [{ type: 'input_text', text: 'And now?' }] }],
    });
    const page = await t.h.openai.responses.inputItems.list(second.id);
    assertMatchesSpec('openai', 'ResponseItemList', page.data ? { object: 'list', data: page.data, first_id: page.data[0]?.id, last_id: page.data.at(-1)?.id, has_more: false } : page);
    expect(page.data.map((i) => [i.type, (i as { role?: string }).role])).toEqual([['message', 'user'], ['message', 'developer'], ['function_call_output', undefined]]);
    expect(page.data[1]).toMatchObject({ content: [{ type: 'input_text', text: 'Be brief.' }], status: 'completed' });

    const raw = async (query: string) => (await fetch(`${t.h.baseUrl}/responses/${second.id}/input_items${query}`)).json();
    const asc = await raw('?order=asc&limit=2');
    assertMatchesSpec('openai', 'ResponseItemList', asc);
    expect(asc).toMatchObject({ object: 'list', has_more: true, first_id: page.data[2]?.id, last_id: page.data[1]?.id });
    expect(await raw(`?order=asc&after=${asc.last_id}`)).toMatchObject({ data: [page.data[0]], has_more: false });
    // The same ids on every read; the first turn's string input listed as a user message.
    expect((await raw('')).data.map((i: { id: string }) => i.id)).toEqual(page.data.map((i) => i.id));
    expect((await t.h.openai.responses.inputItems.list(first.id)).data).toMatchObject([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] }]);
    expect((await fetch(`${t.h.baseUrl}/responses/${second.id}/input_items?limit=0`)).status).toBe(400);
    expect((await fetch(`${t.h.baseUrl}/responses/${second.id}/input_items?after=nope`)).status).toBe(400);
  });

  it('keeps an answer the cache gives as a response of its own, under an id of its own, and another key is not served it', async () => {
    const alice = new OpenAI({ baseURL: t.h.baseUrl, apiKey: t.h.gateway.keys.create('alice').key, maxRetries: 0 });
    const bob = new OpenAI({ baseURL: t.h.baseUrl, apiKey: t.h.gateway.keys.create('bob').key, maxRetries: 0 });
    // Temperature 0: the second is answered from the cache, an upstream's Response (mini passes Responses through).
    for (const stream of [false, true]) {
      const ask = (client: OpenAI) => client.responses.create({ model: 'mini', input: `the same question ${stream}`, temperature: 0, stream: false });
      const first = await ask(alice);
      const cached = await alice.responses.create({ model: 'mini', input: `the same question ${stream}`, temperature: 0, ...(stream ? { stream: true } : {}) } as never);
      let id: string;
      if (stream) {
        let done: { id: string } | undefined;
        for await (const event of cached as unknown as AsyncIterable<{ type: string; response?: { id: string } }>) if (event.type === 'response.completed') done = event.response;
        id = done!.id;
      } else id = (cached as { id: string }).id;
      expect(id).not.toBe(first.id);
      expect((await alice.responses.retrieve(first.id)).id).toBe(first.id);
      expect((await alice.responses.retrieve(id)).id).toBe(id);
      await expect(bob.responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
      // Alice's conversation goes on from her first response.
      expect((await alice.responses.create({ model: 'mini', input: 'and then?', previous_response_id: first.id })).status).toBe('completed');
      expect((await ask(bob)).id).not.toBe(first.id);
    }
    // Each question reached the upstream once for Alice (her second came from the cache) and once for Bob.
    expect(t.openai.requests.filter((r) => r.path === '/v1/responses' && String(r.body.input).startsWith('the same'))).toHaveLength(4);
  });

  it('keeps no answer its client left before the end, and says so when that id is asked for', async () => {
    await t.ollama.setMode({ kind: 'stall', chunks: 2 });
    const left = new AbortController();
    const stream = await t.h.openai.responses.create({ model: 'llama', input: 'a long answer', stream: true }, { signal: left.signal });
    let id = '';
    // Its id comes first; the SDK ends its stream quietly once aborted.
    for await (const event of stream) {
      if (event.type === 'response.created') id = event.response.id;
      if (event.type === 'response.output_text.delta') left.abort();
    }
    expect(id).toMatch(/^resp_/);
    await expect(t.h.openai.responses.retrieve(id)).rejects.toMatchObject({ status: 404, error: { code: 'not_found', message: expect.stringContaining('nor one whose client left before its end') } });
  });

  it('keeps nothing with store: false', async () => {
    const response = await t.h.openai.responses.create({ model: 'llama', input: 'secret', store: false });
    expect((response as { store?: boolean }).store).toBe(false);
    await expect(t.h.openai.responses.retrieve(response.id)).rejects.toMatchObject({ status: 404, error: { type: 'invalid_request_error' } });
  });
});

describe('item_reference', () => {
  // As the AI SDK sends a conversation while `store` is on: each earlier output item by its id.
  const reference = (id: string) => ({ type: 'item_reference' as const, id });

  it('stands for a kept output item, inline, on an upstream that translates and on one that passes through', async () => {
    const first = await t.h.openai.responses.create({ model: 'qwen', input: 'my name is Ada', reasoning: { effort: 'low' } });
    const [reasoning, message] = first.output as { id: string; type: string; content?: unknown }[];
    expect([reasoning?.type, message?.type]).toEqual(['reasoning', 'message']);
    const input = [{ role: 'user' as const, content: 'my name is Ada' }, reference(reasoning!.id), reference(message!.id), { role: 'user' as const, content: 'what is my name' }];
    await t.h.openai.responses.create({ model: 'qwen', input });
    expect(t.ollama.requests.at(-1)?.body.messages.map((m: { role: string; content: string; thinking?: string }) => [m.role, m.content, m.thinking])).toEqual([
      ['user', 'my name is Ada', undefined],
      ['assistant', 'Echo: my name is Ada', 'Let me think about it.'],
      ['user', 'what is my name', undefined],
    ]);
    await t.h.openai.responses.create({ model: 'mini', input });
    const sent = t.openai.requests.at(-1)?.body.input;
    // The message inline without the id OpenAI never made, with its phase (OpenAI asks for it back); the reasoning left out, as it carries no encrypted content.
    expect(sent).toEqual([{ role: 'user', content: 'my name is Ada' }, { type: 'message', role: 'assistant', content: message!.content, phase: 'final_answer' }, { role: 'user', content: 'what is my name' }]);
  });

  it('is the client key\'s that kept it; an unknown one goes on only to an upstream that may know it', async () => {
    const mine = t.h.gateway.keys.create('sdk-a').key;
    const theirs = t.h.gateway.keys.create('sdk-b').key;
    const as = (key: string) => new OpenAI({ baseURL: t.h.baseUrl, apiKey: key, maxRetries: 0 });
    const first = await as(mine).responses.create({ model: 'llama', input: 'private' });
    const input = [reference(first.output[0]!.id!), { role: 'user' as const, content: 'go on' }];
    const refused = await as(theirs).responses.create({ model: 'llama', input }).catch((error) => error);
    expect(refused).toMatchObject({ status: 400, error: { param: 'input[0].type', code: 'needs_native_api' } });
    expect(refused.error.message).toContain(`input item "${first.output[0]!.id}" (an item_reference) is not among the responses this gateway kept`);
    expect(t.ollama.requests).toHaveLength(1);
    await as(theirs).responses.create({ model: 'mini', input });
    expect(t.openai.requests.at(-1)?.body.input[0]).toEqual(reference(first.output[0]!.id!));
  });
});

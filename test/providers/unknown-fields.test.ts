/**
 * What strict servers say of a field they do not know, in each one's words, and the body without it.
 * The whole path (refused, asked again, left out from then on) is in test/http/gemini.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { upstreamStatusError } from '../../gateway/errors';
import { offeredEfforts, refusedFields } from '../../gateway/refusals';
import { createFieldLearner, refusalMemory, without } from '../../gateway/providers/unknown-fields';
import { createQuirkMemory } from '../../gateway/providers/quirk-memory';
import type { QuirkRows } from '../../gateway/providers/types';

const refusal = (status: number, body: unknown) => refusedFields(upstreamStatusError('p', status, {}, JSON.stringify(body)));

describe('a field refused as unknown', () => {
  it("is read in Google's, OpenAI's and Groq's words, with where it was", () => {
    const google = [{ error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received. Unknown name "user": Cannot find field.\nInvalid JSON payload received. Unknown name "reasoning_content" at \'messages[1]\': Cannot find field.\nInvalid JSON payload received. Unknown name "extra_content" at \'messages[1].tool_calls[0]\': Cannot find field.' } }];
    expect(refusal(400, google)).toEqual(['request:user', 'message:reasoning_content', 'call:extra_content']);
    expect(refusal(400, { error: { message: 'Unrecognized request argument supplied: top_k', type: 'invalid_request_error', param: null, code: null } })).toEqual(['request:top_k']);
    const groq = { error: { message: "'messages.1' : for 'role:assistant' the following must be satisfied[('messages.1' : property 'reasoning_content' is unsupported)]", type: 'invalid_request_error' } };
    expect(refusal(400, groq)).toEqual(['message:reasoning_content']);
    expect(refusal(400, { error: { message: "property 'user' is unsupported" } })).toEqual(['request:user']);
    // OpenAI's reasoning models (and Azure's, and relays') refuse what they do not take so.
    expect(refusal(400, { error: { message: "Unsupported parameter: 'stop' is not supported with this model.", type: 'invalid_request_error', param: 'stop', code: 'unsupported_parameter' } })).toEqual(['request:stop']);
    // Responses servers: OpenAI's, OpenCode Go's, the ChatGPT backend's; a nested field is none of the request's.
    expect(refusal(400, { error: { message: "Unknown parameter: 'prompt_cache_options'.", type: 'invalid_request_error', param: 'prompt_cache_options', code: 'unknown_parameter' } })).toEqual(['request:prompt_cache_options']);
    expect(refusal(400, { error: { message: 'Upstream request failed: [invalid_request_error] unknown parameter `access_programs`' } })).toEqual(['request:access_programs']);
    expect(refusal(400, { detail: 'Unsupported parameter: metadata' })).toEqual(['request:metadata']);
    expect(refusal(400, { error: { message: "Unknown parameter: 'input[13].namespace'.", code: 'unknown_parameter' } })).toEqual([]);
    // An effort a model does not have, in Google's and OpenAI's words.
    expect(refusal(400, [{ error: { message: 'Thinking level MEDIUM is not supported for this model. Please retry with other thinking level' } }])).toEqual(['request:reasoning_effort']);
    expect(refusal(400, { error: { message: "Unsupported value: 'reasoning_effort' does not support 'minimal' with this model. Supported values are: 'low', 'medium', and 'high'." } })).toEqual(['request:reasoning_effort']);
    expect(refusal(400, { error: { message: 'think value "medium" is not supported for this model', type: 'api_error' } })).toEqual(['request:reasoning_effort']);
    // Where the refusal lists the efforts the model has, the nearest of them goes instead.
    expect(offeredEfforts(upstreamStatusError('p', 400, {}, JSON.stringify({ error: { message: "Unsupported value: 'reasoning_effort' does not support 'max' with this model. Supported values are: 'none', 'low', 'medium', 'high', and 'xhigh'." } })))).toEqual(['none', 'low', 'medium', 'high', 'xhigh']);
    expect(offeredEfforts(upstreamStatusError('p', 400, {}, JSON.stringify({ error: { message: 'Invalid value for temperature. Supported values are: 0 to 2.' } })))).toEqual([]);
    // vLLM's pydantic refusal, as its error body carries it.
    const vllm = { object: 'error', message: `[{'type': 'literal_error', 'loc': ('body', 'reasoning_effort'), 'msg': "Input should be 'low', 'medium' or 'high'", 'input': 'xhigh'}]`, type: 'BadRequestError', param: null, code: 400 };
    expect(refusal(400, vllm)).toEqual(['request:reasoning_effort']);
    expect(offeredEfforts(upstreamStatusError('p', 400, {}, JSON.stringify(vllm)))).toEqual(['low', 'medium', 'high']);
    // A field of a tool's schema is not the request's, whatever its name.
    expect(refusal(400, [{ error: { message: `Unknown name "seed" at 'tools[0].function_declarations[0].parameters': Cannot find field.` } }])).toEqual([]);
    // Pydantic's words (strict Anthropic-compatible servers, Vertex AI), with where: the request, a caching hint, a tool, a message.
    const pydantic = (message: string) => refusal(400, { type: 'error', error: { type: 'invalid_request_error', message } });
    expect(pydantic('diagnostics: Extra inputs are not permitted')).toEqual(['request:diagnostics']);
    expect(pydantic('system.2.cache_control.ephemeral.scope: Extra inputs are not permitted')).toEqual(['cache:scope']);
    expect(pydantic('tools.0.custom.eager_input_streaming: Extra inputs are not permitted')).toEqual(['tool:eager_input_streaming']);
    expect(pydantic('messages.1.reasoning_content: Extra inputs are not permitted')).toEqual(['message:reasoning_content']);
    expect(pydantic('tools.0.input_schema.properties.city.foo: Extra inputs are not permitted')).toEqual([]);
  });

  it('is not read from other answers', () => {
    expect(refusal(500, { error: { message: 'Unrecognized request argument supplied: user' } })).toEqual([]);
    expect(refusal(400, { error: { message: 'Invalid value for temperature' } })).toEqual([]);
  });

  it('is left out of the request, its messages or their tool calls, copying only what changes', () => {
    const message = { role: 'user', content: 'hi' };
    const body = { model: 'm', user: 'u', messages: [message, { role: 'assistant', content: null, reasoning_content: 'r', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' }, extra_content: { x: 1 } }] }] };
    const out = without(body, new Set(['request:user', 'message:reasoning_content', 'call:extra_content']));
    expect(out).toEqual({ model: 'm', messages: [message, { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }] });
    expect((out.messages as unknown[])[0]).toBe(message);
    expect(body.user).toBe('u');
    expect(without(body, new Set(['request:seed']))).toBe(body);
  });
});

describe('the field learner', () => {
  const refusing = (message: string) => upstreamStatusError('p', 400, {}, JSON.stringify({ error: { message } }));

  it("asks again without a refused field, once per field, and leaves it out of that model's later requests", async () => {
    const learn = createFieldLearner();
    const sent: Record<string, unknown>[] = [];
    const send = async (body: Record<string, unknown>) => {
      sent.push(body);
      if ('user' in body) throw refusing('Unrecognized request argument supplied: user');
      return 'ok';
    };
    expect(await learn({ model: 'm', user: 'u', messages: [] }, send)).toBe('ok');
    expect(await learn({ model: 'm', user: 'u', messages: [] }, send)).toBe('ok');
    expect(sent.map((b) => 'user' in b)).toEqual([true, false, false]);
  });

  it('does not ask again when the field it names was not sent, nor when it is no field to leave out', async () => {
    const learn = createFieldLearner();
    let calls = 0;
    const failing = (message: string) => async () => {
      calls++;
      throw refusing(message);
    };
    await expect(learn({ model: 'm', messages: [] }, failing('Unrecognized request argument supplied: user'))).rejects.toThrow();
    await expect(learn({ model: 'm', messages: [], tools: [] }, failing('Unrecognized request argument supplied: tools'))).rejects.toThrow();
    expect(calls).toBe(2);
  });

  it('starts where an earlier run left off: efforts, ids and fields read back from their JSON as they were learned', async () => {
    // Rows as the store keeps them: every value through JSON.
    const kept = new Map<string, [string, string][]>();
    const rows: QuirkRows = {
      recall: (server, learner) => (kept.get(`${server}|${learner}`) ?? []).map(([model, json]) => [model, JSON.parse(json)]),
      note: (server, learner, model, value) => void kept.set(`${server}|${learner}`, [...(kept.get(`${server}|${learner}`) ?? []).filter(([m]) => m !== model), [model, JSON.stringify(value)]]),
      list: () => [],
      forget: () => undefined,
    };
    const provider = { name: 'strict', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } as const;
    const strict = (sent: Record<string, unknown>[]) => async (body: Record<string, unknown>) => {
      sent.push(body);
      if ('seed' in body) throw refusing('Unrecognized request argument supplied: seed');
      if (body.reasoning_effort === 'max') throw refusing("Unsupported value: 'reasoning_effort' does not support 'max' with this model. Supported values are: 'low', 'medium', and 'high'.");
      const ids = (body.messages as { tool_call_id?: string }[]).flatMap((m) => (m.tool_call_id ? [m.tool_call_id] : []));
      if (ids.some((id) => !/^[a-zA-Z0-9]{9}$/.test(id))) throw refusing('Tool call id was toolu_1 but must be a-z, A-Z, 0-9, with a length of 9.');
      return 'ok';
    };
    const body = { model: 'm', seed: 1, reasoning_effort: 'max', messages: [{ role: 'tool', tool_call_id: 'toolu_1', content: 'x' }] };
    const first: Record<string, unknown>[] = [];
    await createFieldLearner(undefined, { memory: refusalMemory({ quirks: createQuirkMemory(rows) }, provider, 'chat-fields') })(body, strict(first));
    expect(first.length).toBe(4);
    const later: Record<string, unknown>[] = [];
    // A restart: a new memory, started from the rows.
    await createFieldLearner(undefined, { memory: refusalMemory({ quirks: createQuirkMemory(rows) }, provider, 'chat-fields') })(body, strict(later));
    expect(later).toEqual([first.at(-1)]);
    expect(later[0]).toMatchObject({ reasoning_effort: 'high', messages: [{ tool_call_id: expect.stringMatching(/^[a-f0-9]{9}$/) }] });
    expect(later[0]).not.toHaveProperty('seed');
    // Another server starts with nothing learned.
    const elsewhere: Record<string, unknown>[] = [];
    await createFieldLearner(undefined, { memory: refusalMemory({ quirks: createQuirkMemory(rows) }, { ...provider, baseUrl: 'http://127.0.0.1:10/v1' }, 'chat-fields') })(body, strict(elsewhere));
    expect(elsewhere.length).toBe(4);
  });
});

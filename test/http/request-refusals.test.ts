/**
 * Requests refused in words the client can act on: a field that takes several kinds of value, about
 * the kind the client sent (not the first branch's complaint: "must be string" for an empty array
 * where arrays are fine); a turn with nothing in it, before a chat model is asked nothing.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

async function refusal(path: string, body: unknown): Promise<{ status: number; message: string; param: string | null }> {
  const res = await fetch(`${t.h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as { error: { message: string; param: string | null } | string };
  return typeof json.error === 'string' ? { status: res.status, message: json.error, param: null } : { status: res.status, ...json.error };
}

it("names the problem of the branch the value's kind chose, or every kind the field takes", async () => {
  expect(await refusal('/v1/embeddings', { model: 'embed', input: [] })).toMatchObject({ status: 400, param: 'input', message: 'Invalid request body: input must not have fewer than 1 items (got [])' });
  expect(await refusal('/api/embed', { model: 'embed', input: ['a', 7] })).toMatchObject({ status: 400, message: 'Invalid request body: input[1] must be string (got 7)' });
  expect(await refusal('/v1/embeddings', { model: 'embed', input: 5 })).toMatchObject({ param: 'input', message: expect.stringMatching(/^Invalid request body: input must be string or array .*\(got 5\)$/) });
  // An array of token arrays with a bad token is told about the token, not that its item is no string.
  expect(await refusal('/v1/embeddings', { model: 'embed', input: [[1, 2.5]] })).toMatchObject({ param: 'input[0][1]', message: 'Invalid request body: input[0][1] must be integer (got 2.5)' });
  // A function tool without its name: the variant its type names, not the hosted tools' branch.
  expect(await refusal('/v1/responses', { model: 'default', input: 'hi', tools: [{ type: 'function' }] })).toMatchObject({ status: 400, param: 'tools[0].name', message: 'Invalid request body: tools[0].name is required' });
  expect(await refusal('/v1/chat/completions', { model: 'default', messages: [{ role: 'user', content: 'hi' }], max_tokens: 'lots' })).toMatchObject({ param: 'max_tokens', message: 'Invalid request body: max_tokens must be integer or null (got "lots")' });
});

it('says the same of a body with many errors, whose list ends before a union has said which branch was meant', async () => {
  // TypeBox stops at its eighth error by default: the roles a message may have were cut to the first.
  const turns = Array.from({ length: 30 }, () => ({ role: 5, content: 1 }));
  expect(await refusal('/v1/messages', { model: 'default', max_tokens: 5, messages: turns })).toMatchObject({ status: 400, message: 'Invalid request body: messages[0].role must be "user", "assistant" or "system" (got 5)' });
  expect(await refusal('/v1/chat/completions', { model: 'default', messages: turns })).toMatchObject({ param: 'messages[0].role', message: 'Invalid request body: messages[0].role must be "system", "developer", "user", "assistant", "tool" or "function" (got 5)' });
  // A union whose own error never came (every item of a long array fails first) is settled on its branches.
  expect(await refusal('/v1/responses', { model: 'default', input: Array.from({ length: 1000 }, () => ({ type: 5 })) })).toMatchObject({ param: 'input[0].type', message: 'Invalid request body: input[0].type must be string (got 5)' });
});

it('refuses a turn with nothing in it, which a chat model would take as no turn at all', async () => {
  const before = t.ollama.requests.length;
  // Anthropic's rule, in its words: only the last turn, the assistant's, may be empty (a prefill).
  // Only empty text blocks (Claude Code has sent them) carry nothing either.
  for (const content of [[], '', [{ type: 'text', text: '' }, { type: 'text', text: '' }]]) {
    const res = await fetch(`${t.h.baseUrl}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', max_tokens: 5, messages: [{ role: 'user', content }] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'messages.0: all messages must have non-empty content except for the optional final assistant message' }, request_id: expect.stringMatching(/^req_/) });
  }
  const partly = await fetch(`${t.h.baseUrl}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'hi' }] }] }) });
  expect(partly.status).toBe(200);
  const prefill = await fetch(`${t.h.baseUrl}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: '' }] }) });
  expect(prefill.status).toBe(200);
  // A Response with no input and nothing to go on from: Ollama would only load the model.
  for (const body of [{ model: 'default' }, { model: 'default', input: [] }]) {
    expect(await refusal('/v1/responses', body)).toMatchObject({ status: 400, param: 'input', message: "The request has no input: give this turn's input (a string or input items), or previous_response_id to go on from a kept response" });
  }
  // A chat turn's list of parts has one, as OpenAI's own API requires.
  expect(await refusal('/v1/chat/completions', { model: 'default', messages: [{ role: 'user', content: [] }] })).toMatchObject({ status: 400, param: 'messages[0].content', message: 'Invalid request body: messages[0].content must not have fewer than 1 items (got [])' });
  expect(t.ollama.requests.length - before).toBe(2);
});

it('refuses a text that is no string, or a part without a type, which reached the model as "[object Object]" or was dropped', async () => {
  const before = t.ollama.requests.length;
  const messages = (content: unknown) => ({ model: 'default', max_tokens: 5, messages: [{ role: 'user', content }] });
  const result = (content: unknown) => [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content }] }];
  for (const [body, message] of [
    [{ ...messages('hi'), messages: result([{ type: 'text', text: { a: 1 } }]) }, 'messages[2].content[0].content[0].text: Input should be a valid string'],
    [{ ...messages('hi'), messages: result([{ text: 'r' }]) }, 'messages[2].content[0].content[0].type: Field required (a non-empty string)'],
    [{ ...messages('hi'), system: [{ type: 'text', text: ['s'] }] }, 'system[0].text: Input should be a valid string'],
    [{ ...messages('hi'), messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'text', text: 5 }] }] }, 'messages[1].content[0].text: Input should be a valid string'],
    [messages([{ type: 'search_result', source: 's', title: 't', content: [{ type: 'text', text: {} }] }]), 'messages[0].content[0].content[0].text: Input should be a valid string'],
  ] as const) {
    const res = await fetch(`${t.h.baseUrl}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect([res.status, await res.json()]).toEqual([400, { type: 'error', error: { type: 'invalid_request_error', message }, request_id: expect.stringMatching(/^req_/) }]);
  }
  for (const [input, param, message] of [
    [[{ role: 'user', content: [{ type: 'input_text', text: { a: 1 } }] }], 'input[0].content[0].text', "Invalid type for 'input[0].content[0].text': expected a string, but got an object instead."],
    [[{ role: 'user', content: [{ text: 'hi' }] }], 'input[0].content[0].type', "Missing required parameter: 'input[0].content[0].type' (a non-empty string)."],
    [[{ role: 'user', content: 'hi' }, { type: 'reasoning', summary: [{ type: 'summary_text', text: ['s'] }] }], 'input[1].summary[0].text', "Invalid type for 'input[1].summary[0].text': expected a string, but got an array instead."],
    [[{ role: 'assistant', content: [{ type: 'refusal', refusal: 5 }] }, { role: 'user', content: 'hi' }], 'input[0].content[0].refusal', "Invalid type for 'input[0].content[0].refusal': expected a string, but got a number instead."],
  ] as const) {
    expect(await refusal('/v1/responses', { model: 'default', input })).toMatchObject({ status: 400, param, message });
  }
  expect(t.ollama.requests.length).toBe(before);
});

it('refuses a usage page cursor it never gave, instead of starting again from the newest row', async () => {
  await t.chat({ model: 'default' });
  await t.chat({ model: 'default' });
  const first = (await (await t.h.admin('/admin/api/usage?limit=1')).json()) as { rows: { id: string }[]; next: string };
  const second = (await (await t.h.admin(`/admin/api/usage?limit=1&before=${first.next}`)).json()) as { rows: { id: string }[] };
  expect(second.rows[0]?.id).toMatch(/^req_/);
  expect(second.rows[0]?.id).not.toBe(first.rows[0]?.id);
  for (const cursor of ['zz', Buffer.from('1:x').toString('base64url'), Buffer.from('1:2:3').toString('base64url')]) {
    const res = await t.h.admin(`/admin/api/usage?limit=1&before=${cursor}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ param: 'before', code: 'invalid_request', message: 'before is not a cursor this gateway gave: pass the "next" of the page before' });
  }
  // A query only asks: its errors are no config's.
  const limit = await t.h.admin('/admin/api/usage?limit=lots');
  expect((await limit.json()).error).toMatchObject({ param: 'limit', code: 'invalid_request' });
});

it('says what a value a pattern refused should have been, in words rather than a regular expression', async () => {
  const query = async (path: string) => ((await (await t.h.admin(path)).json()) as { error: { message: string } }).error.message;
  expect(await query('/admin/api/usage?limit=ten')).toBe('Invalid query string: limit "ten" is not a whole number (at most 4 digits)');
  expect(await query('/admin/api/usage?status=fine')).toBe('Invalid query string: status "fine" is not "ok", "error" or an HTTP status (100 to 599)');
  expect(await query('/admin/api/config/revisions/latest')).toBe('Invalid path: id "latest" is not a whole number (at most 12 digits)');
  const key = await t.h.admin('/admin/api/keys', { method: 'POST', body: JSON.stringify({ name: 'my key' }) });
  expect((await key.json()).error.message).toBe('Invalid request body: name "my key" is not a valid key name (letters, digits and . _ -, up to 64)');
  expect(await refusal('/v1/chat/completions', { model: 'llama\n', messages: [{ role: 'user', content: 'hi' }] })).toMatchObject({ param: 'model', message: 'Invalid request body: model "llama\\n" is not a name without control characters (line breaks, tabs and the like)' });
});

it('refuses a query on an admin route that reads none, as a misspelt field anywhere else is refused', async () => {
  // `?hours=1` asked for the last hour of health history, and got the whole day without a word.
  for (const path of ['/admin/api/health/history?hours=1', '/admin/api/config/revisions?limit=5', '/admin/api/overview?range=week']) {
    const res = await t.h.admin(path);
    expect(res.status).toBe(400);
    const field = /\?(\w+)=/.exec(path)?.[1];
    expect((await res.json()).error).toMatchObject({ param: field, code: 'invalid_request', message: `Invalid query string: ${field} is not a known field` });
  }
  expect((await t.h.admin('/admin/api/health/history')).status).toBe(200);
});

it("marks a config route's body errors as the config's, and any other body's as a request's", async () => {
  const post = (path: string, body: unknown) => t.h.admin(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const config = await post('/admin/api/deployments', { name: 'x', provider: 'local', model: 5 });
  expect([config.status, (await config.json()).error]).toEqual([400, expect.objectContaining({ code: 'invalid_config', param: 'model' })]);
  // A client key, a playground turn and a tool's setup are not config: an error in them is the request's.
  for (const [path, body, param] of [
    ['/admin/api/keys', { name: 'ci', routes: 'default' }, 'routes'],
    ['/admin/api/playground', { model: 'default', messages: 'hi' }, 'messages'],
    ['/admin/api/connect/claude-code', { route: 5 }, 'route'],
  ] as const) {
    const res = await post(path, body);
    expect([path, res.status, (await res.json()).error]).toEqual([path, 400, expect.objectContaining({ code: 'invalid_request', param })]);
  }
});

/**
 * A field that takes several kinds of value is refused in words about the kind the client sent:
 * not with the first branch's complaint ("must be string" for an empty array where arrays are fine).
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
  expect(await refusal('/api/embed', { model: 'embed', input: [] })).toMatchObject({ status: 400, message: 'Invalid request body: input must not have fewer than 1 items (got [])' });
  expect(await refusal('/v1/embeddings', { model: 'embed', input: 5 })).toMatchObject({ param: 'input', message: expect.stringMatching(/^Invalid request body: input must be string or array .*\(got 5\)$/) });
  // An array of token arrays with a bad token is told about the token, not that its item is no string.
  expect(await refusal('/v1/embeddings', { model: 'embed', input: [[1, 2.5]] })).toMatchObject({ param: 'input[0][1]', message: 'Invalid request body: input[0][1] must be integer (got 2.5)' });
  // A function tool without its name: the variant its type names, not the hosted tools' branch.
  expect(await refusal('/v1/responses', { model: 'default', input: 'hi', tools: [{ type: 'function' }] })).toMatchObject({ status: 400, param: 'tools[0].name', message: 'Invalid request body: tools[0].name is required' });
  expect(await refusal('/v1/chat/completions', { model: 'default', messages: [{ role: 'user', content: 'hi' }], max_tokens: 'lots' })).toMatchObject({ param: 'max_tokens', message: 'Invalid request body: max_tokens must be integer or null (got "lots")' });
});

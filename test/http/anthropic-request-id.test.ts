/**
 * The request id on the Messages API as Anthropic gives it: a `request-id` header and an error body's
 * `request_id` (the official SDK reads them into an error's `requestID` and an answer's `_request_id`),
 * the same id as `x-request-id` and the usage row's, so an error a tool shows leads to its row.
 */
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const client = () => new Anthropic({ baseURL: t.h.url, apiKey: 'any', maxRetries: 0 });

it("names the request in Anthropic's header and error body, as its usage row does", async () => {
  const answer = await client().messages.create({ model: 'default', max_tokens: 32, messages: [{ role: 'user', content: 'Hello' }] });
  expect(answer._request_id).toMatch(/^req_/);
  const rows = await t.h.admin(`/admin/api/usage/${answer._request_id}`);
  expect(rows.status).toBe(200);

  const error = (await client()
    .messages.create({ model: 'no-such-route', max_tokens: 32, messages: [{ role: 'user', content: 'Hello' }] })
    .catch((e: unknown) => e)) as APIError;
  expect(error).toBeInstanceOf(APIError);
  expect(error.status).toBe(404);
  expect(error.requestID).toMatch(/^req_/);
  expect(error.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' }, request_id: error.requestID });
  expect(error.headers?.get('x-request-id')).toBe(error.requestID);
});

it('names a request refused before routing too (a body the schema refuses), and on the models list', async () => {
  const res = await fetch(`${t.h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: '{"model":"default"}' });
  const body = await res.json();
  expect(res.status).toBe(400);
  expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' }, request_id: res.headers.get('request-id') });
  expect(body.request_id).toBe(res.headers.get('x-request-id'));
  const missing = await fetch(`${t.h.url}/v1/models/no-such-model`, { headers: { 'anthropic-version': '2023-06-01' } });
  expect(await missing.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' }, request_id: missing.headers.get('x-request-id') });
});

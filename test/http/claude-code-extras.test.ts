/**
 * What Claude Code sends `ANTHROPIC_BASE_URL` besides the Messages API. Its start's `HEAD /api/hello`
 * is answered. Its telemetry batches are taken and dropped, so it neither retries one nor keeps it to
 * send again, and nothing of them is stored or passed to a provider. Neither path is named among
 * the Ollama API's endpoints.
 */
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

/** A batch as Claude Code sends it: its 1P events, with its key and user agent. */
const batch = JSON.stringify({
  events: [
    { event_type: 'ClaudeCodeInternalEvent', event_data: { event_name: 'tengu_startup', client_timestamp: '2026-12-07T06:00:00.000Z', session_id: 'e7b1c0de', model: 'claude-sonnet-4-6', env: { platform: 'linux', version: '2.1.0' } } },
    { event_type: 'ClaudeCodeInternalEvent', event_data: { event_name: 'tengu_api_success', session_id: 'e7b1c0de', additional_metadata: '{"ttftMs":412}' } },
  ],
});
const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-switchyard-any', 'user-agent': 'claude-cli/2.1.0 (external, cli)', 'x-service-name': 'claude-code' };

it('takes each batch at both of its paths and keeps nothing of it', async () => {
  const since = Date.now() - 1000;
  for (const path of ['/api/event_logging/batch', '/api/event_logging/v2/batch']) {
    const res = await fetch(`${t.h.url}${path}`, { method: 'POST', headers, body: batch });
    expect([path, res.status, await res.json()]).toEqual([path, 200, {}]);
  }
  // Compressed, or of another type: still never read.
  const zipped = await fetch(`${t.h.url}/api/event_logging/batch`, { method: 'POST', headers: { ...headers, 'content-encoding': 'gzip' }, body: gzipSync(batch) });
  const text = await fetch(`${t.h.url}/api/event_logging/batch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'not json' });
  expect([zipped.status, text.status]).toEqual([200, 200]);
  expect([t.ollama.requests.length, t.openai.requests.length]).toEqual([0, 0]);
  expect(t.rows(since)).toEqual([]);
});

it('refuses a batch past its limit, and a page of another origin', async () => {
  const huge = await fetch(`${t.h.url}/api/event_logging/batch`, { method: 'POST', headers, body: 'x'.repeat(9 * 1024 * 1024) });
  expect(huge.status).toBe(413);
  const page = await fetch(`${t.h.url}/api/event_logging/batch`, { method: 'POST', headers: { ...headers, origin: 'https://example.com' }, body: batch });
  expect(page.status).toBe(403);
});

it('wants a client key for a batch where keys are required, and spends none of its rate limit', async () => {
  t.h.gateway.applyConfig(t.configWith({ clientKeys: { required: true } }), 'test');
  const { key } = t.h.gateway.keys.create(`claude-${Date.now()}`, { rateLimitPerMinute: 1 });
  const post = (auth?: string) => fetch(`${t.h.url}/api/event_logging/batch`, { method: 'POST', headers: { ...headers, authorization: auth ?? '' }, body: batch });
  expect((await post()).status).toBe(401);
  expect((await post('Bearer sk-switchyard-unknown')).status).toBe(401);
  for (let i = 0; i < 3; i++) expect((await post(`Bearer ${key}`)).status).toBe(200);
  // The key's one request a minute is still there for the model.
  const { res } = await t.chat({ model: 'default' }, { authorization: `Bearer ${key}` });
  expect(res.status).toBe(200);
  // Its start's preconnect carries no key, and needs none.
  expect((await fetch(`${t.h.url}/api/hello`, { method: 'HEAD' })).status).toBe(200);
});

it("answers the HEAD /api/hello it opens a connection with at start", async () => {
  const res = await fetch(`${t.h.url}/api/hello`, { method: 'HEAD', headers: { 'user-agent': 'claude-cli/2.1.332 (external, cli)' } });
  expect(res.status).toBe(200);
  expect([t.ollama.requests.length, t.openai.requests.length]).toEqual([0, 0]);
});

it('is no part of the Ollama API: other paths there are 404s that do not name it', async () => {
  const res = await fetch(`${t.h.url}/api/event_logging`, { method: 'POST', headers, body: batch });
  expect(res.status).toBe(404);
  const said = (await res.json()).error as string;
  expect(said).toMatch(/under \/api the gateway serves version, tags/);
  expect(said).not.toMatch(/event_logging\/|batch|hello/);
  expect((await fetch(`${t.h.url}/api/event_logging/batch`)).status).toBe(404);
});

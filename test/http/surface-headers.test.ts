/**
 * Which answers say how they were routed: a model surface's, errors included, name a deployment and
 * the attempts; the dashboard, its API and /health are routed to no deployment, so they carry the
 * request id alone, not a "deployment: none" that reads as a routing failure.
 */
import { expect, it } from 'vitest';
import { twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ config: () => twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url }) });

it('names a deployment and its attempts on model answers only; every answer names its request', async () => {
  const unrouted = [
    await fetch(`${t.h.url}/health`),
    await fetch(`${t.h.url}/`),
    await t.h.admin('/admin/api/settings'),
    await fetch(`${t.h.url}/admin/api/settings`),
  ];
  for (const res of unrouted) {
    expect(res.headers.get('x-request-id'), res.url).toMatch(/^req_/);
    expect([res.headers.get('x-switchyard-deployment'), res.headers.get('x-switchyard-attempts')], res.url).toEqual([null, null]);
  }
  expect(unrouted.map((res) => res.status)).toEqual([200, 200, 200, 401]);

  const refused = await fetch(`${t.h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }) });
  expect(refused.status).toBe(404);
  expect([refused.headers.get('x-request-id'), refused.headers.get('x-switchyard-deployment'), refused.headers.get('x-switchyard-attempts')]).toEqual([expect.stringMatching(/^req_/), 'none', '0']);
  const answered = await fetch(`${t.h.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }], stream: false }) });
  expect([answered.status, answered.headers.get('x-switchyard-deployment'), answered.headers.get('x-switchyard-attempts')]).toEqual([200, 'llama', '1']);
});

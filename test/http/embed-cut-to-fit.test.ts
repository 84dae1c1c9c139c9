/**
 * Ollama's embed cuts an input past the window to fit unless the request says `truncate: false`
 * (its documented default). The Ollama front door refused such an input outright wherever the
 * gateway knew the window, so a tool that indexes with Ollama's default, and embeds a few long
 * chunks cut, failed on them through the gateway. Now a deployment that reads the input whole
 * still goes first; with none, an Ollama deployment reads what fits, run at the largest window
 * its model takes, as Ollama would, and the request's decision says so.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const longDocument = Array.from({ length: 12_000 }, (_, i) => `word${i}`).join(' ');
const decisionOf = async (id: string | null) => (await (await t.h.admin(`/admin/api/usage/${id}`)).json()).decision;

const embed = (body: Record<string, unknown>) =>
  fetch(`${t.h.url}/api/embed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (res) => ({ status: res.status, id: res.headers.get('x-request-id'), body: await res.json() }));

it("has an Ollama cut an input too long for every deployment, as Ollama's own default does, at the largest window its model takes", async () => {
  await t.h.gateway.health.probeAll();
  const answer = await embed({ model: 'local-embed', input: longDocument });
  expect(answer.status).toBe(200);
  expect(answer.body.embeddings).toHaveLength(1);
  // The fake Ollama reads at most its window: 8,192 of the 12,000 words.
  expect(answer.body.prompt_eval_count).toBe(8192);
  expect(t.ollama.requests.at(-1)).toMatchObject({ path: '/api/embed', body: { model: 'nomic-embed-text', options: { num_ctx: 8192 } } });
  expect(t.ollama.requests.at(-1)?.body.truncate).toBeUndefined();
  expect(await decisionOf(answer.id)).toMatchObject({ cut: ['local-embed'], steps: [{ deployment: 'local-embed', outcome: 'ok' }] });
});

it('still refuses it with truncate: false, and OpenAI-API requests, which are refused rather than cut', async () => {
  await t.h.gateway.health.probeAll();
  expect((await embed({ model: 'local-embed', input: longDocument, truncate: false })).status).toBe(400);
  const openai = await fetch(`${t.h.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'local-embed', input: longDocument }) });
  expect(openai.status).toBe(400);
  expect(t.ollama.requests.filter((r) => r.path === '/api/embed')).toHaveLength(0);
});

it('sends it to a deployment that reads it whole first, when the route has one', async () => {
  await t.h.gateway.health.probeAll();
  const config = t.h.gateway.config();
  // A second Ollama deployment of the same model, run with a window that takes the whole document.
  const wide = { name: 'wide-embed', provider: 'local', model: 'nomic-embed-text', type: 'embedding' as const, contextWindow: 65_536 };
  expect(t.h.gateway.applyConfig({ ...config, deployments: [...config.deployments, wide], routes: [...config.routes, { name: 'both', deployments: ['local-embed', 'wide-embed'] }] }, 'test').ok).toBe(true);
  const answer = await embed({ model: 'both', input: longDocument });
  expect(answer.status).toBe(200);
  expect(await decisionOf(answer.id)).toMatchObject({ cut: ['local-embed'], steps: [{ deployment: 'wide-embed', outcome: 'ok' }] });
});

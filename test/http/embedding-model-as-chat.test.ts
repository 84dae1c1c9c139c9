/**
 * An embedding model added as a chat deployment (the form's default type), which Ollama refuses to
 * chat with ("does not support chat"). Every chat request was sent to it to be refused before the
 * route went on, and a route of it alone answered with Ollama's words, which do not say what to
 * change. Once its Ollama has said what the model does, it is passed over, naming the fix.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({
  config: (t) => {
    const config = t.configWith();
    const misfiled = { name: 'nomic', provider: 'local', model: 'nomic-embed-text' };
    return { ...config, deployments: [...config.deployments, misfiled], routes: [...config.routes, { name: 'both', deployments: ['nomic', 'mini'] }] };
  },
});

it("is refused by the fake Ollama as Ollama refuses it, before the gateway knows what the model does", async () => {
  const routed = await t.chat({ model: 'both' });
  expect(routed.res.headers.get('x-switchyard-deployment')).toBe('mini');
  expect(t.ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(1);
});

it('passes over it with the fix in words, once its Ollama said it only embeds', async () => {
  await t.h.gateway.health.probeAll();
  const alone = await t.chat({ model: 'nomic' });
  expect(alone.res.status).toBe(400);
  expect(JSON.parse(alone.text).error.message).toContain('nomic (nomic-embed-text) is an embedding model: it does not chat. Set the deployment\'s type to "embedding"');
  const routed = await t.chat({ model: 'both' });
  expect(routed.res.status).toBe(200);
  expect(routed.res.headers.get('x-switchyard-deployment')).toBe('mini');
  expect(t.ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
  // The health report, which the Routes page reads, says the same of it alone.
  const health = (await (await t.h.admin('/admin/api/health')).json()) as { deployments: { name: string; misfiled: boolean }[] };
  expect(health.deployments.filter((d) => d.misfiled).map((d) => d.name)).toEqual(['nomic']);
});

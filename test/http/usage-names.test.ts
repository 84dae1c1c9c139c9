/** The names the usage log has rows of in a range (the filters' options): a route renamed since too. */
import { describe, expect, it } from 'vitest';
import { startGateway, twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const config = () => twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url });
const t = useTwoTier({ config: () => config() });

describe('usage names', () => {
  it('names what the log has rows of in a range, a route renamed since too, for the filters', async () => {
    const own = await startGateway(config());
    try {
      await own.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
      await own.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'x' }] });
      const route = (await own.admin('/admin/api/routes').then((r) => r.json())).routes.find((r: { name: string }) => r.name === 'default');
      expect((await own.admin('/admin/api/routes/default', { method: 'PUT', body: JSON.stringify({ ...route, name: 'everyday' }) })).status).toBe(200);
      await own.openai.chat.completions.create({ model: 'everyday', messages: [{ role: 'user', content: 'x' }] });
      const since = Date.now() - 3_600_000;
      // A request that named a deployment went by no route.
      expect(await own.admin(`/admin/api/usage/names?since=${since}`).then((r) => r.json())).toEqual({ routes: ['default', 'everyday'], deployments: ['llama', 'mini'], providers: ['cloud', 'local'], clientKeys: ['anonymous'], tools: ['OpenAI SDK (JS)'] });
      expect(await own.admin(`/admin/api/usage/names?since=${Date.now() + 7_200_000}`).then((r) => r.json())).toEqual({ routes: [], deployments: [], providers: [], clientKeys: [], tools: [] });
      // The log's rows of the old name are read by it.
      expect((await own.admin(`/admin/api/usage?route=default&since=${since}`).then((r) => r.json())).rows).toHaveLength(1);
      for (const query of ['since=not-a-time', 'route=default']) expect((await own.admin(`/admin/api/usage/names?${query}`)).status).toBe(400);
    } finally {
      await own.stop();
    }
  });
});

/**
 * Continue's guide offers the config's embedding model too: Continue's @Codebase and @Docs need a
 * model with the `embed` role to index with, and the guide gave only the chat one, so an indexing
 * Continue fell back to its own bundled embedder and never used the gateway's.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startGateway, twoTierConfig } from '../support/harness';

const continueGuide = async (config: ReturnType<typeof twoTierConfig>) => {
  const h = await startGateway(config);
  try {
    const guides = await h.admin('/admin/api/connect').then((r) => r.json());
    return { url: h.url, guide: guides.tools.find((t: { id: string }) => t.id === 'continue') };
  } finally {
    await h.stop();
  }
};

describe("Continue's guide", () => {
  it('lists the first embedding route as a model with the embed role, beside the chat one', async () => {
    const { url, guide } = await continueGuide(twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' }));
    expect(parseYaml(guide.snippet.text)).toEqual({
      models: [
        { name: 'Switchyard default', provider: 'ollama', apiBase: url, model: 'default', roles: ['chat', 'edit', 'apply', 'autocomplete'] },
        { name: 'Switchyard embed', provider: 'ollama', apiBase: url, model: 'embed', roles: ['embed'] },
      ],
    });
    expect(guide.settings).toContainEqual({ label: 'embeddings model (roles: [embed])', value: 'embed' });
  });

  it('offers no embeddings model where the config has none', async () => {
    const config = twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' });
    const chatOnly = { ...config, deployments: config.deployments.filter((d) => d.type !== 'embedding'), routes: config.routes.filter((r) => r.name !== 'embed') };
    const { guide } = await continueGuide(chatOnly as typeof config);
    expect(parseYaml(guide.snippet.text).models).toHaveLength(1);
    expect(guide.settings.map((s: { label: string }) => s.label)).not.toContain('embeddings model (roles: [embed])');
  });
});

/**
 * The guides of tools that index documents offer the config's embedding model too. Continue's
 * @Codebase and @Docs need a model with the `embed` role, and Open WebUI's documents an embedding
 * engine: the guides gave only the chat model, so each indexed with an embedder of its own (Continue's
 * bundled one, Open WebUI's SentenceTransformers model) and never used the gateway's.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startGateway, twoTierConfig } from '../support/harness';

const guideOf = async (id: string, config: ReturnType<typeof twoTierConfig>) => {
  const h = await startGateway(config);
  try {
    const guides = await h.admin('/admin/api/connect').then((r) => r.json());
    return { url: h.url, guide: guides.tools.find((t: { id: string }) => t.id === id) };
  } finally {
    await h.stop();
  }
};

describe("Continue's guide", () => {
  it('lists the first embedding route as a model with the embed role, beside the chat one', async () => {
    const { url, guide } = await guideOf('continue', twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' }));
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
    const { guide } = await guideOf('continue', chatOnly as typeof config);
    expect(parseYaml(guide.snippet.text).models).toHaveLength(1);
    expect(guide.settings.map((s: { label: string }) => s.label)).not.toContain('embeddings model (roles: [embed])');
  });
});

describe("Open WebUI's guide", () => {
  it('sets its document embedding engine to the first embedding route, through the same Ollama URL', async () => {
    const { url, guide } = await guideOf('open-webui', twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' }));
    expect(guide.settings).toEqual(expect.arrayContaining([
      { label: 'RAG_EMBEDDING_ENGINE', value: 'ollama' },
      { label: 'RAG_EMBEDDING_MODEL', value: 'embed' },
      { label: 'RAG_OLLAMA_BASE_URL', value: url },
    ]));
    expect(guide.snippet.text).toBe(`docker run -d --network=host -v open-webui:/app/backend/data -e OLLAMA_BASE_URL=${url} -e RAG_EMBEDDING_ENGINE=ollama -e RAG_EMBEDDING_MODEL=embed -e RAG_OLLAMA_BASE_URL=${url} --name open-webui ghcr.io/open-webui/open-webui:main`);
  });
});

describe("AnythingLLM's guide", () => {
  it('sets its LLM and its embedder to Ollama at the gateway, the token both send when keys are required', async () => {
    const config = twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' });
    const { url, guide } = await guideOf('anythingllm', config);
    expect(guide.settings).toEqual([
      { label: 'LLM Preference', value: 'Ollama' },
      { label: 'Ollama Model', value: 'default' },
      { label: 'Ollama Base URL (advanced settings)', value: url },
      { label: 'Embedder Preference', value: 'Ollama' },
      { label: 'Embedder: Ollama Base URL', value: url },
      { label: 'Embedder: Embedding Model', value: 'embed' },
    ]);
    expect(guide.snippet.text).toBe(`LLM_PROVIDER='ollama'\nOLLAMA_BASE_PATH='${url}'\nOLLAMA_MODEL_PREF='default'\nEMBEDDING_ENGINE='ollama'\nEMBEDDING_BASE_PATH='${url}'\nEMBEDDING_MODEL_PREF='embed'`);

    const keyed = await guideOf('anythingllm', { ...config, settings: { clientKeys: { required: true } } } as typeof config);
    expect(keyed.guide.settings).toContainEqual({ label: 'Auth Token (advanced settings; the embedder sends it too)', value: expect.any(String) });
    expect(keyed.guide.snippet.text).toMatch(/\nOLLAMA_AUTH_TOKEN='.+'\n/);
  });
});

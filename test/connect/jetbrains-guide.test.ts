/**
 * JetBrains AI Assistant's guide: its Ollama provider at the gateway's URL, and, where client keys
 * are required, its OpenAI-compatible provider instead, which takes a key.
 */
import { expect, it } from 'vitest';
import { startGateway, twoTierConfig } from '../support/harness';

const guideOf = async (settings: Record<string, unknown>) => {
  const h = await startGateway({ ...twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' }), settings });
  try {
    const guides = await h.admin('/admin/api/connect').then((r) => r.json());
    return { url: h.url, guide: guides.tools.find((t: { id: string }) => t.id === 'jetbrains') };
  } finally {
    await h.stop();
  }
};

it('points its Ollama provider at the gateway, and names the OpenAI-compatible one where keys are required', async () => {
  const open = await guideOf({});
  expect(open.guide).toMatchObject({ name: 'JetBrains AI Assistant', api: 'ollama' });
  expect(open.guide.settings).toContainEqual({ label: 'Host URL', value: open.url });
  expect(open.guide.settings.map((s: { label: string }) => s.label)).not.toContain('With client keys required');
  const keyed = await guideOf({ clientKeys: { required: true } });
  expect(keyed.guide.settings).toContainEqual({ label: 'With client keys required', value: `the OpenAI-compatible provider instead: URL ${keyed.url}/v1, API Key a client key, model default` });
});

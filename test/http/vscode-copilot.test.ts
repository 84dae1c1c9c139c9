/**
 * VS Code's GitHub Copilot, its Ollama provider pointed at the gateway
 * (`github.copilot.chat.byok.ollamaEndpoint`), as its source does it: `/api/version` at least
 * 0.6.4, the models of `/api/tags` (their `model` field), each one's `/api/show` (tools, vision,
 * `model_info["<general.architecture>.context_length"]`), then chat over `/v1/chat/completions`.
 * A route is described as its local model (its window is what Copilot budgets prompts to). While
 * the Ollama is down, each `/api/show` answers at once from what it said before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer, openai: FakeServer, h: Harness;

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  h = await startGateway(twoTierConfig({ ollama: ollama.url, openai: openai.url }));
});
afterAll(() => stopAll(h, ollama, openai));

describe("Copilot's Ollama provider", () => {
  it('finds every route with its tools and window, and chats with one', async () => {
    const { version } = (await fetch(`${h.url}/api/version`).then((r) => r.json())) as { version: string };
    const [major, minor, patch] = version.replace(/^v/, '').split('-')[0]!.split('.').map(Number);
    expect(major! > 0 || minor! > 6 || (minor === 6 && patch! >= 4)).toBe(true);

    const { models } = (await fetch(`${h.url}/api/tags`).then((r) => r.json())) as { models: { model: string; name: string }[] };
    expect(models.map((m) => m.model)).toEqual(expect.arrayContaining(['default', 'cloud-first']));

    const info = (await fetch(`${h.url}/api/show`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default' }) }).then((r) => r.json())) as { capabilities: string[]; model_info: Record<string, unknown> };
    expect(info.capabilities).toContain('tools');
    const window = info.model_info[`${String(info.model_info['general.architecture'])}.context_length`];
    expect(window).toBe(8192);

    const chat = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', stream: true, messages: [{ role: 'user', content: 'hi there' }] }) }).then((r) => r.text());
    expect(chat).toContain('"content":"there"');
    expect(chat.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('is told at once of every model while the Ollama hangs, with the family, window and tools it said before', async () => {
    await h.gateway.health.probeAll();
    const show = async (model: string) => (await fetch(`${h.url}/api/show`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model }) }).then((r) => r.json())) as { capabilities: string[]; model_info: Record<string, unknown> };
    const before = await show('default');
    await ollama.setMode({ kind: 'hang' });
    try {
      // The probe waits out its timeout: the Ollama is down from then on.
      await h.gateway.health.probeAll();
      expect(h.gateway.health.latest('local')?.ok).toBe(false);
      const asked = ollama.requests.length;
      // Copilot asks for each model in turn, each within its own timeout.
      const shown = await Promise.all(['default', 'llama', 'cloud-first'].map(show));
      await fetch(`${h.url}/api/ps`);
      expect(ollama.requests.slice(asked).map((r) => r.path)).toEqual([]);
      expect(shown[0]?.model_info).toEqual(expect.objectContaining({ 'general.architecture': before.model_info['general.architecture'], [`${String(before.model_info['general.architecture'])}.context_length`]: 8192 }));
      expect(before.model_info['general.architecture']).not.toBe('ollama');
      expect(shown[0]?.capabilities).toEqual(before.capabilities);
    } finally {
      await ollama.setMode({ kind: 'healthy' });
    }
  }, 20_000);
});

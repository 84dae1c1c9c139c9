/**
 * What strict upstreams refused is kept across a restart: a field Gemini does not know, an answer
 * limit Groq names, a model OpenAI serves by Responses alone. Each is learned from one refusal, and
 * after a restart on the same data dir the first request goes as the server takes it. What was
 * learned belongs to the server (its base URL), lapses after 30 days or when an Ollama is upgraded,
 * and a damaged record is learned again rather than trusted.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeGemini } from '../support/fake-gemini';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, tempDir, type Harness } from '../support/harness';

let gemini: FakeServer;
let groq: FakeServer;
let ollama: FakeServer;
let data: ReturnType<typeof tempDir>;
/** What the fake Ollama serves and says of itself: a test upgrades it by changing its version. */
const ollamaSays = { models: ['llama3.2:3b'], version: '0.12.6' };
const DAY = 24 * 3_600_000;

const config = (geminiUrl = gemini.url) => ({
  version: 1,
  providers: [
    { name: 'gemini', kind: 'openai', baseUrl: `${geminiUrl}/v1beta/openai`, apiKey: 'env:TEST_KEY' },
    { name: 'groq', kind: 'openai', baseUrl: `${groq.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
  ],
  deployments: [
    { name: 'flash', provider: 'gemini', model: 'gemini-3.5-flash' },
    { name: 'kimi', provider: 'groq', model: 'moonshotai/kimi-k2-instruct' },
    { name: 'codex', provider: 'groq', model: 'gpt-5.1-codex' },
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
  ],
  routes: [],
});

beforeAll(async () => {
  [gemini, groq, ollama] = await Promise.all([startFakeGemini(), startFakeOpenAI(), startFakeOllama(ollamaSays)]);
});
afterAll(async () => {
  await Promise.all([gemini.stop(), groq.stop(), ollama.stop()]);
});
beforeEach(() => {
  data?.remove();
  data = tempDir();
  gemini.requests.length = 0;
  groq.requests.length = 0;
  ollama.requests.length = 0;
});
afterAll(() => data?.remove());

/** A gateway on the test's data dir, started, used once and stopped: a run of the app. */
async function run<T>(use: (h: Harness) => Promise<T>, options: { now?: () => number; geminiUrl?: string } = {}): Promise<T> {
  const h = await startGateway(config(options.geminiUrl), { dataDir: data.path, ...(options.now ? { now: options.now } : {}) });
  try {
    return await use(h);
  } finally {
    await h.stop();
  }
}
const askFlash = (h: Harness) => h.openai.chat.completions.create({ model: 'flash', user: 'someone', messages: [{ role: 'user', content: 'hi' }] });
const sentTo = (fake: FakeServer, path: string) => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path));

describe('a quirk learned from a refusal', () => {
  it('is kept across a restart: the next run sends the request as the server takes it, the first time', async () => {
    await run(async (h) => expect((await askFlash(h)).choices[0]?.message.content).toBeTruthy());
    expect(sentTo(gemini, '/chat/completions').map((r) => 'user' in (r.body as object))).toEqual([true, false]);

    await run(async (h) => {
      expect((await askFlash(h)).choices[0]?.message.content).toBeTruthy();
      // Groq's limit and OpenAI's Responses-only model, each learned from its refusal.
      await h.openai.chat.completions.create({ model: 'kimi', max_tokens: 50_000, messages: [{ role: 'user', content: 'hi' }] });
      await h.openai.chat.completions.create({ model: 'codex', messages: [{ role: 'user', content: 'hi' }] });
    });
    expect(sentTo(gemini, '/chat/completions').map((r) => 'user' in (r.body as object))).toEqual([true, false, false]);
    expect(sentTo(groq, '/chat/completions').map((r) => [(r.body as { model: string }).model, (r.body as { max_tokens?: number }).max_tokens])).toEqual([
      ['moonshotai/kimi-k2-instruct', 50_000],
      ['moonshotai/kimi-k2-instruct', 16_384],
      ['gpt-5.1-codex', undefined],
    ]);
    expect(sentTo(groq, '/responses')).toHaveLength(1);

    groq.requests.length = 0;
    await run(async (h) => {
      await h.openai.chat.completions.create({ model: 'kimi', max_tokens: 50_000, messages: [{ role: 'user', content: 'hi' }] });
      await h.openai.chat.completions.create({ model: 'codex', messages: [{ role: 'user', content: 'hi' }] });
    });
    // Within the limit and by Responses from the first request.
    expect(sentTo(groq, '/chat/completions').map((r) => (r.body as { max_tokens?: number }).max_tokens)).toEqual([16_384]);
    expect(sentTo(groq, '/responses')).toHaveLength(1);
  });

  it('keeps an Ollama model that does not think from being asked to, before any probe has said so', async () => {
    // The health probe, which reads a model's capabilities, is off here: only the refusal says it.
    const ask = (h: Harness) => h.ollama.chat({ model: 'llama', think: true, messages: [{ role: 'user', content: 'hi' }] });
    await run(async (h) => expect((await ask(h)).message.content).toBeTruthy());
    await run(async (h) => {
      expect((await ask(h)).message.content).toBeTruthy();
      const quirks = (await (await h.admin('/admin/api/quirks')).json()) as { quirks: { provider: string; model: string; learned: string }[] };
      expect(quirks.quirks).toEqual([expect.objectContaining({ provider: 'local', model: 'llama3.2:3b', learned: 'does not think: asked for none' })]);
    });
    expect(sentTo(ollama, '/api/chat').map((r) => (r.body as { think?: unknown }).think)).toEqual([true, undefined, undefined]);
  });

  it('is forgotten when an Ollama is upgraded (its probe says another version): what it refused, the new one may take', async () => {
    const quirks = async (h: Harness) => ((await (await h.admin('/admin/api/quirks')).json()) as { quirks: { learned: string }[] }).quirks.map((q) => q.learned);
    try {
      await run(async (h) => {
        // Learned before any probe (a probe reads the model's capabilities, and it would not be asked to think).
        await h.ollama.chat({ model: 'llama', think: true, messages: [{ role: 'user', content: 'hi' }] });
        expect(await quirks(h)).toEqual(['does not think: asked for none']);
        // Probed, twice, at the same version: kept.
        await h.gateway.health.probeAll();
        await h.gateway.health.probeAll();
        expect(await quirks(h)).toEqual(['does not think: asked for none']);
        ollamaSays.version = '0.13.1';
        await h.gateway.health.probeAll();
        expect(await quirks(h)).toEqual([]);
      });
      // Forgotten on disk too: a restart does not bring it back.
      await run(async (h) => expect(await quirks(h)).toEqual([]));
    } finally {
      ollamaSays.version = '0.12.6';
    }
  });

  it("belongs to the server: another base URL learns its own, and a provider's other settings keep it", async () => {
    await run(async (h) => void (await askFlash(h)));
    const other = await startFakeGemini();
    try {
      await run(async (h) => void (await askFlash(h)), { geminiUrl: other.url });
      expect(sentTo(other, '/chat/completions').map((r) => 'user' in (r.body as object))).toEqual([true, false]);
    } finally {
      await other.stop();
    }
    gemini.requests.length = 0;
    await run(async (h) => {
      // A change to the provider that keeps its server (a timeout) makes its adapter again: it still knows.
      const provider = h.gateway.config().providers.find((p) => p.name === 'gemini')!;
      expect((await h.admin('/admin/api/providers/gemini', { method: 'PUT', body: JSON.stringify({ ...provider, timeouts: { firstByteMs: 9_000 } }) })).status).toBe(200);
      await askFlash(h);
    });
    expect(sentTo(gemini, '/chat/completions').map((r) => 'user' in (r.body as object))).toEqual([false]);
  });

  it('lapses 30 days after it was learned, and is learned again', async () => {
    const start = Date.now();
    await run(async (h) => void (await askFlash(h)), { now: () => start });
    await run(async (h) => void (await askFlash(h)), { now: () => start + 29 * DAY });
    expect(sentTo(gemini, '/chat/completions').map((r) => 'user' in (r.body as object))).toEqual([true, false, false]);
    await run(async (h) => void (await askFlash(h)), { now: () => start + 31 * DAY });
    expect(sentTo(gemini, '/chat/completions').map((r) => 'user' in (r.body as object))).toEqual([true, false, false, true, false]);
  });

  it('is learned again when its record is damaged or names what may not be left out', async () => {
    await run(async (h) => void (await askFlash(h)));
    const db = new Database(join(data.path, 'switchyard.db'));
    try {
      const rows = db.prepare("SELECT learner, model, value FROM upstream_quirks WHERE upstream LIKE 'openai %/v1beta/openai'").all();
      expect(rows).toEqual([{ learner: 'chat-fields', model: 'gemini-3.5-flash', value: JSON.stringify({ fields: ['request:user'] }) }]);
      // Only fields a request means the same without are ever left out, whatever the file says.
      db.prepare("UPDATE upstream_quirks SET value = ? WHERE learner = 'chat-fields'").run(JSON.stringify({ fields: ['request:messages'] }));
    } finally {
      db.close();
    }
    await run(async (h) => void (await askFlash(h)));
    expect(sentTo(gemini, '/chat/completions').map((r) => ['user' in (r.body as object), Array.isArray((r.body as { messages?: unknown }).messages)])).toEqual([
      [true, true], [false, true], [true, true], [false, true],
    ]);
    const again = new Database(join(data.path, 'switchyard.db'));
    try {
      again.prepare("UPDATE upstream_quirks SET value = 'not json' WHERE learner = 'chat-fields'").run();
    } finally {
      again.close();
    }
    gemini.requests.length = 0;
    await run(async (h) => void (await askFlash(h)));
    expect(sentTo(gemini, '/chat/completions').map((r) => 'user' in (r.body as object))).toEqual([true, false]);
  });

  it('is shown on the admin API in words, and forgotten there (for every provider of that server), now and for the next run', async () => {
    await run(async (h) => {
      await askFlash(h);
      await h.openai.chat.completions.create({ model: 'kimi', max_tokens: 50_000, messages: [{ role: 'user', content: 'hi' }] });
      await h.openai.chat.completions.create({ model: 'codex', messages: [{ role: 'user', content: 'hi' }] });
      const quirks = async () => ((await (await h.admin('/admin/api/quirks')).json()) as { quirks: { provider: string; model: string; learned: string; learnedAt: number }[] }).quirks.map((q) => [q.provider, q.model, q.learned]).sort();
      expect(await quirks()).toEqual([
        ['gemini', 'gemini-3.5-flash', 'chat requests: refuses `user`: left out'],
        ['groq', 'gpt-5.1-codex', 'is served by the Responses API alone: chat goes to it that way'],
        ['groq', 'moonshotai/kimi-k2-instruct', 'writes at most 16,384 tokens an answer: asked for no more'],
      ]);
      const unknown = await h.admin('/admin/api/providers/nope/quirks', { method: 'DELETE' });
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.message).toContain('no provider named "nope"');

      const forgotten = await h.admin('/admin/api/providers/gemini/quirks', { method: 'DELETE' });
      expect(forgotten.status).toBe(200);
      expect(((await forgotten.json()) as { quirks: { provider: string }[] }).quirks.map((q) => q.provider)).toEqual(['groq', 'groq']);
      expect(await quirks()).toHaveLength(2);
      // At once: the next request goes as the client sent it, and is refused once more.
      await askFlash(h);
      expect(sentTo(gemini, '/chat/completions').map((r) => 'user' in (r.body as object))).toEqual([true, false, true, false]);
      expect((await h.admin('/admin/api/providers/gemini/quirks', { method: 'DELETE' })).status).toBe(200);
    });
    gemini.requests.length = 0;
    await run(async (h) => void (await askFlash(h)));
    // Forgotten in the store too: the next run learns it again.
    expect(sentTo(gemini, '/chat/completions').map((r) => 'user' in (r.body as object))).toEqual([true, false]);
  });
});

/**
 * Whole (non-streamed) answers from an Ollama deployment are asked for as a stream and put
 * together (wire/ollama-whole.ts), so the stream's timeouts apply: a wedged Ollama is left for the
 * next deployment within the idle timeout, and a long answer is never cut by the first-byte one.
 */
import { describe, expect, it } from 'vitest';
import { twoTierConfig } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';
import { useTwoTier } from '../support/two-tier';

/** Only the local provider's timeouts are set; the others keep Ollama's defaults (120 s to the first byte). */
const config = (timeouts: Record<string, number> = {}) => {
  const c = twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url });
  Object.assign(c.providers[0]!, { timeouts });
  return c;
};
// 100 ms between lines: a short answer takes longer than the first-byte timeout set below.
const t = useTwoTier({ ollama: { chunkDelayMs: 100 }, config: () => config() });

const post = (path: string, body: unknown) => fetch(`${t.h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('whole answers from Ollama', () => {
  it('are asked for as a stream and answered whole, spec-valid, on the OpenAI and Ollama front doors', async () => {
    const completion = await t.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'a b' }] });
    expect(completion.choices[0]?.message.content).toBe('Echo: a b');
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });

    const chat = await t.h.ollama.chat({ model: 'default', messages: [{ role: 'user', content: 'c d' }], stream: false });
    expect(chat.message.content).toBe('Echo: c d');
    assertMatchesSpec('ollama', 'ChatResponse', JSON.parse(JSON.stringify(chat)));

    const generated = await t.h.ollama.generate({ model: 'default', prompt: 'e f', stream: false });
    expect(generated.response).toBe('Echo: e f');
    expect(generated.context).toEqual([1, 2, 3]);
    assertMatchesSpec('ollama', 'GenerateResponse', JSON.parse(JSON.stringify(generated)));

    expect(t.ollama.requests.map((r) => [r.path, r.body.stream])).toEqual([
      ['/api/chat', true],
      ['/api/chat', true],
      ['/api/generate', true],
    ]);
  });

  it('fall back within the idle timeout when Ollama stalls mid-answer, on both front doors', async () => {
    t.h.gateway.applyConfig(config({ idleMs: 300 }), 'test');
    await t.ollama.setMode({ kind: 'stall', chunks: 1 });
    for (const ask of [
      () => post('/v1/chat/completions', { model: 'default', messages: [{ role: 'user', content: 'hi' }] }),
      () => post('/api/chat', { model: 'default', messages: [{ role: 'user', content: 'hi' }], stream: false }),
    ]) {
      const started = Date.now();
      const res = await ask();
      expect(res.status).toBe(200);
      expect(res.headers.get('x-switchyard-deployment')).toBe('mini');
      expect(Date.now() - started).toBeLessThan(3_000);
    }
    expect(t.ollama.requests).toHaveLength(2);
  });

  it('are not cut by a first-byte timeout shorter than the whole answer takes', async () => {
    t.h.gateway.applyConfig(config({ firstByteMs: 250 }), 'test');
    const started = Date.now();
    const res = await post('/v1/chat/completions', { model: 'default', messages: [{ role: 'user', content: 'one two three four five' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-deployment')).toBe('llama');
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('Echo: one two three four five');
    expect(Date.now() - started).toBeGreaterThan(250);
  });

  it('fall back at the first-byte timeout from an Ollama that never answers', async () => {
    t.h.gateway.applyConfig(config({ firstByteMs: 300 }), 'test');
    await t.ollama.setMode({ kind: 'hang' });
    const res = await post('/api/generate', { model: 'default', prompt: 'hi', stream: false });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-deployment')).toBe('mini');
    expect(((await res.json()) as { response: string }).response).toBe('Echo: hi');
  });
});

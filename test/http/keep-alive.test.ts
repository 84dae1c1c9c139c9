/**
 * A deployment's keepAlive as Ollama reads it. Ollama parses a keep_alive string as a Go duration,
 * so "-1" or "3600" written as strings (as OLLAMA_KEEP_ALIVE is written) failed every request to it
 * with a 400 (the fake Ollama refuses them as Ollama does): they are sent as numbers, and a string
 * that is no duration is refused when the config is saved, under its field.
 */
import { expect, it } from 'vitest';
import { Ollama } from 'ollama';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const withKeepAlive = (keepAlive: unknown) => {
  const config = structuredClone(t.h.gateway.config());
  config.deployments = config.deployments.map((d) => (d.name === 'llama' ? { ...d, keepAlive } : d)) as typeof config.deployments;
  return config;
};
const sentKeepAlive = () => t.ollama.requests.at(-1)?.body.keep_alive;

it('sends a keepAlive string holding a number as that number, to every Ollama endpoint it goes with', async () => {
  expect(t.h.gateway.applyConfig(withKeepAlive('-1'), 'test').ok).toBe(true);
  const { res } = await t.chat({ model: 'llama' });
  expect(res.status).toBe(200);
  expect(sentKeepAlive()).toBe(-1);

  expect(t.h.gateway.applyConfig(withKeepAlive(' 3600 '), 'test').ok).toBe(true);
  const ollama = new Ollama({ host: t.h.url });
  const answer = await ollama.generate({ model: 'llama', prompt: 'hi' });
  expect(answer.response).toContain('hi');
  expect(sentKeepAlive()).toBe(3600);

  // A duration goes as written.
  expect(t.h.gateway.applyConfig(withKeepAlive('1h30m'), 'test').ok).toBe(true);
  expect((await t.chat({ model: 'llama' })).res.status).toBe(200);
  expect(sentKeepAlive()).toBe('1h30m');
});

it('refuses a keepAlive Ollama would not read, saying how to write it', async () => {
  const result = t.h.gateway.applyConfig(withKeepAlive('30 minutes'), 'test');
  expect(result.ok ? [] : result.errors).toEqual([
    { path: 'deployments[0].keepAlive', message: '"30 minutes" is not a time Ollama reads: write it as 30m, 1h, 90s, 0 (unload at once), -1 (keep it loaded) or a number of seconds' },
  ]);
  const patched = await t.h.admin('/admin/api/deployments/llama', { method: 'PATCH', body: JSON.stringify({ keepAlive: 'forever' }) });
  expect(patched.status).toBe(400);
  expect((await patched.json()).errors).toEqual([expect.objectContaining({ field: 'keepAlive', message: expect.stringContaining('"forever" is not a time Ollama reads') })]);
  expect(t.h.gateway.config().deployments[0]?.keepAlive).toBe('30m');
});

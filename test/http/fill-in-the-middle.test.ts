/**
 * A gap to fill (`suffix`: editors' autocomplete) on an Ollama deployment. Ollama takes it only for a
 * model with `insert` (a coder model's template) and refuses it for the rest, 400 "... does not support
 * insert" (server/routes.go). So a model known to lack it is asked as chat, with the instruction a cloud
 * model gets; one nothing had said lacks it (not probed yet, or probes off) is asked as chat after the
 * refusal. Through the real ollama and openai clients, whole and streamed.
 */
import { expect, it } from 'vitest';
import { assertMatchesSpec } from '../support/spec';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({
  ollama: { models: ['llama3.2:3b', 'nomic-embed-text', 'qwen2.5-coder:1.5b'] },
  config: (t) => {
    const base = t.configWith();
    return { ...base, deployments: [...base.deployments, { name: 'coder', provider: 'local', model: 'qwen2.5-coder:1.5b' }] };
  },
});
const prompt = 'def add(a, b):\n    ';
const suffix = '\n\nprint(add(1, 2))';
const asChat = { role: 'user', content: `<prefix>${prompt}</prefix><suffix>${suffix}</suffix>` };
const sentTo = (path: string) => t.ollama.requests.filter((r) => r.path === path).map((r) => r.body);

it("passes the gap to a model with insert as Ollama's own generate, its template filling it", async () => {
  const answer = await t.h.ollama.generate({ model: 'coder', prompt, suffix, stream: false, options: { num_predict: 32 } });
  assertMatchesSpec('ollama', 'GenerateResponse', JSON.parse(JSON.stringify(answer)));
  expect(answer.response).toBe(`[FIM between ${JSON.stringify(prompt)} and ${JSON.stringify(suffix)}]`);
  expect(sentTo('/api/generate')).toEqual([expect.objectContaining({ model: 'qwen2.5-coder:1.5b', prompt, suffix })]);
  expect(sentTo('/api/chat')).toEqual([]);
});

it('asks a model that refused the gap again as chat at once, on /api/generate and /v1/completions alike', async () => {
  // Before any probe (this file's gateway runs none until the next test asks): nothing says what llama can do.
  const since = Date.now();
  const whole = await t.h.ollama.generate({ model: 'default', prompt, suffix, stream: false });
  expect(whole.response).toContain('Echo:');
  const lines = [];
  for await (const line of await t.h.ollama.generate({ model: 'llama', prompt, suffix, stream: true })) lines.push(line);
  expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
  const completion = await t.h.openai.completions.create({ model: 'llama', prompt, suffix, max_tokens: 40 });
  assertMatchesSpec('openai', 'CreateCompletionResponse', JSON.parse(JSON.stringify(completion)));
  expect(completion.choices[0]?.text).toContain('Echo:');
  // Each was refused by its generate, then answered by its chat: no cloud model was asked.
  expect(sentTo('/api/generate').map((body) => body.suffix)).toEqual([suffix, suffix, suffix]);
  expect(sentTo('/api/chat').map((body) => body.messages.at(-1))).toEqual([asChat, asChat, asChat]);
  expect(t.openai.requests).toEqual([]);
  expect(t.rows(since).map((r) => [r.deployment, r.status, r.fallback])).toEqual([['llama', 200, false], ['llama', 200, false], ['llama', 200, false]]);
});

it('asks a model known to lack insert as chat, never its generate, and answers in generate lines', async () => {
  const since = Date.now();
  await t.h.gateway.health.probeAll();
  const whole = await t.h.ollama.generate({ model: 'llama', prompt, suffix, stream: false });
  assertMatchesSpec('ollama', 'GenerateResponse', JSON.parse(JSON.stringify(whole)));
  expect(whole).toMatchObject({ done: true, done_reason: 'stop', response: expect.stringContaining('Echo:') });
  const lines = [];
  for await (const line of await t.h.ollama.generate({ model: 'llama', prompt, suffix, stream: true })) lines.push(line);
  for (const line of lines) assertMatchesSpec('ollama', 'GenerateStreamEvent', JSON.parse(JSON.stringify(line)));
  expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
  expect(sentTo('/api/generate')).toEqual([]);
  expect(sentTo('/api/chat').map((body) => body.messages.at(-1))).toEqual([asChat, asChat]);
  expect(t.rows(since).map((r) => [r.deployment, r.status, r.fallback])).toEqual([['llama', 200, false], ['llama', 200, false]]);
});

it('refuses a gap with a context on a model without insert for what it is: the context cannot go with the chat the gap takes', async () => {
  await t.h.gateway.health.probeAll();
  const before = sentTo('/api/chat').length + sentTo('/api/generate').length;
  const error = await t.h.ollama.generate({ model: 'llama', prompt, suffix, context: [1, 2, 3], stream: false }).then(() => undefined, (e: unknown) => e);
  expect(error).toMatchObject({ status_code: 400 });
  const message = (error as Error).message;
  expect(message).toContain('with a suffix');
  expect(message).toContain('whose model fills in the middle');
  expect(message).toContain('no deployment of "llama" does');
  expect(message).not.toMatch(/read only by an Ollama deployment: /);
  expect(sentTo('/api/chat').length + sentTo('/api/generate').length).toBe(before);
});

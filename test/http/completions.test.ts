/**
 * `POST /v1/completions` (OpenAI's legacy text completions, as editors' autocomplete sends them)
 * through the real openai SDK: an Ollama deployment gets Ollama's own generate with the suffix (its
 * fill-in-the-middle template), a cloud deployment a chat translation; answers are spec-valid
 * `text_completion` objects, whole and streamed, with fallback and a usage row like any request.
 */
import { describe, expect, it } from 'vitest';
import { assertMatchesSpec } from '../support/spec';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ clock: Date.parse('2026-11-23T10:00:00Z'), ollama: { models: ['llama3.2:3b', 'nomic-embed-text', 'qwen2.5-coder:1.5b'] } });
const prompt = 'def add(a, b):\n    ';
const suffix = '\n\nprint(add(1, 2))';
const spec = (value: unknown) => assertMatchesSpec('openai', 'CreateCompletionResponse', JSON.parse(JSON.stringify(value)));

describe('text completions', () => {
  it('fills in the middle on an Ollama deployment with its own generate, and answers a spec-valid text_completion', async () => {
    // A coder model: Ollama fills a gap only with a model that has `insert` (fill-in-the-middle.test.ts has the others).
    const base = t.configWith();
    t.h.gateway.applyConfig({ ...base, deployments: base.deployments.map((d) => (d.name === 'llama' ? { ...d, model: 'qwen2.5-coder:1.5b' } : d)) }, 'test');
    const answer = await t.h.openai.completions.create({ model: 'llama', prompt, suffix, max_tokens: 40, temperature: 0.2, stop: '\n\n' });
    spec(answer);
    expect(answer).toMatchObject({ object: 'text_completion', model: 'llama', choices: [{ index: 0, logprobs: null, finish_reason: 'stop', text: `[FIM between ${JSON.stringify(prompt)} and ${JSON.stringify(suffix)}]` }] });
    expect(answer.id).toMatch(/^cmpl-/);
    expect(answer.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: expect.any(Number) });
    const sent = t.ollama.requests.find((r) => r.path === '/api/generate')?.body;
    expect(sent).toMatchObject({ model: 'qwen2.5-coder:1.5b', prompt, suffix, options: { num_predict: 40, temperature: 0.2, stop: ['\n\n'] } });
    const [row] = t.rows(t.clock);
    expect(row).toMatchObject({ endpoint: 'completions', api: 'openai', deployment: 'llama', status: 200, inputTokens: 12, tokensEstimated: false });
  });

  it('asks a cloud deployment as chat, with OpenAI\'s default of 16 tokens, and falls back to it when the local one fails', async () => {
    await t.ollama.setMode({ kind: 'status', status: 500 });
    const answer = await t.h.openai.completions.create({ model: 'default', prompt: ['The capital of France is'] });
    spec(answer);
    expect(answer.choices[0]?.text).toBe('Echo: The capital of France is');
    const sent = t.openai.requests.find((r) => r.path === '/v1/chat/completions')?.body;
    expect(sent).toMatchObject({ model: 'gpt-4.1-mini', max_tokens: 16, messages: [{ role: 'user', content: 'The capital of France is' }] });
    const [row] = t.rows(t.clock);
    expect(row).toMatchObject({ endpoint: 'completions', deployment: 'mini', fallback: true });
  });

  it('streams text_completion chunks ending in [DONE], with the usage chunk when asked, from either kind of deployment', async () => {
    for (const model of ['llama', 'mini']) {
      const stream = await t.h.openai.completions.create({ model, prompt: 'one two three', stream: true, stream_options: { include_usage: true } });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      const text = chunks.map((c) => c.choices[0]?.text ?? '').join('');
      expect(text).toBe('Echo: one two three');
      const last = chunks.at(-1);
      expect(last?.choices).toEqual([]);
      expect(last?.usage).toMatchObject({ prompt_tokens: 12 });
      const finished = chunks.filter((c) => c.choices[0]?.finish_reason);
      expect(finished.map((c) => c.choices[0]?.finish_reason)).toEqual(['stop']);
      // Every chunk but the usage one is a text_completion as the spec has it (finish_reason null until the last, as OpenAI streams).
      for (const chunk of chunks.slice(0, -1)) spec({ ...chunk, choices: chunk.choices.map((c) => ({ ...c, finish_reason: c.finish_reason ?? 'stop' })) });
    }
    expect(t.rows(t.clock).map((r) => [r.deployment, r.stream, r.outputTokens !== null])).toEqual([
      ['llama', true, true],
      ['mini', true, true],
    ]);
  });

  it('passes the request as it came to a server that serves text completions itself (real fill-in-the-middle), whole and streamed', async () => {
    const base = t.configWith();
    t.h.gateway.applyConfig({ ...base, providers: base.providers.map((p) => (p.name === 'cloud' ? { ...p, apis: ['chat', 'completions'] } : p)) }, 'test');
    const whole = await t.h.openai.completions.create({ model: 'mini', prompt, suffix, max_tokens: 24, stop: ['\n\n'] });
    spec(whole);
    expect(whole.choices[0]).toMatchObject({ text: `[FIM between ${JSON.stringify(prompt)} and ${JSON.stringify(suffix)}]`, finish_reason: 'stop' });
    expect(whole.model).toBe('mini');
    const sent = t.openai.requests.filter((r) => r.path === '/v1/completions').map((r) => r.body);
    expect(sent[0]).toEqual({ model: 'gpt-4.1-mini', prompt, suffix, max_tokens: 24, stop: ['\n\n'], stream: false });
    expect(t.openai.requests.some((r) => r.path === '/v1/chat/completions')).toBe(false);

    const stream = await t.h.openai.completions.create({ model: 'mini', prompt: 'one two', stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Echo: one two');
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
    expect(t.openai.requests.filter((r) => r.path === '/v1/completions').at(-1)?.body).toMatchObject({ model: 'gpt-4.1-mini', prompt: 'one two', stream: true, stream_options: { include_usage: true } });
    expect(t.rows(t.clock).map((r) => [r.deployment, r.inputTokens, r.tokensEstimated])).toEqual([
      ['mini', 12, false],
      ['mini', 12, false],
    ]);
  });

  it('sends an Ollama client\'s fill-in-the-middle generate to such a server as a text completion, and a generate with images as chat', async () => {
    const base = t.configWith();
    t.h.gateway.applyConfig({ ...base, providers: base.providers.map((p) => (p.name === 'cloud' ? { ...p, apis: ['chat', 'completions'] } : p)) }, 'test');
    const answer = await t.h.ollama.generate({ model: 'mini', prompt, suffix, options: { num_predict: 30, temperature: 0.1 } });
    expect(answer.response).toBe(`[FIM between ${JSON.stringify(prompt)} and ${JSON.stringify(suffix)}]`);
    expect(answer.done).toBe(true);
    expect(t.openai.requests.find((r) => r.path === '/v1/completions')?.body).toMatchObject({ model: 'gpt-4.1-mini', prompt, suffix, max_tokens: 30, temperature: 0.1, stream: false });
    await t.h.ollama.generate({ model: 'mini', prompt: 'what is this?', images: ['iVBORw0KGgo='] });
    expect(t.openai.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
  });

  it('refuses by name what it cannot give: several choices, echo, logprobs, token-id prompts', async () => {
    for (const [extra, field] of [[{ n: 2 }, 'n'], [{ echo: true }, 'echo'], [{ logprobs: 2 }, 'logprobs'], [{ prompt: [[1, 2, 3]] }, 'prompt'], [{ best_of: 3 }, 'best_of']] as const) {
      const res = await fetch(`${t.h.baseUrl}/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'llama', prompt: 'x', ...extra }) });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { message: string; type: string } };
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toContain(field);
    }
    expect(t.ollama.requests.filter((r) => r.path === '/api/generate')).toHaveLength(0);
  });
});

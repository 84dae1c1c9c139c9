/**
 * Ollama's raw prompts (`raw: true`: the prompt already in its model's template, as autocomplete
 * plugins write fill-in-the-middle tokens): an Ollama takes one as it is; a chat translation would
 * hand the template's markers to a chat model as words, and its answer would be inserted in an
 * editor. A route passes over the deployments it would translate for, and says so when none is left.
 */
import { describe, expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const prompt = '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))<|fim_middle|>';
const generate = (model: string) => fetch(`${t.h.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model, prompt, raw: true, stream: false, options: { num_predict: 40 } }) });

describe('raw prompts', () => {
  it('go to an Ollama as they came, and are never translated for a chat model', async () => {
    const answered = await generate('cloud-first');
    expect(answered.status).toBe(200);
    expect(t.ollama.requests.find((r) => r.path === '/api/generate')?.body).toMatchObject({ model: 'llama3.2:3b', prompt, raw: true });
    expect(t.openai.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
    expect(answered.headers.get('x-switchyard-route')).toMatch(/mini:skip\(.+\) llama:ok/);
  });

  it('are refused, naming raw, where no deployment of the route takes them', async () => {
    const refused = await generate('mini');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: `A raw prompt (raw: true) is written in its model's own template: only a deployment that takes it as it is (an Ollama's, or a server's text completions) can answer it, and no deployment of "mini" does` });
    expect(t.openai.requests).toHaveLength(0);
  });
});

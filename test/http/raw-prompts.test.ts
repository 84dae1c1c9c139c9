/**
 * Ollama's raw prompts (`raw: true`: the prompt already in its model's template, as autocomplete
 * plugins write fill-in-the-middle tokens): an Ollama takes one as it is; a chat translation would
 * hand the template's markers to a chat model as words, and its answer would be inserted in an
 * editor. A route passes over the deployments it would translate for, and says so when none is left.
 * So does a generate request's `context`, the conversation as an Ollama model's own token ids.
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

describe("a generate request's context", () => {
  // The token ids an Ollama model's last answer returned: the conversation so far, in its tokens.
  const context = (tokens: number) => Array.from({ length: tokens }, (_, i) => (i * 7919) % 32_000);
  const generate = (model: string, tokens: number) => fetch(`${t.h.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model, prompt: 'and then?', context: context(tokens), stream: false }) });

  it('goes only to an Ollama, which reads it, and counts toward the size of the request', async () => {
    const answered = await generate('cloud-first', 500);
    expect(answered.headers.get('x-switchyard-route')).toMatch(/mini:skip\(.+\) llama:ok/);
    expect(t.ollama.requests.find((r) => r.path === '/api/generate')?.body.context).toEqual(context(500));
    expect(t.openai.requests).toHaveLength(0);
    // 9,000 tokens of conversation do not fit the 8k window of the route's Ollama deployment.
    const refused = await generate('default', 9_000);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-switchyard-route')).toMatch(/llama:skip\(context-too-small\) mini:skip\(.+\)/);
    expect(t.ollama.requests.filter((r) => r.path === '/api/generate')).toHaveLength(1);
  });

  it('is refused, naming context, where no deployment of the route is an Ollama', async () => {
    const refused = await generate('mini', 500);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^A context \(the token ids .+ and no deployment of "mini" does$/);
    expect(t.openai.requests).toHaveLength(0);
  });
});

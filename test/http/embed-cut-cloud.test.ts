/**
 * Ollama's embed cuts an input past the window unless told `truncate: false`; OpenAI refuses one
 * ("This model's maximum context length is 8192 tokens, however you requested N tokens"). So an
 * indexer on Ollama's API failed on its long chunks once the cloud answered for its Ollama: the
 * route passed over the cloud for the input's size, or sent it whole where the estimate ran short
 * (Hindi reads at 0.39 of OpenAI's count). Now the gateway cuts it, by OpenAI's tokenizer, to the
 * window the cloud model reads. The fake OpenAI counts and refuses as OpenAI does (cl100k).
 */
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const WINDOW = 8_191; // text-embedding-3-small, as the bundled table has it
const longDocument = Array.from({ length: 12_000 }, (_, i) => `word${i}`).join(' ');
// About 9,000 characters: short by the estimate (about 3,800 tokens), over 8,191 by OpenAI's count.
const hindi = 'भारत दक्षिण एशिया में स्थित एक विशाल देश है। यह जनसंख्या के हिसाब से दुनिया का सबसे बड़ा देश है। '.repeat(100);

const embed = (body: Record<string, unknown>) =>
  fetch(`${t.h.url}/api/embed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (res) => ({ status: res.status, id: res.headers.get('x-request-id'), body: await res.json() }));
const sentToCloud = () => t.openai.requests.filter((r) => r.path === '/v1/embeddings').map((r) => r.body.input);

it('cuts a long input to the cloud model’s window when the Ollama before it is down, where the route gave up before', async () => {
  await t.h.gateway.health.probeAll();
  await t.ollama.setMode({ kind: 'refuse' });
  const answer = await embed({ model: 'embed', input: ['a short chunk', longDocument] });
  expect(answer.status).toBe(200);
  expect(answer.body.embeddings).toHaveLength(2);
  const [sent] = sentToCloud() as [string[]];
  expect(sent[0]).toBe('a short chunk');
  // The start of the document, as many of its tokens as the model reads and no fewer than one short of it.
  expect(longDocument.startsWith(sent[1]!)).toBe(true);
  expect(countTokens(sent[1]!)).toBeLessThanOrEqual(WINDOW);
  expect(countTokens(sent[1]!)).toBeGreaterThanOrEqual(WINDOW - 1);
  const decision = (await (await t.h.admin(`/admin/api/usage/${answer.id}`)).json()).decision;
  expect(decision).toMatchObject({ cut: ['local-embed', 'cloud-embed'], steps: [{ deployment: 'local-embed', outcome: 'failed' }, { deployment: 'cloud-embed', outcome: 'ok' }] });
});

it('cuts what the estimate took for short enough, by the count OpenAI will make, and no character in half', async () => {
  expect(countTokens(hindi)).toBeGreaterThan(WINDOW);
  const answer = await embed({ model: 'cloud-embed', input: hindi });
  expect(answer.status).toBe(200);
  const [sent] = sentToCloud() as [string];
  expect(hindi.startsWith(sent)).toBe(true);
  expect(countTokens(sent)).toBeLessThanOrEqual(WINDOW);
  expect(countTokens(sent)).toBeGreaterThan(WINDOW - 20);
  // A Devanagari letter is three bytes, often split between tokens: the cut ends on a whole one.
  expect(Buffer.from(sent).toString()).toBe(sent);
  expect(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(sent))).toBe(sent);
});

it('sends text as written, a special token’s name included, and what fits uncut', async () => {
  const special = `${'<|endoftext|> is how the tokenizer ends a text. '.repeat(2_000)}`;
  const answer = await embed({ model: 'cloud-embed', input: ['fits as it is', special] });
  expect(answer.status).toBe(200);
  const [sent] = sentToCloud() as [string[]];
  expect(sent[0]).toBe('fits as it is');
  expect(special.startsWith(sent[1]!)).toBe(true);
  expect(countTokens(sent[1]!, { disallowedSpecial: new Set() })).toBeLessThanOrEqual(WINDOW);
});

it("still refuses with truncate: false, and in OpenAI's API, as the cloud would", async () => {
  const refused = await embed({ model: 'cloud-embed', input: hindi, truncate: false });
  expect(refused.status).toBe(400);
  expect(refused.body.error).toMatch(/maximum context length is 8192 tokens/);
  const openai = await fetch(`${t.h.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cloud-embed', input: longDocument }) });
  expect(openai.status).toBe(400);
  expect(sentToCloud().every((input) => input === hindi)).toBe(true);
});

it('cuts to the window the server names when the gateway knows none for the model, and sends it again once', async () => {
  const config = t.h.gateway.config();
  const custom = { name: 'custom-embed', provider: 'cloud', model: 'my-embedder', type: 'embedding' as const };
  expect(t.h.gateway.applyConfig({ ...config, deployments: [...config.deployments, custom] }, 'test').ok).toBe(true);
  const answer = await embed({ model: 'custom-embed', input: ['a short chunk', longDocument] });
  expect(answer.status).toBe(200);
  const [whole, cut] = sentToCloud() as [string[], string[]];
  expect(whole).toEqual(['a short chunk', longDocument]);
  expect(cut[0]).toBe('a short chunk');
  // "maximum context length is 8192 tokens": four fifths of it, as the model's tokenizer is not known to be OpenAI's.
  expect(longDocument.startsWith(cut[1]!)).toBe(true);
  expect(countTokens(cut[1]!)).toBeLessThanOrEqual(Math.floor(8_192 * 0.8));
  expect(countTokens(cut[1]!)).toBeGreaterThan(Math.floor(8_192 * 0.8) - 20);

  // Told not to cut, the client gets the server's refusal, sent once.
  const refused = await embed({ model: 'custom-embed', input: longDocument, truncate: false });
  expect(refused.status).toBe(400);
  expect(refused.body.error).toMatch(/maximum context length is 8192 tokens/);
  expect(sentToCloud()).toHaveLength(3);
});

/**
 * A client's temperature and top_p on a Claude upstream, as each model takes them, and its thinking:
 * a token budget Opus 4.7 on refuse, adaptive thinking the models before 4.6 do not know. Anthropic takes a
 * temperature from 0 to 1 (OpenAI's go to 2) or a top_p, not both, on the 4.5 models; none while a
 * model thinks with a budget; none at all from Opus 4.7 on, nor with API version 2026-10-21. The
 * fake Anthropic refuses each as Anthropic does, so a request that reaches it and is answered was
 * sent as the model takes it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let anthropic: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [{ name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' }],
  deployments: [
    { name: 'haiku', provider: 'claude', model: 'claude-haiku-4-5' },
    { name: 'opus', provider: 'claude', model: 'claude-opus-4-7' },
    { name: 'sonnet-4-6', provider: 'claude', model: 'claude-sonnet-4-6' },
    { name: 'opus-4-5', provider: 'claude', model: 'claude-opus-4-5' },
  ],
  routes: [],
  // A client asking for one Claude model may be sent to another.
  aliases: { 'claude-sonnet-4-5': 'opus', 'claude-3-7-sonnet': 'haiku', 'claude-opus-4-8': 'sonnet-4-6', 'claude-opus-4-6': 'opus-4-5' },
});

beforeAll(async () => {
  anthropic = await startFakeAnthropic();
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, anthropic));
beforeEach(() => resetBetweenTests(h, [anthropic], config()));

const sent = () => anthropic.requests.at(-1)?.body as Record<string, unknown>;
const sampling = (body: Record<string, unknown>) => ({ temperature: body.temperature, top_p: body.top_p, top_k: body.top_k });

describe('a chat client\'s sampling on Claude', () => {
  it('reaches a model that takes it, within Anthropic\'s range, and one of temperature and top_p', async () => {
    const ask = (extra: Record<string, unknown>) => h.openai.chat.completions.create({ model: 'haiku', messages: [{ role: 'user', content: 'x' }], ...extra });
    await ask({ temperature: 0.2, top_p: 0.9 });
    expect(sampling(sent())).toEqual({ temperature: 0.2, top_p: undefined, top_k: undefined });
    await ask({ temperature: 1.6 });
    expect(sent().temperature).toBe(1);
    await ask({ top_p: 0.5 });
    expect(sampling(sent())).toEqual({ temperature: undefined, top_p: 0.5, top_k: undefined });
  });

  it('is left out while the model thinks with a budget, and for a model that takes none', async () => {
    const thinking = await h.openai.chat.completions.create({ model: 'haiku', reasoning_effort: 'low', temperature: 0.2, messages: [{ role: 'user', content: 'x' }] });
    expect(sent().thinking).toMatchObject({ type: 'enabled' });
    expect(sampling(sent())).toEqual({ temperature: undefined, top_p: undefined, top_k: undefined });
    expect(thinking.choices[0]?.message.content).toBe('Echo: x');
    const opus = await h.openai.chat.completions.create({ model: 'opus', temperature: 0.2, top_p: 0.9, messages: [{ role: 'user', content: 'x' }] });
    expect(sampling(sent())).toEqual({ temperature: undefined, top_p: undefined, top_k: undefined });
    expect(opus.choices[0]?.message.content).toBe('Echo: x');
  });
});

describe('a Messages client\'s sampling passed through', () => {
  const post = (model: string, extra: Record<string, unknown>) =>
    fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: 'x' }], ...extra }),
    });

  it('is dropped where its request was sent to a model that refuses it', async () => {
    const toOpus = await post('claude-sonnet-4-5', { temperature: 0.7, top_k: 40 });
    expect(toOpus.status).toBe(200);
    expect(sent().model).toBe('claude-opus-4-7');
    expect(sampling(sent())).toEqual({ temperature: undefined, top_p: undefined, top_k: undefined });
    const toHaiku = await post('claude-3-7-sonnet', { temperature: 0.7, top_p: 0.9 });
    expect(toHaiku.status).toBe(200);
    expect(sampling(sent())).toEqual({ temperature: 0.7, top_p: undefined, top_k: undefined });
  });

  it('still reaches Anthropic as sent where the client\'s own API version refuses it', async () => {
    const res = await fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2026-10-21' },
      body: JSON.stringify({ model: 'haiku', max_tokens: 64, temperature: 0.7, messages: [{ role: 'user', content: 'x' }] }),
    });
    // The client asked for the version that has no sampling: Anthropic's own refusal, passed on.
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'temperature: Extra inputs are not permitted' } });
  });
});

describe("Claude Code's thinking on the Claude model a route or alias sends it to", () => {
  const claudeCode = (model: string, extra: Record<string, unknown>) =>
    fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model, max_tokens: 16_000, messages: [{ role: 'user', content: 'x' }], ...extra }) });

  it('goes as adaptive thinking at the same effort to a model that refuses a budget', async () => {
    const res = await claudeCode('claude-sonnet-4-5', { thinking: { type: 'enabled', budget_tokens: 4_000 } });
    expect(res.status).toBe(200);
    expect(sent()).toMatchObject({ model: 'claude-opus-4-7', thinking: { type: 'adaptive', display: 'summarized' }, output_config: { effort: 'medium' } });
  });

  it('goes as a budget for its effort to a model before adaptive thinking, within the answer', async () => {
    const res = await claudeCode('claude-3-7-sonnet', { thinking: { type: 'adaptive' }, output_config: { effort: 'low' } });
    expect(res.status).toBe(200);
    expect(sent()).toMatchObject({ model: 'claude-haiku-4-5', thinking: { type: 'enabled', budget_tokens: 1_024 } });
    expect(sent()).not.toHaveProperty('output_config');
    await claudeCode('claude-3-7-sonnet', { max_tokens: 1_000, thinking: { type: 'adaptive' } });
    expect(sent()).not.toHaveProperty('thinking');
    // An effort alone, which only Opus 4.5 and the adaptive thinkers take, is left out too.
    await claudeCode('claude-3-7-sonnet', { output_config: { effort: 'high', format: { type: 'json_schema', schema: { type: 'object' } } } });
    expect(sent()).toMatchObject({ output_config: { format: { type: 'json_schema' } } });
    expect(sent().output_config).not.toHaveProperty('effort');
  });

  it('goes at the nearest effort the model has: Opus 4.8\'s xhigh as high to Sonnet 4.6, max as high to Opus 4.5', async () => {
    let res = await claudeCode('claude-opus-4-8', { thinking: { type: 'adaptive' }, output_config: { effort: 'xhigh' } });
    expect(res.status).toBe(200);
    expect(sent()).toMatchObject({ model: 'claude-sonnet-4-6', thinking: { type: 'adaptive' }, output_config: { effort: 'high' } });
    res = await claudeCode('claude-opus-4-8', { thinking: { type: 'adaptive' }, output_config: { effort: 'max' } });
    expect(res.status).toBe(200);
    expect(sent()).toMatchObject({ model: 'claude-sonnet-4-6', output_config: { effort: 'max' } });
    res = await claudeCode('claude-opus-4-6', { thinking: { type: 'adaptive' }, output_config: { effort: 'max' } });
    expect(res.status).toBe(200);
    expect(sent()).toMatchObject({ model: 'claude-opus-4-5', thinking: { type: 'enabled' }, output_config: { effort: 'high' } });
  });
});


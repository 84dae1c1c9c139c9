/**
 * Mistral's API refuses a field it does not know with a 422 whose `message` is FastAPI's error list,
 * `{"message": {"detail": [{"loc": ["body", "user"], "msg": "Extra inputs are not permitted"}]}}`
 * (mistralai_client_dart#44 met it). Read as text, the list named no field: the gateway could not
 * learn which to leave out (`user` from Claude Code's metadata, `stream_options`), and handed the raw
 * JSON back as the error's message. Now the list reads as pydantic words it ("user: Extra inputs are
 * not permitted"), the fields are left out for that model, and a refusal says what it said.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let mistral: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [{ name: 'mistral', kind: 'openai', baseUrl: `${mistral.url}/v1`, apiKey: 'env:TEST_KEY' }],
  deployments: [{ name: 'devstral', provider: 'mistral', model: 'devstral-medium-2507' }],
  routes: [],
});

beforeAll(async () => {
  mistral = await startFakeOpenAI({ mistralFields: true });
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, mistral));
beforeEach(() => resetBetweenTests(h, [mistral], config()));

const sent = () => mistral.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => Object.keys(r.body).sort());

it("leaves out the fields Mistral's error list names, for that model from then on", async () => {
  const claudeCode = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
  const ask = () => claudeCode.messages.stream({ model: 'devstral', max_tokens: 1_000, metadata: { user_id: 'user_abc_account_def_session_123' }, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
  expect((await ask()).content[0]).toMatchObject({ type: 'text' });
  const [first, ...rest] = sent();
  expect(first).toEqual(expect.arrayContaining(['user', 'stream_options']));
  expect(rest.at(-1)).not.toContain('user');
  expect(rest.at(-1)).not.toContain('stream_options');

  const before = sent().length;
  await ask();
  expect(sent()).toHaveLength(before + 1);
});

it('says what a FastAPI error list said, where it went back to the client as raw JSON', async () => {
  const refused = await h.openai.chat.completions.create({ model: 'devstral', messages: [{ role: 'user', content: 'hi' }], seed: 7, modalities: ['text'] } as never).then(
    () => undefined,
    (error: { status?: number; message?: string }) => error,
  );
  // `seed` is left out (the answer means the same without); `modalities` is not the gateway's to drop, so the refusal stands.
  expect(refused?.status).toBe(422);
  expect(refused?.message).toContain('modalities: Extra inputs are not permitted');
  expect(refused?.message).not.toContain('{');
});

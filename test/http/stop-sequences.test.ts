/**
 * Stop sequences a server does not take. Editors send many (Continue's autocomplete sends its
 * template's tokens and "\n\n"; a one-line completion stops at "\n"), and a route may send them to a
 * server that refuses them: OpenAI takes four ("Invalid 'stop': array too long"), its reasoning
 * models none ("'stop' is not supported with this model"), Anthropic none of whitespace alone.
 * Those requests were refused whole; now the server gets what it takes and the gateway cuts the
 * answer where the server would have. A Messages client is told which stop sequence ended its answer
 * where the gateway or the upstream says (it was told `end_turn`).
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOpenAI } from '../support/fake-openai';
import type { FakeServer } from '../support/fake-server';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let h: Harness;
let openai: FakeServer;
let anthropic: FakeServer;
const config = () => ({
  version: 1,
  providers: [
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    { name: 'reasoner', provider: 'cloud', model: 'gpt-5-mini' },
    { name: 'haiku', provider: 'claude', model: 'claude-haiku-4-5' },
  ],
  routes: [{ name: 'default', deployments: ['mini'] }],
});

beforeAll(async () => {
  openai = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
  h = await startGateway(config());
});
afterAll(() => stopAll(h, openai, anthropic));
beforeEach(() => resetBetweenTests(h, [openai, anthropic], config()));

const client = () => new OpenAI({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 });
/** The fakes answer "Echo: <the user's text>", streamed a word at a time. */
const ask = (text: string) => [{ role: 'user' as const, content: text }];

async function streamed(model: string, text: string, stop: string[]): Promise<{ text: string; finish: string | null | undefined }> {
  const stream = await client().chat.completions.create({ model, messages: ask(text), stop, stream: true });
  let out = '';
  let finish: string | null | undefined;
  for await (const chunk of stream) {
    out += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return { text: out, finish };
}

describe('stop sequences a server does not take', () => {
  it('reach an OpenAI-compatible server four at a time; the gateway stops at the rest', async () => {
    const stop = ['<fim_prefix>', '<fim_suffix>', '<|endoftext|>', '</code>', 'gamma', '\n\n'];
    const whole = await client().chat.completions.create({ model: 'mini', messages: ask('alpha beta gamma delta'), stop });
    expect(whole.choices[0]).toMatchObject({ message: { content: 'Echo: alpha beta ' }, finish_reason: 'stop' });
    expect(openai.requests[0]!.body.stop).toEqual(stop.slice(0, 4));

    // Streamed, the text that may begin a stop sequence waits for the next; none is cut in two.
    expect(await streamed('mini', 'alpha beta gamma delta', stop)).toEqual({ text: 'Echo: alpha beta ', finish: 'stop' });
    expect(await streamed('mini', 'alpha gam beta', ['w', 'x', 'y', 'z', 'gamma'])).toEqual({ text: 'Echo: alpha gam beta', finish: 'stop' });

    // The ones it was sent it applies itself, as before.
    const sent = await client().chat.completions.create({ model: 'mini', messages: ask('alpha beta gamma'), stop: ['beta'] });
    expect(sent.choices[0]!.message.content).toBe('Echo: alpha ');
  });

  it("are applied by the gateway for a model that refuses `stop` (OpenAI's reasoning models), learned from its refusal", async () => {
    const whole = await client().chat.completions.create({ model: 'reasoner', messages: ask('alpha beta gamma'), stop: ['beta'] });
    expect(whole.choices[0]).toMatchObject({ message: { content: 'Echo: alpha ' }, finish_reason: 'stop' });
    expect(openai.requests.map((r) => r.body.stop)).toEqual([['beta'], undefined]);
    // Learned: the next request goes without it at once.
    expect(await streamed('reasoner', 'alpha beta gamma', ['gamma'])).toEqual({ text: 'Echo: alpha beta ', finish: 'stop' });
    expect(openai.requests).toHaveLength(3);
  });

  it("are applied by the gateway where Anthropic refuses them (whitespace alone), whole and streamed", async () => {
    const stop = ['\n', 'END'];
    const whole = await client().chat.completions.create({ model: 'haiku', messages: ask('first line\nsecond line'), stop });
    expect(whole.choices[0]).toMatchObject({ message: { content: 'Echo: first line' }, finish_reason: 'stop' });
    expect(anthropic.requests[0]!.body.stop_sequences).toEqual(['END']);
    expect(await streamed('haiku', 'first line\nsecond line', stop)).toEqual({ text: 'Echo: first line', finish: 'stop' });

    // A stop sequence Anthropic takes, it applies: the answer ends as Anthropic ended it, and names it as vLLM does.
    const taken = await client().chat.completions.create({ model: 'haiku', messages: ask('one END two'), stop });
    expect(taken.choices[0]).toMatchObject({ message: { content: 'Echo: one ' }, finish_reason: 'stop', stop_reason: 'END' });
    expect(anthropic.requests).toHaveLength(3);
  });
});

describe('a Messages client whose stop sequence ended the answer', () => {
  it('is told which (stop_reason stop_sequence) where the gateway cut the answer, whole and streamed', async () => {
    const claude = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const asked = { model: 'reasoner', max_tokens: 100, stop_sequences: ['gamma', 'zeta'], messages: ask('alpha beta gamma delta') };
    const whole = await claude.messages.create(asked);
    expect([whole.content[0]?.type === 'text' && whole.content[0].text, whole.stop_reason, whole.stop_sequence]).toEqual(['Echo: alpha beta ', 'stop_sequence', 'gamma']);
    const streamedMessage = await claude.messages.stream(asked).finalMessage();
    expect([streamedMessage.stop_reason, streamedMessage.stop_sequence]).toEqual(['stop_sequence', 'gamma']);

    // An answer that met none ended its turn.
    const untouched = await claude.messages.create({ ...asked, messages: ask('alpha beta') });
    expect([untouched.stop_reason, untouched.stop_sequence]).toEqual(['end_turn', null]);
  });
});

/**
 * A Messages answer from the cache (temperature 0): the client's `anthropic-beta` and
 * `anthropic-version` go on to an Anthropic upstream and change what it answers, so they are part of
 * the key; the same request under the same headers is a hit, whole or streamed.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startGateway, stopAll, type Harness } from '../support/harness';

let anthropic: FakeServer, h: Harness;
beforeAll(async () => {
  anthropic = await startFakeAnthropic();
  h = await startGateway(
    {
      version: 1,
      providers: [{ name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY', local: false }],
      deployments: [{ name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' }],
      routes: [],
    },
    { env: { TEST_KEY: 'sk-ant-test' } },
  );
});
afterAll(() => stopAll(h, anthropic));

const client = () => new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
const body = (text: string) => ({ model: 'sonnet', max_tokens: 100, temperature: 0, messages: [{ role: 'user' as const, content: text }] });
/** Where an answer came from: `hit`, `miss` or `bypass`. */
async function ask(text: string, headers: Record<string, string>, stream = false): Promise<string | null> {
  const answer = stream ? client().messages.create({ ...body(text), stream: true }, { headers }) : client().messages.create(body(text), { headers });
  const { response, data } = await answer.withResponse();
  if (stream) for await (const _ of data as AsyncIterable<unknown>) void _;
  return response.headers.get('x-switchyard-cache');
}
const upstream = () => anthropic.requests.filter((r) => r.path === '/v1/messages');

describe('the answer cache on the Messages front door', () => {
  it("keys an answer by the client's anthropic-beta and anthropic-version as well as its body", async () => {
    const thinking = { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'interleaved-thinking-2025-05-14' };
    expect(await ask('same question', thinking)).toBe('miss');
    expect(await ask('same question', thinking)).toBe('hit');
    expect(await ask('same question', thinking, true)).toBe('hit');
    expect(upstream()).toHaveLength(1);

    expect(await ask('same question', { ...thinking, 'anthropic-beta': 'structured-outputs-2025-11-13' })).toBe('miss');
    expect(await ask('same question', { 'anthropic-version': '2023-06-01' })).toBe('miss');
    expect(await ask('same question', { ...thinking, 'anthropic-version': '2024-01-01' })).toBe('miss');
    expect(upstream().map((r) => r.headers['anthropic-beta'])).toEqual(['interleaved-thinking-2025-05-14', 'structured-outputs-2025-11-13', undefined, 'interleaved-thinking-2025-05-14']);
    expect(await ask('same question', { 'anthropic-version': '2023-06-01' }, true)).toBe('hit');
  });
});

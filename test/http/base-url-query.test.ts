/**
 * A base URL with a query (Azure OpenAI's `?api-version=...`, which each of its endpoints requires):
 * the query went nowhere, so every request failed. It goes with every request the provider is sent:
 * chat, streamed or not, a Responses request passed through, and the health probe's model list.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeOpenAI } from '../support/fake-openai';
import type { FakeServer } from '../support/fake-server';
import { startGateway, stopAll, type Harness } from '../support/harness';

let azure: FakeServer, h: Harness;
beforeAll(async () => {
  azure = await startFakeOpenAI();
  h = await startGateway({
    version: 1,
    providers: [{ name: 'azure', kind: 'openai', baseUrl: `${azure.url}/v1?api-version=2024-10-21`, apis: ['chat', 'responses'], local: false }],
    deployments: [{ name: 'mini', provider: 'azure', model: 'gpt-4.1-mini' }],
    routes: [],
  });
});
afterAll(() => stopAll(h, azure));

it('sends the query of the base URL with every request', async () => {
  const answer = await h.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.choices[0]?.message.content).toBe('Echo: hi');
  let streamed = '';
  for await (const chunk of await h.openai.chat.completions.create({ model: 'mini', stream: true, messages: [{ role: 'user', content: 'hi there' }] })) streamed += chunk.choices[0]?.delta.content ?? '';
  expect(streamed).toBe('Echo: hi there');
  const response = await h.openai.responses.create({ model: 'mini', input: 'hello', store: false });
  expect(response.output_text).toBe('Echo: hello');
  await h.gateway.health.probeAll();
  expect(h.gateway.health.latest('azure')?.ok).toBe(true);
  expect(azure.requests.map((r) => [r.method, r.path, r.query])).toEqual([
    ['POST', '/v1/chat/completions', 'api-version=2024-10-21'],
    ['POST', '/v1/chat/completions', 'api-version=2024-10-21'],
    ['POST', '/v1/responses', 'api-version=2024-10-21'],
    ['GET', '/v1/models', 'api-version=2024-10-21'],
  ]);
});

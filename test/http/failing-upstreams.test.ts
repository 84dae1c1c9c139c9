/**
 * Every kind of upstream failing at random while a dozen clients use every front door at once,
 * streaming or not, some going away mid-answer, in a few sessions their route keeps on one
 * deployment (seeded draws; the failures' timing is the machine's). Whatever happens: every answer is whole or says it failed (a stream ends with its end
 * marker or its error event, never just stops), no refusal is a crash, every request has one usage
 * row with the status its client saw, and once the upstreams recover no provider holds a slot or a
 * queue place a request left behind, no budget holds what a request in flight held, and every
 * deployment answers again.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FailureMode, FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';
import { draws, testSeed } from '../support/mutations';

const REQUESTS = 400;
const CLIENTS = 12;
const DEPLOYMENTS = ['qwen', 'sonnet', 'mini'];

let fakes: FakeServer[];
let h: Harness;
beforeAll(async () => {
  const [ollama, openai, anthropic] = (fakes = await Promise.all([startFakeOllama({ models: ['qwen3:8b'] }), startFakeOpenAI(), startFakeAnthropic()]));
  const timeouts = { connectMs: 500, firstByteMs: 800, idleMs: 600, totalMs: 4_000 };
  h = await startGateway({
    version: 1,
    providers: [
      // Cloud providers (their loopback addresses aside), so their requests hold part of the budget while in flight.
      { name: 'claude', kind: 'anthropic', baseUrl: anthropic!.url, apiKey: 'env:TEST_KEY', timeouts, maxConcurrent: 3, queue: { max: 4, timeoutMs: 300 }, local: false },
      { name: 'local', kind: 'ollama', baseUrl: ollama!.url, timeouts, maxConcurrent: 2, queue: { max: 3, timeoutMs: 300 } },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai!.url}/v1`, apiKey: 'env:TEST_KEY', timeouts, maxConcurrent: 4, local: false },
    ],
    deployments: [
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    ],
    // Sessions kept, so a session's deployment failing under it is among what the run meets.
    routes: [{ name: 'mixed', deployments: DEPLOYMENTS, stickySessions: true }],
    budgets: [{ name: 'run', scope: 'global', period: 'month', limitUsd: 1000 }],
  });
}, 30_000);
afterAll(() => stopAll(h, ...fakes));

const MODES: FailureMode[] = [
  { kind: 'healthy' }, { kind: 'healthy' }, { kind: 'healthy' }, { kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'status', status: 429, retryAfter: '1' },
  { kind: 'reset-before-headers' }, { kind: 'reset-mid-stream', chunks: 2 }, { kind: 'truncated', chunks: 2 }, { kind: 'error-event', chunks: 1 },
  { kind: 'hang' }, { kind: 'slow-first-byte', delayMs: 300 }, { kind: 'malformed-json' }, { kind: 'html' },
];

const FRONT_DOORS = {
  '/v1/chat/completions': { body: (model: string, stream: boolean) => ({ model, stream, messages: [{ role: 'user', content: 'one two three' }] }), ended: /^data: \[DONE\]$|^data: \{"error"/m },
  '/v1/messages': { body: (model: string, stream: boolean) => ({ model, stream, max_tokens: 50, messages: [{ role: 'user', content: 'one two three' }] }), ended: /^event: (message_stop|error)$/m },
  '/v1/responses': { body: (model: string, stream: boolean) => ({ model, stream, store: false, input: 'one two three' }), ended: /^event: (response\.completed|response\.failed|error)$/m },
  '/api/chat': { body: (model: string, stream: boolean) => ({ model, stream, messages: [{ role: 'user', content: 'one two three' }] }), ended: /"done":true|^\{"error"/m },
} as const;
type Path = keyof typeof FRONT_DOORS;

it('answers whole or says it failed, logs each request once with the status its client saw, and leaks no provider slot', async () => {
  const draw = draws(testSeed());
  const since = Date.now();
  let flipping = true;
  const flipper = (async () => {
    while (flipping) {
      await draw.pick(fakes).setMode(draw.pick(MODES));
      await new Promise((resolve) => setTimeout(resolve, 20 + draw.next() * 60));
    }
  })();
  const seen = new Map<string, number>();
  // A client leaves only once the gateway has its request: one that leaves sooner may never be sent
  // (undici drops a fetch aborted before it is written), and then there is no request to log.
  const arrived = new Map<string, () => void>();
  const onArrival = (req: IncomingMessage) => arrived.get(String(req.headers['x-test-request']))?.();
  h.gateway.app.server.on('request', onArrival);
  let sent = 0;
  const client = async () => {
    while (sent < REQUESTS) {
      const n = String(sent++);
      const path = draw.pick(Object.keys(FRONT_DOORS) as Path[]);
      const [model, stream] = [draw.pick(['mixed', ...DEPLOYMENTS]), draw.next() < 0.6];
      const session = `session-${Math.floor(draw.next() * 6)}`;
      const leaving = draw.next() < 0.1 ? new AbortController() : undefined;
      const leaveAfterMs = draw.next() * 400;
      if (leaving) arrived.set(n, () => setTimeout(() => leaving.abort(), leaveAfterMs));
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${h.url}${path}`, { method: 'POST', signal: leaving?.signal, headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-switchyard-session': session, 'x-test-request': n }, body: JSON.stringify(FRONT_DOORS[path].body(model, stream)) });
        text = await res.text();
      } catch (error) {
        if (leaving?.signal.aborted) continue;
        throw error;
      }
      const where = `${path} ${model}${stream ? ' streamed' : ''} -> ${res.status} ${text.slice(-400)}`;
      seen.set(res.headers.get('x-request-id')!, res.status);
      expect([500, 502], where).not.toContain(res.status);
      if (res.status >= 400) expect(JSON.parse(text).error, where).toBeTruthy();
      else if (stream) expect(text, where).toMatch(FRONT_DOORS[path].ended);
      else expect(() => JSON.parse(text), where).not.toThrow();
    }
  };
  try {
    await Promise.all(Array.from({ length: CLIENTS }, client));
  } finally {
    h.gateway.app.server.off('request', onArrival);
    flipping = false;
    await flipper;
    await Promise.all(fakes.map((fake) => fake.setMode({ kind: 'healthy' })));
  }
  // The requests whose clients left end at the deadlines above; then each has its row (a loaded CI
  // machine has taken more than 8 s to get there).
  await expect.poll(() => [...h.gateway.usage.iterate({ since })].length, { timeout: 30_000 }).toBe(REQUESTS);
  const rows = new Map([...h.gateway.usage.iterate({ since })].map((row) => [row.id, row.status]));
  for (const [id, status] of seen) expect([id, rows.get(id)]).toEqual([id, status]);
  const providers = (await (await fetch(`${h.url}/health`)).json()).providers as { name: string; inFlight: number; queued: number }[];
  expect(providers.map((p) => [p.name, p.inFlight, p.queued])).toEqual(providers.map((p) => [p.name, 0, 0]));
  // Nor a hold on the budget: every paid attempt let go of what it held, however it ended.
  expect(h.gateway.budgets.status().map((b) => [b.name, b.inFlightUsd])).toEqual([['run', 0]]);
  // What it has spent is what the written rows cost (which paid deployments answered is the run's timing).
  expect(h.gateway.budgets.status()[0]?.spentUsd).toBeCloseTo([...h.gateway.usage.iterate({ since })].reduce((sum, row) => sum + row.cost, 0), 9);
  for (const deployment of DEPLOYMENTS) h.gateway.breakers.reset(deployment);
  for (const deployment of DEPLOYMENTS) {
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.openai.chat.completions.create({ model: deployment, messages: [{ role: 'user', content: 'x' }] })));
    expect(answers.map((a) => a.choices[0]?.message.content)).toEqual(Array(5).fill('Echo: x'));
  }
}, 120_000);

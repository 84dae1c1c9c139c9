/**
 * Codex's `--oss --local-provider ollama` pointed at the gateway (`CODEX_OSS_BASE_URL`), in the order
 * Codex 0.171 asks, as run against the gateway: `/v1/models`, `/api/version`, which must be 0.13.4
 * or later ("Ollama 0.12.6 is too old. Codex requires Ollama 0.13.4 or newer", it said, and stopped),
 * `/api/tags` for the model, then the Responses API under `/v1`. The version the gateway reports is
 * that of the Ollama whose API it serves whole: `/v1/responses` came in 0.13.3, `/v1/messages` in 0.14.0.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer, openai: FakeServer, h: Harness;

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  h = await startGateway(twoTierConfig({ ollama: ollama.url, openai: openai.url }));
});
afterAll(() => stopAll(h, ollama, openai));

/** a >= b, for versions of three numbers. */
const atLeast = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number)) as [number[], number[]];
  const i = x.findIndex((n, j) => n !== y[j]);
  return i === -1 || (x[i] as number) > (y[i] as number);
};

it("passes Codex's check of its Ollama, finds the route and answers over the Responses API", async () => {
  expect((await fetch(`${h.url}/v1/models`)).status).toBe(200);
  const { version } = (await fetch(`${h.url}/api/version`).then((r) => r.json())) as { version: string };
  expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(atLeast(version, '0.13.4'), version).toBe(true);
  const { models } = (await fetch(`${h.url}/api/tags`).then((r) => r.json())) as { models: { name: string }[] };
  expect(models.map((m) => m.name)).toContain('default');
  const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'ollama' });
  const answer = await client.responses.create({ model: 'default', input: 'hello there', store: false });
  expect(answer.output_text).toBe('Echo: hello there');
});

/**
 * Codex sends more than a Responses server other than OpenAI's may know: 0.155 added
 * `access_programs` and a `stream_options` of its own, the SDKs send `prompt_cache_key` and `safety_identifier`. OpenCode Go refused
 * `access_programs` ("unknown parameter `access_programs`"), so every Codex turn through a gateway to
 * it failed. Such a hint is left out for that model, learned from the refusal, and nothing else of the
 * request is: a field it means something different without still reaches the client refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let go: FakeServer, lmStudio: FakeServer, h: Harness;

beforeAll(async () => {
  go = await startFakeOpenAI({ refusesResponsesFields: ['access_programs', 'prompt_cache_key', 'stream_options', 'max_tool_calls'] });
  lmStudio = await startFakeOpenAI({ requiresTextFormat: true });
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'opencode-go', kind: 'openai', baseUrl: `${go.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['responses'] },
      { name: 'lm-studio', kind: 'openai', baseUrl: `${lmStudio.url}/v1`, local: true, apis: ['chat', 'responses'] },
    ],
    deployments: [
      { name: 'spark', provider: 'opencode-go', model: 'muse-spark-1.3-contributor' },
      { name: 'qwen', provider: 'lm-studio', model: 'qwen3.6-35b-a3b' },
    ],
    routes: [],
  });
});
afterAll(() => stopAll(h, go, lmStudio));

const post = (body: Record<string, unknown>) => fetch(`${h.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const codexTurn = { model: 'spark', input: 'one two', store: false, access_programs: [], prompt_cache_key: 'session-1', stream_options: { reasoning_summary_delivery: 'sequential_cutoff' }, include: ['reasoning.encrypted_content'] };

describe('a strict Responses server', () => {
  it("answers Codex's turns, the hints it refuses left out, learned from its words", async () => {
    const res = await post(codexTurn);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { output: { type: string; content?: { text: string }[] }[] };
    expect(answer.output.find((item) => item.type === 'message')?.content?.[0]?.text).toBe('Echo: one two');
    // One refusal per field, then the answer, with everything else as Codex sent it.
    expect(go.requests).toHaveLength(4);
    const sent = go.requests.at(-1)!.body;
    expect(sent).not.toHaveProperty('access_programs');
    expect(sent).not.toHaveProperty('prompt_cache_key');
    expect(sent).not.toHaveProperty('stream_options');
    expect(sent).toMatchObject({ model: 'muse-spark-1.3-contributor', input: 'one two', store: false, include: ['reasoning.encrypted_content'] });

    await post(codexTurn);
    expect(go.requests).toHaveLength(5);
  });

  it('still refuses what the request means differently without', async () => {
    // A bound on the tools it may call: answered without it, the model could call more.
    const res = await post({ model: 'spark', input: 'x', max_tool_calls: 3 });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('unknown parameter `max_tool_calls`');
  });

  it("gives LM Studio the text format it requires, where a client sent none (Codex's VS Code extension: text with a verbosity alone)", async () => {
    const turn = { model: 'qwen', input: 'one two', store: false, text: { verbosity: 'low' } };
    expect((await post(turn)).status).toBe(200);
    expect(lmStudio.requests.map((r) => r.body.text)).toEqual([{ verbosity: 'low' }, { verbosity: 'low', format: { type: 'text' } }]);
    // Learned: the next goes with it at once; a client's own format is kept.
    expect((await post(turn)).status).toBe(200);
    expect((await post({ ...turn, text: { format: { type: 'json_object' } } })).status).toBe(200);
    expect(lmStudio.requests.slice(2).map((r) => r.body.text)).toEqual([{ verbosity: 'low', format: { type: 'text' } }, { format: { type: 'json_object' } }]);
  });
});

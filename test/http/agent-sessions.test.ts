/**
 * Agents' sessions whose every step may be answered by another kind of deployment, as a route's
 * fallback moves them: Claude Code (Messages), Codex (Responses, the whole history each step), an
 * Agents SDK app (Responses kept by the gateway, `previous_response_id`) and a chat agent each run tool loops
 * with thinking asked every step, each request naming a deployment drawn at random (seeded, so a
 * failure repeats), the history kept as each client keeps it. Every step must be answered. Runs like
 * these found that Claude refused a step after a tool call that GPT or a local model had made.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';
import { draws } from '../support/mutations';

const DEPLOYMENTS = ['sonnet', 'opus', 'qwen', 'oss', 'llama', 'qwen-new', 'mini', 'gpt5', 'reasoner'];
const SESSIONS = 12;
const STEPS = 8;

let fakes: FakeServer[];
let h: Harness;

beforeAll(async () => {
  const models = ['llama3.2:3b', 'qwen3:8b', 'gpt-oss:20b'];
  const [ollama, ollamaNew, openai, deepseek, anthropic] = (fakes = await Promise.all([
    startFakeOllama({ models }),
    startFakeOllama({ version: '0.14.2', models }),
    startFakeOpenAI(),
    startFakeOpenAI({ reasoningField: 'reasoning_content' }),
    startFakeAnthropic(),
  ]));
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'claude', kind: 'anthropic', baseUrl: anthropic!.url, apiKey: 'env:TEST_KEY' },
      { name: 'local', kind: 'ollama', baseUrl: ollama!.url },
      { name: 'local-new', kind: 'ollama', baseUrl: ollamaNew!.url, apis: ['messages', 'responses'] },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai!.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'cloud-responses', kind: 'openai', baseUrl: `${openai!.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
      { name: 'deepseek', kind: 'openai', baseUrl: `${deepseek!.url}/v1`, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'opus', provider: 'claude', model: 'claude-opus-4-7' },
      { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
      { name: 'oss', provider: 'local', model: 'gpt-oss:20b' },
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'qwen-new', provider: 'local-new', model: 'qwen3:8b' },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
      { name: 'gpt5', provider: 'cloud-responses', model: 'gpt-5.4' },
      { name: 'reasoner', provider: 'deepseek', model: 'deepseek-reasoner' },
    ],
    routes: [],
  });
  await h.gateway.health.probeAll();
}, 30_000);
afterAll(() => stopAll(h, ...fakes));

/** Seeded draws: the same steps on every run. */
function stepDraws(seed: number) {
  const draw = draws(seed);
  return { deployment: () => draw.pick(DEPLOYMENTS), coin: () => draw.next() < 0.5 };
}

const weather = { name: 'weather', description: 'The weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };

/** One session of `STEPS` requests; each returns whether the model called the tool. */
async function session(step: (model: string, stream: boolean) => Promise<boolean>, seed: number): Promise<{ calls: number; used: Set<string> }> {
  const draw = stepDraws(seed);
  const stream = draw.coin();
  const used = new Set<string>();
  let calls = 0;
  for (let i = 0; i < STEPS; i++) {
    const model = draw.deployment();
    used.add(model);
    if (await step(model, stream).catch((error: unknown) => Promise.reject(new Error(`step ${i} on ${model} (after ${[...used].join(', ')}), stream ${stream}: ${String(error)}`)))) calls++;
  }
  return { calls, used };
}

describe('agent sessions across every kind of deployment', () => {
  it('Claude Code (Messages, thinking on a budget): every step answered', async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
    for (let s = 0; s < SESSIONS; s++) {
      const messages: Anthropic.MessageParam[] = [];
      const { calls, used } = await session(async (model, stream) => {
        if (messages.at(-1)?.role !== 'user') messages.push({ role: 'user', content: 'Weather in Paris?' });
        const request = { model, max_tokens: 4_000, thinking: { type: 'enabled' as const, budget_tokens: 2_000 }, tools: [weather], messages };
        const answer = stream ? await client.messages.stream(request).finalMessage() : await client.messages.create(request);
        messages.push({ role: 'assistant', content: answer.content });
        const toolCalls = answer.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
        if (toolCalls.length > 0) messages.push({ role: 'user', content: toolCalls.map((c) => ({ type: 'tool_result' as const, tool_use_id: c.id, content: 'sunny' })) });
        return toolCalls.length > 0;
      }, 100 + s);
      expect(calls).toBeGreaterThan(0);
      expect(used.size).toBeGreaterThan(3);
    }
  });

  it('Codex (Responses, reasoning asked every step, encrypted reasoning included): every step answered', async () => {
    const tools = [{ type: 'function' as const, name: 'weather', parameters: weather.input_schema, strict: false }];
    for (let s = 0; s < SESSIONS; s++) {
      const input: Record<string, unknown>[] = [];
      await session(async (model, stream) => {
        if (input.at(-1)?.type !== 'function_call_output') input.push({ role: 'user', content: 'Weather in Paris?' });
        const request = { model, input: input as never, reasoning: { effort: 'medium' as const }, include: ['reasoning.encrypted_content' as const], store: false, tools };
        const response = stream ? await h.openai.responses.stream(request).finalResponse() : await h.openai.responses.create(request);
        input.push(...(response.output as unknown as Record<string, unknown>[]));
        const toolCalls = response.output.filter((o) => o.type === 'function_call') as { call_id: string }[];
        for (const call of toolCalls) input.push({ type: 'function_call_output', call_id: call.call_id, output: 'sunny' });
        return toolCalls.length > 0;
      }, 200 + s);
    }
  });

  it('an Agents SDK app (Responses kept by the gateway, each step continuing the last with only its new items): every step answered', async () => {
    const tools = [{ type: 'function' as const, name: 'weather', parameters: weather.input_schema, strict: false }];
    for (let s = 0; s < SESSIONS; s++) {
      let previous: string | undefined;
      let pending: Record<string, unknown>[] = [];
      const { calls } = await session(async (model, stream) => {
        const input = pending.length > 0 ? pending : [{ role: 'user', content: 'Weather in Paris?' }];
        const request = { model, input: input as never, reasoning: { effort: 'medium' as const }, tools, ...(previous ? { previous_response_id: previous } : {}) };
        const response = stream ? await h.openai.responses.stream(request).finalResponse() : await h.openai.responses.create(request);
        previous = response.id;
        const toolCalls = response.output.filter((o) => o.type === 'function_call') as { call_id: string }[];
        pending = toolCalls.map((call) => ({ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }));
        return toolCalls.length > 0;
      }, 400 + s);
      expect(calls).toBeGreaterThan(0);
    }
  });

  it('a chat agent (reasoning_effort every step, reasoning sent back): every step answered', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: weather.input_schema } }];
    for (let s = 0; s < SESSIONS; s++) {
      const messages: Record<string, unknown>[] = [];
      await session(async (model, stream) => {
        if (messages.at(-1)?.role !== 'tool') messages.push({ role: 'user', content: 'Weather in Paris?' });
        const request = { model, reasoning_effort: 'medium' as const, tools, messages: messages as never };
        const completion = stream ? await h.openai.chat.completions.stream(request).finalChatCompletion() : await h.openai.chat.completions.create(request);
        const message = completion.choices[0]!.message as typeof completion.choices[0]['message'] & { reasoning_content?: string };
        messages.push({ role: 'assistant', content: message.content, ...(message.tool_calls ? { tool_calls: message.tool_calls } : {}), ...(message.reasoning_content ? { reasoning_content: message.reasoning_content } : {}) });
        for (const call of message.tool_calls ?? []) messages.push({ role: 'tool', tool_call_id: call.id, content: 'sunny' });
        return (message.tool_calls ?? []).length > 0;
      }, 300 + s);
    }
  });
});

/**
 * What a provider says it billed (OpenRouter's `usage.cost`, in every answer's usage and a stream's
 * last chunk; xAI's `usage.cost_in_usd_ticks`) is a row's cost: OpenRouter bills each model at its own rates, many of them in no
 * price table, and a budget must count them. A local deployment stays free, whatever it says, and
 * the playground shows the same figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

const PER_TOKEN = 0.000_002;
let openrouter: FakeServer, xai: FakeServer, lmstudio: FakeServer, h: Harness;

beforeAll(async () => {
  [openrouter, xai, lmstudio] = await Promise.all([startFakeOpenAI({ billsPerToken: PER_TOKEN }), startFakeOpenAI({ billsPerToken: PER_TOKEN, billsInTicks: true }), startFakeOpenAI({ billsPerToken: PER_TOKEN })]);
  h = await startGateway(
    {
      version: 1,
      providers: [
        { name: 'openrouter', kind: 'openai', baseUrl: `${openrouter.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
        { name: 'xai', kind: 'openai', baseUrl: `${xai.url}/v1`, apiKey: 'env:TEST_KEY', local: false, apis: ['chat', 'responses'] },
        { name: 'lmstudio', kind: 'openai', baseUrl: `${lmstudio.url}/v1` },
      ],
      deployments: [
        // In no price table: without the bill it would cost nothing.
        { name: 'coder', provider: 'openrouter', model: 'qwen/qwen3-coder-next' },
        // In the table: the bill stands over it.
        { name: 'mini', provider: 'openrouter', model: 'openai/gpt-4.1-mini' },
        { name: 'grok', provider: 'xai', model: 'grok-code-fast-2' },
        { name: 'local', provider: 'lmstudio', model: 'qwen3-coder-30b' },
      ],
      routes: [],
      budgets: [{ name: 'day', scope: 'global', period: 'day', limitUsd: 10 }],
    },
    { env: { TEST_KEY: 'sk-test' } },
  );
});
afterAll(() => stopAll(h, openrouter, xai, lmstudio));

const rowOf = (deployment: string) => [...h.gateway.usage.iterate({ since: 0 })].find((r) => r.deployment === deployment);

describe('a cost the provider bills', () => {
  it('is the row\'s cost, whole or streamed, and what the budget counts', async () => {
    const whole = await h.openai.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'hello there' }] });
    const billed = (whole.usage as unknown as { cost: number }).cost;
    expect(billed).toBeCloseTo((whole.usage?.total_tokens ?? 0) * PER_TOKEN, 12);
    await expect.poll(() => rowOf('coder')?.cost).toBeCloseTo(billed, 12);
    expect(rowOf('coder')).toMatchObject({ wouldCost: billed, saved: 0 });

    const stream = await h.openai.chat.completions.create({ model: 'mini', stream: true, messages: [{ role: 'user', content: 'hello there' }] });
    for await (const _chunk of stream) void _chunk;
    await expect.poll(() => rowOf('mini')?.cost).toBeGreaterThan(0);
    const row = rowOf('mini')!;
    expect(row.cost).toBeCloseTo(((row.inputTokens ?? 0) + (row.outputTokens ?? 0)) * PER_TOKEN, 12);

    const budget = (await (await h.admin('/admin/api/budgets')).json()).budgets[0];
    expect(budget.spentUsd).toBeCloseTo(billed + row.cost, 12);
  });

  it("is read from xAI's ticks, ten billion to the dollar", async () => {
    const whole = await h.openai.chat.completions.create({ model: 'grok', messages: [{ role: 'user', content: 'hello there' }] });
    const ticks = (whole.usage as unknown as { cost_in_usd_ticks: number }).cost_in_usd_ticks;
    expect(ticks).toBeGreaterThan(0);
    await expect.poll(() => rowOf('grok')?.cost).toBeCloseTo(ticks / 1e10, 12);
    // Its Responses API too, passed through as Codex sends it.
    const response = await h.openai.responses.create({ model: 'grok', input: 'hello there', store: false });
    const billed = (response.usage as unknown as { cost_in_usd_ticks: number }).cost_in_usd_ticks / 1e10;
    await expect.poll(() => [...h.gateway.usage.iterate({ since: 0 })].find((r) => r.api === 'responses')?.cost).toBeCloseTo(billed, 12);
    expect(billed).toBeGreaterThan(0);
  });

  it('leaves a local deployment free, and the playground shows the bill', async () => {
    await h.openai.chat.completions.create({ model: 'local', messages: [{ role: 'user', content: 'hello there' }] });
    await expect.poll(() => rowOf('local')).toBeDefined();
    expect(rowOf('local')?.cost).toBe(0);

    const played = await (await h.admin('/admin/api/playground', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: 'hi' }] }) })).json();
    expect(played.cost).toBeCloseTo(played.completion.usage.cost, 12);
    expect(played.cost).toBeGreaterThan(0);
  });
});

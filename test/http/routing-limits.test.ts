/**
 * Routing within limits, through the real gateway and wire-format fakes: context windows (and
 * numCtx "auto") and budgets on a fixed clock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { startGateway, tempDir } from '../support/harness';
import { useRoutingGateway, type Extra } from '../support/routing-gateway';

const g = useRoutingGateway();
const image = (name: string) => readFileSync(join(__dirname, '../fixtures/images', name)).toString('base64');
const SCREENSHOT = image('screenshot-1280x720.png');
const ICON = image('icon-64x64.png');
/** The route a request took (x-switchyard-route), through any front door. */
const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
  (await fetch(`${g.h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })).headers.get('x-switchyard-route');

describe('context windows', () => {
  const long = 'lorem ipsum dolor sit amet '.repeat(8_000); // about 40k tokens

  it('sends a 40k-token request past a 4k-context Ollama to a 128k cloud model without touching Ollama', async () => {
    g.apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 4096 } }] });
    const answer = await g.chat('default', { messages: [{ role: 'user', content: long }] });
    expect(answer.route).toBe('llama:skip(context-too-small) mini:ok');
    expect(g.ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
  });

  it('with numCtx "auto" raises num_ctx for that request up to the cap, so nothing is cut', async () => {
    g.apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', numCtx: 'auto', maxNumCtx: 65_536 }] });
    const answer = await g.chat('default', { messages: [{ role: 'user', content: long }] });
    expect(answer.route).toBe('llama:ok');
    const sent = g.ollama.requests.find((r) => r.path === '/api/chat')?.body;
    expect(sent.options.num_ctx).toBeGreaterThanOrEqual(40_000);
    expect(sent.options.num_ctx).toBeLessThanOrEqual(65_536);
    // A short request right after keeps the window the model now runs with: another would reload it.
    await g.chat('default');
    expect(g.ollama.requests.at(-1)?.body.options.num_ctx).toBe(sent.options.num_ctx);
  });

  it('reads a conversation sent as blocks and parts, as agents send it, and its images as images, not as their base64', async () => {
    g.apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 4096 }, capabilities: ['completion', 'tools', 'vision'] }] });
    const text = { type: 'text', text: long };
    const read = { name: 'read', input_schema: { type: 'object' } };
    // Claude Code's turns: the prompt in a text block, a file read back in a tool result, a file written in a tool call's input.
    const messages = [
      { messages: [{ role: 'user', content: [text] }] },
      { tools: [read], messages: [{ role: 'user', content: 'read it' }, { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read', input: {} }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [text] }] }] },
      { tools: [read], messages: [{ role: 'user', content: 'write it' }, { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read', input: { content: long } }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'done' }] }] },
      // A plain-text document: its text is its source's `data`.
      { messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: long } }, { type: 'text', text: 'sum it up' }] }] },
    ];
    const routes = [];
    for (const body of messages) routes.push(await post('/v1/messages', { model: 'default', max_tokens: 100, ...body }, { 'anthropic-version': '2023-06-01' }));
    routes.push((await g.chat('default', { messages: [{ role: 'user', content: [text] }] })).route);
    routes.push(await post('/v1/responses', { model: 'default', input: [{ type: 'function_call', call_id: 'c1', name: 'read', arguments: '{}' }, { type: 'function_call_output', call_id: 'c1', output: long }] }));
    routes.push(await post('/api/chat', { model: 'default', stream: false, messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'write', arguments: { content: long } } }] }, { role: 'user', content: 'go on' }] }));
    expect(routes).toEqual(Array(7).fill('llama:skip(context-too-small) mini:ok'));
    expect(g.ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
    // An image counts what its size says, not its base64 (a 300 KB one would be 100,000 tokens):
    // five screenshots (about 1,200 tokens each) are past a 4k window, five icons (85) are not.
    const asked = (image: string, images: number) => g.chat('default', { messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, ...Array(images).fill({ type: 'image_url', image_url: { url: `data:image/png;base64,${image}` } })] }] });
    const big = { type: 'image_url', image_url: { url: `data:image/png;base64,${'iVBORw0KGgo'.repeat(28_000)}` } };
    expect((await g.chat('default', { messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, big] }] })).route).toBe('llama:ok');
    expect([(await asked(SCREENSHOT, 1)).route, (await asked(SCREENSHOT, 5)).route, (await asked(ICON, 5)).route]).toEqual(['llama:ok', 'llama:skip(context-too-small) mini:ok', 'llama:ok']);
    // Ollama's own clients: images in a message, and beside /api/generate's prompt.
    expect(await post('/api/chat', { model: 'default', stream: false, messages: [{ role: 'user', content: 'and these?', images: Array(5).fill(SCREENSHOT) }] })).toBe('llama:skip(context-too-small) mini:ok');
    expect(await post('/api/chat', { model: 'default', stream: false, messages: [{ role: 'user', content: 'and these?', images: Array(5).fill(ICON) }] })).toBe('llama:ok');
    expect(await post('/api/generate', { model: 'default', stream: false, prompt: 'and these?', images: Array(5).fill(SCREENSHOT) })).toBe('llama:skip(context-too-small) mini:ok');
  });

  it("reads a Responses turn with the history it continues: a long conversation's, or one with an image, is not sent where it does not fit", async () => {
    g.apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 4096 }, capabilities: ['completion'] }, { name: 'llava', provider: 'local', model: 'llava:7b', capabilities: ['completion', 'vision'] }] });
    const turn = async (body: Record<string, unknown>) => {
      const res = await fetch(`${g.h.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', ...body }) });
      return { route: res.headers.get('x-switchyard-route'), id: ((await res.json()) as { id: string }).id };
    };
    const first = await turn({ input: long });
    expect(first.route).toBe('llama:skip(context-too-small) mini:ok');
    // The next turn is short, but the model reads the whole conversation.
    expect((await turn({ previous_response_id: first.id, input: 'and then?' })).route).toBe('llama:skip(context-too-small) mini:ok');
    expect(g.ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);

    g.apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', capabilities: ['completion'] }, { name: 'llava', provider: 'local', model: 'llava:7b', capabilities: ['completion', 'vision'] }], routes: [{ name: 'default', deployments: ['llama', 'llava'] }] });
    const looked = await turn({ input: [{ role: 'user', content: [{ type: 'input_text', text: 'what is this?' }, { type: 'input_image', image_url: `data:image/png;base64,${ICON}` }] }] });
    const next = await turn({ previous_response_id: looked.id, input: 'and its colour?' });
    expect([looked.route, next.route]).toEqual(['llama:skip(capability-missing) llava:ok', 'llama:skip(capability-missing) llava:ok']);
  });

  it("runs an Ollama client's request with the window it names, or with the deployment's where that is larger", async () => {
    g.apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 4096 } }] });
    const native = (model: string, numCtx: number, content: string) => post('/api/chat', { model, stream: false, options: { num_ctx: numCtx }, messages: [{ role: 'user', content }] });
    const sent = () => g.ollama.requests.filter((r) => r.path === '/api/chat').at(-1)?.body.options.num_ctx;
    // Aider sizes num_ctx to its prompt: 40k tokens asked with 65,536 are Ollama's to answer, by route and by name.
    expect([await native('default', 65_536, long), sent()]).toEqual(['llama:ok', 65_536]);
    expect(await native('llama', 65_536, long)).toBe('llama:ok');
    // A window smaller than the deployment's would cut what fits the deployment's: about 2.5k tokens.
    expect([await native('default', 2_048, 'lorem ipsum dolor sit amet '.repeat(500)), sent()]).toEqual(['llama:ok', 4_096]);
    // With numCtx "auto", the window raised for the prompt (about 10k tokens) is the one it runs with.
    g.apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', numCtx: 'auto', maxNumCtx: 65_536 }] });
    expect(await native('default', 2_048, 'lorem ipsum dolor sit amet '.repeat(2_000))).toBe('llama:ok');
    expect(sent()).toBeGreaterThanOrEqual(12_000);
  });

  it('keeps answering /health while a 1 MiB prompt without spaces is checked against a window', async () => {
    g.apply({ deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', contextWindow: 600_000 }], routes: [{ name: 'big', deployments: ['mini'] }] });
    const big = g.chat('big', { messages: [{ role: 'user', content: 'ACGT'.repeat(256 * 1024) }] });
    // Timing belongs to the bench (npm run bench reports the worst /health wait); here: it answered.
    expect((await fetch(`${g.h.url}/health`)).status).toBe(200);
    expect((await big).route).toBe('mini:ok');
  });

  it('gives a long prompt asking for a long answer to an Ollama window with room for part of it, the answer capped at that room', async () => {
    g.apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', numCtx: 'auto', maxNumCtx: 32_768 }] });
    // About 10k tokens, and Claude Code's 32,000 out: more than the window, but the prompt fits with room to answer.
    const answer = await g.chat('default', { max_tokens: 32_000, messages: [{ role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(2_000) }] });
    expect(answer.route).toBe('llama:ok');
    const sent = g.ollama.requests.find((r) => r.path === '/api/chat')?.body;
    expect(sent.options.num_ctx).toBe(32_768);
    expect(sent.options.num_predict).toBeGreaterThanOrEqual(4_096);
    expect(sent.options.num_predict).toBeLessThanOrEqual(32_768 - 10_000);
    // An Ollama client's num_predict is capped the same way.
    const native = await fetch(`${g.h.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'default', stream: false, options: { num_predict: 32_000 }, messages: [{ role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(2_000) }] }) });
    expect(native.status).toBe(200);
    expect(g.ollama.requests.at(-1)?.body.options).toMatchObject({ num_ctx: 32_768, num_predict: sent.options.num_predict });
    // About 25k tokens leave too little room for an answer: the cloud model takes it whole.
    const longer = await g.chat('default', { max_tokens: 32_000, messages: [{ role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(5_000) }] });
    expect(longer.route).toBe('llama:skip(context-too-small) mini:ok');
  });

  it('answers 400 context_length_exceeded naming the largest window when nothing fits', async () => {
    g.apply({
      deployments: [
        { name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 4096 } },
        { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', contextWindow: 16_000 },
      ],
    });
    const answer = await g.chat('default', { messages: [{ role: 'user', content: long }] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'context_length_exceeded', largest_context_window: 16_000 });
    expect(answer.body.error.message).toContain('16000 tokens');
    expect(g.openai.requests).toHaveLength(0);
  });

  it("gives Sonnet 4.5 on Anthropic's API its 1M window when the client opts in, as Claude Code's [1m] models do", async () => {
    // The same model through an OpenAI-compatible server, which is not told of the opt-in.
    g.apply({ deployments: [{ name: 'relayed', provider: 'cloud', model: 'claude-sonnet-4-5' }], routes: [{ name: 'sonnet-1m', deployments: ['relayed', 'sonnet'] }] });
    const huge = 'lorem ipsum dolor sit amet '.repeat(50_000); // about 250k tokens
    const ask = (beta?: string) => fetch(`${g.h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...(beta ? { 'anthropic-beta': beta } : {}) }, body: JSON.stringify({ model: 'sonnet-1m', max_tokens: 100, messages: [{ role: 'user', content: huge }] }) });
    const without = await ask('interleaved-thinking-2025-05-14');
    expect([without.status, without.headers.get('x-switchyard-route')]).toEqual([400, 'relayed:skip(context-too-small) sonnet:skip(context-too-small)']);
    const opted = await ask('interleaved-thinking-2025-05-14,context-1m-2025-08-07');
    expect([opted.status, opted.headers.get('x-switchyard-route')]).toEqual([200, 'relayed:skip(context-too-small) sonnet:ok']);
    expect(g.anthropic.requests.at(-1)?.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14,context-1m-2025-08-07');
    expect(g.openai.requests).toHaveLength(0);
  });
});

describe('budgets', () => {
  const budgetConfig = (extra: object = {}): Extra => ({
    routes: [{ name: 'cloud-first', deployments: ['mini', 'llama'] }],
    budgets: [{ name: 'daily', scope: 'global', period: 'day', limitUsd: 0.01, timeZone: 'America/New_York', ...extra }],
  });

  it('switches every front door to local once spend crosses the limit, says what remains, and resets at midnight in its zone', async () => {
    // A day of its own: other tests' answers (at the real time) are outside its period.
    g.clock = Date.parse('2026-12-10T15:00:00Z'); // 10:00 in New York
    g.apply(budgetConfig());
    // Each cloud answer costs (12 x 400 + 2 x 1000) / 1e6 = $0.0068.
    const first = await g.chat('cloud-first');
    expect(first.route).toBe('mini:ok');
    expect(first.headers.get('x-switchyard-budget')).toBe('daily=0.0100');
    expect((await g.chat('cloud-first')).route).toBe('mini:ok');
    const over = await g.chat('cloud-first');
    expect(over.route).toBe('mini:skip(over-budget) llama:ok');
    expect(over.headers.get('x-switchyard-budget')).toBe('daily=0.0000');
    // Asked for alone, the paid deployment is unavailable until the budget resets, which its error and Retry-After say.
    const alone = await g.chat('mini');
    expect(alone.status).toBe(503);
    expect(alone.body.error.message).toContain('mini costs money and the budget "daily" is spent until fri 00:00 America/New_York (2026-12-11T05:00:00.000Z)');
    expect(alone.body.error.message.split('2026-12-11T05:00:00.000Z')).toHaveLength(2);
    expect(alone.body.error.message).not.toContain('available at');
    expect(alone.body.error.available_at).toBe('2026-12-11T05:00:00.000Z');
    expect(Number(alone.headers.get('retry-after'))).toBe(14 * 3600);

    const claude = new Anthropic({ baseURL: g.h.url, apiKey: 'k', maxRetries: 0 });
    const viaMessages = await claude.messages.create({ model: 'cloud-first', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(viaMessages.response.headers.get('x-switchyard-route')).toBe('mini:skip(over-budget) llama:ok');
    const viaResponses = await g.h.openai.responses.create({ model: 'cloud-first', input: 'hi' }).withResponse();
    expect(viaResponses.response.headers.get('x-switchyard-route')).toBe('mini:skip(over-budget) llama:ok');
    const viaOllama = await fetch(`${g.h.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'cloud-first', messages: [{ role: 'user', content: 'hi' }], stream: false }) });
    expect(viaOllama.headers.get('x-switchyard-route')).toBe('mini:skip(over-budget) llama:ok');

    const budgets = await g.h.admin('/admin/api/budgets').then((r) => r.json());
    expect(budgets.budgets[0]).toMatchObject({ name: 'daily', limitUsd: 0.01, exceeded: true, resetsAt: '2026-12-11T05:00:00.000Z', periodStart: '2026-12-10T05:00:00.000Z' });
    expect(budgets.budgets[0].spentUsd).toBeCloseTo(0.0136, 6);
    const health = await fetch(`${g.h.url}/health`).then((r) => r.json());
    expect(health.budgets[0]).toMatchObject({ name: 'daily', exceeded: true });
    expect(health.deployments.find((d: { name: string }) => d.name === 'mini').overBudget).toBe(true);

    g.clock = Date.parse('2026-12-11T04:59:00Z'); // 23:59 in New York: still the same day
    expect((await g.chat('cloud-first')).route).toBe('mini:skip(over-budget) llama:ok');
    g.clock = Date.parse('2026-12-11T05:00:00Z'); // midnight in New York
    expect((await g.chat('cloud-first')).route).toBe('mini:ok');
  });

  it('counts spend from the usage log when the gateway starts again', async () => {
    g.clock = Date.parse('2026-11-30T15:00:00Z');
    const dir = tempDir();
    const c = g.config(budgetConfig());
    const first = await startGateway(c, { dataDir: dir.path, now: () => g.clock as number, timeZone: 'America/New_York' });
    try {
      for (let i = 0; i < 2; i++) await first.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'hello' }] });
    } finally {
      await first.gateway.stop();
    }
    const again = await startGateway(c, { dataDir: dir.path, now: () => g.clock as number, timeZone: 'America/New_York' });
    try {
      expect(again.gateway.budgets.status()[0]?.spentUsd).toBeCloseTo(0.0136, 6);
      const answer = await again.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
      expect(answer.response.headers.get('x-switchyard-deployment')).toBe('llama');
    } finally {
      await again.gateway.stop();
      dir.remove();
    }
  });

  it('refuses with 429 until the period resets when the budget says refuse', async () => {
    g.clock = Date.parse('2026-12-20T15:00:00Z');
    g.apply(budgetConfig({ onExceeded: 'refuse', limitUsd: 0.005 }));
    expect((await g.chat('cloud-first')).status).toBe(200);
    const refused = await g.chat('cloud-first');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'budget_exceeded', budget: 'daily' });
    expect(Number(refused.headers.get('retry-after'))).toBe(14 * 3600);
  });
});


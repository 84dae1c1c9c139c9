/**
 * Routing by name and by choice, through the real gateway and wire-format fakes: aliases and rules,
 * and strategies with injected latency and randomness.
 */
import { describe, expect, it } from 'vitest';
import { useRoutingGateway } from '../support/routing-gateway';

const g = useRoutingGateway();

describe('aliases and rules', () => {
  it('resolves a glob alias to its route, lets exact names win, and lists concrete aliases', async () => {
    g.apply({
      routes: [
        { name: 'coder', deployments: ['llava', 'mini'] },
        { name: 'claude-special', deployments: ['mini'] },
        { name: 'default', deployments: ['llama', 'mini'] },
      ],
      aliases: { 'claude-*': 'coder', 'gpt-4o': 'default', 'claude-local': 'default' },
    });
    const aliased = await g.chat('claude-sonnet-4-5');
    expect(aliased.route).toBe('llava:ok');
    expect(g.h.gateway.usage.row(aliased.headers.get('x-request-id') as string)).toMatchObject({ route: 'coder', decision: { route: 'coder', alias: 'claude-*' } });
    expect((await g.chat('claude-special')).route).toBe('mini:ok');
    expect((await g.chat('gpt-4o')).route).toBe('llama:ok');
    const models = (await g.h.openai.models.list()).data.map((m) => m.id);
    expect(models).toContain('gpt-4o');
    expect(models).not.toContain('claude-*');
    const tags = await fetch(`${g.h.url}/api/tags`).then((r) => r.json());
    expect(tags.models.map((m: { name: string }) => m.name)).toContain('gpt-4o');
    // Claude Code's discovery keeps only ids starting "claude": an alias puts a local route there.
    const discovered = await fetch(`${g.h.baseUrl}/models?limit=1000`, { headers: { 'anthropic-version': '2023-06-01' } }).then((r) => r.json());
    expect(discovered.data.filter((m: { id: string }) => m.id.startsWith('claude'))).toEqual([expect.objectContaining({ type: 'model', id: 'claude-special' }), expect.objectContaining({ type: 'model', id: 'claude-local', display_name: 'claude-local (alias of default)' })]);
  });

  it('sends a request to another route by its size, images, client key, tool or reasoning, first rule first', async () => {
    g.apply({
      routes: [
        {
          name: 'default',
          deployments: ['llama', 'mini'],
          rules: [
            { when: { minPromptTokens: 5_000 }, use: 'long' },
            { when: { hasImages: true }, use: 'vision' },
            { when: { clientKey: 'batch-jobs' }, use: 'cheap' },
            { when: { tool: 'Codex', thinking: true }, use: 'long' },
            { when: { thinking: true }, use: 'think' },
          ],
        },
        { name: 'long', deployments: ['sonnet'] },
        { name: 'vision', deployments: ['llava'] },
        { name: 'cheap', deployments: ['mini'] },
        { name: 'think', deployments: ['sonnet', 'mini'] },
      ],
    });
    expect((await g.chat('default')).route).toBe('llama:ok');
    const long = await g.chat('default', { messages: [{ role: 'user', content: 'word '.repeat(6_000) }] });
    expect(long.route).toBe('sonnet:ok');
    expect(g.h.gateway.usage.row(long.headers.get('x-request-id') as string)?.decision).toMatchObject({ route: 'long', rule: 'default.rules[0] -> long' });
    expect((await g.chat('default', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }] })).route).toBe('llava:ok');
    const key = g.h.gateway.keys.create('batch-jobs').key;
    expect((await g.chat('default', {}, { authorization: `Bearer ${key}` })).route).toBe('mini:ok');
    expect((await g.chat('default', { reasoning_effort: 'high' })).route).toBe('sonnet:ok');
    // Codex's reasoning requests, as its headers name it, to their own route; its others stay.
    const codex = { 'user-agent': 'codex_cli_rs/0.98.0 (Mac OS 15.1.0; arm64)' };
    const reasoning = await g.chat('default', { reasoning_effort: 'high' }, codex);
    expect(g.h.gateway.usage.row(reasoning.headers.get('x-request-id') as string)?.decision).toMatchObject({ route: 'long', rule: 'default.rules[3] -> long' });
    expect((await g.chat('default', {}, codex)).route).toBe('llama:ok');
    // Its subagents' requests are Codex's too.
    const review = await g.chat('default', { reasoning_effort: 'high' }, { ...codex, 'x-openai-subagent': 'review' });
    expect(g.h.gateway.usage.row(review.headers.get('x-request-id') as string)).toMatchObject({ tool: 'Codex (review)', route: 'long' });
  });
});


describe('strategies', () => {
  const prefer = (name: string) => ({ 'x-switchyard-prefer': name });

  it('lowest-latency routes to the faster deployment once both have enough samples, and explores now and then', async () => {
    // Deployments of their own: latency samples are per deployment and other tests' would count.
    g.apply({
      deployments: [
        { name: 'tortoise', provider: 'local', model: 'llama3.2:3b' },
        { name: 'hare', provider: 'cloud', model: 'gpt-4.1-mini' },
      ],
      routes: [{ name: 'fast', strategy: 'lowest-latency', deployments: ['tortoise', 'hare'] }],
    });
    await g.ollama.setMode({ kind: 'slow-first-byte', delayMs: 60 });
    // Until both have five answers, the config's order holds.
    expect((await g.chat('fast')).route).toBe('tortoise:ok');
    for (let i = 0; i < 5; i++) {
      await g.chat('fast', {}, prefer('tortoise'));
      await g.chat('fast', {}, prefer('hare'));
    }
    g.random = [0.99];
    expect((await g.chat('fast')).route).toBe('hare:ok');
    // Exploration (random below 5%) puts another deployment first, so a recovered one can win back traffic.
    g.random = [0.01, 0];
    expect((await g.chat('fast')).route).toBe('tortoise:ok');
  });

  it('lowest-cost tries the free local model first, then the cheapest cloud one', async () => {
    g.apply({
      deployments: [
        { name: 'dear', provider: 'cloud', model: 'gpt-4.1', pricing: { inputPerMTok: 10, outputPerMTok: 30 } },
        { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', pricing: { inputPerMTok: 0.4, outputPerMTok: 1.6 } },
      ],
      routes: [{ name: 'thrifty', strategy: 'lowest-cost', deployments: ['dear', 'mini', 'llama'] }],
    });
    expect((await g.chat('thrifty')).route).toBe('llama:ok');
    await g.ollama.setMode({ kind: 'status', status: 500 });
    expect((await g.chat('thrifty')).route).toBe('llama:fail(upstream-5xx) mini:ok');
    expect((await g.chat('thrifty', {}, prefer('dear'))).route).toBe('dear:ok');
  });

  it('weighted orders by weight with the injected randomness', async () => {
    g.apply({ routes: [{ name: 'split', strategy: 'weighted', weights: { llama: 3, mini: 1 }, deployments: ['llama', 'mini'] }] });
    g.random = [0.5, 0.5];
    expect((await g.chat('split')).route).toBe('llama:ok');
    g.random = [0.1, 0.9];
    expect((await g.chat('split')).route).toBe('mini:ok');
  });
});


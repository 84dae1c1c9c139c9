/**
 * Sticky sessions (`stickySessions` on a route): a session that fell back stays on the deployment
 * that answered it, a weighted route picks once per session, and the session is named the way each
 * tool names it (Claude Code's header through the Messages front door, Codex's prompt cache key
 * through Responses, `x-switchyard-session` anywhere). Real clients, real fakes, the gateway's clock.
 */
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { startGateway, tempDir, type Harness } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

let draws: number[] = [];
const t = useTwoTier({ clock: Date.UTC(2026, 11, 2, 9), gateway: { random: () => draws.shift() ?? 0.5 } });

const sticky = (extra: Record<string, unknown> = {}) => {
  const config = t.configWith({}, { stickySessions: true, ...extra });
  const applied = t.h.gateway.applyConfig(config, 'test');
  if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
};
/** Which deployment answered a chat completion in this session (with this client key, if any). */
const answeredBy = async (session: string | undefined, model = 'default', key?: string) => {
  const { res } = await t.chat({ model }, { ...(session ? { 'x-switchyard-session': session } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) });
  expect(res.status).toBe(200);
  return { deployment: res.headers.get('x-switchyard-deployment'), route: res.headers.get('x-switchyard-route'), id: res.headers.get('x-request-id') as string };
};

/** The session's request while the local Ollama is down: it falls back to the cloud, and the Ollama is back after. */
const fallsBack = async (session: string) => {
  await t.ollama.setMode({ kind: 'status', status: 503 });
  expect((await answeredBy(session)).deployment).toBe('mini');
  await t.ollama.reset();
};

describe('a route that keeps its sessions', () => {
  it('keeps a session that fell back on the deployment that answered it, while new sessions start in order', async () => {
    sticky();
    await fallsBack('agent-1');

    const kept = await answeredBy('agent-1');
    expect(kept.deployment).toBe('mini');
    expect(kept.route).toBe('mini:ok');
    const detail = await (await t.h.admin(`/admin/api/usage/${kept.id}`)).json();
    expect(detail.decision).toMatchObject({ route: 'default', sticky: 'mini', steps: [{ deployment: 'mini', outcome: 'ok' }] });
    expect((await answeredBy('agent-2')).deployment).toBe('llama');
    expect((await answeredBy(undefined)).deployment).toBe('llama');
    // An explicit preference still wins over the session's.
    const { res } = await t.chat({ model: 'default' }, { 'x-switchyard-session': 'agent-1', 'x-switchyard-prefer': 'llama' });
    expect(res.headers.get('x-switchyard-deployment')).toBe('llama');
  });

  it('moves a session on when its deployment cannot answer, and keeps it where it went', async () => {
    sticky();
    await fallsBack('agent-1');
    await t.openai.setMode({ kind: 'status', status: 500 });
    const moved = await answeredBy('agent-1');
    expect(moved.route).toBe('mini:fail(upstream-5xx) llama:ok');
    await t.openai.reset();
    expect((await answeredBy('agent-1')).deployment).toBe('llama');
  });

  it('forgets a session idle for 30 minutes, and one whose deployment left the route', async () => {
    sticky();
    await t.ollama.setMode({ kind: 'status', status: 503 });
    expect((await answeredBy('agent-1')).deployment).toBe('mini');
    expect((await answeredBy('agent-2')).deployment).toBe('mini');
    await t.ollama.reset();
    t.clock += 29 * 60_000;
    expect((await answeredBy('agent-1')).deployment).toBe('mini');
    t.clock += 2 * 60_000;
    expect((await answeredBy('agent-2')).deployment).toBe('llama');
    expect((await answeredBy('agent-1')).deployment).toBe('mini');

    const config = t.configWith({}, { stickySessions: true });
    config.routes[0]!.deployments = ['llama'];
    t.h.gateway.applyConfig(config, 'test');
    expect((await answeredBy('agent-1')).deployment).toBe('llama');
  });

  it('starts its sessions afresh once the route is given another order: traffic follows the new order', async () => {
    sticky();
    expect((await answeredBy('agent-1', 'cloud-first')).deployment).toBe('mini');
    expect((await answeredBy('agent-2', 'cloud-first')).deployment).toBe('mini');
    await t.openai.setMode({ kind: 'status', status: 500 });
    expect((await answeredBy('agent-1', 'cloud-first')).deployment).toBe('llama');
    await t.openai.reset();
    // A change elsewhere in the config keeps them.
    expect((await t.h.admin('/admin/api/routes/default', { method: 'PATCH', body: JSON.stringify({ deadlineMs: 60_000 }) })).status).toBe(200);
    expect((await answeredBy('agent-1', 'cloud-first')).deployment).toBe('llama');
    // So does a rename of one of its deployments (the same model on the same server).
    expect((await t.h.admin('/admin/api/deployments/mini', { method: 'PATCH', body: JSON.stringify({ name: 'cloud-mini' }) })).status).toBe(200);
    expect((await answeredBy('agent-1', 'cloud-first')).deployment).toBe('llama');
    expect((await answeredBy('agent-2', 'cloud-first')).deployment).toBe('cloud-mini');
    // Local first from now on: both follow.
    const reordered = await t.h.admin('/admin/api/routes/cloud-first/order', { method: 'PUT', body: JSON.stringify({ deployments: ['llama', 'cloud-mini'] }) });
    expect(reordered.status).toBe(200);
    expect((await answeredBy('agent-2', 'cloud-first')).deployment).toBe('llama');
    await t.ollama.setMode({ kind: 'status', status: 503 });
    expect((await answeredBy('agent-1', 'cloud-first')).deployment).toBe('cloud-mini');
  });

  it('picks once per session on a weighted route, where without it each request draws again', async () => {
    const split = { strategy: 'weighted', weights: { llama: 1, mini: 1 } };
    sticky(split);
    draws = [0.1, 0.9];
    expect((await answeredBy('agent-1')).deployment).toBe('mini');
    draws = [0.9, 0.1];
    expect((await answeredBy('agent-1')).deployment).toBe('mini');
    draws = [0.9, 0.1];
    expect((await answeredBy('agent-2')).deployment).toBe('llama');
    // New weights start its sessions afresh, as a new order does: one given 0 answers only when the other cannot.
    sticky({ strategy: 'weighted', weights: { llama: 1, mini: 0 } });
    expect((await answeredBy('agent-1')).deployment).toBe('llama');

    t.h.gateway.applyConfig(t.configWith({}, split), 'test');
    draws = [0.1, 0.9];
    expect((await answeredBy('agent-3')).deployment).toBe('mini');
    draws = [0.9, 0.1];
    expect((await answeredBy('agent-3')).deployment).toBe('llama');
  });

  it('keeps one client key\'s session apart from another key sending the same id', async () => {
    sticky();
    const a = t.h.gateway.keys.create('key-a', {}).key;
    const b = t.h.gateway.keys.create('key-b', {}).key;
    await t.ollama.setMode({ kind: 'status', status: 503 });
    expect((await answeredBy('shared-id', 'default', a)).deployment).toBe('mini');
    await t.ollama.reset();
    expect((await answeredBy('shared-id', 'default', b)).deployment).toBe('llama');
    expect((await answeredBy('shared-id', 'default', a)).deployment).toBe('mini');
  });

  it('knows Claude Code\'s session by its header and Codex\'s by its prompt cache key', async () => {
    sticky();
    await t.ollama.setMode({ kind: 'status', status: 503 });
    const claude = new Anthropic({ baseURL: t.h.url, apiKey: 'k', maxRetries: 0, defaultHeaders: { 'x-claude-code-session-id': '5b1e0c2e-claude' } });
    const ask = () => claude.messages.create({ model: 'default', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect((await ask()).response.headers.get('x-switchyard-deployment')).toBe('mini');
    const codex = (key: string) => t.h.openai.responses.create({ model: 'default', input: 'hi', store: false, prompt_cache_key: key }).withResponse();
    expect((await codex('codex-conversation')).response.headers.get('x-switchyard-deployment')).toBe('mini');
    await t.ollama.reset();
    expect((await ask()).response.headers.get('x-switchyard-deployment')).toBe('mini');
    expect((await codex('codex-conversation')).response.headers.get('x-switchyard-deployment')).toBe('mini');
    expect((await codex('another-conversation')).response.headers.get('x-switchyard-deployment')).toBe('llama');
  });
});

describe('a session let go by hand', () => {
  const kept = async (h: Harness, session: string) => (await (await h.admin(`/admin/api/usage/sessions/kept?session=${session}&clientKey=anonymous`)).json()).kept;
  const release = async (h: Harness, session: string) => (await h.admin(`/admin/api/usage/sessions/kept?session=${session}&clientKey=anonymous`, { method: 'DELETE' })).json();

  it('says where a session is kept, and once let go its next request follows the route\'s order again', async () => {
    sticky();
    await fallsBack('agent-9');
    expect(await kept(t.h, 'agent-9')).toEqual([{ route: 'default', deployment: 'mini' }]);
    expect((await answeredBy('agent-9')).deployment).toBe('mini');
    expect(await release(t.h, 'agent-9')).toEqual({ released: 1 });
    expect(await kept(t.h, 'agent-9')).toEqual([]);
    expect((await answeredBy('agent-9')).deployment).toBe('llama');
    expect(await kept(t.h, 'agent-9')).toEqual([{ route: 'default', deployment: 'llama' }]);
    expect(await release(t.h, 'nobody')).toEqual({ released: 0 });
    // A key's session is named by the key's name, as the usage log names it; another key's is left alone.
    const a = t.h.gateway.keys.create('key-c', {}).key;
    const b = t.h.gateway.keys.create('key-d', {}).key;
    await t.ollama.setMode({ kind: 'status', status: 503 });
    for (const key of [a, b]) expect((await answeredBy('shared-2', 'default', key)).deployment).toBe('mini');
    await t.ollama.reset();
    const keyed = (name: string, method = 'GET') => t.h.admin(`/admin/api/usage/sessions/kept?session=shared-2&clientKey=${name}`, { method }).then((r) => r.json());
    expect(await keyed('key-c')).toEqual({ kept: [{ route: 'default', deployment: 'mini' }] });
    expect(await keyed('key-c', 'DELETE')).toEqual({ released: 1 });
    expect((await answeredBy('shared-2', 'default', a)).deployment).toBe('llama');
    expect((await answeredBy('shared-2', 'default', b)).deployment).toBe('mini');
    const refused = await t.h.admin('/admin/api/usage/sessions/kept?clientKey=anonymous');
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(/session/);
  });

  it('stays let go after a restart', async () => {
    const dir = tempDir();
    const start = () => startGateway(t.configWith({}, { stickySessions: true }), { dataDir: dir.path, now: () => t.clock });
    let h = await start();
    try {
      await t.ollama.setMode({ kind: 'status', status: 503 });
      await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-switchyard-session': 'agent-7' } });
      await t.ollama.reset();
      await h.gateway.stop();
      h = await start();
      expect(await kept(h, 'agent-7')).toEqual([{ route: 'default', deployment: 'mini' }]);
      expect(await release(h, 'agent-7')).toEqual({ released: 1 });
      await h.gateway.stop();
      h = await start();
      expect(await kept(h, 'agent-7')).toEqual([]);
    } finally {
      await h.gateway.stop();
      dir.remove();
    }
  });
});

describe('a restart', () => {
  it('keeps each session where it was on the same data dir, and forgets the idle ones', async () => {
    const dir = tempDir();
    const config = t.configWith({}, { stickySessions: true });
    const start = () => startGateway(config, { dataDir: dir.path, now: () => t.clock });
    const asks = (h: Harness) => async (session: string) => {
      const res = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-switchyard-session': session }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) });
      expect(res.status).toBe(200);
      return res.headers.get('x-switchyard-deployment');
    };
    let h = await start();
    try {
      let ask = asks(h);
      await t.ollama.setMode({ kind: 'status', status: 503 });
      expect(await ask('agent-1')).toBe('mini');
      t.clock += 20 * 60_000;
      expect(await ask('agent-2')).toBe('mini');
      await t.ollama.reset();
      await h.gateway.stop();
      // Ten minutes later: agent-1 has been idle for 30, agent-2 for 10.
      t.clock += 10 * 60_000 + 1;
      h = await start();
      ask = asks(h);
      expect(await ask('agent-2')).toBe('mini');
      expect(await ask('agent-1')).toBe('llama');
      expect(await ask('agent-3')).toBe('llama');
    } finally {
      await h.gateway.stop();
      dir.remove();
    }
  });
});

describe('a route that does not keep sessions', () => {
  it('starts every request of a session in order, as before, and keeps them where they went once switched on', async () => {
    sticky();
    await fallsBack('agent-1');
    t.h.gateway.applyConfig(t.configWith(), 'test');
    expect((await answeredBy('agent-1')).deployment).toBe('llama');
    // Switched on again: the session is where it was last answered, not where it was when switched off.
    sticky();
    const again = await answeredBy('agent-1');
    expect(again.deployment).toBe('llama');
    expect(again.route).toBe('llama:ok');
  });
});

import { countTokens } from 'gpt-tokenizer';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ clock: Date.parse('2026-11-23T10:00:00Z') });
const config = t.configWith;
const rows = (since = t.clock) => t.rows(since);

describe('usage log', () => {
  it('writes exactly one row per request, whose attempts add up to what the upstreams received', async () => {
    await t.chat({ model: 'default' }); // ok
    await t.ollama.setMode({ kind: 'status', status: 500 });
    await t.chat({ model: 'default' }); // fallback
    await t.openai.setMode({ kind: 'status', status: 429, retryAfter: '5' });
    await t.ollama.setMode({ kind: 'status', status: 429, retryAfter: '5' });
    const limited = await t.chat({ model: 'default' }); // all rate limited
    t.h.gateway.breakers.reset('llama');
    t.h.gateway.breakers.reset('mini');
    await t.ollama.setMode({ kind: 'status', status: 500 });
    await t.openai.setMode({ kind: 'status', status: 500 });
    const failed = await t.chat({ model: 'default', stream: true }); // all failed, streaming
    const unknown = await t.chat({ model: 'nope' }); // unknown model
    const invalid = await t.chat({ model: 'default', messages: 'x' }); // invalid body

    const logged = rows();
    expect(logged).toHaveLength(6);
    expect(logged.map((r) => [r.status, r.errorClass, r.deployment, r.fallback])).toEqual([
      [200, null, 'llama', false],
      [200, null, 'mini', true],
      [429, 'rate_limited', null, false],
      [503, 'upstream_5xx', null, false],
      [404, 'model_not_found', null, false],
      [400, 'invalid_request', null, false],
    ]);
    // Each failure keeps what its client was told, for the dashboard to say why.
    const told = [limited, failed, unknown, invalid].map((r) => JSON.parse(r.text).error.message as string);
    expect(told[3]).toMatch(/messages/);
    expect(logged.map((r) => r.errorMessage)).toEqual([null, null, ...told]);
    const attempts = logged.reduce((n, r) => n + r.attempts.length, 0);
    expect(attempts).toBe(t.ollama.requests.length + t.openai.requests.length);
    expect(logged[1]?.attempts.map((a) => [a.deployment, a.outcome, a.failure ?? null, a.status ?? null])).toEqual([
      ['llama', 'failed', 'upstream_5xx', 500],
      ['mini', 'ok', null, null],
    ]);
  });

  it('records the tokens the upstream reported, the cost from pricing, and what local saved', async () => {
    await t.chat({ model: 'mini' });
    await t.chat({ model: 'llama', stream: true });
    const [cloud, local] = rows();
    expect(cloud).toMatchObject({ deployment: 'mini', provider: 'cloud', inputTokens: 12, outputTokens: 3, tokensEstimated: false, stream: false });
    expect(cloud?.cost).toBeCloseTo((12 * 0.4 + 3 * 1.6) / 1e6, 12);
    expect(cloud?.wouldCost).toBeCloseTo(cloud?.cost ?? -1, 12);
    expect(local).toMatchObject({ deployment: 'llama', inputTokens: 12, outputTokens: 3, tokensEstimated: false, stream: true, cost: 0 });
    expect(local?.wouldCost).toBeCloseTo((12 * 0.4 + 3 * 1.6) / 1e6, 12); // at the default comparison price
    expect(local?.saved).toBeCloseTo(local?.wouldCost ?? -1, 12);
    expect(local?.ttftMs).toBeGreaterThan(0);
    expect(local?.totalMs).toBeGreaterThanOrEqual(local?.ttftMs ?? 0);
  });

  it('counts what local saved on the config a first start writes (its local deployments priced at 0), and on any server on this machine', async () => {
    // Discovered from the fake Ollama, as `serve` does on a fresh data dir.
    const fresh = await startGateway(undefined, { discoverOllama: true, env: { OLLAMA_HOST: t.ollama.url } });
    try {
      const written = fresh.gateway.config().deployments.find((d) => d.name === 'llama3.2:3b');
      expect(written?.pricing).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
      await fresh.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hello there' }] });
      const [row] = fresh.gateway.usage.iterate({ since: 0 });
      expect(row).toMatchObject({ deployment: 'llama3.2:3b', inputTokens: 12, outputTokens: 3, cost: 0 });
      expect(row?.wouldCost).toBeCloseTo((12 * 0.4 + 3 * 1.6) / 1e6, 12);
      expect(row?.saved).toBeCloseTo(row?.wouldCost ?? -1, 12);
    } finally {
      await fresh.stop();
    }

    // An OpenAI-compatible server on loopback (LM Studio, vLLM) with no pricing: free, not priced as the cloud model it is named after.
    const base = config();
    t.h.gateway.applyConfig({ ...base, providers: base.providers.map((p) => (p.name === 'cloud' ? { ...p, local: undefined } : p)), deployments: base.deployments.map((d) => (d.name === 'mini' ? { ...d, pricing: undefined } : d)) }, 'test');
    await t.chat({ model: 'mini' });
    const [lmStudio] = rows();
    expect(lmStudio).toMatchObject({ deployment: 'mini', cost: 0 });
    expect(lmStudio?.saved).toBeCloseTo((12 * 0.4 + 3 * 1.6) / 1e6, 12);
  });

  it('estimates tokens, and says so, when the upstream reports none', async () => {
    const silent = await startFakeOpenAI({ omitUsage: true });
    try {
      t.h.gateway.applyConfig({ ...twoTierConfig({ ollama: t.ollama.url, openai: silent.url }) }, 'test');
      await t.chat({ model: 'mini', messages: [{ role: 'user', content: 'count these five words' }] });
      const [row] = rows();
      expect(row?.tokensEstimated).toBe(true);
      // The real encoder (loaded on first use), not the length/4 fallback.
      expect(row?.inputTokens).toBe(countTokens('count these five words\n'));
      expect(row?.inputTokens).not.toBe(Math.ceil('count these five words\n'.length / 4));
      expect(row?.outputTokens).toBeGreaterThan(0);
      // A Responses turn that continues a kept one: the model read the whole conversation.
      const first = await t.h.openai.responses.create({ model: 'mini', input: 'count these five words' });
      const next = await t.h.openai.responses.create({ model: 'mini', previous_response_id: first.id, input: 'and two more' });
      const [earlier, second] = rows().filter((r) => r.endpoint === 'responses');
      expect(next.previous_response_id).toBe(first.id);
      expect(second?.inputTokens).toBeGreaterThanOrEqual((earlier?.inputTokens ?? 0) + (earlier?.outputTokens ?? 0) + countTokens('and two more'));
    } finally {
      await silent.stop();
    }
  });

  it('gives the Ollama-compatible path the same rows', async () => {
    const client = new Ollama({ host: t.h.url });
    await client.chat({ model: 'default', messages: [{ role: 'user', content: 'a b' }], stream: false });
    await t.ollama.setMode({ kind: 'status', status: 500 });
    for await (const _ of await client.chat({ model: 'default', messages: [{ role: 'user', content: 'a b' }], stream: true })) void _;
    const [first, second] = rows();
    expect(first).toMatchObject({ endpoint: 'ollama.chat', model: 'default', route: 'default', deployment: 'llama', inputTokens: 12, outputTokens: 3, stream: false, status: 200 });
    expect(second).toMatchObject({ endpoint: 'ollama.chat', deployment: 'mini', fallback: true, stream: true, inputTokens: 12, outputTokens: 3 });
    expect(second?.attempts).toHaveLength(2);
  });

  it('keeps no prompt or answer text unless body logging is on', async () => {
    const secret = `sentinel-${randomUUID()}`;
    await t.chat({ model: 'default', temperature: 0.7, messages: [{ role: 'user', content: secret }] });
    // Its row is written (and the inbox it waits in moved on, the one write after the answer): nothing more comes.
    expect(rows().length).toBeGreaterThan(0);
    const found = () =>
      readdirSync(t.h.dataDir).some((file) => {
        try {
          return readFileSync(join(t.h.dataDir, file)).includes(secret);
        } catch {
          return false;
        }
      });
    expect(found()).toBe(false);

    t.h.gateway.applyConfig(config({ usage: { logBodies: true } }), 'test');
    await t.chat({ model: 'default', temperature: 0.7, messages: [{ role: 'user', content: secret }] });
    // A lone answer's row (and its bodies) is committed a moment after it, or at the first query.
    const [, logged] = rows();
    expect(found()).toBe(true);
    expect(t.h.gateway.usage.body(logged?.id ?? '')?.request).toContain(secret);
  });

  it('prunes rows past the retention', async () => {
    await t.chat({ model: 'default' });
    expect(rows(0).length).toBeGreaterThan(0);
    t.clock += 91 * 86_400_000;
    await t.h.gateway.prune();
    expect(rows(0)).toHaveLength(0);
  });

  it('exports CSV that cannot inject a formula, and JSON with every attempt', async () => {
    await t.chat({ model: '=HYPERLINK("http://evil.example","click")' });
    await t.chat({ model: 'default' });
    // Committed now: spawnSync holds this process, and with it the in-process gateway's commit a moment later.
    expect(rows()).toHaveLength(2);
    const env = { ...process.env, OLLAMA_HOST: '127.0.0.1:9' };
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'switchyard.js');
    const since = new Date(t.clock).toISOString();
    const csv = spawnSync(process.execPath, [bin, 'usage', 'export', '--data-dir', t.h.dataDir, '--format', 'csv', '--since', since], { env, encoding: 'utf8' });
    expect(csv.status).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^request_id,time,endpoint,api,client_key,model,/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(lines.every((l) => !/,=/.test(l))).toBe(true);
    const json = spawnSync(process.execPath, [bin, 'usage', 'export', '--data-dir', t.h.dataDir, '--format', 'json', '--since', since], { env, encoding: 'utf8' });
    const exported = JSON.parse(json.stdout);
    expect(exported).toHaveLength(2);
    expect(exported[1].attempts).toEqual([expect.objectContaining({ deployment: 'llama', outcome: 'ok' })]);
  });
});

describe('response cache', () => {
  it('answers a repeated temperature-0 request from the cache: free, logged as a hit, upstream not called', async () => {
    const first = await t.chat({ model: 'cloud-first', temperature: 0 });
    expect(first.res.headers.get('x-switchyard-cache')).toBe('miss');
    const second = await t.chat({ model: 'cloud-first', temperature: 0, user: 'someone-else' });
    expect(second.res.headers.get('x-switchyard-cache')).toBe('hit');
    expect(JSON.parse(second.text)).toEqual(JSON.parse(first.text));
    expect(t.openai.requests).toHaveLength(1);
    const [, hit] = rows();
    expect(hit).toMatchObject({ cached: true, cost: 0, deployment: 'mini', inputTokens: 12, attempts: [] });
    expect(hit?.saved).toBeGreaterThan(0);
  });

  it('keeps each client key\'s answers to itself: another key asking the same is a miss, not told what the first asked', async () => {
    const [one, two] = ['one', 'two'].map((who) => `Bearer ${t.h.gateway.keys.create(`${who}-${randomUUID().slice(0, 8)}`).key}`);
    const ask = (authorization: string) => t.chat({ model: 'cloud-first', temperature: 0 }, { authorization });
    expect((await ask(one!)).res.headers.get('x-switchyard-cache')).toBe('miss');
    expect((await ask(two!)).res.headers.get('x-switchyard-cache')).toBe('miss');
    expect((await ask(one!)).res.headers.get('x-switchyard-cache')).toBe('hit');
    expect((await ask(two!)).res.headers.get('x-switchyard-cache')).toBe('hit');
    expect(t.openai.requests).toHaveLength(2);
  });

  it('replays a cached stream chunk by chunk with the same text, ending with [DONE], without the upstream', async () => {
    const first = await t.chat({ model: 'default', temperature: 0, stream: true, messages: [{ role: 'user', content: 'one two three four' }] });
    const second = await t.chat({ model: 'default', temperature: 0, stream: true, messages: [{ role: 'user', content: 'one two three four' }] });
    expect(second.res.headers.get('x-switchyard-cache')).toBe('hit');
    expect(second.text).toBe(first.text);
    expect(second.text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(second.text.split('\n\n').length).toBeGreaterThan(4);
    expect(t.ollama.requests).toHaveLength(1);
  });

  it('serves a stream from a JSON entry and JSON from a stream entry', async () => {
    await t.chat({ model: 'default', temperature: 0, messages: [{ role: 'user', content: 'json first' }] });
    const streamed = await t.chat({ model: 'default', temperature: 0, stream: true, messages: [{ role: 'user', content: 'json first' }] });
    expect(streamed.res.headers.get('x-switchyard-cache')).toBe('hit');
    const text = streamed.text.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)).choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Echo: json first');

    await t.chat({ model: 'default', temperature: 0, stream: true, messages: [{ role: 'user', content: 'stream first' }] });
    const whole = await t.chat({ model: 'default', temperature: 0, messages: [{ role: 'user', content: 'stream first' }] });
    expect(whole.res.headers.get('x-switchyard-cache')).toBe('hit');
    expect(JSON.parse(whole.text).choices[0].message.content).toBe('Echo: stream first');
    expect(t.ollama.requests).toHaveLength(2);
  });

  it('never caches a truncated stream', async () => {
    await t.openai.setMode({ kind: 'truncated', chunks: 2 });
    await t.chat({ model: 'mini', temperature: 0, stream: true });
    await t.openai.setMode({ kind: 'healthy' });
    const again = await t.chat({ model: 'mini', temperature: 0, stream: true });
    expect(again.res.headers.get('x-switchyard-cache')).toBe('miss');
    expect(t.openai.requests).toHaveLength(2);
  });

  it('is bypassed by Cache-Control no-cache and no-store, and by a non-zero temperature', async () => {
    await t.chat({ model: 'mini', temperature: 0 });
    expect((await t.chat({ model: 'mini', temperature: 0 }, { 'cache-control': 'no-cache' })).res.headers.get('x-switchyard-cache')).toBe('bypass');
    expect((await t.chat({ model: 'mini', temperature: 0 }, { 'cache-control': 'no-store' })).res.headers.get('x-switchyard-cache')).toBe('bypass');
    expect((await t.chat({ model: 'mini', temperature: 0.5 })).res.headers.get('x-switchyard-cache')).toBe('bypass');
    expect(t.openai.requests).toHaveLength(4);
  });

  it('caches every request of a route that opts in, and expires entries after the TTL', async () => {
    t.h.gateway.applyConfig(config({ cache: { ttlSeconds: 60 } }, { cache: true }), 'test');
    await t.chat({ model: 'default', temperature: 0.9 });
    expect((await t.chat({ model: 'default', temperature: 0.9 })).res.headers.get('x-switchyard-cache')).toBe('hit');
    t.clock += 61_000;
    expect((await t.chat({ model: 'default', temperature: 0.9 })).res.headers.get('x-switchyard-cache')).toBe('miss');
    expect(t.ollama.requests).toHaveLength(2);
  });

  it('caches embeddings', async () => {
    for (let i = 0; i < 2; i++) await t.h.openai.embeddings.create({ model: 'cloud-embed', input: 'same', encoding_format: 'float' });
    expect(t.openai.requests).toHaveLength(1);
  });

  it('evicts the least recently used entries past its size cap', async () => {
    const cache = t.h.gateway.cache;
    const big = 'x'.repeat(300 * 1024);
    for (let i = 0; i < 5; i++) {
      t.clock += 1000;
      cache.put(`k${i}`, { deployment: 'd', provider: 'p', kind: 'chat', payload: { big } }, 60_000, 1024 * 1024);
    }
    const stats = cache.stats(1024 * 1024);
    expect(stats.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k4')).toBeDefined();
  });
});

describe('the response cache', () => {
  it('stops serving a route\'s old answers once the route changes', async () => {
    const ask = () => fetch(`${t.h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', temperature: 0, messages: [{ role: 'user', content: 'same question' }] }) });
    expect((await ask()).headers.get('x-switchyard-deployment')).toBe('llama');
    expect((await ask()).headers.get('x-switchyard-cache')).toBe('hit');
    const current = t.h.gateway.config();
    t.h.gateway.applyConfig({ ...current, routes: current.routes.map((r) => (r.name === 'default' ? { ...r, deployments: ['mini', 'llama'] } : r)) }, 'test');
    const after = await ask();
    expect(after.headers.get('x-switchyard-cache')).toBe('miss');
    expect(after.headers.get('x-switchyard-deployment')).toBe('mini');
  });

  it("gives a client that prefers a deployment that deployment's answer, not another's from the cache", async () => {
    const ask = (prefer?: string) => fetch(`${t.h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...(prefer ? { 'x-switchyard-prefer': prefer } : {}) }, body: JSON.stringify({ model: 'default', temperature: 0, messages: [{ role: 'user', content: 'which of you?' }] }) });
    const seen = async (prefer?: string) => {
      const res = await ask(prefer);
      return `${res.headers.get('x-switchyard-deployment')} ${res.headers.get('x-switchyard-cache')}`;
    };
    expect([await seen(), await seen('mini'), await seen('mini'), await seen(), await seen('llama')]).toEqual(['llama miss', 'mini miss', 'mini hit', 'llama hit', 'llama miss']);
  });

  it('counts an entry answered again once in its size', async () => {
    await t.h.gateway.cache.purge();
    t.h.gateway.cache.put('k', { deployment: 'd', provider: 'p', kind: 'x', payload: { text: 'a'.repeat(100) } }, 60_000, 1024 * 1024);
    const once = t.h.gateway.cache.stats(1024 * 1024).bytes;
    t.h.gateway.cache.put('k', { deployment: 'd', provider: 'p', kind: 'x', payload: { text: 'a'.repeat(100) } }, 60_000, 1024 * 1024);
    // The running total (what eviction reads) must agree with what the table holds.
    t.h.gateway.cache.put('k2', { deployment: 'd', provider: 'p', kind: 'x', payload: { text: 'b' } }, 60_000, once + 20);
    expect(t.h.gateway.cache.stats(1024 * 1024).entries).toBe(2);
  });
});

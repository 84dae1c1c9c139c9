/**
 * A route's deadline (`deadlineMs`) bounds the whole request: a deployment that hangs is cut at it
 * with a 504 and the next is not tried with no time left; nor when the time ran out in a busy
 * provider's queue, where the next deployment, tried, would fail at once and count against its breaker.
 * A stream it cuts was being answered, and a deployment tried after others took most of it had too little
 * time: neither is a failure of its deployment.
 */
import { describe, expect, it } from 'vitest';
import { twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

// Ollama's streams a word each 60 ms: a few words outlast a 300 ms deadline.
const t = useTwoTier({ ollama: { chunkDelayMs: 60 } });
const tiers = () => twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url, timeouts: { firstByteMs: 10_000 } });

describe('the route deadline', () => {
  it('stops at the route deadline with 504', async () => {
    t.h.gateway.applyConfig({ ...tiers(), routes: [{ name: 'default', deployments: ['llama', 'mini'], deadlineMs: 300 }] }, 'test');
    await t.ollama.setMode({ kind: 'hang' });
    const { res, text } = await t.chat({ model: 'default' });
    expect(res.status).toBe(504);
    expect(JSON.parse(text).error.message).toContain('deadline of 300 ms');
    expect(t.openai.requests).toHaveLength(0);
    // It had the whole deadline and gave no first byte: that counts (the next request would wait on it too).
    expect(t.h.gateway.breakers.snapshot('llama')).toMatchObject({ consecutiveFailures: 1 });
  });

  it('does not count a cut against a deployment tried after others took most of the deadline', async () => {
    const [local, cloud] = tiers().providers;
    // mini gives up on its own (undici's timers tick coarsely: within about a second), a failure of its own;
    // llama, slow to begin, is then cut by the deadline with what was left of it.
    t.h.gateway.applyConfig({ ...tiers(), providers: [local, { ...cloud, timeouts: { firstByteMs: 300 } }], routes: [{ name: 'default', deployments: ['mini', 'llama'], deadlineMs: 2_500 }] }, 'test');
    await t.ollama.setMode({ kind: 'hang' });
    await t.openai.setMode({ kind: 'hang' });
    for (let i = 0; i < 2; i++) {
      const { res, text } = await t.chat({ model: 'default' });
      expect([res.status, JSON.parse(text).error.message]).toEqual([504, expect.stringContaining('deadline of 2500 ms passed after 2 attempts: ')]);
    }
    expect(t.h.gateway.breakers.snapshot('mini')).toMatchObject({ consecutiveFailures: 2 });
    expect(t.h.gateway.breakers.snapshot('llama')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it("ends at the deadline when it passes in a busy provider's queue, sending nothing on and counting nothing against the next deployment", async () => {
    const [local, ...others] = tiers().providers;
    t.h.gateway.applyConfig({ ...tiers(), providers: [{ ...local, maxConcurrent: 1, queue: { max: 5, timeoutMs: 10_000 } }, ...others], routes: [{ name: 'default', deployments: ['llama', 'mini'], deadlineMs: 300 }, { name: 'local', deployments: ['llama'] }] }, 'test');
    await t.ollama.setMode({ kind: 'hang' });
    // The one slot is taken by a request that hangs; the next waits in the queue past its deadline.
    const holder = new AbortController();
    const holding = fetch(`${t.h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'local', messages: [{ role: 'user', content: 'hold' }] }), signal: holder.signal }).catch(() => undefined);
    await expect.poll(() => t.ollama.requests.length).toBe(1);
    try {
      for (let i = 0; i < 4; i++) {
        const { res, text } = await t.chat({ model: 'default' });
        expect(res.status).toBe(504);
        expect(JSON.parse(text).error.message).toBe("The route's deadline of 300 ms passed while llama waited for provider local (busy), before any attempt");
      }
      expect(t.openai.requests).toHaveLength(0);
      expect(t.h.gateway.breakers.snapshot('mini')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    } finally {
      holder.abort();
      await holding;
    }
  });

  it("cuts a stream still under way at the deadline without counting it against its deployment's breaker", async () => {
    t.h.gateway.applyConfig({ ...tiers(), routes: [{ name: 'default', deployments: ['llama', 'mini'], deadlineMs: 300 }] }, 'test');
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    for (let i = 0; i < 6; i++) {
      const { res, text } = await t.chat({ model: 'default', stream: true, messages: [{ role: 'user', content: words }] });
      expect(res.headers.get('x-switchyard-deployment')).toBe('llama');
      // Some of the answer came, then the stream ended short of its end, saying why.
      expect(text).toContain('Echo');
      expect(text).not.toContain('word29');
      expect(text.trim().split('\n').at(-1)).toBe('data: {"error":{"message":"The upstream failed after the stream began: local: the route deadline passed","type":"api_error","param":null,"code":"timeout"}}');
    }
    expect(t.h.gateway.breakers.snapshot('llama')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(t.openai.requests).toHaveLength(0);
    // The request's row still says its attempt was cut, and why.
    expect(t.rows(0).at(-1)?.attempts).toEqual([expect.objectContaining({ deployment: 'llama', outcome: 'failed', failure: 'timeout', message: 'local: the route deadline passed' })]);
  });
});

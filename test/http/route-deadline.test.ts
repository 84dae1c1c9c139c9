/**
 * A route's deadline (`deadlineMs`) bounds the whole request: a deployment that hangs is cut at it
 * with a 504 and the next is not tried with no time left; nor when the time ran out in a busy
 * provider's queue, where the next deployment, tried, would fail at once and count against its breaker.
 */
import { describe, expect, it } from 'vitest';
import { twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const tiers = () => twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url, timeouts: { firstByteMs: 10_000 } });

describe('the route deadline', () => {
  it('stops at the route deadline with 504', async () => {
    t.h.gateway.applyConfig({ ...tiers(), routes: [{ name: 'default', deployments: ['llama', 'mini'], deadlineMs: 300 }] }, 'test');
    await t.ollama.setMode({ kind: 'hang' });
    const { res, text } = await t.chat({ model: 'default' });
    expect(res.status).toBe(504);
    expect(JSON.parse(text).error.message).toContain('deadline of 300 ms');
    expect(t.openai.requests).toHaveLength(0);
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
        expect(JSON.parse(text).error.message).toBe("The route's deadline of 300 ms passed while llama waited for provider local (busy), after 0 attempt(s)");
      }
      expect(t.openai.requests).toHaveLength(0);
      expect(t.h.gateway.breakers.snapshot('mini')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    } finally {
      holder.abort();
      await holding;
    }
  });
});

import { describe, expect, it } from 'vitest';
import { CircuitBreaker, isPermit, type Permit, type Transition } from '../../gateway/routing/circuit-breaker';
import { ConcurrencyLimiter, isSlot } from '../../gateway/providers/concurrency';

function setup(settings = { failures: 3, cooldownMs: 2_000, maxCooldownMs: 8_000, probeBudgetMs: 3_000, blockMs: 60_000 }) {
  let now = 1_000_000;
  const transitions: Transition[] = [];
  const breaker = new CircuitBreaker('llama', settings, () => now, (t) => transitions.push(t));
  const permit = () => {
    const p = breaker.acquire(now);
    if (!isPermit(p)) throw new Error(`refused: ${p.reason}`);
    return p;
  };
  return { breaker, transitions, permit, advance: (ms: number) => (now += ms), now: () => now };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, not before, and a success resets the count', () => {
    const { breaker, permit, now } = setup();
    permit().settle('failure');
    permit().settle('failure');
    permit().settle('success');
    permit().settle('failure');
    permit().settle('failure');
    expect(breaker.snapshot(now()).state).toBe('closed');
    permit().settle('failure');
    expect(breaker.snapshot(now())).toMatchObject({ state: 'open', openUntil: now() + 2_000 });
    expect(breaker.acquire(now())).toEqual({ reason: 'circuit_open', until: now() + 2_000 });
  });

  it('lets exactly one probe through when half-open and refuses the rest until it settles', () => {
    const { breaker, permit, advance, now, transitions } = setup();
    for (let i = 0; i < 3; i++) permit().settle('failure');
    advance(2_000);
    const probe = breaker.acquire(now()) as Permit;
    expect(isPermit(probe) && probe.probe).toBe(true);
    expect(breaker.acquire(now())).toEqual({ reason: 'probe_in_flight', until: null });
    expect(breaker.acquire(now())).toEqual({ reason: 'probe_in_flight', until: null });
    probe.settle('success');
    expect(breaker.snapshot(now()).state).toBe('closed');
    expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('doubles the cooldown after each failed probe, up to the cap, and resets it on success', () => {
    const { breaker, permit, advance, now } = setup();
    for (let i = 0; i < 3; i++) permit().settle('failure');
    const cooldowns: number[] = [breaker.snapshot(now()).cooldownMs];
    for (let i = 0; i < 4; i++) {
      advance(breaker.snapshot(now()).cooldownMs);
      permit().settle('failure');
      const snapshot = breaker.snapshot(now());
      expect(snapshot.openUntil).toBe(now() + snapshot.cooldownMs);
      cooldowns.push(snapshot.cooldownMs);
    }
    expect(cooldowns).toEqual([2_000, 4_000, 8_000, 8_000, 8_000]);
    advance(8_000);
    permit().settle('success');
    for (let i = 0; i < 3; i++) permit().settle('failure');
    expect(breaker.snapshot(now()).cooldownMs).toBe(2_000);
  });

  it('a neutral probe (client left, 429) frees the probe slot without closing or reopening', () => {
    const { breaker, permit, advance, now } = setup();
    for (let i = 0; i < 3; i++) permit().settle('failure');
    advance(2_000);
    permit().settle('neutral');
    expect(breaker.snapshot(now()).state).toBe('half-open');
    expect(isPermit(breaker.acquire(now()))).toBe(true);
  });

  it('opens on a failure rate over its window', () => {
    const { breaker, permit, now } = setup({ failures: 100, cooldownMs: 1_000, maxCooldownMs: 1_000, failureRate: { threshold: 0.5, minRequests: 4, windowMs: 60_000 } } as never);
    permit().settle('success');
    permit().settle('failure');
    permit().settle('success');
    expect(breaker.snapshot(now()).state).toBe('closed');
    permit().settle('failure');
    expect(breaker.snapshot(now()).state).toBe('open');
  });

  it('forgets outcomes older than the failure-rate window', () => {
    const { breaker, permit, advance, now } = setup({ failures: 100, cooldownMs: 1_000, maxCooldownMs: 1_000, failureRate: { threshold: 0.5, minRequests: 4, windowMs: 60_000 } } as never);
    for (let i = 0; i < 3; i++) permit().settle('failure');
    // A bucket (a twentieth of the window) past the window: the three failures no longer count.
    advance(60_000 + 3_000);
    permit().settle('success');
    permit().settle('failure');
    expect(breaker.snapshot(now()).state).toBe('closed');
    permit().settle('success');
    permit().settle('failure');
    expect(breaker.snapshot(now()).state).toBe('open');
  });

  it('cools until a Retry-After deadline that a later 429 may extend but never shorten', () => {
    const { breaker, advance, now } = setup();
    breaker.coolUntil(now() + 30_000);
    breaker.coolUntil(now() + 5_000);
    expect(breaker.acquire(now())).toEqual({ reason: 'cooling', until: now() + 30_000 });
    advance(29_999);
    expect(isPermit(breaker.acquire(now()))).toBe(false);
    breaker.coolUntil(now() + 60_000);
    advance(1);
    expect(breaker.acquire(now())).toMatchObject({ reason: 'cooling' });
  });

  it('can be reset by hand', () => {
    const { breaker, permit, now } = setup();
    for (let i = 0; i < 3; i++) permit().settle('failure');
    breaker.coolUntil(now() + 10_000);
    breaker.reset(now());
    expect(breaker.snapshot(now())).toMatchObject({ state: 'closed', coolingUntil: null, consecutiveFailures: 0 });
  });
});

describe('ConcurrencyLimiter', () => {
  const never = new AbortController().signal;

  it('admits up to the cap, then queues in FIFO order', async () => {
    const limiter = new ConcurrencyLimiter({ max: 1, queueMax: 5, queueTimeoutMs: 5_000 });
    const first = limiter.acquire(never);
    if (!isSlot(first as never)) throw new Error('expected a slot');
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => Promise.resolve(limiter.acquire(never)).then((slot) => (order.push(n), slot)));
    expect(limiter.waiting).toBe(3);
    (first as { release(): void }).release();
    for (const w of waiting) ((await w) as { release(): void }).release();
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.inFlight).toBe(0);
  });

  it('refuses at once when the queue is full, and after the queue timeout otherwise', async () => {
    const limiter = new ConcurrencyLimiter({ max: 1, queueMax: 1, queueTimeoutMs: 50 });
    limiter.acquire(never);
    const queued = limiter.acquire(never);
    expect(limiter.acquire(never)).toEqual({ refused: 'queue_full', retryAfterMs: 50 });
    expect(await queued).toEqual({ refused: 'queue_timeout', retryAfterMs: 50 });
    expect(limiter.waiting).toBe(0);
  });

  it('lets a waiting request leave when its client goes away', async () => {
    const limiter = new ConcurrencyLimiter({ max: 1, queueMax: 1, queueTimeoutMs: 5_000 });
    limiter.acquire(never);
    const controller = new AbortController();
    const queued = limiter.acquire(controller.signal);
    controller.abort();
    expect(await queued).toMatchObject({ refused: 'queue_timeout' });
    expect(limiter.waiting).toBe(0);
  });
});

/**
 * One deployment's circuit breaker: a small state machine with an injected clock.
 *
 *   closed --(N consecutive failures, or failure rate over a window)--> open{until}
 *   open --(cooldown passed; the next request takes the one probe slot)--> half-open{probe}
 *   half-open --probe succeeds--> closed (cooldown back to its base)
 *   half-open --probe fails--> open with the cooldown doubled, up to a cap
 *
 * Separately, a 429 with Retry-After "cools" the deployment until that deadline (capped); a later
 * 429 may extend the deadline, never shorten it. A failure that says the deployment cannot work
 * until something changes (its key refused, its model missing, its quota spent) "blocks" it: open
 * for the long `blockMs`, with that cause, until a config change, a manual reset, a probe that
 * succeeds after it, or (a missing model) the health monitor finding the model installed. While
 * open, half-open with its probe out, or cooling, the deployment is skipped at no cost. Written by hand rather than with cockatiel because
 * the doubling cooldown, the cooling deadline and a readable snapshot are most of the logic.
 */
import { OutcomeWindow } from './outcome-window';

export interface BreakerSettings {
  failures: number;
  cooldownMs: number;
  maxCooldownMs: number;
  /** Optional: open when at least `minRequests` outcomes in `windowMs` fail at `threshold` or more. */
  failureRate?: { threshold: number; minRequests: number; windowMs: number } | undefined;
  /** How long the client carrying a half-open probe waits for it before moving on (the probe goes on). */
  probeBudgetMs: number;
  /** How long a blocking failure (auth, model missing, quota) keeps the deployment out. */
  blockMs: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { failures: 5, cooldownMs: 10_000, maxCooldownMs: 300_000, probeBudgetMs: 3_000, blockMs: 1_800_000 };

/** Failures that mean the deployment cannot work until something changes. */
export type BlockCause = 'auth' | 'model_missing' | 'quota';
export const BLOCK_CAUSES: ReadonlySet<string> = new Set<BlockCause>(['auth', 'model_missing', 'quota']);

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  state: BreakerState;
  /** When an open breaker lets its next probe through (epoch ms). */
  openUntil: number | null;
  /** Rate limited (429) until this instant (epoch ms). */
  coolingUntil: number | null;
  probeInFlight: boolean;
  consecutiveFailures: number;
  cooldownMs: number;
  lastTransitionAt: number | null;
  /** Why it is open, when a blocking failure opened it. */
  blockedBy: BlockCause | null;
  blockedMessage: string | null;
}

export interface Transition {
  deployment: string;
  from: BreakerState;
  to: BreakerState;
  at: number;
  reason: string;
}

/** Why a deployment may not be tried now, and until when. */
export interface Refusal {
  reason: 'circuit_open' | 'probe_in_flight' | 'cooling';
  until: number | null;
  /** Set when a blocking failure opened the circuit. */
  blockedBy?: BlockCause | undefined;
}

export type Outcome = 'success' | 'failure' | 'neutral';

export interface AcquireOptions {
  /** The caller has just waited out this deployment's Retry-After itself (timers may fire a little early). */
  waitedForCooling?: boolean;
}

export interface Permit {
  /** True when this attempt is the half-open probe. */
  probe: boolean;
  settle(outcome: Outcome): void;
}

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private openUntil = 0;
  private coolingUntil = 0;
  private probeInFlight = false;
  private consecutiveFailures = 0;
  private cooldownMs: number;
  private lastTransitionAt: number | null = null;
  private blockedBy: BlockCause | null = null;
  private blockedMessage: string | null = null;
  private recent: OutcomeWindow | undefined;

  constructor(
    private deployment: string,
    private settings: BreakerSettings,
    private readonly now: () => number,
    private readonly onTransition: (transition: Transition) => void = () => {},
  ) {
    this.cooldownMs = settings.cooldownMs;
  }

  /** The same deployment under a new name (its model and server unchanged): its state goes on. */
  renamed(deployment: string): this {
    this.deployment = deployment;
    return this;
  }

  configure(settings: BreakerSettings): void {
    this.settings = settings;
    this.cooldownMs = Math.min(Math.max(this.cooldownMs, settings.cooldownMs), settings.maxCooldownMs);
    if (this.state === 'closed') this.cooldownMs = settings.cooldownMs;
  }

  /** Without side effects: would a request be refused now? */
  check(now: number, options: AcquireOptions = {}): Refusal | undefined {
    if (now < this.coolingUntil && !options.waitedForCooling) return { reason: 'cooling', until: this.coolingUntil };
    if (this.state === 'open' && now < this.openUntil) return { reason: 'circuit_open', until: this.openUntil, blockedBy: this.blockedBy ?? undefined };
    if (this.state === 'half-open' && this.probeInFlight) return { reason: 'probe_in_flight', until: null };
    return undefined;
  }

  /** Takes the right to send one request; in half-open, only one holder at a time (the probe). */
  acquire(now: number, options: AcquireOptions = {}): Permit | Refusal {
    const refusal = this.check(now, options);
    if (refusal) return refusal;
    if (this.state === 'open') this.transition('half-open', now, 'cooldown passed');
    const probe = this.state === 'half-open';
    if (probe) this.probeInFlight = true;
    let settled = false;
    return {
      probe,
      settle: (outcome) => {
        if (settled) return;
        settled = true;
        this.record(outcome, probe);
      },
    };
  }

  /** Keeps the deployment out for `blockMs`: its key, model or quota needs a change first. */
  block(cause: BlockCause, now: number, message: string): void {
    this.blockedBy = cause;
    this.blockedMessage = message;
    this.openUntil = now + this.settings.blockMs;
    this.transition('open', now, `${cause}: ${message}`);
  }

  /** Lifts a block of this cause (the health monitor found the missing model). */
  unblock(cause: BlockCause, now: number, reason: string): void {
    if (this.blockedBy !== cause || this.state === 'closed') return;
    this.clearBlock();
    this.consecutiveFailures = 0;
    this.transition('closed', now, reason);
  }

  get isBlocked(): boolean {
    return this.blockedBy !== null && this.state !== 'closed';
  }

  private clearBlock(): void {
    this.blockedBy = null;
    this.blockedMessage = null;
  }

  reset(now: number, reason = 'reset by hand'): void {
    this.clearBlock();
    this.coolingUntil = 0;
    this.probeInFlight = false;
    this.consecutiveFailures = 0;
    this.recent = undefined;
    this.cooldownMs = this.settings.cooldownMs;
    if (this.state !== 'closed') this.transition('closed', now, reason);
  }

  snapshot(now: number): BreakerSnapshot {
    return {
      state: this.state === 'open' && now >= this.openUntil ? 'open' : this.state,
      openUntil: this.state === 'open' ? this.openUntil : null,
      coolingUntil: now < this.coolingUntil ? this.coolingUntil : null,
      probeInFlight: this.probeInFlight,
      consecutiveFailures: this.consecutiveFailures,
      cooldownMs: this.cooldownMs,
      lastTransitionAt: this.lastTransitionAt,
      blockedBy: this.state === 'closed' ? null : this.blockedBy,
      blockedMessage: this.state === 'closed' ? null : this.blockedMessage,
    };
  }

  get probeBudgetMs(): number {
    return this.settings.probeBudgetMs;
  }

  /** How long a 429 that names no Retry-After cools the deployment: the configured cooldown. */
  get rateLimitCooldownMs(): number {
    return this.settings.cooldownMs;
  }

  /** Rate limited: skip this deployment until the upstream's deadline (never moved earlier). */
  coolUntil(until: number): void {
    this.coolingUntil = Math.max(this.coolingUntil, until);
  }

  private record(outcome: Outcome, probe: boolean): void {
    const now = this.now();
    if (probe) this.probeInFlight = false;
    if (outcome === 'neutral') return;
    const failed = outcome === 'failure';
    this.pushRecent(now, failed);
    if (!failed) {
      this.consecutiveFailures = 0;
      if (this.state !== 'closed') {
        this.cooldownMs = this.settings.cooldownMs;
        this.clearBlock();
        this.transition('closed', now, 'probe succeeded');
      }
      return;
    }
    this.consecutiveFailures++;
    if (this.state === 'half-open' && probe) {
      this.cooldownMs = Math.min(this.cooldownMs * 2, this.settings.maxCooldownMs);
      this.clearBlock();
      this.open(now, 'probe failed');
    } else if (this.state === 'closed' && (this.consecutiveFailures >= this.settings.failures || this.rateTripped(now))) {
      this.open(now, this.consecutiveFailures >= this.settings.failures ? `${this.consecutiveFailures} consecutive failures` : 'failure rate over its window');
    }
  }

  private open(now: number, reason: string): void {
    this.openUntil = now + this.cooldownMs;
    this.transition('open', now, reason);
  }

  private transition(to: BreakerState, at: number, reason: string): void {
    const from = this.state;
    this.state = to;
    this.lastTransitionAt = at;
    if (from !== to || to === 'open') this.onTransition({ deployment: this.deployment, from, to, at, reason });
  }

  private pushRecent(at: number, failed: boolean): void {
    const rate = this.settings.failureRate;
    if (!rate) return;
    if (this.recent?.windowMs !== rate.windowMs) this.recent = new OutcomeWindow(rate.windowMs);
    this.recent.add(at, failed);
  }

  private rateTripped(now: number): boolean {
    const rate = this.settings.failureRate;
    if (!rate || !this.recent) return false;
    const { total, failed } = this.recent.counts(now);
    if (total < rate.minRequests) return false;
    return failed / total >= rate.threshold;
  }
}

export function isPermit(value: Permit | Refusal): value is Permit {
  return (value as Permit).settle !== undefined;
}

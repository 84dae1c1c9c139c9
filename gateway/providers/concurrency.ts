import type { CancelSignal } from '../cancel';
import type { ProviderConfig } from '../config/schema';

/**
 * A provider's concurrency cap with a FIFO queue. A local GPU serves one or two generations at a
 * time; past the cap requests wait in order, and one that cannot be admitted (queue full, or not
 * admitted within the queue timeout) is refused so the router can spill it to the next deployment
 * instead of piling more work on a busy machine.
 */

export interface LimiterSettings {
  /** Concurrent requests; Infinity for no cap. */
  max: number;
  queueMax: number;
  queueTimeoutMs: number;
}

export interface Slot {
  release(): void;
}

export type Admission = Slot | { refused: 'queue_full' | 'queue_timeout'; retryAfterMs: number };

interface Waiter {
  admit: (slot: Slot) => void;
  timer: NodeJS.Timeout;
}

export class ConcurrencyLimiter {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(private settings: LimiterSettings) {}

  /**
   * New settings for the same server (its provider edited): what is under way and waiting still
   * counts against the cap, and a raised cap admits waiters at once.
   */
  configure(settings: LimiterSettings): void {
    this.settings = settings;
    while (this.active < settings.max && this.admitNext());
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  acquire(signal: CancelSignal): Promise<Admission> | Admission {
    if (this.active < this.settings.max) return this.slot();
    if (this.queue.length >= this.settings.queueMax) return { refused: 'queue_full', retryAfterMs: this.settings.queueTimeoutMs };
    return new Promise<Admission>((resolve) => {
      const waiter: Waiter = {
        admit: (slot) => {
          signal.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        timer: setTimeout(() => leave({ refused: 'queue_timeout', retryAfterMs: this.settings.queueTimeoutMs }), this.settings.queueTimeoutMs),
      };
      const leave = (admission: Admission) => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        clearTimeout(waiter.timer);
        signal.removeEventListener('abort', onAbort);
        resolve(admission);
      };
      const onAbort = () => leave({ refused: 'queue_timeout', retryAfterMs: 0 });
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private slot(): Slot {
    this.active++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.active--;
        this.admitNext();
      },
    };
  }

  private admitNext(): boolean {
    const next = this.queue.shift();
    if (!next) return false;
    clearTimeout(next.timer);
    next.admit(this.slot());
    return true;
  }
}

export function isSlot(admission: Admission): admission is Slot {
  return (admission as Slot).release !== undefined;
}

/**
 * Defaults: a local Ollama serves two at a time; OpenAI-compatible clouds get no cap. `carried` is
 * the limiter of the adapter this one replaces for the same server: its work under way still counts.
 */
export function limiterFor(config: ProviderConfig, carried?: ConcurrencyLimiter): ConcurrencyLimiter {
  const settings = {
    max: config.maxConcurrent ?? (config.kind === 'ollama' ? 2 : Number.POSITIVE_INFINITY),
    queueMax: config.queue?.max ?? 50,
    queueTimeoutMs: config.queue?.timeoutMs ?? 2_000,
  };
  if (!carried) return new ConcurrencyLimiter(settings);
  carried.configure(settings);
  return carried;
}

/**
 * Outcomes (answered, failed) over a sliding time window, for the breaker's failure rate, counted in
 * twenty time buckets: memory and work per outcome stay constant whatever the request rate, where a
 * list of outcomes grew with rps x window and was scanned on every failure. The window's edge is as
 * precise as a bucket (a twentieth of the window).
 */
const BUCKETS = 20;

export class OutcomeWindow {
  private readonly width: number;
  /** Which slot of time (`floor(at / width)`) each bucket counts; -1 for none yet. */
  private readonly slots = new Float64Array(BUCKETS).fill(-1);
  private readonly totals = new Float64Array(BUCKETS);
  private readonly failures = new Float64Array(BUCKETS);

  constructor(readonly windowMs: number) {
    this.width = Math.max(1, windowMs / BUCKETS);
  }

  add(at: number, failed: boolean): void {
    const slot = Math.floor(at / this.width);
    const i = slot % BUCKETS;
    if (this.slots[i] !== slot) {
      this.slots[i] = slot;
      this.totals[i] = 0;
      this.failures[i] = 0;
    }
    (this.totals[i] as number)++;
    if (failed) (this.failures[i] as number)++;
  }

  /** Outcomes in the buckets that overlap the last `windowMs` before `now`. */
  counts(now: number): { total: number; failed: number } {
    const newest = Math.floor(now / this.width);
    let total = 0;
    let failed = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const slot = this.slots[i] as number;
      if (slot < 0 || slot > newest || newest - slot >= BUCKETS) continue;
      total += this.totals[i] as number;
      failed += this.failures[i] as number;
    }
    return { total, failed };
  }
}

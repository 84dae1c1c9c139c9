/** The latency histogram kept in each usage rollup row: upper bounds in ms, the last open-ended. */
export const LATENCY_BINS = [50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 20_000, 60_000, Number.POSITIVE_INFINITY];
export const BIN_COLUMNS = LATENCY_BINS.map((_, i) => `l${i}`);

/**
 * The first bin split finer (upper bounds in ms, the last its own): a cached answer or a quick local
 * one takes a few milliseconds, which read as 25 from the first bin alone. Counted since migration
 * 27: a bucket's requests rolled up before are in its first bin and none of these, read as even.
 */
export const FINE_BINS = [5, 10, 25, 50];
export const FINE_COLUMNS = FINE_BINS.map((_, i) => `f${i}`);

/** A histogram to read percentiles from: upper bounds (ms, ascending, the last open-ended) and the count under each. */
export interface Histogram {
  bounds: number[];
  counts: number[];
}

/**
 * The histogram of rollup rows added up: `bins` their counts per bin, `fine` the finer counts of
 * their first bin. What of the first bin was not counted finely is spread over its parts by width.
 */
export function latencyHistogram(bins: number[], fine: number[]): Histogram {
  const first = LATENCY_BINS[0] as number;
  const evenly = ((bins[0] ?? 0) - fine.reduce((a, b) => a + b, 0)) / first;
  const parts = fine.map((count, i) => count + evenly * ((FINE_BINS[i] as number) - (i === 0 ? 0 : (FINE_BINS[i - 1] as number))));
  return { bounds: [...FINE_BINS, ...LATENCY_BINS.slice(1)], counts: [...parts, ...bins.slice(1)] };
}

/** The latency histogram kept in each usage rollup row: upper bounds in ms, the last open-ended. */
export const LATENCY_BINS = [50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 20_000, 60_000, Number.POSITIVE_INFINITY];
export const BIN_COLUMNS = LATENCY_BINS.map((_, i) => `l${i}`);

/** The latency histogram kept in each usage rollup row: upper bounds in ms, the last open-ended. */
export const LATENCY_BINS = [50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 20_000, 60_000, Number.POSITIVE_INFINITY];
export const BIN_COLUMNS = LATENCY_BINS.map((_, i) => `l${i}`);

/**
 * The first bin (0-50 ms) in four parts, by their upper bounds in ms: a cached answer or a quick
 * local one takes a few milliseconds, which read as 25 from the first bin alone. Counted since
 * migration 27: a bucket's requests rolled up before are in its first bin and in none of its parts,
 * read as even over it.
 */
export const FINE_BINS = [5, 10, 25, 50];
export const FINE_COLUMNS = FINE_BINS.map((_, i) => `f${i}`);

/** The bounds percentiles are read between: the first bin's parts, then the other bins. */
export const HISTOGRAM_BOUNDS = [...FINE_BINS, ...LATENCY_BINS.slice(1)];
const FIRST_BIN = LATENCY_BINS[0] as number;
const FINE_WIDTHS = FINE_BINS.map((high, i) => high - (i === 0 ? 0 : (FINE_BINS[i - 1] as number)));

/**
 * The count under each of HISTOGRAM_BOUNDS from rollup rows' sums (`l0`..., `f0`... by column):
 * what of the first bin was not counted finely is spread over its parts by width. Read for every
 * point of a chart (thousands), so one array and no more.
 */
export function latencyCounts(sums: Readonly<Record<string, unknown>>): number[] {
  const counts = new Array<number>(HISTOGRAM_BOUNDS.length);
  let fine = 0;
  for (let i = 0; i < FINE_COLUMNS.length; i++) fine += counts[i] = Number(sums[FINE_COLUMNS[i] as string] ?? 0);
  const evenly = (Number(sums[BIN_COLUMNS[0] as string] ?? 0) - fine) / FIRST_BIN;
  for (let i = 0; i < FINE_WIDTHS.length; i++) counts[i] = (counts[i] as number) + evenly * (FINE_WIDTHS[i] as number);
  for (let i = 1; i < BIN_COLUMNS.length; i++) counts[FINE_BINS.length + i - 1] = Number(sums[BIN_COLUMNS[i] as string] ?? 0);
  return counts;
}

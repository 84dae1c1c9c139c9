/**
 * A dollar axis whose ticks are round steps (1, 2 or 5 times a power of ten), each labelled as it
 * is. Recharts' own steps for small ranges are multiples of 0.05 of a power of ten, which labels
 * of two significant digits then rounded: $0, $0.00065, $0.0013, $0.002 (for 0.00195), $0.0026.
 */
export function costTicks(max: number, most = 4): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0];
  const rough = max / most;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough * (1 - 1e-9)) as number;
  const steps = Math.ceil(max / step - 1e-9);
  // toPrecision: 3 * 0.1 is 0.30000000000000004.
  return Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

// A tick is at most 25 times a power of ten: two significant digits say it exactly.
const tickFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 });

export const costTick = (value: number): string => (value === 0 ? '$0' : tickFormat.format(value));

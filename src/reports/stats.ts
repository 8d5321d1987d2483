// Summary statistics of durations for the KPIs (docs/kpis.md): median, mean and 90th percentile.

export interface Summary {
  /** Number of values. */
  count: number;
  median: number | null;
  mean: number | null;
  /** Nearest-rank 90th percentile: the smallest value with at least 90 % of the values at or below it. */
  p90: number | null;
}

/**
 * Median (the mean of the two middle values for an even count), arithmetic mean and nearest-rank 90th
 * percentile of `values` (any unit; the caller's). All null for no values.
 */
export function summarise(values: readonly number[]): Summary {
  const count = values.length;
  if (count === 0) return { count, median: null, mean: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(count / 2);
  const median = count % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / count;
  const p90 = sorted[Math.ceil(0.9 * count) - 1] as number;
  return { count, median, mean, p90 };
}

/** A share as a fraction 0..1, null when there is nothing to divide by. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

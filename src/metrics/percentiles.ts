/**
 * Median and 90th percentile of response times, by the nearest-rank method: the p-th percentile of
 * n values is the value at rank ⌈p/100 · n⌉ (1-based) in ascending order, so it is always one of the
 * values measured, never an interpolation between two. For an even count the median is the lower
 * of the two middle values: [10, 20, 30, 40] → 20; its p90 is at rank ⌈3.6⌉ = 4 → 40.
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export interface Distribution {
  /** How many values were measured. */
  count: number;
  median: number | null;
  p90: number | null;
}

/** Count, median and p90 of `values` (in any order), rounded to a hundredth. */
export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
  return { count: sorted.length, median: round(nearestRank(sorted, 50)), p90: round(nearestRank(sorted, 90)) };
}

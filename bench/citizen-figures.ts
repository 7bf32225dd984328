import { percentile } from './stats.js';

/**
 * The arithmetic of the citizen pages' figures (bench/citizen-pages.ts), kept apart from the
 * browser so that it can be tested alone (test/bench/citizen-figures.test.ts).
 */

export interface Spread {
  count: number;
  p50: number;
  p90: number;
  max: number;
}

/** Nearest-rank p50, p90 and the max of `values` (NaN for each when there are none). */
export function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** What the page's solver found: the counter (hashes tried, from 0) and its own time in ms. */
export interface Solved {
  counter: number;
  timeMs: number;
}

/**
 * The /lapor page's hidden `altcha` field as web/citizen/form.ts fills it: base64 of JSON
 * `{ challenge, solution }`, where altcha-lib's solveChallenge answered `{ counter, derivedKey,
 * time }` (time: ms on the page's clock from its first hash to the match).
 */
export function solvedField(field: string): Solved {
  const payload = JSON.parse(Buffer.from(field, 'base64').toString('utf8')) as {
    solution?: { counter?: unknown; time?: unknown };
  };
  const counter = payload.solution?.counter;
  const timeMs = payload.solution?.time;
  if (typeof counter !== 'number' || typeof timeMs !== 'number')
    throw new Error('the altcha field holds no solution with a counter and a time');
  return { counter, timeMs };
}

/**
 * The WEB_POW_MAX_COUNTER whose challenges take `targetMs` at the median, given the median cost
 * of one counter (ms). The server draws each challenge's secret counter evenly between half and
 * all of the maximum (src/web/abuse/proof-of-work.ts), so the median counter is 3/4 of it.
 * Rounded to a thousand.
 */
export function maxCounterFor(targetMs: number, msPerCounter: number): number {
  if (!(msPerCounter > 0)) return Number.NaN;
  return Math.max(1000, Math.round(targetMs / (0.75 * msPerCounter) / 1000) * 1000);
}

/** The median of counter/time over the solves: one counter's cost in ms. */
export function msPerCounter(solves: Solved[]): number {
  return percentile(
    solves
      .filter((solve) => solve.counter > 0)
      .map((solve) => solve.timeMs / solve.counter)
      .sort((a, b) => a - b),
    50,
  );
}

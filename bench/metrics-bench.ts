import { performance } from 'node:perf_hooks';
import { note } from './progress.js';
import { percentile } from './stats.js';

/**
 * The supervisor's view over a million tickets (issue 4): the live and summary endpoints through a
 * running server, one request at a time (a dashboard's refresh), beside a floor measured in the
 * same run: the vocabulary route, which authenticates and answers without a query.
 */

type Who = 'admin' | 'supervisor';

export interface MetricsEndpoint {
  label: string;
  path: string;
  who: Who;
  /** Which minimum of the issue applies: the live view under 100 ms, a one-month summary under 2 s. */
  limitMs?: number;
  /** Fewer timed requests than the others (a year's summary reads half the tickets). */
  requests?: number;
}

export interface MetricsTiming {
  endpoint: MetricsEndpoint;
  requests: number;
  bytes: number;
  p50: number;
  p99: number;
  max: number;
  failures: number;
}

export const LIVE_LIMIT_MS = 100;
export const SUMMARY_LIMIT_MS = 2000;

export function metricsEndpoints(): MetricsEndpoint[] {
  const week = `from=${new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10)}`;
  return [
    { label: 'floor: /api/v1/tickets/vocabulary (no query)', path: '/api/v1/tickets/vocabulary', who: 'admin' },
    { label: 'live, admin (20 teams, 400 agents)', path: '/api/v1/metrics/live', who: 'admin', limitMs: LIVE_LIMIT_MS },
    { label: 'live, front desk supervisor', path: '/api/v1/metrics/live', who: 'supervisor', limitMs: LIVE_LIMIT_MS },
    { label: 'summary, 30 days, admin', path: '/api/v1/metrics/summary', who: 'admin', limitMs: SUMMARY_LIMIT_MS },
    {
      label: 'summary, 30 days, front desk supervisor',
      path: '/api/v1/metrics/summary',
      who: 'supervisor',
      limitMs: SUMMARY_LIMIT_MS,
    },
    {
      label: 'summary.csv, 30 days, admin',
      path: '/api/v1/metrics/summary.csv',
      who: 'admin',
      limitMs: SUMMARY_LIMIT_MS,
    },
    {
      label: 'summary, 360 days, admin',
      path: `/api/v1/metrics/summary?from=${new Date(Date.now() - 360 * 86_400_000).toISOString().slice(0, 10)}`,
      who: 'admin',
      requests: 3,
    },
    { label: 'tickets/export.csv, 7 days, admin', path: `/api/v1/tickets/export.csv?${week}`, who: 'admin' },
  ];
}

/** Each endpoint in turn: a few warm-up requests, then `requests` timed ones or as many as fit in `budgetMs`. */
export async function timeMetrics(
  baseUrl: string,
  tokens: Record<Who, string>,
  endpoints: MetricsEndpoint[],
  options: { requests: number; budgetMs: number; warmUp: number },
): Promise<MetricsTiming[]> {
  const timings: MetricsTiming[] = [];
  for (const endpoint of endpoints) {
    const headers = { authorization: `Bearer ${tokens[endpoint.who]}` };
    const latencies: number[] = [];
    let failures = 0;
    let bytes = 0;
    const started = performance.now();
    const requests = endpoint.requests ?? options.requests;
    const warmUp = endpoint.requests ? 1 : options.warmUp;
    for (let index = 0; index < warmUp + requests; index += 1) {
      if (
        index >= warmUp &&
        latencies.length >= Math.min(10, requests) &&
        performance.now() - started > options.budgetMs
      )
        break;
      const sentAt = performance.now();
      const response = await fetch(`${baseUrl}${endpoint.path}`, { headers });
      const body = await response.text();
      const elapsed = performance.now() - sentAt;
      if (!response.ok) failures += 1;
      if (index < warmUp) continue;
      latencies.push(elapsed);
      bytes = body.length;
    }
    latencies.sort((a, b) => a - b);
    note(`${endpoint.label}: ${latencies.length} requests, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
    timings.push({
      endpoint,
      requests: latencies.length,
      bytes,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? Number.NaN,
      failures,
    });
  }
  return timings;
}

const ms = (value: number) => value.toFixed(1).padStart(9);

export function printMetrics(
  timings: MetricsTiming[],
  seeded: { tickets: number; clocks: number; reopened: number; activeWithDeadline: number; seconds: number },
  database: string,
): void {
  console.log('');
  console.log(
    `supervisor's view: ${seeded.tickets.toLocaleString('en')} tickets, ${seeded.clocks.toLocaleString('en')} SLA clocks (60 days), ${seeded.activeWithDeadline.toLocaleString('en')} active tickets with a deadline, ${seeded.reopened.toLocaleString('en')} reopenings; ${database}; server ROLE=api`,
  );
  console.log(
    `  metrics data seeded in ${seeded.seconds.toFixed(1)} s (beside the listing seed); one request at a time`,
  );
  console.log(`  ${'endpoint'.padEnd(44)}    n    bytes   p50 ms   p99 ms   max ms  p50/floor`);
  const floor = timings.find((timing) => timing.endpoint.label.startsWith('floor'));
  for (const timing of timings) {
    const ratio = floor && timing !== floor ? `${(timing.p50 / floor.p50).toFixed(1)}x`.padStart(10) : ''.padStart(10);
    const problems = timing.failures > 0 ? `  (${timing.failures} failed)` : '';
    console.log(
      `  ${timing.endpoint.label.padEnd(44)}${String(timing.requests).padStart(5)}${String(timing.bytes).padStart(9)}${ms(timing.p50)}${ms(timing.p99)}${ms(timing.max)}${ratio}${problems}`,
    );
  }
}

/** The minimums, as lines for the closing list: p99 against each limit. */
export function metricsMinimums(timings: MetricsTiming[], database: string): string[] {
  return timings
    .filter((timing) => timing.endpoint.limitMs !== undefined)
    .map(
      (timing) =>
        `  ${timing.p99 < timing.endpoint.limitMs! && timing.failures === 0 ? 'MET    ' : 'NOT MET'}  ${timing.endpoint.label} p99 < ${timing.endpoint.limitMs} ms on ${database}: ${timing.p99.toFixed(1)} ms`,
    );
}

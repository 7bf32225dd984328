import type { LoadResult } from './load.js';
import type { TicketThroughput } from './ticket-throughput.js';

export interface AckRow {
  label: string;
  full: LoadResult;
  /** Open-loop, evenly spaced (bench/paced-load.ts): the figure checked against the minimum. */
  paced: LoadResult;
  /** autocannon's overallRate at the same rate, for reference (bursty; see paced-load.ts). */
  overallRate: LoadResult;
}

/** The minimums. Printed, never asserted: a benchmark reports, CI does not gate on it. */
export const MINIMUMS = { ratio: 1.0, p99AtFixedRateMs: 50, ticketsPerSecond: 500 };

const num = (value: number, digits = 1) => value.toFixed(digits).padStart(9);
const failures = (name: string, result: LoadResult) => (result.non2xx + result.errors === 0 ? [] : [`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`]);
const verdict = (met: boolean) => (met ? 'MET    ' : 'NOT MET');

export function printHeader(lines: string[]): void {
  console.log('');
  for (const line of lines) console.log(line);
}

export function printAckTable(rows: AckRow[], fixedRate: number): void {
  console.log('');
  console.log(`${''.padEnd(40)}  full throughput             p99 ms @${fixedRate} req/s`);
  console.log(`${'webhook acknowledgement'.padEnd(40)}    req/s   p50 ms   p99 ms     even  autocannon`);
  for (const row of rows) {
    const problems = [...failures('full', row.full), ...failures('even', row.paced), ...failures('autocannon', row.overallRate)];
    const notes = problems.length > 0 ? `  (${problems.join('; ')})` : '';
    console.log(`${row.label.padEnd(40)}${num(row.full.rps, 0)}${num(row.full.p50)}${num(row.full.p99)}${num(row.paced.p99)}  ${num(row.overallRate.p99)}${notes}`);
  }
}

export function printRatio(full: LoadResult, baseline: LoadResult): number {
  const ratio = full.rps / baseline.rps;
  console.log(`ratio full path (ROLE=api) / baseline, req/s at full throughput: ${ratio.toFixed(2)}x`);
  return ratio;
}

export function printTickets(result: TicketThroughput, fixedRateBacklog?: { rate: number; seconds: number; backlog: number }): void {
  console.log('');
  console.log('worker: contacts turned into tickets (ROLE=all, each webhook a new citizen)');
  const time = result.seconds === undefined ? 'did NOT drain in time' : `${result.seconds.toFixed(2)} s`;
  console.log(`  ${result.contacts} contacts → ${result.ticketsCreated} tickets; first accepted webhook → last processed_at: ${time}`);
  console.log(`  tickets/s: ${result.ticketsPerSecond.toFixed(0)}`);
  console.log(`  processed by the time the last webhook was answered: ${result.processedWhenFiringEnded} of ${result.burst.accepted}`);
  const acks = result.acksSeconds === undefined ? `only ${result.acksSent} within 30 s of the last ticket` : `all ${result.acksSent} by ${result.acksSeconds.toFixed(2)} s (${(result.acksSent / result.acksSeconds).toFixed(0)}/s)`;
  console.log(`  acknowledgement SMS received by the Twilio stub: ${acks}`);
  if (fixedRateBacklog) {
    const { rate, seconds, backlog } = fixedRateBacklog;
    console.log(`  after ${seconds} s at ${rate} req/s: ${backlog} inbox rows still unprocessed (the worker's backlog)`);
  }
}

export interface MinimumFigures {
  ratio: number;
  /** p99 at the fixed rate, per server role measured. */
  p99AtFixedRate: Array<{ label: string; ms: number }>;
  fixedRate: number;
  ticketsPerSecond: number;
  database: string;
}

export function printMinimums(figures: MinimumFigures): void {
  console.log('');
  console.log('minimums (from the issue)');
  console.log(`  ${verdict(figures.ratio >= MINIMUMS.ratio)}  full path >= ${MINIMUMS.ratio.toFixed(1)}x baseline req/s: ${figures.ratio.toFixed(2)}x`);
  for (const { label, ms } of figures.p99AtFixedRate) {
    console.log(`  ${verdict(ms < MINIMUMS.p99AtFixedRateMs)}  ack p99 < ${MINIMUMS.p99AtFixedRateMs} ms at ${figures.fixedRate} req/s (${label}): ${ms.toFixed(1)} ms`);
  }
  const tps = figures.ticketsPerSecond;
  console.log(`  ${verdict(tps >= MINIMUMS.ticketsPerSecond)}  >= ${MINIMUMS.ticketsPerSecond} tickets/s through the worker (alone, draining a backlog) on ${figures.database}: ${tps.toFixed(0)}/s`);
}

import type { EndpointTiming, QueryPlan } from './listing-bench.js';
import type { ListingSeed } from './listing-seed.js';
import type { LoadResult } from './load.js';
import type { MailLoadResult } from './mail-load.js';
import type { MailTickets } from './mail-throughput.js';
import type { RoutingFigures } from './routing-bench.js';
import type { TicketThroughput } from './ticket-throughput.js';
import type { WorkerDrain } from './worker-drain.js';
import type { ChatRoundTrip, Leg } from './chat-round-trip.js';
import type { FormDurability, FormLoadResult } from './web-form-load.js';

export interface AckRow {
  label: string;
  full: LoadResult;
  /** Open-loop, evenly spaced (bench/paced-load.ts): the figure checked against the minimum. */
  paced?: LoadResult;
  /** autocannon's overallRate at the same rate, for reference (bursty; see paced-load.ts). */
  overallRate?: LoadResult;
}

/** The issue's minimums. Printed, never asserted: a benchmark reports, CI does not gate on it. */
export const MINIMUMS = {
  ratio: 1.0,
  p99AtFixedRateMs: 50,
  ticketsPerSecond: 500,
  assignmentP99Ms: 5,
  listingP99Ms: 50,
  /** Issue 15: each leg of the chat's round trip, 500 visitors writing every 10 s. */
  chatP99Ms: 500,
};

const num = (value: number, digits = 1) => value.toFixed(digits).padStart(9);
const failures = (name: string, result?: LoadResult) =>
  !result || result.non2xx + result.errors === 0 ? [] : [`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`];
const none = '—'.padStart(9);
const thousands = (value: number) => value.toLocaleString('en-US');
const verdict = (met: boolean) => (met ? 'MET    ' : 'NOT MET');

export function printHeader(lines: string[]): void {
  console.log('');
  for (const line of lines) console.log(line);
}

export function printAckTable(rows: AckRow[], fixedRate: number): void {
  console.log('');
  console.log(`${''.padEnd(40)}  full throughput             p99 ms @${fixedRate} req/s`);
  console.log(`${'acknowledgement (HTTP 200 / SMTP 250)'.padEnd(40)}    per s   p50 ms   p99 ms     even  autocannon`);
  for (const row of rows) {
    const problems = [
      ...failures('full', row.full),
      ...failures('even', row.paced),
      ...failures('autocannon', row.overallRate),
    ];
    const notes = problems.length > 0 ? `  (${problems.join('; ')})` : '';
    const fixed = `${row.paced ? num(row.paced.p99) : none}  ${row.overallRate ? num(row.overallRate.p99) : none}`;
    console.log(
      `${row.label.padEnd(40)}${num(row.full.rps, 0)}${num(row.full.p50)}${num(row.full.p99)}${fixed}${notes}`,
    );
  }
}

export function printRatio(full: LoadResult, baseline: LoadResult): number {
  const ratio = full.rps / baseline.rps;
  console.log(`ratio full path (ROLE=api) / baseline, req/s at full throughput: ${ratio.toFixed(2)}x`);
  return ratio;
}

export function printTickets(
  result: TicketThroughput,
  fixedRateBacklog?: { rate: number; seconds: number; backlog: number },
): void {
  console.log('');
  console.log('worker: contacts turned into tickets (ROLE=all, each webhook a new citizen)');
  const time = result.seconds === undefined ? 'did NOT drain in time' : `${result.seconds.toFixed(2)} s`;
  console.log(
    `  ${result.contacts} contacts → ${result.ticketsCreated} tickets; first accepted webhook → last processed_at: ${time}`,
  );
  console.log(`  tickets/s: ${result.ticketsPerSecond.toFixed(0)}`);
  console.log(
    `  processed by the time the last webhook was answered: ${result.processedWhenFiringEnded} of ${result.burst.accepted}`,
  );
  const acks =
    result.acksSeconds === undefined
      ? `only ${result.acksSent} within 30 s of the last ticket`
      : `all ${result.acksSent} by ${result.acksSeconds.toFixed(2)} s (${(result.acksSent / result.acksSeconds).toFixed(0)}/s)`;
  console.log(`  acknowledgement SMS received by the Twilio stub: ${acks}`);
  if (fixedRateBacklog) {
    const { rate, seconds, backlog } = fixedRateBacklog;
    console.log(
      `  after ${seconds} s at ${rate} req/s: ${backlog} inbox rows still unprocessed (the worker's backlog)`,
    );
  }
}

/**
 * ROLE=all's workers in a child process against inline, in one run: the acknowledgement p99 at
 * the fixed rate against ROLE=api's (the minimum: within 3x), and tickets/s against inline's
 * (the minimum: within 20%).
 */
export function printEmbeddedWorkers(figures: {
  apiP99: number;
  splitP99: number;
  inlineP99: number;
  splitTicketsPerSecond: number;
  inlineTicketsPerSecond: number;
  rate: number;
}): void {
  const p99Ratio = figures.splitP99 / figures.apiP99;
  const ticketRatio = figures.splitTicketsPerSecond / figures.inlineTicketsPerSecond;
  console.log('');
  console.log('ROLE=all: workers in a child process (EMBEDDED_WORKERS=process) vs inline, this run');
  console.log(
    `  ack p99 at ${figures.rate} req/s, even pacing: ROLE=api ${figures.apiP99} ms, ROLE=all split ${figures.splitP99} ms, inline ${figures.inlineP99} ms`,
  );
  console.log(
    `  split / ROLE=api p99: ${p99Ratio.toFixed(2)}x (${p99Ratio <= 3 ? 'within' : 'NOT within'} 3x); inline / ROLE=api: ${(figures.inlineP99 / figures.apiP99).toFixed(2)}x`,
  );
  console.log(
    `  tickets/s: split ${figures.splitTicketsPerSecond.toFixed(0)}, inline ${figures.inlineTicketsPerSecond.toFixed(0)}; split / inline ${ticketRatio.toFixed(2)}x (${ticketRatio >= 0.8 ? 'within' : 'NOT within'} 20%)`,
  );
}

export interface MinimumFigures {
  ratio: number;
  /** p99 at the fixed rate, per server role measured. */
  p99AtFixedRate: Array<{ label: string; ms: number }>;
  fixedRate: number;
  ticketsPerSecond: number;
  database: string;
  /** assignIfFree's p99, when routing was measured. */
  assignmentP99Ms?: number;
  /** Each listing endpoint's p99, when listing was measured. */
  listing?: { tickets: number; timings: EndpointTiming[] };
  /** The chat's two legs, when the web phase ran. */
  chat?: ChatRoundTrip;
}

export function printMinimums(figures: MinimumFigures): void {
  console.log('');
  console.log('minimums (from the issues)');
  if (figures.p99AtFixedRate.length > 0) {
    console.log(
      `  ${verdict(figures.ratio >= MINIMUMS.ratio)}  full path >= ${MINIMUMS.ratio.toFixed(1)}x baseline req/s: ${figures.ratio.toFixed(2)}x`,
    );
    for (const { label, ms } of figures.p99AtFixedRate) {
      console.log(
        `  ${verdict(ms < MINIMUMS.p99AtFixedRateMs)}  ack p99 < ${MINIMUMS.p99AtFixedRateMs} ms at ${figures.fixedRate} req/s (${label}): ${ms.toFixed(1)} ms`,
      );
    }
    const tps = figures.ticketsPerSecond;
    console.log(
      `  ${verdict(tps >= MINIMUMS.ticketsPerSecond)}  >= ${MINIMUMS.ticketsPerSecond} tickets/s through the worker (alone, draining a backlog) on ${figures.database}: ${tps.toFixed(0)}/s`,
    );
  }
  if (figures.assignmentP99Ms !== undefined) {
    const ms = figures.assignmentP99Ms;
    console.log(
      `  ${verdict(ms < MINIMUMS.assignmentP99Ms)}  assignment p99 < ${MINIMUMS.assignmentP99Ms} ms (assignIfFree, 10,000 waiting, 500 agents) on ${figures.database}: ${ms.toFixed(2)} ms`,
    );
  }
  if (figures.listing) {
    for (const timing of figures.listing.timings) {
      if (!timing.endpoint.filter) continue; // the floor is no listing
      const ms = timing.p99;
      console.log(
        `  ${verdict(ms < MINIMUMS.listingP99Ms)}  listing p99 < ${MINIMUMS.listingP99Ms} ms, ${thousands(figures.listing.tickets)} tickets on ${figures.database}, ${timing.endpoint.label}: ${ms.toFixed(1)} ms`,
      );
    }
  }
  if (figures.chat) {
    const { chat } = figures;
    for (const [name, leg] of [
      ['visitor message → agent stream', chat.in],
      ['agent reply → visitor stream', chat.out],
    ] as const) {
      // A leg that lost answers is not met, whatever the p99 of those that came.
      const met = leg.p99 <= MINIMUMS.chatP99Ms && leg.missing === 0 && leg.count > 0;
      const lost = leg.missing > 0 ? ` (${thousands(leg.missing)} never seen)` : '';
      console.log(
        `  ${verdict(met)}  chat p99 <= ${MINIMUMS.chatP99Ms} ms, ${chat.visitors} visitors on ${figures.database}, ${name}: ${leg.p99.toFixed(1)} ms${lost}`,
      );
    }
  }
}

/** The web form's submissions against the webhook baseline of the same run, and whether each is durable. */
export function printWebForm(form: {
  baseline: LoadResult;
  warm: FormLoadResult;
  full: FormLoadResult;
  durable: FormDurability;
}): void {
  const { baseline, full, durable } = form;
  console.log('');
  console.log(
    'web form: POST /api/v1/public/submissions (JSON), ROLE=api, WEB_RECEIPT_WAIT_MS=0 (answered after the inbox commit)',
  );
  console.log(
    `  each request a new form: marks from GET …/submissions/form and the proof-of-work solved before the clock (${thousands(full.sent)} forms, ${full.durationS.toFixed(1)} s)`,
  );
  console.log(`  ${''.padEnd(44)}    per s   p50 ms   p99 ms`);
  const problems = (result: FormLoadResult | LoadResult) =>
    result.non2xx + result.errors === 0 ? '' : `  (${result.non2xx} non-2xx, ${result.errors} errors)`;
  console.log(
    `  ${'baseline: 1 INSERT + 1 queue add (SMS form)'.padEnd(44)}${num(baseline.rps, 0)}${num(baseline.p50)}${num(baseline.p99)}${problems(baseline)}`,
  );
  console.log(
    `  ${'form submission, 202 after the inbox commit'.padEnd(44)}${num(full.rps, 0)}${num(full.p50)}${num(full.p99)}${problems(full)}`,
  );
  console.log(`  ratio form / baseline, req/s at full throughput: ${(full.rps / baseline.rps).toFixed(2)}x`);
  const replays = full.replays + form.warm.replays;
  const check =
    durable.missing === 0
      ? `every one an inbox row (${thousands(durable.rows)} web rows, requests still in flight at the end included)`
      : `MISSING: ${thousands(durable.missing)} accepted but not in the inbox`;
  console.log(
    `  durable: ${thousands(durable.accepted)} accepted (warm-up included), ${check}${replays > 0 ? `; ${replays} answered as replays` : ''}`,
  );
}

/** The chat's two legs, p50 / p99 / max, with how the run was made. */
export function printChatRoundTrip(chat: ChatRoundTrip, setting: { database: string; livePollMs: string }): void {
  console.log('');
  console.log(
    `chat round trip: ${chat.visitors} visitors, each on the SSE stream, ${thousands(chat.messagesSent)} messages over ${chat.seconds.toFixed(0)} s; ROLE=all (workers in a child process), ${setting.database}`,
  );
  console.log(
    `  one agent (an admin on GET /api/v1/events/stream) answers each visitor message; stream tails poll every ${setting.livePollMs}`,
  );
  console.log(`  ${''.padEnd(52)}      n   p50 ms   p99 ms   max ms`);
  const row = (label: string, leg: Leg) =>
    console.log(
      `  ${label.padEnd(52)}${String(leg.count).padStart(7)}${num(leg.p50)}${num(leg.p99)}${num(leg.max)}${leg.missing > 0 ? `  (${leg.missing} never seen)` : ''}`,
    );
  row('visitor POST /messages → agent stream message_received', chat.in);
  row('agent POST /tickets/:id/replies → visitor stream message', chat.out);
  const failed = [
    chat.messageFailures > 0 ? `${chat.messageFailures} visitor messages not answered 202` : '',
    chat.replyFailures > 0 ? `${chat.replyFailures} replies not answered 201` : '',
  ].filter(Boolean);
  console.log(
    `  tickets opened: ${chat.ticketsOpened} (one per visitor expected)${failed.length > 0 ? `; ${failed.join(', ')}` : ''}`,
  );
  console.log(
    `  the bench's own process meanwhile (${chat.visitors} streams read in it): event-loop delay p99 ${chat.benchLoopDelay.p99.toFixed(1)} ms, max ${chat.benchLoopDelay.max.toFixed(1)} ms; CPU ${(chat.benchCpuShare * 100).toFixed(0)}% of a core`,
  );
  for (const [what, { count, first }] of Object.entries(chat.refusals))
    console.log(`    ${what}: ${count}, the first: ${first}`); // a timeout's message may still have been recorded
}

/** Mail beside SMS: tickets made with the worker running beside the listener, and by a worker alone. */
export function printMailTickets(mail: MailTickets | undefined, sms: TicketThroughput | undefined): void {
  if (!mail) return;
  const time = mail.seconds === undefined ? 'did NOT drain in time' : `${mail.seconds.toFixed(2)} s`;
  const ratio = sms ? `  (email / SMS: ${(mail.ticketsPerSecond / sms.ticketsPerSecond).toFixed(2)}x)` : '';
  console.log(
    `  email: ${mail.mails} mails of ${(mail.burst.bytes / 1024).toFixed(0)} KB (one attachment) → ${mail.ticketsCreated} tickets; first accepted mail → last processed_at: ${time}`,
  );
  console.log(
    `  email tickets/s: ${mail.ticketsPerSecond.toFixed(0)}${ratio}; processed by the time the last mail was accepted: ${mail.processedWhenSendingEnded} of ${mail.burst.accepted}`,
  );
}

/** Each figure: undefined when not measured, null when the backlog did not drain in time. */
export function printWorkerAlone(
  sms: WorkerDrain | null | undefined,
  mail: { drain: WorkerDrain | null; bytes: number } | undefined,
): void {
  if (sms === undefined && mail === undefined) return;
  console.log('');
  console.log('worker alone: a recorded backlog of new citizens drained by a fresh worker (processed_at span)');
  if (sms !== undefined)
    console.log(
      sms
        ? `  SMS:   ${sms.contacts} contacts in ${sms.seconds.toFixed(2)} s: ${sms.ticketsPerSecond.toFixed(0)} tickets/s`
        : '  SMS:   did NOT drain in 90 s',
    );
  if (mail !== undefined) {
    const { drain } = mail;
    const ratio = sms && drain ? `  (email / SMS: ${(drain.ticketsPerSecond / sms.ticketsPerSecond).toFixed(2)}x)` : '';
    console.log(
      drain
        ? `  email: ${drain.contacts} mails of ${(mail.bytes / 1024).toFixed(0)} KB in ${drain.seconds.toFixed(2)} s: ${drain.ticketsPerSecond.toFixed(0)} tickets/s${ratio}`
        : '  email: did NOT drain in 90 s',
    );
  }
}

/** A mail run as a row of the acknowledgement table. */
export function mailAsLoad(result: MailLoadResult): LoadResult {
  return {
    rps: result.perSecond,
    p50: result.p50,
    p99: result.p99,
    accepted: result.accepted,
    sent: result.accepted + result.failed,
    non2xx: result.failed,
    errors: 0,
    durationS: result.seconds,
  };
}

export function printRouting(figures: RoutingFigures, database: string): void {
  const { snapshot, decisions, baseline, committed, passes } = figures;
  console.log('');
  console.log(
    `routing: 1 team (longest idle), ${thousands(snapshot.agents)} available agents, ${thousands(snapshot.tickets)} waiting tickets, ${database}; sequential, in the bench process`,
  );
  console.log(
    `  snapshot read: agents with skills, capacities, loads ${snapshot.agentsMs.toFixed(1)} ms; all waiting tickets ${snapshot.ticketsMs.toFixed(1)} ms (a batch of 500, as the worker reads: ${snapshot.batchTicketsMs.toFixed(1)} ms)`,
  );
  console.log(`  ${''.padEnd(52)}     per s        p50        p99        max`);
  const us = (value: number) => `${value.toFixed(1)} µs`.padStart(11);
  const ms = (value: number) => `${value.toFixed(2)} ms`.padStart(11);
  console.log(
    `  ${`pure decision: chooseAgent over the snapshot (${thousands(decisions.count)})`.padEnd(52)}${num(decisions.perSecond, 0).padStart(10)}${us(decisions.p50Us)}${us(decisions.p99Us)}`,
  );
  console.log(
    `  ${`baseline: 1 conditional UPDATE per transaction (${thousands(baseline.count)})`.padEnd(52)}${num(baseline.perSecond, 0).padStart(10)}${ms(baseline.p50Ms)}${ms(baseline.p99Ms)}${ms(baseline.maxMs)}`,
  );
  console.log(
    `  ${`committed: assignIfFree, 1 transaction each (${thousands(committed.count)})`.padEnd(52)}${num(committed.perSecond, 0).padStart(10)}${ms(committed.p50Ms)}${ms(committed.p99Ms)}${ms(committed.maxMs)}${committed.lost > 0 ? `  (${committed.lost} lost a race)` : ''}`,
  );
  console.log(
    `  ratio committed / baseline: ${(committed.perSecond / baseline.perSecond).toFixed(2)}x assignments/s, p99 ${(committed.p99Ms / baseline.p99Ms).toFixed(2)}x`,
  );
  console.log(
    `  routeTeam (batch 500, prefer previous agent on): ${passes.assigned} assigned in ${passes.passes} passes, ${passes.seconds.toFixed(2)} s: ${passes.perSecond.toFixed(0)}/s`,
  );
  if (decisions.unassignable > 0) console.log(`  (${decisions.unassignable} decisions found no eligible agent)`);
}

export function printListing(
  seed: ListingSeed,
  timings: EndpointTiming[],
  plans: QueryPlan[],
  database: string,
  limits: { requests: number; budgetS: number },
): void {
  console.log('');
  console.log(
    `queue listing: ${thousands(seed.tickets)} tickets, ${thousands(seed.messages)} messages, ${thousands(seed.contacts)} contacts, ${seed.teams} teams, ${seed.agents} agents; ${database}; server ROLE=api`,
  );
  const steps = Object.entries(seed.steps)
    .map(([label, seconds]) => `${label} ${seconds.toFixed(1)} s`)
    .join(', ');
  console.log(`  seeded in ${seed.seconds.toFixed(1)} s (${steps})`);
  console.log(
    `  one request at a time, ${limits.requests} per endpoint (fewer for a slow one: about ${limits.budgetS} s each); admin, or the agent for queue/*`,
  );
  console.log(`  ${'endpoint'.padEnd(52)}    n  rows   p50 ms   p99 ms   max ms  p50/floor`);
  const floor = timings.find((timing) => !timing.endpoint.filter);
  for (const timing of timings) {
    const rows = timing.endpoint.filter ? String(timing.rows).padStart(6) : '     —';
    const ratio = floor && timing !== floor ? `${(timing.p50 / floor.p50).toFixed(1)}x`.padStart(10) : ''.padStart(10);
    const problems = timing.failures > 0 ? `  (${timing.failures} failed)` : '';
    console.log(
      `  ${timing.endpoint.label.padEnd(52)}${String(timing.requests).padStart(5)}${rows}${num(timing.p50)}${num(timing.p99)}${num(timing.max)}${ratio}${problems}`,
    );
  }
  console.log('');
  console.log(
    `query plans (${database.startsWith('PostgreSQL') ? 'EXPLAIN ANALYZE' : 'EXPLAIN QUERY PLAN'} of the SQL listTickets builds for each endpoint)`,
  );
  for (const plan of plans) {
    console.log(`  ${plan.endpoint.label}: ${plan.verdict}`);
    for (const line of plan.lines) console.log(`      ${line}`);
  }
}

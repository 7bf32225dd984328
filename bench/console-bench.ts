import { performance } from 'node:perf_hooks';
import type { Knex } from '../src/db/knex.js';
import {
  consoleSession,
  launchChromium,
  measureFirstLoad,
  measureRenders,
  openConsoleOnAll,
  timingOf,
  type FirstLoad,
  type RenderTimes,
  type Timing,
} from './console-browser.js';
import type { ConsoleSeed } from './console-seed.js';
import { mb, measureStreams, paceSms, ticketsOf, type StreamFigures } from './console-streams.js';
import { logIn } from './listing-bench.js';
import type { ListingSeed } from './listing-seed.js';
import { note, step } from './progress.js';

/**
 * The agent console (issue 14), measured in headless Chromium against a ROLE=all server on the
 * listing seed with 10,000 tickets waiting in the bench agent's team: what the first load
 * transfers, how long the queue takes to show (against the bare API call for the same page), how
 * long a webhook's ticket takes to appear in an open console, and what 2,000 event streams cost
 * the API process.
 */

export const CONSOLE_MINIMUMS = {
  firstLoadKb: 150,
  queueRenderMs: 1000,
  webhookVisibleP99Ms: 500,
  streams: 2000,
};

export interface ConsoleOptions {
  loads: number;
  webhooks: number;
  rate: number;
  streamBatch: number;
}

export interface WebhookFigures {
  sent: number;
  accepted: number;
  /** The webhook's 200 → its ticket's row in the open console's list. */
  visible: Timing;
  /** The webhook's answer: sent → 200. */
  answer: Timing;
  /** Sent → the ticket's created_at (the worker's ingest; it may precede the 200). */
  ingest: Timing;
  /** GET /api/v1/tickets made by the open console while the webhooks came (it reloads its page on each event). */
  listRequests: number;
  seconds: number;
  /** Accepted webhooks whose ticket never showed within the wait. */
  missing: number;
}

export interface ConsoleFigures {
  seed: ListingSeed;
  prepared: ConsoleSeed;
  /** The bare API calls the queue's views make, one at a time, as the agent. */
  api: { waiting: Timing; mine: Timing; all: Timing };
  firstLoad: FirstLoad;
  renders: RenderTimes;
  webhooks: WebhookFigures;
  streams: StreamFigures;
}

/** GET `path` as the agent, `requests` times after 3 warm-up ones; answers the timing and the first page's ids. */
async function timeApi(baseUrl: string, token: string, path: string, requests: number) {
  const latencies: number[] = [];
  let firstId: number | undefined;
  for (let index = 0; index < requests + 3; index += 1) {
    const sentAt = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { data?: Array<{ id: number }> };
    const elapsed = performance.now() - sentAt;
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
    firstId = body.data?.[0]?.id;
    if (index >= 3) latencies.push(elapsed);
  }
  if (firstId === undefined) throw new Error(`GET ${path} listed no ticket`);
  return { timing: timingOf(latencies), firstId };
}

export async function measureConsole(
  baseUrl: string,
  serverPid: number,
  db: Knex,
  seed: ListingSeed,
  prepared: ConsoleSeed,
  options: ConsoleOptions,
): Promise<ConsoleFigures> {
  const adminToken = await logIn(baseUrl, seed.admin);
  const session = await consoleSession(baseUrl, seed.agent);

  const [waiting, mine, all] = await step('bare API calls of the three views (50 each)', async () => [
    await timeApi(baseUrl, session.token, '/api/v1/queue/waiting', 50),
    await timeApi(baseUrl, session.token, '/api/v1/queue/mine', 50),
    await timeApi(baseUrl, session.token, '/api/v1/tickets', 50),
  ]);

  const browser = await step('launch Chromium', launchChromium);
  try {
    const firstLoad = await step(
      'first load, cold cache: bytes from the browser',
      () => measureFirstLoad(browser, baseUrl, session, waiting!.firstId),
      (load) => `JS + CSS ${(load.assets.wire / 1024).toFixed(1)} KB on the wire`,
    );
    const renders = await step(
      `${options.loads} cold loads to the landing view and ${options.loads} to the waiting queue`,
      () => measureRenders(browser, baseUrl, session, waiting!.firstId, options.loads),
      (times) => `waiting queue p50 ${times.waiting.p50.toFixed(0)} ms`,
    );
    const webhooks = await step(
      `${options.webhooks} webhooks at ${options.rate}/s into an open console`,
      async () => {
        const open = await openConsoleOnAll(browser, baseUrl, session, all!.firstId);
        try {
          const before = open.listRequests();
          const firstSent = Date.now();
          const accepted = await paceSms(baseUrl, options.webhooks, options.rate);
          const ok = accepted.filter((answer) => answer.status === 200);
          const deadline = Date.now() + 20_000;
          const tickets = await ticketsOf(
            db,
            ok.map((answer) => answer.sid),
            deadline,
          );
          let seen = await open.seen();
          while ([...tickets.values()].some((id) => !(String(id) in seen)) && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            seen = await open.seen();
          }
          const created = new Map(
            (
              await db('tickets')
                .whereIn('id', [...tickets.values()])
                .select('id', 'created_at')
            ).map((row) => [Number(row.id), new Date(row.created_at).getTime()]),
          );
          const seconds = (Math.max(...Object.values(seen)) - firstSent) / 1000;
          const listRequests = open.listRequests() - before;
          const visible: number[] = [];
          const ingest: number[] = [];
          for (const answer of ok) {
            const id = tickets.get(answer.sid);
            if (id === undefined) continue;
            if (created.has(id)) ingest.push(created.get(id)! - answer.sentAt);
            if (String(id) in seen) visible.push(seen[String(id)]! - answer.at);
          }
          return {
            sent: accepted.length,
            accepted: ok.length,
            visible: timingOf(visible),
            answer: timingOf(ok.map((answer) => answer.at - answer.sentAt)),
            ingest: timingOf(ingest),
            listRequests,
            seconds,
            missing: ok.length - visible.length,
          };
        } finally {
          await open.close();
        }
      },
      (figures) => `p99 ${figures.visible.p99.toFixed(0)} ms, ${figures.missing} not seen`,
    );
    await browser.close();
    const streams = await step(
      `${prepared.streamTokens.length.toLocaleString('en')} event streams`,
      () =>
        measureStreams(baseUrl, serverPid, adminToken, prepared.streamTokens, {
          batch: options.streamBatch,
          waitMs: 30_000,
        }),
      (figures) => `${figures.opened} open, ${figures.gotEvent} got the event`,
    );
    note(
      `memory per stream: ${((streams.open.rss - streams.before.rss) / Math.max(1, streams.opened) / 1024).toFixed(1)} KB RSS`,
    );
    return {
      seed,
      prepared,
      api: { waiting: waiting!.timing, mine: mine!.timing, all: all!.timing },
      firstLoad,
      renders,
      webhooks,
      streams,
    };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

const ms = (value: number) => value.toFixed(1).padStart(9);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const row = (label: string, timing: Timing, extra = '') =>
  console.log(
    `  ${label.padEnd(58)}${String(timing.count).padStart(5)}${ms(timing.p50)}${ms(timing.p99)}${ms(timing.max)}${extra}`,
  );

export function printConsole(figures: ConsoleFigures, database: string, livePoll: string): void {
  const { seed, prepared, api, firstLoad, renders, webhooks, streams } = figures;
  console.log('');
  console.log(
    `agent console: ${seed.tickets.toLocaleString('en')} tickets, ${prepared.waiting.toLocaleString('en')} waiting unassigned in the agent's team (the front desk; ${prepared.moved.toLocaleString('en')} moved from other teams, ${prepared.reopened.toLocaleString('en')} finished ones made new), every agent offline; ${database}; server ROLE=all`,
  );
  console.log(
    '  headless Chromium (/usr/bin/chromium, playwright-core), 1366x768, each load in a new context (cold cache)',
  );
  console.log(
    `  first load (signed in, up to the waiting queue shown): ${firstLoad.total.requests} responses, ${kb(firstLoad.total.wire)} on the wire`,
  );
  console.log(`  ${'response'.padEnd(58)}  type         wire      body   gzipped  encoding`);
  for (const transfer of firstLoad.transfers) {
    const name = new URL(transfer.url).pathname;
    console.log(
      `  ${name.padEnd(58)}  ${transfer.type.padEnd(10)}${kb(transfer.wire).padStart(10)}${kb(transfer.body).padStart(10)}${kb(transfer.gzipped).padStart(10)}  ${transfer.encoding}`,
    );
  }
  console.log(
    `  JS + CSS: ${kb(firstLoad.assets.wire)} on the wire (Content-Encoding: ${firstLoad.assets.encoding}), ${kb(firstLoad.assets.gzipped)} gzipped`,
  );
  console.log(`  ${''.padEnd(58)}    n   p50 ms   p99 ms   max ms`);
  row('bare API: GET /api/v1/queue/waiting (agent, from Node)', api.waiting);
  row('bare API: GET /api/v1/queue/mine', api.mine);
  row('bare API: GET /api/v1/tickets (the "all" view)', api.all);
  row(
    'navigation → landing view (my tickets) rendered',
    renders.landing,
    `  p50/API ${(renders.landing.p50 / api.mine.p50).toFixed(1)}x`,
  );
  row(
    `navigation → waiting queue rendered (${prepared.waiting.toLocaleString('en')} waiting)`,
    renders.waiting,
    `  p50/API ${(renders.waiting.p50 / api.waiting.p50).toFixed(1)}x`,
  );
  console.log(
    `  webhooks: ${webhooks.sent} signed Twilio SMS at the rate given, ${webhooks.accepted} answered 200, each a new ticket; the console open on "all tickets" (newest first); stream tail polls every ${livePoll}`,
  );
  row('webhook sent → its 200', webhooks.answer);
  row('webhook sent → its ticket created_at (the worker)', webhooks.ingest);
  row(
    'webhook 200 → its row in the open console',
    webhooks.visible,
    webhooks.missing > 0 ? `  (${webhooks.missing} never seen)` : '',
  );
  console.log(
    `  the open console meanwhile: ${webhooks.listRequests} GET /api/v1/tickets in ${webhooks.seconds.toFixed(1)} s (it reloads its page on each event of its stream; each took p50 ${api.all.p50.toFixed(0)} ms alone)`,
  );
  const opened = Math.max(1, streams.opened);
  const refused = Object.entries(streams.refused)
    .map(([what, count]) => `${what}: ${count}`)
    .join(', ');
  console.log(
    `  event streams: ${streams.opened.toLocaleString('en')} of ${streams.wanted.toLocaleString('en')} opened in ${streams.openSeconds.toFixed(1)} s (${prepared.streamAgents} front desk agents, one token per stream)${refused ? `; refused ${refused}` : ''}`,
  );
  const line = (label: string, memory: { rss: number; heapUsed: number }) =>
    console.log(`  ${label.padEnd(58)}  RSS ${mb(memory.rss).padStart(9)}  heap ${mb(memory.heapUsed).padStart(9)}`);
  line('API process, no stream open', streams.before);
  line(`API process, ${streams.opened.toLocaleString('en')} streams open`, streams.open);
  line('the same, after one ticket_created reached them', streams.afterEvent);
  line('after they closed', streams.closed);
  const per = (after: { rss: number; heapUsed: number }) =>
    `RSS ${((after.rss - streams.before.rss) / opened / 1024).toFixed(1)} KB, heap ${((after.heapUsed - streams.before.heapUsed) / opened / 1024).toFixed(1)} KB; RSS / none open ${(after.rss / streams.before.rss).toFixed(2)}x`;
  console.log(`  per stream, open and idle: ${per(streams.open)}`);
  console.log(`  per stream, after one event (no GC forced: an upper bound): ${per(streams.afterEvent)}`);
  row(
    `one webhook's ticket_created: 200 → each stream (${streams.gotEvent} got it)`,
    streams.fanOut,
    streams.webhookStatus === 200 ? '' : `  (webhook answered ${streams.webhookStatus})`,
  );
}

export function consoleMinimums(figures: ConsoleFigures, database: string): string[] {
  const { firstLoad, renders, webhooks, streams } = figures;
  const verdict = (met: boolean) => (met ? 'MET    ' : 'NOT MET');
  const limit = CONSOLE_MINIMUMS;
  return [
    `  ${verdict(firstLoad.assets.gzipped <= limit.firstLoadKb * 1024)}  console first load, JS + CSS gzipped <= ${limit.firstLoadKb} KB: ${kb(firstLoad.assets.gzipped)} (${kb(firstLoad.assets.wire)} as the server sends it, Content-Encoding: ${firstLoad.assets.encoding})`,
    `  ${verdict(renders.waiting.p99 <= limit.queueRenderMs)}  navigation → queue rendered with ${figures.prepared.waiting.toLocaleString('en')} waiting <= ${limit.queueRenderMs} ms (p99 of ${renders.waiting.count} cold loads) on ${database}: ${renders.waiting.p99.toFixed(0)} ms`,
    `  ${verdict(webhooks.visible.p99 <= limit.webhookVisibleP99Ms && webhooks.missing === 0 && webhooks.visible.count > 0)}  webhook accepted → ticket visible in an open console, p99 <= ${limit.webhookVisibleP99Ms} ms (${webhooks.accepted} webhooks) on ${database}: ${webhooks.visible.p99.toFixed(0)} ms${webhooks.missing > 0 ? ` (${webhooks.missing} never seen)` : ''}`,
    `  ${verdict(streams.opened >= limit.streams && streams.gotEvent === streams.opened)}  ${limit.streams.toLocaleString('en')} event streams held by one API process, each given an event: ${streams.opened.toLocaleString('en')} open, ${streams.gotEvent.toLocaleString('en')} got it; ${((streams.open.rss - streams.before.rss) / Math.max(1, streams.opened) / 1024).toFixed(1)} KB RSS per stream`,
  ];
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pingRedis } from '../src/queue/connection.js';
import { freePort } from '../test/support/free-port.js';
import { createBenchDatabase, type BenchDatabase, type DatabaseKind } from './bench-database.js';
import { startChildServer, type ChildServer } from './child-server.js';
import { explainListings, listingEndpoints, logIn, timeListings } from './listing-bench.js';
import { seedListingDatabase } from './listing-seed.js';
import { metricsEndpoints, metricsMinimums, printMetrics, timeMetrics } from './metrics-bench.js';
import { seedMetricsData } from './metrics-seed.js';
import { fireSms, warmUp, type LoadResult } from './load.js';
import { waitForSmtp } from './mail-load.js';
import { MAIL_CONNECTIONS, mailEnv, measureMailIntake, measureMailTickets, warmMail } from './mail-throughput.js';
import { firePaced } from './paced-load.js';
import { begin, note, step, type Begun } from './progress.js';
import { obliterateQueues } from './queue-cleanup.js';
import {
  mailAsLoad,
  printAckTable,
  printHeader,
  printListing,
  printMailTickets,
  printChatRoundTrip,
  printMinimums,
  printRatio,
  printWebForm,
  printRouting,
  printEmbeddedWorkers,
  printTickets,
  printWorkerAlone,
  type AckRow,
} from './report.js';
import { measureSlaTimers } from './sla-timers.js';
import { measureRouting, seedRoutingDatabase, ROUTING_AGENTS, ROUTING_WAITING } from './routing-bench.js';
import { BENCH_ACCOUNT_SID, BENCH_AUTH_TOKEN, BENCH_PUBLIC_URL, BENCH_SMS_NUMBER } from './signed-sms.js';
import { inboxCounts, measureTicketThroughput, waitForInboxDrained } from './ticket-throughput.js';
import { startTwilioApiStub, type TwilioApiStub } from './twilio-api-stub.js';
import { measureWorkerDrain } from './worker-drain.js';
import { type ChatRoundTrip, measureChatRoundTrip } from './chat-round-trip.js';
import { checkFormsRecorded, fireForms, prepareForms } from './web-form-load.js';
import { consoleMinimums, measureConsole, printConsole } from './console-bench.js';
import { prepareConsoleSeed } from './console-seed.js';
import { buildCitizen, buildConsole, buildWidget } from '../web/build.mjs';
import { citizenMinimums, measureCitizen, printCitizen } from './citizen-pages.js';
import { startHostPage } from '../test/widget/host-page.js';
import { loadConfig } from '../src/config.js';

/**
 * npm run bench [-- --db postgres] [-- --contacts 5000] [-- --mails 1000] [-- --assignments 3000]
 *               [-- --tickets 1000000] [-- --visitors 500] [-- --only sms,email,routing,listing]
 *
 * sms:
 * 1. baseline: one INSERT + one BullMQ add (bench/baseline-server.ts), the naive ceiling;
 * 2. the real webhook, ROLE=api: the same HTTP load, so the ratio compares like with like;
 * 3. ROLE=all on a fresh database: N new citizens, timed until the worker has made their tickets,
 *    then the fixed rate again while the worker runs beside the API;
 * 4. the worker alone draining a recorded backlog.
 * The fixed rate is measured twice: evenly paced (bench/paced-load.ts says why) and with
 * autocannon's overallRate.
 * email: 50 KB mails with an attachment over SMTP: ROLE=api, then a fresh worker draining them;
 *    ROLE=all, first accepted mail to last ticket (bench/mail-throughput.ts).
 * routing: 500 agents, 10,000 waiting tickets: decisions, committed assignments, routeTeam
 *    (bench/routing-bench.ts).
 * listing: a million tickets; the listing endpoints through a ROLE=api server, and their query
 *    plans (bench/listing-seed.ts, bench/listing-bench.ts).
 * metrics: the same million tickets with SLA clocks; the supervisor's live and summary endpoints
 *    through a ROLE=api server (bench/metrics-seed.ts, bench/metrics-bench.ts).
 * sla: SLA timers of 100,000 open tickets scheduled and moved, and a burst of breaches fired
 *    (bench/sla-timers.ts).
 * web: the web form's JSON submissions through a ROLE=api server against the webhook baseline,
 *    each a form prepared (marks fetched, proof-of-work solved) before the clock starts
 *    (bench/web-form-load.ts).
 * pages: the citizens' pages in headless Chromium against a ROLE=api server with the default settings:
 *    cold loads of /lapor, /lacak and an office's page embedding the chat widget on DevTools' Slow 3G
 *    against the same loads unthrottled, and /lapor's own script solving real proof-of-work
 *    challenges with the CPU throttled as Lighthouse does against the same unthrottled
 *    (bench/citizen-pages.ts).
 * chat: the chat round trip with 500 visitors (--visitors) on ROLE=all (bench/chat-round-trip.ts).
 * console: the agent console in headless Chromium against a ROLE=all server on the listing seed with
 *    10,000 tickets waiting in the agent's team: first-load bytes, navigation to the queue rendered,
 *    webhook to ticket visible in an open console, 2,000 event streams and their memory
 *    (bench/console-seed.ts, bench/console-bench.ts, bench/console-browser.ts, bench/console-streams.ts).
 * Figures are printed, never asserted. Every server gets a fresh database and queue prefix, all
 * removed at the end, even after a failure or Ctrl-C.
 */
const CONNECTIONS = 20;
const DURATION_S = 10;
const FIXED_RATE = 500;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const LISTING_REQUESTS = 200;
const LISTING_BUDGET_S = 10;
const PHASES = ['sms', 'email', 'routing', 'listing', 'metrics', 'sla', 'web', 'pages', 'chat', 'console'] as const;

const WARM_FORMS = 1000;
/** Forms prepared for the timed run: the warm-up's rate × DURATION_S, with room, within these bounds. */
const FORMS_MIN = 2000;
const FORMS_MAX = 40_000;
const CHAT_VISITORS = 500;
const CHAT_INTERVAL_MS = 10_000;
const CHAT_DURATION_MS = 60_000;
const CHAT_DRAIN_MS = 15_000;
const BENCH_ADMIN = { email: 'admin@bench.example', password: 'bench-password-4c7a19e2' };
/** The stream tails' poll (both the agents' event tail and the chat tail): part of the round trip. */
const LIVE_POLL = process.env.LIVE_POLL_INTERVAL_MS
  ? `${process.env.LIVE_POLL_INTERVAL_MS} ms (from the environment)`
  : '250 ms (the default)';
type Phase = (typeof PHASES)[number];

/** Issue 15's citizen pages: cold loads of each page per network condition, challenges per CPU rate. */
const PAGE_LOADS = 5;
const POW_CHALLENGES = 20;
/** The proof-of-work's cost as the server will set it: the environment's (children inherit it), else the default. */
const POW_MAX_COUNTER = loadConfig({ WEB_POW_MAX_COUNTER: process.env.WEB_POW_MAX_COUNTER }).WEB_POW_MAX_COUNTER;

/** Issue 14: the queue's size, the cold loads timed, the webhooks' count and rate, the streams. */
const CONSOLE_WAITING = 10_000;
const CONSOLE_LOADS = 20;
const CONSOLE_WEBHOOKS = 200;
const CONSOLE_RATE = 20;
const CONSOLE_STREAMS = 2000;

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    contacts: { type: 'string', default: '5000' },
    mails: { type: 'string', default: '1000' },
    assignments: { type: 'string', default: '3000' },
    tickets: { type: 'string', default: '1000000' },
    visitors: { type: 'string', default: String(CHAT_VISITORS) },
    only: { type: 'string', default: PHASES.join(',') },
  },
});
if (args.db !== 'sqlite' && args.db !== 'postgres') throw new Error('--db must be sqlite or postgres');
const kind: DatabaseKind = args.db;
const contacts = Number(args.contacts);
const mails = Number(args.mails);
const assignments = Number(args.assignments);
const listingTickets = Number(args.tickets);
const visitors = Number(args.visitors);
for (const [name, value] of Object.entries({ contacts, mails, assignments, tickets: listingTickets, visitors })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
}
const only = new Set(args.only.split(',').map((phase) => phase.trim()));
for (const phase of only) if (!PHASES.includes(phase as Phase)) throw new Error(`--only takes ${PHASES.join(', ')}`);
const runs = (phase: Phase) => only.has(phase);

/** Undo steps, run newest first; cleanUp(mark) undoes only what was added since cleanups.length was mark. */
const cleanups: Array<() => Promise<void>> = [];
async function cleanUp(mark = 0): Promise<void> {
  for (const step of cleanups.splice(mark).reverse())
    await step().catch((error: Error) => console.error(`cleanup: ${error.message}`));
}
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

/**
 * DATA_DIR for a mail server on PostgreSQL, whose database has no directory: a temp directory for
 * the attachments it saves, removed at cleanup. On SQLite they go beside the database file.
 */
function attachmentDir(): Record<string, string> {
  if (kind === 'sqlite') return {};
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-bench-mail-'));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  return { DATA_DIR: dataDir };
}

/** A fresh database (temp dir or schema), removed at cleanup. */
async function freshDatabase(): Promise<BenchDatabase> {
  const database = await createBenchDatabase(kind);
  cleanups.push(() => database.drop());
  return database;
}

/** A server on its own queue prefix and a fresh database (or the one given); cleanup stops it, then removes them. */
async function startServer(
  script: string,
  env: Record<string, string>,
  given?: BenchDatabase,
): Promise<{ server: ChildServer; database: BenchDatabase }> {
  const database = given ?? (await freshDatabase());
  const prefix = `spbench-${randomBytes(4).toString('hex')}`;
  cleanups.push(() => obliterateQueues(REDIS_URL, prefix));
  const server = await step(`start ${serverName(script, env)}`, () =>
    startChildServer(script, {
      DATABASE_URL: '', // never inherit the caller's database
      DATABASE_SCHEMA: '',
      ...database.env,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      ...env,
    }),
  );
  cleanups.push(() => server.stop());
  return { server, database };
}

/** How progress lines name a server: its script, and Satu Pintu's role. */
function serverName(script: string, env: Record<string, string>): string {
  if (script !== 'src/main.ts') return path.basename(script);
  const role = env.ROLE ?? 'all';
  return role === 'all'
    ? `Satu Pintu, ROLE=all, EMBEDDED_WORKERS=${env.EMBEDDED_WORKERS ?? 'process'}`
    : `Satu Pintu, ROLE=${role}`;
}

/** Satu Pintu's own entry point, configured as Twilio's webhook target with the bench's stub API. */
function satuPintuEnv(
  role: 'api' | 'all',
  stub: TwilioApiStub,
  workers: 'process' | 'inline' = 'process',
): Record<string, string> {
  return {
    ROLE: role,
    EMBEDDED_WORKERS: workers,
    PUBLIC_URL: BENCH_PUBLIC_URL,
    TWILIO_ACCOUNT_SID: BENCH_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: BENCH_AUTH_TOKEN,
    TWILIO_SMS_FROM: BENCH_SMS_NUMBER,
    TWILIO_API_BASE_URL: stub.url,
    SMTP_PORT: '0', // a free port: never the default 2525 another process may hold
  };
}

/** The fixed rate twice: evenly paced (the figure that counts) and autocannon's overallRate (for reference). */
async function fixedRateFigures(url: string): Promise<{ paced: LoadResult; overallRate: LoadResult }> {
  const paced = await step(`${FIXED_RATE} req/s evenly paced (${DURATION_S} s)`, () =>
    firePaced(url, { rate: FIXED_RATE, durationS: DURATION_S }),
  );
  const overallRate = await step(`${FIXED_RATE} req/s, autocannon overallRate (${DURATION_S} s)`, () =>
    fireSms(url, { connections: CONNECTIONS, duration: DURATION_S, overallRate: FIXED_RATE }),
  );
  return { paced, overallRate };
}

interface AckFigures {
  full: LoadResult;
  paced: LoadResult;
  overallRate: LoadResult;
  /** Over all runs, warm-up included: every accepted webhook is one inbox row, every row was sent. */
  accepted: number;
  sent: number;
}

async function ackFigures(url: string): Promise<AckFigures> {
  const warm = await step('warm-up (2 s)', () => warmUp(url));
  const full = await step(`full throughput (${DURATION_S} s, ${CONNECTIONS} connections)`, () =>
    fireSms(url, { connections: CONNECTIONS, duration: DURATION_S }),
  );
  const { paced, overallRate } = await fixedRateFigures(url);
  const runs = [warm, full, paced, overallRate];
  const sum = (pick: (run: LoadResult) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return { full, paced, overallRate, accepted: sum((run) => run.accepted), sent: sum((run) => run.sent) };
}

async function main(): Promise<void> {
  if (!(await pingRedis(REDIS_URL))) throw new Error(`Redis is not reachable at ${REDIS_URL}`);
  const databaseName = kind === 'postgres' ? 'PostgreSQL' : 'SQLite (WAL)';
  printHeader([
    `Satu Pintu bench: ${databaseName}, Redis ${REDIS_URL}, node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()})`,
    ...(runs('sms')
      ? [
          `SMS: autocannon, ${CONNECTIONS} connections, ${DURATION_S} s at full throughput; then ${DURATION_S} s at ${FIXED_RATE} req/s evenly paced, and ${DURATION_S} s with autocannon overallRate`,
          'each request a signed Twilio SMS webhook with a new MessageSid and a new sender',
          'servers run in their own processes; acknowledgement SMS go to a local Twilio API stub (TWILIO_SMS_FROM set)',
        ]
      : []),
    ...(runs('email')
      ? [
          `email: ${mails} mails over SMTP, ${MAIL_CONNECTIONS} pooled sessions, each from a new sender with its own 35 KB attachment; no relay (acks recorded as not delivered)`,
        ]
      : []),
    ...(runs('routing')
      ? [`routing: ${ROUTING_AGENTS} agents, ${ROUTING_WAITING} waiting tickets, ${assignments} committed assignments`]
      : []),
    ...(runs('listing') ? [`listing: ${listingTickets} tickets seeded, each endpoint one request at a time`] : []),
    ...(runs('metrics')
      ? [`metrics: ${listingTickets} tickets seeded with SLA clocks, the supervisor's endpoints one request at a time`]
      : []),
    ...(runs('sla')
      ? [
          "sla: 100,000 open tickets' timers scheduled and moved against a bare addBulk, then 2,000 breaches due at one instant",
        ]
      : []),
    ...(runs('web')
      ? [
          `web: form submissions (JSON API, each a new form with its proof-of-work solved beforehand), ${CONNECTIONS} connections, against the webhook baseline`,
        ]
      : []),
    ...(runs('pages')
      ? [
          `pages: headless Chromium, ${PAGE_LOADS} cold loads of /lapor, /lacak and an office page with the chat widget on Slow 3G and unthrottled; ${POW_CHALLENGES} proof-of-work challenges solved by /lapor's script at each CPU rate`,
        ]
      : []),
    ...(runs('chat')
      ? [
          `chat: round trip, ${visitors} visitors on SSE, one message every ${CHAT_INTERVAL_MS / 1000} s each for ${CHAT_DURATION_MS / 1000} s, one agent answering each`,
        ]
      : []),
    ...(runs('console')
      ? [
          `console: ${listingTickets} tickets seeded, ${CONSOLE_WAITING} waiting in the agent's team; headless Chromium: first load, ${CONSOLE_LOADS} cold loads of each view, ${CONSOLE_WEBHOOKS} webhooks at ${CONSOLE_RATE}/s into an open console, ${CONSOLE_STREAMS} event streams`,
        ]
      : []),
  ]);
  note(`phases: ${[...only].join(', ')}; progress on stderr, figures on stdout at the end`);
  const stub = await startTwilioApiStub();
  cleanups.push(() => stub.close());

  const started = Date.now();
  const took: string[] = [];
  const lap = (phase: Phase, from: Begun) => took.push(`${phase} ${from.end().toFixed(0)} s`);
  const phase = cleanups.length; // one server at a time, each given the whole machine

  // SMS webhooks (see the comment at the top).
  let sms: Awaited<ReturnType<typeof smsFigures>> | undefined;
  if (runs('sms')) {
    const from = begin('sms');
    sms = await smsFigures(stub);
    await cleanUp(phase);
    lap('sms', from);
  }

  // Email: ROLE=api then a fresh worker draining; then ROLE=all.
  let mailIntake: Awaited<ReturnType<typeof measureMailIntake>> | undefined;
  let mailTickets: Awaited<ReturnType<typeof measureMailTickets>> | undefined;
  if (runs('email')) {
    const from = begin('email');
    const database = await freshDatabase();
    const prefix = `spbench-${randomBytes(4).toString('hex')}`;
    cleanups.push(() => obliterateQueues(REDIS_URL, prefix));
    const shared = {
      DATABASE_URL: '',
      DATABASE_SCHEMA: '',
      ...attachmentDir(),
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'silent',
    };
    const start = async (env: Record<string, string>) => {
      const server = await step(`start ${serverName('src/main.ts', env)}`, () => startChildServer('src/main.ts', env));
      cleanups.push(() => server.stop()); // a no-op once measureMailIntake has stopped it
      return server;
    };
    mailIntake = await step('ROLE=api, then a fresh worker draining its mails', () =>
      measureMailIntake(
        database,
        start,
        { api: { ...shared, ...satuPintuEnv('api', stub) }, worker: { ...shared, ...satuPintuEnv('all', stub) } },
        mails,
        90_000,
      ),
    );
    await cleanUp(phase);

    const mailAll = begin('ROLE=all');
    const smtpPort = await freePort();
    const all = await startServer('src/main.ts', {
      ...satuPintuEnv('all', stub),
      ...attachmentDir(),
      ...mailEnv(smtpPort),
    });
    const allDb = all.database.open('satu-pintu.sqlite');
    cleanups.push(() => allDb.destroy());
    await waitForSmtp(smtpPort);
    await step('warm-up: 50 mails, drained', () => warmMail(smtpPort, allDb, 60_000));
    mailTickets = await step(
      `${mails} mails, until the worker has made their tickets`,
      () => measureMailTickets(smtpPort, allDb, mails, 90_000),
      (result) => `${Math.round(result.ticketsPerSecond)} tickets/s`,
    );
    await cleanUp(phase);
    mailAll.end();
    lap('email', from);
  }

  // Routing, in this process on its own database.
  let routing: Awaited<ReturnType<typeof measureRouting>> | undefined;
  let assignmentP99Ms: number | undefined;
  if (runs('routing')) {
    const from = begin('routing');
    const database = await freshDatabase();
    const db = database.open('routing.sqlite');
    cleanups.push(() => db.destroy());
    const teamId = await step(`seed: ${ROUTING_AGENTS} agents, ${ROUTING_WAITING} waiting tickets`, async () => {
      const team = await seedRoutingDatabase(db);
      if (kind === 'sqlite') await db.raw('PRAGMA wal_checkpoint(TRUNCATE)'); // the seed's pages out of the WAL first
      return team;
    });
    routing = await measureRouting(db, teamId, { assignments });
    assignmentP99Ms = routing.committed.p99Ms;
    await cleanUp(phase);
    lap('routing', from);
  }

  // Listing: one seeded database for every endpoint; plans first, then the server (ROLE=api: a
  // worker would start routing the waiting tickets under the measurement).
  let listing:
    | {
        seed: Awaited<ReturnType<typeof seedListingDatabase>>;
        timings: Awaited<ReturnType<typeof timeListings>>;
        plans: Awaited<ReturnType<typeof explainListings>>;
      }
    | undefined;
  if (runs('listing')) {
    const from = begin('listing');
    const database = await freshDatabase();
    const db = database.open('satu-pintu.sqlite');
    let destroyed = false;
    cleanups.push(async () => {
      if (!destroyed) await db.destroy();
    });
    const seed = await step(`seed ${listingTickets.toLocaleString('en')} tickets`, () =>
      seedListingDatabase(db, { tickets: listingTickets }),
    );
    const endpoints = listingEndpoints(seed);
    const plans = await step('query plans', () => explainListings(db, seed, endpoints));
    await db.destroy();
    destroyed = true;
    const { server } = await startServer('src/main.ts', { ...satuPintuEnv('api', stub) }, database);
    const tokens = { admin: await logIn(server.url, seed.admin), agent: await logIn(server.url, seed.agent) };
    const timings = await step('endpoints, one request at a time', () =>
      timeListings(server.url, tokens, endpoints, {
        requests: LISTING_REQUESTS,
        budgetMs: LISTING_BUDGET_S * 1000,
        warmUp: 3,
      }),
    );
    listing = { seed, timings, plans };
    await cleanUp(phase);
    lap('listing', from);
  }

  // The supervisor's view: the listing seed plus clocks, then the server (ROLE=api, as for listing).
  let metrics:
    | {
        timings: Awaited<ReturnType<typeof timeMetrics>>;
        seeded: Awaited<ReturnType<typeof seedMetricsData>> & { tickets: number };
      }
    | undefined;
  if (runs('metrics')) {
    const from = begin('metrics');
    const database = await freshDatabase();
    const db = database.open('satu-pintu.sqlite');
    const seed = await step(`seed ${listingTickets.toLocaleString('en')} tickets`, () =>
      seedListingDatabase(db, { tickets: listingTickets }),
    );
    const seeded = {
      ...(await step('seed SLA clocks, deadlines, reopenings', () => seedMetricsData(db, seed))),
      tickets: seed.tickets,
    };
    await db.destroy();
    const { server } = await startServer('src/main.ts', { ...satuPintuEnv('api', stub) }, database);
    const tokens = {
      admin: await logIn(server.url, seed.admin),
      supervisor: await logIn(server.url, seeded.supervisor),
    };
    const timings = await step('endpoints, one request at a time', () =>
      timeMetrics(server.url, tokens, metricsEndpoints(), {
        requests: LISTING_REQUESTS,
        budgetMs: LISTING_BUDGET_S * 1000,
        warmUp: 3,
      }),
    );
    metrics = { timings, seeded };
    await cleanUp(phase);
    lap('metrics', from);
  }

  let slaLines: string[] = [];
  if (runs('sla')) {
    const from = begin('sla');
    slaLines = await measureSlaTimers(kind, { redisUrl: REDIS_URL, tickets: 100_000, firing: 2000, concurrency: 50 });
    lap('sla', from);
  }

  let web: Awaited<ReturnType<typeof webFormFigures>> | undefined;
  if (runs('web')) {
    const from = begin('web');
    web = await webFormFigures(stub);
    await cleanUp(phase);
    lap('web', from);
  }
  let citizen: Awaited<ReturnType<typeof measureCitizen>> | undefined;
  if (runs('pages')) {
    const from = begin('pages');
    citizen = await citizenFigures(stub);
    await cleanUp(phase);
    lap('pages', from);
  }
  let chat: ChatRoundTrip | undefined;
  if (runs('chat')) {
    const from = begin('chat');
    chat = await chatFigures(stub, visitors);
    await cleanUp(phase);
    lap('chat', from);
  }

  // The console: the listing seed with a full queue, then a ROLE=all server (webhooks must become
  // tickets) whose routing finds every agent offline; the browser and the streams against it.
  let consoleFigures: Awaited<ReturnType<typeof measureConsole>> | undefined;
  if (runs('console')) {
    const from = begin('console');
    await step('build the console (web/build.mjs)', () => buildConsole());
    const database = await freshDatabase();
    const db = database.open('satu-pintu.sqlite');
    cleanups.push(() => db.destroy());
    const seed = await step(`seed ${listingTickets.toLocaleString('en')} tickets`, () =>
      seedListingDatabase(db, { tickets: listingTickets }),
    );
    const prepared = await step(
      `${CONSOLE_WAITING.toLocaleString('en')} waiting in the front desk, agents offline, ${CONSOLE_STREAMS} stream tokens`,
      () => prepareConsoleSeed(db, seed, { waiting: CONSOLE_WAITING, streams: CONSOLE_STREAMS }),
    );
    const { server } = await startServer('src/main.ts', { ...satuPintuEnv('all', stub) }, database);
    consoleFigures = await measureConsole(server.url, server.pid, db, seed, prepared, {
      loads: CONSOLE_LOADS,
      webhooks: CONSOLE_WEBHOOKS,
      rate: CONSOLE_RATE,
      streamBatch: 100,
    });
    await cleanUp(phase);
    lap('console', from);
  }

  const rows: AckRow[] = [];
  if (sms) {
    rows.push(
      { label: 'baseline: 1 INSERT + 1 queue add', ...sms.baselineFigures },
      { label: 'full path, ROLE=api', ...sms.apiFigures },
      { label: `full path, ROLE=all (${contacts} burst)`, full: sms.tickets.burst, ...sms.allFixed },
      {
        label: `full path, ROLE=all, workers inline (${contacts} burst)`,
        full: sms.inline.tickets.burst,
        ...sms.inline.allFixed,
      },
    );
  }
  if (mailIntake)
    rows.push({
      label: `email ${(mailIntake.accepted.bytes / 1024).toFixed(0)} KB over SMTP, ROLE=api`,
      full: mailAsLoad(mailIntake.accepted),
    });
  if (mailTickets)
    rows.push({ label: `email over SMTP, ROLE=all (${mails} burst)`, full: mailAsLoad(mailTickets.burst) });
  if (rows.length > 0) printAckTable(rows, FIXED_RATE);

  let ratio = 0;
  if (sms) {
    // Runs that stop on time leave requests in flight: recorded but never counted as accepted.
    const { accepted: ok, sent } = sms.apiFigures;
    const check =
      sms.recorded.total >= ok && sms.recorded.total <= sent
        ? 'no duplicates, none lost'
        : 'MISMATCH: duplicates or lost rows';
    console.log(`ROLE=api: ${sms.recorded.total} inbox rows for ${ok} webhooks accepted, ${sent} sent (${check})`);
    ratio = printRatio(sms.apiFigures.full, sms.baselineFigures.full);
  }
  if (sms && mailIntake) {
    console.log(
      `email / SMS, ROLE=api, contacts accepted per second: ${(mailIntake.accepted.perSecond / sms.apiFigures.full.rps).toFixed(2)}x (${MAIL_CONNECTIONS} SMTP sessions vs ${CONNECTIONS} HTTP connections)`,
    );
  }
  if (sms) {
    printTickets(sms.tickets, sms.fixedRateBacklog);
    printEmbeddedWorkers({
      apiP99: sms.apiFigures.paced.p99,
      splitP99: sms.allFixed.paced.p99,
      inlineP99: sms.inline.allFixed.paced.p99,
      splitTicketsPerSecond: sms.tickets.ticketsPerSecond,
      inlineTicketsPerSecond: sms.inline.tickets.ticketsPerSecond,
      rate: FIXED_RATE,
    });
  } else if (mailTickets) console.log('\nworker: contacts turned into tickets (ROLE=all, each mail a new citizen)');
  printMailTickets(mailTickets, sms?.tickets);
  printWorkerAlone(
    sms ? (sms.drain ?? null) : undefined,
    mailIntake ? { drain: mailIntake.drain ?? null, bytes: mailIntake.accepted.bytes } : undefined,
  );
  if (routing) printRouting(routing, databaseName);
  if (listing)
    printListing(listing.seed, listing.timings, listing.plans, databaseName, {
      requests: LISTING_REQUESTS,
      budgetS: LISTING_BUDGET_S,
    });
  if (metrics) printMetrics(metrics.timings, metrics.seeded, databaseName);
  if (slaLines.length > 0) console.log(`\n${slaLines.join('\n')}`);
  if (web) printWebForm(web);
  if (citizen) printCitizen(citizen, databaseName);
  if (chat) printChatRoundTrip(chat, { database: databaseName, livePollMs: LIVE_POLL });
  if (consoleFigures) printConsole(consoleFigures, databaseName, LIVE_POLL);

  printMinimums({
    ratio,
    p99AtFixedRate: sms
      ? [
          { label: 'ROLE=api, even pacing', ms: sms.apiFigures.paced.p99 },
          { label: 'ROLE=all, even pacing', ms: sms.allFixed.paced.p99 },
          { label: 'ROLE=all, workers inline, even pacing', ms: sms.inline.allFixed.paced.p99 },
        ]
      : [],
    fixedRate: FIXED_RATE,
    ticketsPerSecond: sms?.drain?.ticketsPerSecond ?? 0,
    database: databaseName,
    assignmentP99Ms,
    listing: listing ? { tickets: listing.seed.tickets, timings: listing.timings } : undefined,
    chat,
  });
  if (metrics) for (const line of metricsMinimums(metrics.timings, databaseName)) console.log(line);
  if (citizen) for (const line of citizenMinimums(citizen)) console.log(line);
  if (consoleFigures) for (const line of consoleMinimums(consoleFigures, databaseName)) console.log(line);
  console.log(`\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s (${took.join(', ')})`);
}

/** The SMS phases: baseline, ROLE=api, ROLE=all, the worker alone. */
async function smsFigures(stub: TwilioApiStub) {
  const phase = cleanups.length;
  let shown = begin('baseline (1 INSERT + 1 queue add)');
  const baseline = await startServer('bench/baseline-server.ts', {});
  const baselineFigures = await ackFigures(baseline.server.url);
  await cleanUp(phase);
  shown.end();

  shown = begin('ROLE=api');
  const api = await startServer('src/main.ts', satuPintuEnv('api', stub));
  const apiFigures = await ackFigures(api.server.url);
  await api.server.stop();
  const apiDb = api.database.open('satu-pintu.sqlite');
  const recorded = await inboxCounts(apiDb).finally(() => apiDb.destroy());
  await cleanUp(phase);
  shown.end();

  // ROLE=all twice, workers in their own process (the default) and inline: the same run's ratios count.
  shown = begin('ROLE=all, workers in a child process');
  const split = await roleAllFigures(stub, 'process');
  await cleanUp(phase);
  shown.end();
  shown = begin('ROLE=all, workers inline');
  const inline = await roleAllFigures(stub, 'inline');
  await cleanUp(phase);
  shown.end();
  const { tickets, allFixed, fixedRateBacklog } = split;

  const drainDatabase = await freshDatabase();
  const drainPrefix = `spbench-${randomBytes(4).toString('hex')}`;
  cleanups.push(() => obliterateQueues(REDIS_URL, drainPrefix));
  // The database's own settings after the blanks: measureWorkerDrain spreads these over
  // database.env, and blanks alone would send a PostgreSQL run's drain servers to SQLite.
  const shared = {
    DATABASE_URL: '',
    DATABASE_SCHEMA: '',
    ...drainDatabase.env,
    REDIS_URL,
    QUEUE_PREFIX: drainPrefix,
    LOG_LEVEL: 'silent',
  };
  const drain = await step(
    'worker alone',
    () =>
      measureWorkerDrain(
        drainDatabase,
        { api: { ...shared, ...satuPintuEnv('api', stub) }, worker: { ...shared, ...satuPintuEnv('all', stub) } },
        contacts,
        90_000,
      ),
    (result) => (result ? `${Math.round(result.ticketsPerSecond)} tickets/s` : 'not drained in time'),
  );
  await cleanUp(phase);
  return { baselineFigures, apiFigures, recorded, tickets, allFixed, fixedRateBacklog, drain, inline };
}

/** ROLE=all on a fresh database: the ticket burst, then the fixed rate while the worker catches up. */
async function roleAllFigures(stub: TwilioApiStub, workers: 'process' | 'inline') {
  const all = await startServer('src/main.ts', satuPintuEnv('all', stub, workers));
  const allDb = all.database.open('satu-pintu.sqlite');
  cleanups.push(() => allDb.destroy());
  await step('warm-up: 300 webhooks, drained', async () => {
    await fireSms(all.server.url, { connections: 10, amount: 300 }); // warm the worker too
    await waitForInboxDrained(allDb, 60_000);
  });
  const tickets = await step(
    `${contacts} new citizens, until the worker has made their tickets`,
    () => measureTicketThroughput(all.server.url, allDb, stub, contacts, 90_000),
    (result) => `${Math.round(result.ticketsPerSecond)} tickets/s`,
  );
  const allFixed = await fixedRateFigures(all.server.url);
  const counts = await inboxCounts(allDb); // not drained: the bench would outlast its budget
  const fixedRateBacklog = { rate: FIXED_RATE, seconds: 2 * DURATION_S, backlog: counts.total - counts.done };
  return { tickets, allFixed, fixedRateBacklog };
}

/** Satu Pintu's settings for the form's figure: its limits out of the way, the answer at the inbox commit. */
const WEB_FORM_ENV = {
  WEB_SUBMISSIONS_PER_ADDRESS: '10000000', // every request comes from 127.0.0.1
  WEB_SUBMISSIONS_PER_OFFICE: '10000000',
  WEB_FORM_MIN_FILL_SECONDS: '0', // the forms were fetched moments before
  WEB_RECEIPT_WAIT_MS: '0', // answer once recorded, without waiting for the ticket's reference
  WEB_POW_MAX_COUNTER: '50', // the phone's cost, paid before the clock: kept small so preparing is quick
};

/** ROLE=all for the chat: an admin to answer, the per-address limits out of the way (one address here). */
const CHAT_ENV = {
  ADMIN_EMAIL: BENCH_ADMIN.email,
  ADMIN_PASSWORD: BENCH_ADMIN.password,
  WEBCHAT_SESSIONS_PER_ADDRESS_HOUR: '1000000',
  WEBCHAT_MESSAGES_PER_ADDRESS_MINUTE: '1000000',
  WEBCHAT_MESSAGES_PER_OFFICE_MINUTE: '1000000',
};

/** The web form: the webhook baseline, then the form's submissions (ROLE=api). */
async function webFormFigures(stub: TwilioApiStub) {
  const phase = cleanups.length;
  let shown = begin('baseline (1 INSERT + 1 queue add)');
  const baseline = await startServer('bench/baseline-server.ts', {});
  await step('warm-up (2 s)', () => warmUp(baseline.server.url));
  const baselineFull = await step(
    `full throughput (${DURATION_S} s, ${CONNECTIONS} connections)`,
    () => fireSms(baseline.server.url, { connections: CONNECTIONS, duration: DURATION_S }),
    (result) => `${Math.round(result.rps)} req/s`,
  );
  await cleanUp(phase);
  shown.end();

  shown = begin('form submissions, ROLE=api');
  const api = await startServer('src/main.ts', { ...satuPintuEnv('api', stub), ...WEB_FORM_ENV });
  const warmForms = await step(`prepare ${WARM_FORMS} warm-up forms`, () => prepareForms(api.server.url, WARM_FORMS));
  const warm = await step(
    `warm-up: ${WARM_FORMS} forms`,
    () => fireForms(api.server.url, warmForms, CONNECTIONS),
    (result) => `${Math.round(result.rps)} req/s`,
  );
  const count = Math.min(FORMS_MAX, Math.max(FORMS_MIN, Math.round(warm.rps * DURATION_S * 1.3)));
  const forms = await step(`prepare ${count.toLocaleString('en')} forms (marks fetched, challenges solved)`, () =>
    prepareForms(api.server.url, count),
  );
  const full = await step(
    `${count.toLocaleString('en')} forms, ${CONNECTIONS} connections, as fast as answered`,
    () => fireForms(api.server.url, forms, CONNECTIONS),
    (result) => `${Math.round(result.rps)} req/s in ${result.durationS.toFixed(1)} s`,
  );
  await api.server.stop();
  const apiDb = api.database.open('satu-pintu.sqlite');
  const durable = await step('every accepted form an inbox row?', () =>
    checkFormsRecorded(apiDb, [...warm.acceptedKeys, ...full.acceptedKeys]).finally(() => apiDb.destroy()),
  );
  await cleanUp(phase);
  shown.end();
  return { baseline: baselineFull, warm, full, durable };
}

/**
 * The citizen pages and the proof-of-work (ROLE=api, the default settings but the widget's allowed
 * origin): the built pages and widget, an office's page on another origin embedding the widget
 * (test/widget/host-page.ts, as the widget's browser test), then Chromium.
 */
async function citizenFigures(stub: TwilioApiStub) {
  const phase = cleanups.length;
  await step('build the citizen pages and the widget (web/build.mjs)', async () => {
    await buildCitizen();
    await buildWidget();
  });
  let widgetOrigin = '';
  const office = await startHostPage(() => widgetOrigin);
  cleanups.push(() => office.close());
  const { server } = await startServer('src/main.ts', {
    ...satuPintuEnv('api', stub),
    WIDGET_ALLOWED_ORIGINS: office.origin,
  });
  widgetOrigin = server.url;
  const figures = await measureCitizen(server.url, office.url, {
    loads: PAGE_LOADS,
    challenges: POW_CHALLENGES,
    maxCounter: POW_MAX_COUNTER,
    maxCounterSource: process.env.WEB_POW_MAX_COUNTER ? 'from the environment' : 'the default',
  });
  await cleanUp(phase);
  return figures;
}

/** The chat round trip (ROLE=all): `visitors` sessions on SSE, one admin answering each message. */
async function chatFigures(stub: TwilioApiStub, visitors: number): Promise<ChatRoundTrip> {
  const phase = cleanups.length;
  const shown = begin('chat round trip, ROLE=all');
  const all = await startServer('src/main.ts', { ...satuPintuEnv('all', stub), ...CHAT_ENV });
  const agentToken = await step('log in as the answering admin', async () => {
    // The server creates its first admin (a scrypt hash) after /readyz answers: wait for the row
    // rather than retry the login, which would count as failures (LOGIN_MAX_FAILURES).
    const allDb = all.database.open('satu-pintu.sqlite');
    try {
      const deadline = Date.now() + 60_000;
      while (!(await allDb('agents').where({ role: 'admin' }).first('id'))) {
        if (Date.now() > deadline) throw new Error('the first admin was not created within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await allDb.destroy();
    }
    return logIn(all.server.url, BENCH_ADMIN);
  });
  const chat = await measureChatRoundTrip(all.server.url, {
    visitors,
    intervalMs: CHAT_INTERVAL_MS,
    durationMs: CHAT_DURATION_MS,
    drainMs: CHAT_DRAIN_MS,
    agentToken,
  });
  await cleanUp(phase);
  shown.end();
  return chat;
}

main()
  .catch((error: unknown) => {
    console.error('bench failed:', error);
    process.exitCode = 1; // a broken bench, not a slow server: figures never set the exit code
  })
  .finally(() => cleanUp());

import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pingRedis } from '../src/queue/connection.js';
import { createBenchDatabase, type BenchDatabase, type DatabaseKind } from './bench-database.js';
import { startChildServer, type ChildServer } from './child-server.js';
import { fireSms, warmUp, type LoadResult } from './load.js';
import { firePaced } from './paced-load.js';
import { obliterateQueues } from './queue-cleanup.js';
import { printAckTable, printHeader, printMinimums, printRatio, printTickets } from './report.js';
import { BENCH_ACCOUNT_SID, BENCH_AUTH_TOKEN, BENCH_PUBLIC_URL, BENCH_SMS_NUMBER } from './signed-sms.js';
import { inboxCounts, measureTicketThroughput, waitForInboxDrained } from './ticket-throughput.js';
import { startTwilioApiStub, type TwilioApiStub } from './twilio-api-stub.js';
import { measureWorkerDrain } from './worker-drain.js';

/**
 * npm run bench [-- --db postgres] [-- --contacts 5000]
 *
 * 1. baseline: one INSERT + one BullMQ add (bench/baseline-server.ts), the naive ceiling;
 * 2. the real webhook, ROLE=api: the same HTTP load, so the ratio compares like with like;
 * 3. ROLE=all on a fresh database: N new citizens, timed until the worker has made their tickets,
 *    then the fixed rate again while the worker runs beside the API.
 * The fixed rate is measured twice: evenly paced (bench/paced-load.ts says why) and with
 * autocannon's overallRate.
 * Figures are printed, never asserted. Every server gets a fresh database and queue prefix, all
 * removed at the end, even after a failure or Ctrl-C.
 */
const CONNECTIONS = 20;
const DURATION_S = 10;
const FIXED_RATE = 500;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const { values: args } = parseArgs({ options: { db: { type: 'string', default: 'sqlite' }, contacts: { type: 'string', default: '5000' } } });
if (args.db !== 'sqlite' && args.db !== 'postgres') throw new Error('--db must be sqlite or postgres');
const kind: DatabaseKind = args.db;
const contacts = Number(args.contacts);

/** Undo steps, run newest first; cleanUp(mark) undoes only what was added since cleanups.length was mark. */
const cleanups: Array<() => Promise<void>> = [];
async function cleanUp(mark = 0): Promise<void> {
  for (const step of cleanups.splice(mark).reverse()) await step().catch((error: Error) => console.error(`cleanup: ${error.message}`));
}
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

/** A server on its own fresh database and queue prefix; cleanup stops it, then removes both. */
async function startServer(script: string, env: Record<string, string>): Promise<{ server: ChildServer; database: BenchDatabase }> {
  const database = await createBenchDatabase(kind);
  cleanups.push(() => database.drop());
  const prefix = `spbench-${randomBytes(4).toString('hex')}`;
  cleanups.push(() => obliterateQueues(REDIS_URL, prefix));
  const server = await startChildServer(script, {
    DATABASE_URL: '', // never inherit the caller's database
    DATABASE_SCHEMA: '',
    ...database.env,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    ...env,
  });
  cleanups.push(() => server.stop());
  return { server, database };
}

/** Satu Pintu's own entry point, configured as Twilio's webhook target with the bench's stub API. */
function satuPintuEnv(role: 'api' | 'all', stub: TwilioApiStub): Record<string, string> {
  return {
    ROLE: role,
    PUBLIC_URL: BENCH_PUBLIC_URL,
    TWILIO_ACCOUNT_SID: BENCH_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: BENCH_AUTH_TOKEN,
    TWILIO_SMS_FROM: BENCH_SMS_NUMBER,
    TWILIO_API_BASE_URL: stub.url,
  };
}

/** The fixed rate twice: evenly paced (the figure that counts) and autocannon's overallRate (for reference). */
async function fixedRateFigures(url: string): Promise<{ paced: LoadResult; overallRate: LoadResult }> {
  const paced = await firePaced(url, { rate: FIXED_RATE, durationS: DURATION_S });
  const overallRate = await fireSms(url, { connections: CONNECTIONS, duration: DURATION_S, overallRate: FIXED_RATE });
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
  const warm = await warmUp(url);
  const full = await fireSms(url, { connections: CONNECTIONS, duration: DURATION_S });
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
    `load: autocannon, ${CONNECTIONS} connections, ${DURATION_S} s at full throughput; then ${DURATION_S} s at ${FIXED_RATE} req/s evenly paced, and ${DURATION_S} s with autocannon overallRate`,
    'each request a signed Twilio SMS webhook with a new MessageSid and a new sender',
    'servers run in their own processes; acknowledgement SMS go to a local Twilio API stub (TWILIO_SMS_FROM set)',
  ]);
  const stub = await startTwilioApiStub();
  cleanups.push(() => stub.close());

  const started = Date.now();
  const phase = cleanups.length; // one server at a time, each given the whole machine
  const baseline = await startServer('bench/baseline-server.ts', {});
  const baselineFigures = await ackFigures(baseline.server.url);
  await cleanUp(phase);

  const api = await startServer('src/main.ts', satuPintuEnv('api', stub));
  const apiFigures = await ackFigures(api.server.url);
  await api.server.stop();
  const apiDb = api.database.open('satu-pintu.sqlite');
  const recorded = await inboxCounts(apiDb).finally(() => apiDb.destroy());
  await cleanUp(phase);

  const all = await startServer('src/main.ts', satuPintuEnv('all', stub));
  const allDb = all.database.open('satu-pintu.sqlite');
  cleanups.push(() => allDb.destroy());
  await fireSms(all.server.url, { connections: 10, amount: 300 }); // warm the worker too
  await waitForInboxDrained(allDb, 60_000);
  const tickets = await measureTicketThroughput(all.server.url, allDb, stub, contacts, 90_000);
  const allFixed = await fixedRateFigures(all.server.url);
  const counts = await inboxCounts(allDb); // not drained: the bench would outlast its budget
  const fixedRateBacklog = { rate: FIXED_RATE, seconds: 2 * DURATION_S, backlog: counts.total - counts.done };
  await cleanUp(phase);

  const drainDatabase = await createBenchDatabase(kind);
  cleanups.push(() => drainDatabase.drop());
  const drainPrefix = `spbench-${randomBytes(4).toString('hex')}`;
  cleanups.push(() => obliterateQueues(REDIS_URL, drainPrefix));
  const shared = { DATABASE_URL: '', DATABASE_SCHEMA: '', REDIS_URL, QUEUE_PREFIX: drainPrefix, LOG_LEVEL: 'silent' };
  const drain = await measureWorkerDrain(
    drainDatabase,
    { api: { ...shared, ...satuPintuEnv('api', stub) }, worker: { ...shared, ...satuPintuEnv('all', stub) } },
    contacts,
    90_000,
  );
  await cleanUp(phase);

  printAckTable(
    [
      { label: 'baseline: 1 INSERT + 1 queue add', ...baselineFigures },
      { label: 'full path, ROLE=api', ...apiFigures },
      { label: `full path, ROLE=all (${contacts} burst)`, full: tickets.burst, ...allFixed },
    ],
    FIXED_RATE,
  );
  // Runs that stop on time leave requests in flight: recorded but never counted as accepted.
  const { accepted: ok, sent } = apiFigures;
  const check = recorded.total >= ok && recorded.total <= sent ? 'no duplicates, none lost' : 'MISMATCH: duplicates or lost rows';
  console.log(`ROLE=api: ${recorded.total} inbox rows for ${ok} webhooks accepted, ${sent} sent (${check})`);
  const ratio = printRatio(apiFigures.full, baselineFigures.full);
  printTickets(tickets, fixedRateBacklog);
  console.log('');
  console.log('worker alone: a recorded backlog of new citizens drained by a fresh worker (processed_at span)');
  console.log(drain ? `  ${drain.contacts} contacts in ${drain.seconds.toFixed(2)} s: ${drain.ticketsPerSecond.toFixed(0)} tickets/s` : '  did NOT drain in 90 s');
  printMinimums({
    ratio,
    p99AtFixedRate: [
      { label: 'ROLE=api, even pacing', ms: apiFigures.paced.p99 },
      { label: 'ROLE=all, even pacing', ms: allFixed.paced.p99 },
    ],
    fixedRate: FIXED_RATE,
    ticketsPerSecond: drain?.ticketsPerSecond ?? 0,
    database: databaseName,
  });
  console.log(`\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main()
  .catch((error: unknown) => {
    console.error('bench failed:', error);
    process.exitCode = 1; // a broken bench, not a slow server: figures never set the exit code
  })
  .finally(() => cleanUp());

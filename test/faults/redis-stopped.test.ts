import { expect } from 'chai';
import type { Knex } from 'knex';
import { startProcessCluster, sendSignedTraffic, type ProcessCluster } from '../support/process-cluster.js';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.js';
import { killLeftoverProcesses } from '../support/server-process.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startFakeTwilio } from '../support/twilio-fake.js';
import { waitFor } from '../support/wait-for.js';
import { conversations, faultFigures } from './fault-figures.js';
import { describeOnPostgres } from './on-postgres.js';

const CITIZENS = 150;
const PER_CITIZEN = 8;
/** The outage: 30 s. */
const OUTAGE_MS = 30_000;
/** The backlog is processed within this long after Redis is back. */
const DRAIN_BOUND_MS = 40_000;

describeOnPostgres(
  'Faults: Redis stopped under signed traffic with Twilio-style retries (issue 12, item 23)',
  function () {
    this.timeout(180_000);
    let database: TestDatabase;
    let db: Knex;
    let redis: OwnRedis;
    let cluster: ProcessCluster | undefined;
    let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;

    before(async () => {
      database = await createTestDatabase();
      redis = await startOwnRedis();
      twilio = await startFakeTwilio({ replyDelayMs: 20 });
      cluster = await startProcessCluster({
        // Small sweeper batches, so that draining the backlog takes many of them back to back.
        env: { ...database.env, REDIS_URL: redis.url, TWILIO_API_BASE_URL: twilio.url },
        apis: 2,
        workers: 2,
      });
      db = openTestDatabase(database);
    });
    after(async () => {
      await cluster?.stop();
      killLeftoverProcesses();
      await db?.destroy();
      await twilio?.close();
      await redis?.stop();
      await database?.drop();
    });

    it('takes every contact during the outage, processes each once afterwards in receipt order, stamped with its receipt time', async () => {
      // About 30 messages a second for ~36 s: before, during and after the outage.
      const traffic = sendSignedTraffic(cluster!.apis, conversations(CITIZENS, PER_CITIZEN, 4_000_000), {
        parallel: 10,
        retries: 5,
        retryDelayMs: 500,
        paceMs: 300,
      });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await redis.stop();
      const stoppedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      const backlog = Number((await db('inbox').whereNull('processed_at').count({ n: '*' }).first())?.n);
      const lastOfBacklog = Number((await db('inbox').max({ id: 'id' }).first())?.id);
      await redis.start();
      const restartedAt = Date.now();
      // A wait that gives up is reported with the figures below, not instead of them.
      const timedOut: string[] = [];
      // The backlog is handed over at the workers' pace, not 500 rows per sweep interval. Waited
      // for past the bound, so that a slow drain shows as its time (and fails on it) rather than
      // as a timeout.
      let drainedMs: number | null = null;
      await waitFor(
        'the backlog processed',
        async () =>
          Number(
            (await db('inbox').whereNull('processed_at').where('id', '<=', lastOfBacklog).count({ n: '*' }).first())?.n,
          ) === 0,
        DRAIN_BOUND_MS + 15_000,
      ).then(
        () => {
          drainedMs = Date.now() - restartedAt;
        },
        (error: Error) => timedOut.push(error.message),
      );
      const report = await traffic;

      await waitFor(
        'every contact processed and every acknowledgement settled',
        async () => {
          const unprocessed = await db('inbox').whereNull('processed_at').count({ n: '*' }).first();
          const unsent = await db('outbox').whereIn('status', ['pending', 'sending']).count({ n: '*' }).first();
          return Number(unprocessed?.n) === 0 && Number(unsent?.n) === 0;
        },
        40_000,
      ).catch((error: Error) => timedOut.push(error.message));
      const figures = await faultFigures(db, twilio.sends);
      const handedOver = Math.max(...cluster!.workers.map((worker) => firstSweepAfter(worker.output(), restartedAt)));
      const crashes = [...cluster!.apis.map((api) => api.process), ...cluster!.workers].filter((child) =>
        child.hasExited(),
      ).length;
      console.log(
        '      figures:',
        JSON.stringify({
          ...report,
          crashes,
          outageMs: restartedAt - stoppedAt,
          backlog,
          handedOver,
          drainedMs,
          ...figures,
        }),
      );

      expect(timedOut, 'waits that gave up').to.deep.equal([]);
      expect(backlog, 'contacts waiting when Redis came back').to.be.above(500);
      expect(report.refused, 'webhooks never accepted').to.equal(0);
      expect(crashes, 'processes that died').to.equal(0);
      expect(figures.contacts).to.equal(CITIZENS);
      expect(figures.tickets).to.equal(CITIZENS);
      expect(figures.inboundMessages).to.equal(CITIZENS * PER_CITIZEN);
      expect(figures.duplicatedMessages).to.equal(0);
      expect(figures.lostSends, 'acknowledgements never sent').to.equal(0);
      expect(figures.duplicatedSends, 'acknowledgements sent twice').to.equal(0);
      expect(figures.orderViolations).to.equal(0);
      expect(figures.lateStamps, 'messages stamped with their processing time').to.equal(0);
      // The sweeper hands the whole backlog over in one pass of back-to-back batches (500 rows each),
      // not 500 rows per interval. The workers' own pace, once their consumers are back, sets the rest.
      expect(handedOver, 'rows re-signalled by the first sweep after the outage').to.be.at.least(backlog);
      expect(drainedMs, 'ms to process the backlog').to.be.a('number').below(DRAIN_BOUND_MS);
    });
  },
);

/** Inbox rows re-signalled by a worker's first sweep after `since` (its batches come within 300 ms). */
function firstSweepAfter(output: string, since: number): number {
  const sweeps = output
    .split('\n')
    .filter((line) => line.includes('sweeper re-signalled rows left behind'))
    .map((line) => JSON.parse(line) as { time: number; inbox: number })
    .filter((line) => line.time >= since);
  const first = sweeps[0]?.time;
  if (first === undefined) return 0;
  return sweeps.filter((line) => line.time - first < 300).reduce((sum, line) => sum + line.inbox, 0);
}

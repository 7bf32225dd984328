import { expect } from 'chai';
import type { Knex } from 'knex';
import { startProcessCluster, sendSignedTraffic, type ProcessCluster } from '../support/process-cluster.js';
import { killLeftoverProcesses } from '../support/server-process.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { removeQueueKeys } from '../support/test-server.js';
import { startFakeTwilio } from '../support/twilio-fake.js';
import { TEST_REDIS_URL } from '../support/redis-url.js';
import { waitFor } from '../support/wait-for.js';
import { conversations, faultFigures } from './fault-figures.js';
import { describeOnPostgres } from './on-postgres.js';

const CITIZENS = 120;
const PER_CITIZEN = 2;

describeOnPostgres(
  'Faults: a worker SIGKILLed in the middle of a burst of acknowledgements (issue 12, item 22)',
  function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let db: Knex;
    let cluster: ProcessCluster | undefined;
    let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;

    before(async () => {
      database = await createTestDatabase();
      // Each send answered 300 ms after Twilio accepted it: a kill lands among sends in flight.
      twilio = await startFakeTwilio({ replyDelayMs: 300 });
      cluster = await startProcessCluster({
        env: {
          ...database.env,
          REDIS_URL: TEST_REDIS_URL,
          TWILIO_API_BASE_URL: twilio.url,
          OUTBOUND_CONCURRENCY: '20',
          // The dead worker's claims lapse after 20 s (its Twilio client gives up after 10 s), so
          // that the sweeper hands them over within the test's wait rather than after two minutes.
          OUTBOX_SEND_LEASE_MS: '20000',
        },
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
      if (cluster) await removeQueueKeys(TEST_REDIS_URL, cluster.prefix);
      await database?.drop();
    });

    it("sends each acknowledgement exactly once, loses no contact and keeps each citizen's order", async () => {
      const [victim] = cluster!.workers;
      const traffic = sendSignedTraffic(cluster!.apis, conversations(CITIZENS, PER_CITIZEN, 3_000_000), {
        parallel: 12,
        retries: 5,
        retryDelayMs: 200,
      });
      await waitFor('a third of the acknowledgements on their way', () => twilio.sends.length >= CITIZENS / 3, 30_000);
      victim!.child.kill('SIGKILL');
      const killed = await victim!.exited;
      await cluster!.startWorker(); // what an orchestrator does
      const report = await traffic;

      // The dead worker's jobs come back once their locks expire (BullMQ's 30 s stall check). A
      // wait that gives up is reported with the figures below, not instead of them.
      const timedOut: string[] = [];
      await waitFor(
        'every contact processed and every acknowledgement settled',
        async () => {
          const unprocessed = await db('inbox').whereNull('processed_at').count({ n: '*' }).first();
          const unsent = await db('outbox').whereIn('status', ['pending', 'sending']).count({ n: '*' }).first();
          const inbox = await db('inbox').count({ n: '*' }).first();
          return Number(inbox?.n) === CITIZENS * PER_CITIZEN && Number(unprocessed?.n) === 0 && Number(unsent?.n) === 0;
        },
        90_000,
      ).catch((error: Error) => timedOut.push(error.message));
      const figures = await faultFigures(db, twilio.sends);
      const crashes = cluster!.apis.concat().filter((api) => api.process.hasExited()).length;
      console.log(
        '      figures:',
        JSON.stringify({ ...report, crashes, killed: killed.signal, lists: twilio.lists, ...figures }),
      );

      expect(timedOut, 'waits that gave up').to.deep.equal([]);
      expect(killed.signal).to.equal('SIGKILL');
      expect(report.refused, 'webhooks never accepted').to.equal(0);
      expect(crashes, 'API processes that died').to.equal(0);
      // The sends the dead worker had in flight were looked up at Twilio before any was sent again.
      expect(twilio.lists, 'provider lookups by the reconciliation').to.be.above(0);
      expect(figures.contacts).to.equal(CITIZENS);
      expect(figures.tickets).to.equal(CITIZENS);
      expect(figures.inboundMessages).to.equal(CITIZENS * PER_CITIZEN);
      expect(figures.duplicatedMessages).to.equal(0);
      expect(figures.lostSends, 'acknowledgements never sent').to.equal(0);
      expect(figures.duplicatedSends, 'acknowledgements sent twice').to.equal(0);
      expect(figures.orderViolations).to.equal(0);
    });
  },
);

import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { startProcessCluster, sendSignedTraffic, type ProcessCluster } from '../support/process-cluster.js';
import { killLeftoverProcesses } from '../support/server-process.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { removeQueueKeys } from '../support/test-server.js';
import { startFakeTwilio } from '../support/twilio-fake.js';
import { TEST_REDIS_URL } from '../support/redis-url.js';
import { waitFor } from '../support/wait-for.js';
import { conversations, faultFigures } from './fault-figures.js';

const CITIZENS = 80;
const PER_CITIZEN = 3;

// pg_terminate_backend is PostgreSQL's: SQLite has no server connections to cut, so this fault
// exists only on the PostgreSQL run (npm run test:postgres).
const postgresUrl = process.env.TEST_DATABASE_URL;
if (postgresUrl)
  describe('Faults: the database connections of every process terminated mid-burst (issue 12)', function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let db: Knex;
    let admin: Knex;
    let cluster: ProcessCluster | undefined;
    let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
    // The installation's connections carry this name, so that only they are cut: other tests share the server.
    const applicationName = `sp-faults-${randomBytes(4).toString('hex')}`;

    before(async () => {
      database = await createTestDatabase();
      twilio = await startFakeTwilio({ replyDelayMs: 100 });
      const url = new URL(database.env.DATABASE_URL!);
      url.searchParams.set('application_name', applicationName);
      cluster = await startProcessCluster({
        env: {
          ...database.env,
          DATABASE_URL: url.toString(),
          REDIS_URL: TEST_REDIS_URL,
          TWILIO_API_BASE_URL: twilio.url,
          // A send whose record was cut gives its claim back, unless that write is cut too: then the
          // claim lapses after the lease, 20 s here rather than two minutes.
          OUTBOX_SEND_LEASE_MS: '20000',
        },
        apis: 2,
        workers: 2,
      });
      db = openTestDatabase(database);
      admin = knexFactory({ client: 'pg', connection: postgresUrl });
    });
    after(async () => {
      await cluster?.stop();
      killLeftoverProcesses();
      await db?.destroy();
      await admin?.destroy();
      await twilio?.close();
      if (cluster) await removeQueueKeys(TEST_REDIS_URL, cluster.prefix);
      await database?.drop();
    });

    it('loses and duplicates nothing when every connection is cut twice, and no process dies', async () => {
      const terminate = async () => {
        const result = await admin.raw(
          'select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = ?',
          [applicationName],
        );
        return Number(result.rows[0].n);
      };
      const traffic = sendSignedTraffic(cluster!.apis, conversations(CITIZENS, PER_CITIZEN, 5_000_000), {
        parallel: 8,
        retries: 8,
        retryDelayMs: 300,
        paceMs: 100,
      });
      await waitFor('the burst under way', () => twilio.sends.length >= CITIZENS / 4, 30_000);
      const first = await terminate();
      await waitFor('more acknowledgements on their way', () => twilio.sends.length >= CITIZENS / 2, 30_000);
      const second = await terminate();
      const report = await traffic;

      await waitFor(
        'every contact processed and every acknowledgement settled',
        async () => {
          const unprocessed = await db('inbox').whereNull('processed_at').count({ n: '*' }).first();
          const unsent = await db('outbox').whereIn('status', ['pending', 'sending']).count({ n: '*' }).first();
          return Number(unprocessed?.n) === 0 && Number(unsent?.n) === 0;
        },
        60_000,
      );
      const figures = await faultFigures(db, twilio.sends);
      const crashes = [...cluster!.apis.map((api) => api.process), ...cluster!.workers].filter((child) =>
        child.hasExited(),
      ).length;
      console.log('      figures:', JSON.stringify({ ...report, crashes, terminated: first + second, ...figures }));

      expect(first, 'connections cut the first time').to.be.above(0);
      expect(report.refused, 'webhooks never accepted').to.equal(0);
      expect(crashes, 'processes that died').to.equal(0);
      expect(figures.contacts).to.equal(CITIZENS);
      expect(figures.tickets).to.equal(CITIZENS);
      expect(figures.inboundMessages).to.equal(CITIZENS * PER_CITIZEN);
      expect(figures.duplicatedMessages).to.equal(0);
      expect(figures.lostSends, 'acknowledgements never sent').to.equal(0);
      expect(figures.duplicatedSends, 'acknowledgements sent twice').to.equal(0);
      expect(figures.orderViolations).to.equal(0);
    });
  });

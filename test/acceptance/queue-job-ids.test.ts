import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { expect } from 'chai';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { recordInbound } from '../../src/inbox/inbox.js';
import { QUEUE_INBOUND, inboundJobId } from '../../src/queue/names.js';
import { readInstallationId } from '../../src/queue/installation-id.js';
import { SMS_NUMBER, inboundSms, messageSid } from '../support/twilio-payloads.js';
import { removeQueueKeys, startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_REDIS_URL } from '../support/redis-url.js';
import { waitFor } from '../support/wait-for.js';

const MESSAGING = '/webhooks/twilio/messaging';

/** Processed, and its acknowledgement sent, within `timeoutMs` (far below the sweeper's interval). */
async function processedPromptly(server: TestServer, sid: string, timeoutMs: number): Promise<number> {
  const db = server.runtime.db;
  const row = await waitFor(
    `inbox row ${sid} processed`,
    async () => {
      const found = await db('inbox').where({ external_id: sid }).first('id', 'ticket_id', 'processed_at');
      return found?.processed_at ? found : undefined;
    },
    timeoutMs,
  );
  await waitFor(
    'the acknowledgement sent',
    async () => {
      const pending = await db('outbox').whereNot({ status: 'sent' }).count({ n: '*' }).first();
      const sent = await db('outbox').where({ status: 'sent' }).count({ n: '*' }).first();
      return Number(pending?.n) === 0 && Number(sent?.n) > 0;
    },
    timeoutMs,
  );
  return Number(row.id);
}

describe('Queue job ids: unique per database, not per row number (issue 11)', function () {
  this.timeout(60_000);

  describe("a new database on a Redis that still holds the old database's jobs", () => {
    // The same QUEUE_PREFIX for both, as after `rm -rf data` or on a second installation without one.
    const prefix = `sptest-ids-${randomBytes(4).toString('hex')}`;
    let first: TestServer | undefined;
    let second: TestServer | undefined;
    after(async () => {
      await first?.stop();
      await second?.stop();
      await removeQueueKeys(TEST_REDIS_URL, prefix);
    });

    it('processes its first message at once, not when the sweeper comes by', async () => {
      // The sweeper would pick the row up after a minute: the test waits for far less.
      const settings = { QUEUE_PREFIX: prefix, SWEEP_INTERVAL_MS: '60000' };
      first = await startTestServer(settings);
      const before = inboundSms('+6281277700001', 'Pesan pertama di database lama');
      expect((await first.postTwilio(MESSAGING, before)).status).to.equal(200);
      expect(await processedPromptly(first, before.MessageSid!, 10_000)).to.equal(1);
      const oldInstallation = await readInstallationId(first.runtime.db);
      await first.stop({ keepQueueKeys: true });
      first = undefined;

      // Redis still holds the old database's finished jobs (kept an hour).
      const queue = new Queue(QUEUE_INBOUND, { connection: { url: TEST_REDIS_URL }, prefix });
      try {
        expect(await queue.getJobState(inboundJobId(oldInstallation, 1))).to.equal('completed');
      } finally {
        await queue.close();
      }

      second = await startTestServer(settings);
      expect(await readInstallationId(second.runtime.db)).to.not.equal(oldInstallation);
      const after = inboundSms('+6281277700002', 'Pesan pertama di database baru');
      expect((await second.postTwilio(MESSAGING, after)).status).to.equal(200);
      // Row 1 again, and its acknowledgement outbox row 1 again: neither waits.
      expect(await processedPromptly(second, after.MessageSid!, 5_000)).to.equal(1);
    });
  });

  describe('the sweeper', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ SWEEP_INTERVAL_MS: '60000', SWEEP_GRACE_MS: '0' });
    });
    after(async () => server?.stop());

    it('signals again a row still unprocessed whose job Redis holds as completed', async () => {
      const { db, queues } = server.runtime;
      const envelope: InboundEnvelope = {
        channel: 'sms',
        provider: 'twilio',
        externalId: messageSid(),
        kind: 'message',
        from: { phone: '+6281277700003' },
        to: SMS_NUMBER,
        text: 'Mohon info izin usaha',
        attachments: [],
        receivedAt: new Date().toISOString(),
        raw: {},
      };
      // A row whose job completed while the row stayed (or became again) unprocessed: an earlier
      // database's job of the same id, or a database restored from a backup taken before.
      const [recorded] = await recordInbound(db, [envelope]);
      const inboxId = recorded!.id;
      await db('inbox').where({ id: inboxId }).update({ processed_at: new Date() });
      await queues.enqueueInbound([inboxId]);
      const jobId = inboundJobId(await readInstallationId(db), inboxId);
      await waitFor('its job completed', async () => (await queues.inbound.getJobState(jobId)) === 'completed');
      await db('inbox').where({ id: inboxId }).update({ processed_at: null });

      await server.runtime.sweeper!.sweepOnce();
      const row = await waitFor(
        'the row processed after the sweep',
        async () => {
          const found = await db('inbox').where({ id: inboxId }).first('ticket_id', 'processed_at');
          return found?.processed_at ? found : undefined;
        },
        5_000,
      );
      expect(row.ticket_id).to.not.equal(null);
      const messages = await db('messages').where({ ticket_id: row.ticket_id, direction: 'inbound' }).pluck('body');
      expect(messages).to.deep.equal(['Mohon info izin usaha']);
    });
  });
});

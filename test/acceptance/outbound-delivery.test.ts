import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { startScriptedTwilio } from '../support/twilio-error-server.js';
import { inboundSms, SMS_NUMBER } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

/** Sends one SMS in and waits until its acknowledgement has reached a final outbox state. */
async function acknowledgementOutcome(server: TestServer, from: string) {
  const sms = inboundSms(from, 'Halo');
  expect((await server.postTwilio('/webhooks/twilio/messaging', sms)).status).to.equal(200);
  const db = server.runtime.db;
  return waitFor(
    'acknowledgement settled',
    async () => {
      const row = await db('outbox as o')
        .join('messages as m', 'm.id', 'o.message_id')
        .join('inbox as i', 'i.ticket_id', 'm.ticket_id')
        .where('i.external_id', sms.MessageSid)
        .whereNotIn('o.status', ['pending', 'sending'])
        .first(
          'o.status',
          'o.attempts',
          'm.delivery_status',
          'm.error_code',
          'm.error_message',
          'm.ticket_id',
          'm.id as message_id',
          'm.provider_message_id',
        );
      return row;
    },
    15_000,
  );
}

async function eventsOf(server: TestServer, ticketId: number) {
  return server.runtime.db('ticket_events').where({ ticket_id: ticketId }).orderBy('id').pluck('type');
}

describe('Outbound delivery through the Twilio Messages API', () => {
  describe('a permanent failure (invalid number, 21211)', () => {
    let server: TestServer;
    let twilio: Awaited<ReturnType<typeof startScriptedTwilio>>;
    before(async () => {
      twilio = await startScriptedTwilio([
        { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." },
      ]);
      server = await startTestServer({ TWILIO_API_BASE_URL: twilio.url, OUTBOUND_MAX_ATTEMPTS: '4' });
    });
    after(async () => {
      await server?.stop();
      await twilio?.close();
    });

    it('stops at once, without retrying, and records the reason on the message and the timeline', async () => {
      const outcome = await acknowledgementOutcome(server, '+6281234000001');
      expect(outcome.status).to.equal('failed');
      expect(outcome.attempts).to.equal(1);
      expect(outcome.delivery_status).to.equal('failed');
      expect(outcome.error_code).to.equal('21211');
      expect(outcome.error_message).to.contain('not a valid phone number');
      expect(twilio.requests).to.have.length(1);
      expect(twilio.requests[0]!.get('To')).to.equal('+6281234000001');
      expect(twilio.requests[0]!.get('StatusCallback')).to.equal(
        `https://helpdesk.dpmptsp.example.go.id/webhooks/twilio/status?message=${outcome.message_id}`,
      );
      expect(await eventsOf(server, outcome.ticket_id)).to.include('delivery_failed');
    });
  });

  describe('transient failures (Twilio 503, then 429, then accepted)', () => {
    let server: TestServer;
    let twilio: Awaited<ReturnType<typeof startScriptedTwilio>>;
    before(async () => {
      twilio = await startScriptedTwilio([
        { status: 503, code: 20500, message: 'Service unavailable' },
        { status: 429, code: 20429, message: 'Too many requests' },
      ]);
      server = await startTestServer({ TWILIO_API_BASE_URL: twilio.url, OUTBOUND_MAX_ATTEMPTS: '5' });
    });
    after(async () => {
      await server?.stop();
      await twilio?.close();
    });

    it('retries with backoff and sends exactly once when Twilio accepts', async () => {
      const outcome = await acknowledgementOutcome(server, '+6281234000002');
      expect(outcome.status).to.equal('sent');
      expect(outcome.attempts).to.equal(3);
      expect(outcome.provider_message_id).to.match(/^SM[0-9a-f]{32}$/);
      expect(twilio.requests).to.have.length(3);
      // Each retry first asked Twilio whether the failed attempt had been accepted after all.
      expect(twilio.lists).to.have.length(2);
      expect(twilio.lists[0]!.searchParams.get('To')).to.equal('+6281234000002');
      expect(twilio.lists[0]!.searchParams.get('From')).to.equal(SMS_NUMBER);
      // Not by DateSent: Twilio's date_sent is null while it queues a message it has accepted.
      expect(twilio.lists[0]!.searchParams.has('DateSent>')).to.equal(false);
    });
  });

  describe('a provider that stays down', () => {
    let server: TestServer;
    let twilio: Awaited<ReturnType<typeof startScriptedTwilio>>;
    before(async () => {
      twilio = await startScriptedTwilio(
        Array.from({ length: 10 }, () => ({ status: 500, code: 20500, message: 'Internal error' })),
      );
      server = await startTestServer({ TWILIO_API_BASE_URL: twilio.url, OUTBOUND_MAX_ATTEMPTS: '3' });
    });
    after(async () => {
      await server?.stop();
      await twilio?.close();
    });

    it('gives up after the last attempt and records the failure', async () => {
      const outcome = await acknowledgementOutcome(server, '+6281234000003');
      expect(outcome.status).to.equal('failed');
      expect(outcome.attempts).to.equal(3);
      expect(twilio.requests).to.have.length(3);
      expect(await eventsOf(server, outcome.ticket_id)).to.include('delivery_failed');
    });
  });

  describe('no Twilio credentials for sending', () => {
    let server: TestServer;
    before(async () => {
      // The webhook can still be verified (auth token set), but there is no account to send from.
      server = await startTestServer({ TWILIO_ACCOUNT_SID: '' });
    });
    after(async () => server?.stop());

    it('records the acknowledgement as not delivered, never drops it', async () => {
      const outcome = await acknowledgementOutcome(server, '+6281234000004');
      expect(outcome.status).to.equal('not_delivered');
      expect(outcome.delivery_status).to.equal('not_delivered');
      expect(outcome.error_message).to.contain('not configured');
      expect(await eventsOf(server, outcome.ticket_id)).to.include('delivery_not_configured');
    });
  });
});

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { fromJson } from '../../src/db/rows.js';
import { recordInbound } from '../../src/inbox/inbox.js';
import { mailSigningKey } from '../../src/mail/signing-key.js';
import { verifyMessageId, verifyReplyToken } from '../../src/mail/tokens.js';
import { queueOutbound } from '../../src/messages/outbox.js';
import { formatReference } from '../../src/tickets/reference-number.js';
import { startSmtpCapture, type CapturedMail, type SmtpCapture } from '../support/smtp-capture.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/** A mail as the inbound adapter would hand it over, built by hand: no SMTP listener needed. */
function citizenMail(from: string, overrides: Partial<InboundEnvelope> = {}): InboundEnvelope {
  return {
    channel: 'email',
    provider: 'smtp',
    externalId: `${randomUUID()}@mail.example.com`,
    kind: 'message',
    from: { email: from, name: 'Warga' },
    to: 'helpdesk@localhost',
    subject: 'Izin usaha mikro',
    text: 'Selamat siang, bagaimana cara mengurus izin usaha mikro?',
    attachments: [],
    receivedAt: new Date().toISOString(),
    raw: {},
    ...overrides,
  };
}

describe('Email outbound: acknowledgements and replies over SMTP, and the replies to them', () => {
  let smtp: SmtpCapture;
  let server: TestServer;
  let key: Buffer;

  before(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({ SMTP_URL: smtp.url, SMTP_PORT: '0' });
    key = await mailSigningKey(server.runtime.db);
  });
  after(async () => {
    await server?.stop();
    await smtp?.close();
  });

  /** Records an envelope in the inbox and signals the worker, as the listener does; returns its ticket. */
  async function deliver(envelope: InboundEnvelope): Promise<number> {
    const [recorded] = await recordInbound(server.runtime.db, [envelope]);
    await server.runtime.queues.enqueueInbound([recorded!.id]);
    return waitFor(`mail ${envelope.externalId} ingested`, async () => {
      const row = await server.runtime.db('inbox').where({ id: recorded!.id }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  async function referenceOf(ticketId: number): Promise<string> {
    const { reference } = await server.runtime.db('tickets').where({ id: ticketId }).first('reference');
    return formatReference(reference, server.runtime.config.REFERENCE_PREFIX);
  }

  const mailsTo = (address: string): CapturedMail[] => smtp.messages.filter((mail) => mail.rcptTo.includes(address));

  describe('a citizen writes in, is acknowledged, and answers', () => {
    const citizen = 'budi.santoso@example.com';
    const first = citizenMail(citizen);
    let ticketId: number;
    let ack: CapturedMail;

    before(async () => {
      ticketId = await deliver(first);
      ack = await waitFor('acknowledgement captured', () => mailsTo(citizen)[0], 15_000);
    });

    it('acknowledges with the reference in the subject, marked automatic, in reply to the citizen mail', async () => {
      // Never the citizen's subject: a forged sender's spam subject must not leave under our name.
      expect(ack.header('Subject')).to.equal(`[${await referenceOf(ticketId)}] Pesan Anda telah kami terima`);
      expect(ack.header('Auto-Submitted')).to.equal('auto-replied');
      expect(ack.header('From')).to.equal(server.runtime.config.EMAIL_FROM);
      expect(ack.header('In-Reply-To')).to.equal(`<${first.externalId}>`);
      expect(ack.header('References')).to.equal(`<${first.externalId}>`);
      expect(ack.raw).to.contain(await referenceOf(ticketId));
    });

    it('carries our signed Message-ID naming the ticket, also recorded as the provider id', async () => {
      const messageId = ack.header('Message-ID')!.replace(/^<|>$/g, '');
      expect(messageId).to.match(/^sp\.\d+\.\d+\.[0-9a-f]+@localhost$/);
      expect(verifyMessageId(key, messageId)).to.equal(ticketId);
      const stored = await waitFor('acknowledgement recorded as sent', async () => {
        const row = await server.runtime
          .db('messages')
          .where({ ticket_id: ticketId, kind: 'acknowledgement' })
          .first('provider', 'provider_message_id', 'delivery_status');
        return row?.delivery_status === 'sent' ? row : undefined;
      });
      expect(stored).to.deep.equal({ provider: 'smtp', provider_message_id: messageId, delivery_status: 'sent' });
    });

    it('asks for replies at the signed reply+ address of the ticket', () => {
      const replyTo = ack.header('Reply-To')!;
      expect(replyTo).to.match(/^reply\+\d+\.[0-9a-f]{16}@localhost$/);
      expect(verifyReplyToken(key, replyTo)).to.equal(ticketId);
    });

    it('threads a reply that answers our Message-ID, without acknowledging it again', async () => {
      const messageId = ack.header('Message-ID')!.replace(/^<|>$/g, '');
      const sentBefore = mailsTo(citizen).length;
      const reply = citizenMail(citizen, {
        subject: 'Re: Izin usaha mikro',
        thread: { inReplyTo: messageId, references: [first.externalId, messageId] },
      });
      expect(await deliver(reply)).to.equal(ticketId);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(mailsTo(citizen)).to.have.length(sentBefore);
    });

    it('threads a reply that kept only the reference in its subject', async () => {
      const reply = citizenMail(citizen, { subject: `Re: [${await referenceOf(ticketId)}] Izin usaha mikro` });
      expect(await deliver(reply)).to.equal(ticketId);
    });

    it('threads a mail sent only to the reply+ address, from an address the citizen never used (flagged)', async () => {
      const replyTo = ack.header('Reply-To')!;
      const token = /^reply\+([^@]+)@/.exec(replyTo)![1]!;
      const reply = citizenMail('budi.kantor@perusahaan.example', {
        to: replyTo,
        subject: 'Dokumen tambahan',
        thread: { replyToken: token },
      });
      expect(await deliver(reply)).to.equal(ticketId);
      const events = await server.runtime.db('ticket_events').where({ ticket_id: ticketId }).pluck('type');
      expect(events).to.include('sender_unverified');
      // It answers mail we sent to the citizen (a signed token): attached, not held.
      const stored = await server.runtime.db('messages').where({ provider_message_id: reply.externalId }).first();
      expect(stored.hold_status).to.equal(null);
    });

    it('does not let a forged Message-ID reach the ticket', async () => {
      const messageId = ack.header('Message-ID')!.replace(/^<|>$/g, '');
      const forged = messageId.replace(
        /\.([0-9a-f]+)@/,
        (_, mac: string) => `.${mac.replace(/^./, mac[0] === 'a' ? 'b' : 'a')}@`,
      );
      const other = await deliver(
        citizenMail('penyusup@example.net', { subject: 'Re: Izin usaha mikro', thread: { inReplyTo: forged } }),
      );
      expect(other).not.to.equal(ticketId);
    });

    it("an agent's answer goes out as Re:, in reply to the citizen's latest mail, with the whole thread in References", async () => {
      const db = server.runtime.db;
      const [outboxId] = await db.transaction((trx) =>
        queueOutbound(trx, [
          {
            ticketId,
            channel: 'email',
            address: citizen,
            body: 'Silakan datang ke loket 3.',
            kind: 'message',
            authorType: 'agent',
            at: new Date(),
          },
        ]),
      );
      await server.runtime.queues.enqueueOutbound([outboxId!]);
      const answer = await waitFor(
        'agent answer captured',
        () => mailsTo(citizen).find((mail) => mail.raw.includes('loket 3')),
        15_000,
      );
      const inbound: string[] = await db('messages')
        .where({ ticket_id: ticketId, direction: 'inbound' })
        .orderBy('id')
        .pluck('provider_message_id');
      expect(answer.header('Subject')).to.equal(`Re: [${await referenceOf(ticketId)}] Izin usaha mikro`);
      expect(answer.header('Auto-Submitted')).to.equal(undefined);
      expect(answer.header('In-Reply-To')).to.equal(`<${inbound.at(-1)}>`);
      const references = answer.header('References')!.split(/\s+/);
      expect(references[0]).to.equal(`<${first.externalId}>`);
      expect(references).to.include(ack.header('Message-ID'));
      expect(references.at(-1)).to.equal(`<${inbound.at(-1)}>`);
      expect(verifyMessageId(key, answer.header('Message-ID')!)).to.equal(ticketId);
    });

    it("holds a mail from another address that only quotes the reference, and keeps the agent's reply and its thread to the citizen", async () => {
      const stranger = 'orang.lain@example.net';
      const quoted = citizenMail(stranger, { subject: `Re: [${await referenceOf(ticketId)}] Izin usaha mikro` });
      expect(await deliver(quoted)).to.equal(ticketId);
      const db = server.runtime.db;
      expect((await db('messages').where({ provider_message_id: quoted.externalId }).first()).hold_status).to.equal(
        'held',
      );
      const reply = await server.api(`/api/v1/tickets/${ticketId}/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'Berkas Anda sudah lengkap.', channel: 'email' }),
      });
      expect(reply.status).to.equal(201);
      const answer = await waitFor(
        'reply captured',
        () => smtp.messages.find((mail) => mail.raw.includes('Berkas Anda sudah lengkap')),
        15_000,
      );
      expect(answer.rcptTo).to.deep.equal([citizen]);
      expect(answer.raw).to.not.contain(quoted.externalId);
      expect(mailsTo(stranger)).to.deep.equal([]);
    });
  });

  describe('a mail whose send has an unknown outcome (the worker died during the relay call)', () => {
    it('is sent again with the same Message-ID, so that the receiver can tell the copy: SMTP has no lookup', async () => {
      const citizen = 'siti.rahma@example.com';
      const ticket = await deliver(citizenMail(citizen));
      const first = await waitFor('acknowledgement captured', () => mailsTo(citizen)[0], 15_000);
      const db = server.runtime.db;
      const entry = await waitFor(
        'its send recorded',
        (): Promise<{ id: number; message_id: number } | undefined> =>
          db('outbox as o')
            .join('messages as m', 'm.id', 'o.message_id')
            .where({ 'm.ticket_id': ticket, 'm.kind': 'acknowledgement', 'o.status': 'sent' })
            .first('o.id', 'm.id as message_id'),
      );
      // The relay said 250, the worker died before the commit: a claim older than the lease.
      await db('messages').where({ id: entry.message_id }).update({ provider_message_id: null });
      const lapsed = new Date(Date.now() - server.runtime.config.OUTBOX_SEND_LEASE_MS - 1_000);
      await db('outbox')
        .where({ id: entry.id })
        .update({ status: 'sending', sending_since: lapsed, finished_at: null });
      await server.runtime.queues.resignal({ inbox: [], outbox: [Number(entry.id)] }); // as the sweeper does

      const again = await waitFor('the copy captured', () => mailsTo(citizen)[1], 15_000);
      expect(again.header('Message-ID')).to.equal(first.header('Message-ID'));
      const recorded = await db('messages').where({ id: entry.message_id }).first('provider_message_id');
      expect(`<${recorded.provider_message_id}>`).to.equal(first.header('Message-ID'));
    });
  });

  describe('acknowledgement limit', () => {
    it('sends at most EMAIL_ACK_LIMIT acknowledgements an hour to one sender; every mail still opens its ticket', async () => {
      const limit = 3; // EMAIL_ACK_LIMIT's default; test/mail/mail-threading.test.ts covers other values
      const sender = 'banyak.surat@example.com';
      const tickets: number[] = [];
      for (let index = 0; index <= limit; index += 1)
        tickets.push(await deliver(citizenMail(sender, { subject: `Surat ${index + 1}` })));
      expect(new Set(tickets).size).to.equal(limit + 1);
      await waitFor('acknowledgements sent', () => mailsTo(sender).length >= limit, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(mailsTo(sender)).to.have.length(limit);
      const suppressed = await server.runtime
        .db('ticket_events')
        .whereIn('ticket_id', tickets)
        .where({ type: 'acknowledgement_suppressed' })
        .select('ticket_id', 'data');
      expect(suppressed).to.have.length(1);
      expect(Number(suppressed[0]!.ticket_id)).to.equal(tickets.at(-1));
      expect(fromJson<{ reason: string }>(suppressed[0]!.data).reason).to.equal('sender_rate_limit');
    });
  });
});

describe('Email outbound without a relay (no SMTP_URL)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ SMTP_PORT: '0' });
  });
  after(async () => server?.stop());

  it('records the acknowledgement as not delivered, never drops it', async () => {
    const [recorded] = await recordInbound(server.runtime.db, [citizenMail('tanpa.relay@example.com')]);
    await server.runtime.queues.enqueueInbound([recorded!.id]);
    const ack = await waitFor(
      'acknowledgement settled',
      async () => {
        const row = await server.runtime
          .db('messages as m')
          .join('inbox as i', 'i.ticket_id', 'm.ticket_id')
          .where({ 'i.id': recorded!.id, 'm.kind': 'acknowledgement' })
          .whereNot('m.delivery_status', 'queued')
          .first('m.delivery_status', 'm.error_message');
        return row;
      },
      15_000,
    );
    expect(ack.delivery_status).to.equal('not_delivered');
    expect(ack.error_message).to.contain('SMTP_URL');
  });
});

// Pending until src/runtime.ts (owned by the inbound mail work) passes the two settings through:
// `emailAckLimit: config.EMAIL_ACK_LIMIT` in the inbound worker's settings and
// `mail: { from: config.EMAIL_FROM, referencePrefix: config.REFERENCE_PREFIX }` in the outbound
// worker's context. Until then ingest and dispatch use those settings' defaults.
describe('Email outbound with EMAIL_FROM, REFERENCE_PREFIX and EMAIL_ACK_LIMIT set', () => {
  let smtp: SmtpCapture;
  let server: TestServer;
  before(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({
      SMTP_URL: smtp.url,
      SMTP_PORT: '0',
      EMAIL_FROM: 'DPMPTSP Kota <layanan@dpmptsp.example.go.id>',
      REFERENCE_PREFIX: 'PTSP-',
      EMAIL_ACK_LIMIT: '2',
    });
  });
  after(async () => {
    await server?.stop();
    await smtp?.close();
  });

  it('names our ids and addresses on the EMAIL_FROM domain, tags with the prefix, and holds the limit', async () => {
    const sender = 'tiga.surat@example.com';
    for (let index = 0; index < 3; index += 1) {
      const [recorded] = await recordInbound(server.runtime.db, [
        citizenMail(sender, { subject: `Surat ${index + 1}` }),
      ]);
      await server.runtime.queues.enqueueInbound([recorded!.id]);
    }
    await waitFor('acknowledgements sent', () => smtp.messages.length >= 2, 15_000);
    await waitFor(
      'all three ingested',
      async () =>
        Number((await server.runtime.db('inbox').whereNull('processed_at').count({ count: '*' }).first())?.count) === 0, // PostgreSQL counts as a string
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.messages).to.have.length(2);
    const ack = smtp.messages[0]!;
    expect(ack.header('Message-ID')).to.match(/@dpmptsp\.example\.go\.id>$/);
    expect(ack.header('Reply-To')).to.match(/^reply\+\d+\.[0-9a-f]{16}@dpmptsp\.example\.go\.id$/);
    expect(ack.header('Subject')).to.match(/^\[PTSP-\d{3}-\d{3}-\d{3}\] Pesan Anda telah kami terima$/);
  });
});

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { InboundEnvelope } from '../../channels/adapter.js';
import type { Knex } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { fromJson } from '../../src/db/rows.js';
import { recordInbound } from '../../src/inbox/inbox.js';
import { ingestInboxRows, type IngestSettings } from '../../src/inbox/ingest.js';
import { mailSigningKey } from '../../src/mail/signing-key.js';
import { signMessageId, signReplyToken } from '../../src/mail/tokens.js';
import { ticketUnitOfWork } from '../../src/ticket-work.js';
import { formatReference } from '../../src/tickets/reference-number.js';
import { threadMessages } from '../../src/tickets/threading.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../support/test-database.js';

const SETTINGS: IngestSettings = {
  defaultRegion: 'ID',
  defaultLanguage: 'id',
  officeName: 'DPMPTSP Kota',
  referencePrefix: 'SP-',
  defaultTeamId: null,
  emailAckLimit: 100,
  // Every sender here is of one test domain, unverified: the backscatter caps are tested elsewhere.
  emailAckUnverified: { perDomain: 1000, total: 1000 },
};

function mail(from: string, overrides: Partial<InboundEnvelope> = {}): InboundEnvelope {
  return {
    channel: 'email',
    provider: 'smtp',
    externalId: `${randomUUID()}@mail.example.com`,
    kind: 'message',
    from: { email: from },
    to: 'helpdesk@localhost',
    subject: 'Izin usaha',
    text: 'Mohon informasi.',
    attachments: [],
    receivedAt: new Date().toISOString(),
    raw: {},
    ...overrides,
  };
}

describe('mail threading (ingest of email envelopes)', () => {
  let database: TestDatabase;
  let db: Knex;
  let key: Buffer;

  // Threading is what these tests look at: the clocks follow in the transaction, timers and routing are not wanted.
  const nothing = async () => undefined;
  const unitOfWork = () =>
    ticketUnitOfWork(db, {
      timers: { schedule: nothing },
      routing: { ticketsQueued: nothing, capacityFreed: nothing },
    });

  /** Ingests envelopes as one batch; returns, per envelope, its ticket and how it was threaded. */
  async function ingest(envelopes: InboundEnvelope[], settings: IngestSettings = SETTINGS) {
    const recorded = await recordInbound(db, envelopes);
    const results = await ingestInboxRows(
      unitOfWork(),
      recorded.map((row) => row.id),
      settings,
      () => new Date(),
    );
    return Promise.all(
      results.map(async (result, index) => {
        const message = await db('messages')
          .where({ provider: 'smtp', provider_message_id: envelopes[index]!.externalId })
          .first('id');
        const events = await db('ticket_events')
          .where({ ticket_id: result.ticketId! })
          .orderBy('id')
          .select('type', 'data');
        const parsed = events.map((event) => ({
          type: event.type as string,
          data: fromJson<Record<string, unknown>>(event.data),
        }));
        const mine = parsed.filter((event) => event.data.message_id === (message ? Number(message.id) : -1));
        return {
          ticketId: result.ticketId!,
          outboxIds: result.outboxIds,
          threadedBy: mine.find((event) => event.type === 'message_received')?.data.threaded_by,
          flagged: mine.some((event) => event.type === 'sender_unverified'),
          events: parsed.map((event) => event.type),
        };
      }),
    );
  }

  async function ackMessageOf(ticketId: number): Promise<number> {
    return Number((await db('messages').where({ ticket_id: ticketId, kind: 'acknowledgement' }).first('id')).id);
  }

  async function referenceOf(ticketId: number): Promise<string> {
    return (await db('tickets').where({ id: ticketId }).first('reference')).reference;
  }

  before(async () => {
    database = await createTestDatabase();
    db = openTestDatabase(database);
    await migrateToLatest(db);
    key = await mailSigningKey(db);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('opens a ticket for a new mail and acknowledges it with the longer mail text', async () => {
    const [first] = await ingest([mail('ani@example.com')]);
    expect(first!.threadedBy).to.equal('new');
    expect(first!.outboxIds).to.have.length(1);
    const ack = await db('messages')
      .where({ ticket_id: first!.ticketId, kind: 'acknowledgement' })
      .first('body', 'address', 'channel');
    expect(ack.channel).to.equal('email');
    expect(ack.address).to.equal('ani@example.com');
    expect(ack.body)
      .to.contain(formatReference(await referenceOf(first!.ticketId), 'SP-'))
      .and.to.contain('DPMPTSP Kota')
      .and.to.contain('balas email ini');
  });

  it('opens a new ticket for each new mail, even while the sender has an open one', async () => {
    const [first] = await ingest([mail('budi@example.com')]);
    const [second] = await ingest([mail('BUDI@example.com', { subject: 'Hal lain' })]);
    expect(second!.ticketId).not.to.equal(first!.ticketId);
    expect(second!.threadedBy).to.equal('new');
  });

  it('threads a reply to our Message-ID onto its ticket, even if a later id in References is garbage', async () => {
    const [first] = await ingest([mail('citra@example.com')]);
    const ours = signMessageId(key, first!.ticketId, await ackMessageOf(first!.ticketId), 'localhost');
    const [reply] = await ingest([
      mail('citra@example.com', {
        subject: 'Re: Izin usaha',
        thread: { inReplyTo: ours, references: ['x@y', ours, 'junk'] },
      }),
    ]);
    expect(reply!.ticketId).to.equal(first!.ticketId);
    expect(reply!.threadedBy).to.equal('message_id');
    expect(reply!.flagged).to.equal(false);
    expect(reply!.outboxIds).to.have.length(0);
  });

  it('threads by a Message-ID of ours found only in References, in upper case', async () => {
    const [first] = await ingest([mail('dewi@example.com')]);
    const ours = signMessageId(key, first!.ticketId, await ackMessageOf(first!.ticketId), 'localhost').toUpperCase();
    const [reply] = await ingest([
      mail('dewi@example.com', { subject: 'Lanjutan', thread: { references: [ours, 'other@mail.example.com'] } }),
    ]);
    expect(reply!.ticketId).to.equal(first!.ticketId);
  });

  it('attaches a reply from an unknown address by our Message-ID, flagged for the agent', async () => {
    const [first] = await ingest([mail('eko@example.com')]);
    const ours = signMessageId(key, first!.ticketId, await ackMessageOf(first!.ticketId), 'localhost');
    const [reply] = await ingest([mail('sekretaris@perusahaan.example', { thread: { inReplyTo: ours } })]);
    expect(reply!.ticketId).to.equal(first!.ticketId);
    expect(reply!.flagged).to.equal(true);
  });

  it('ignores a forged or tampered Message-ID: a new ticket, never the named one', async () => {
    const [first] = await ingest([mail('fajar@example.com')]);
    const ours = signMessageId(key, first!.ticketId, await ackMessageOf(first!.ticketId), 'localhost');
    const moved = ours.replace(`sp.${first!.ticketId}.`, `sp.${first!.ticketId + 1}.`);
    const tampered = ours.replace(/[0-9a-f]@/, (match) => `${match[0] === '0' ? '1' : '0'}@`);
    const forged = `sp.${first!.ticketId}.1.${'0'.repeat(20)}@localhost`;
    for (const id of [moved, tampered, forged]) {
      const [attempt] = await ingest([mail('penipu@example.net', { thread: { inReplyTo: id } })]);
      expect(attempt!.ticketId, id).not.to.equal(first!.ticketId);
      expect(attempt!.threadedBy).to.equal('new');
    }
  });

  it('threads by the reference number in the subject; from an unknown address it is flagged', async () => {
    const [first] = await ingest([mail('gita@example.com')]);
    const reference = formatReference(await referenceOf(first!.ticketId), 'SP-');
    const [own] = await ingest([mail('gita@example.com', { subject: `Re: [${reference}] Izin usaha` })]);
    expect(own!.ticketId).to.equal(first!.ticketId);
    expect(own!.threadedBy).to.equal('reference');
    expect(own!.flagged).to.equal(false);
    const [stranger] = await ingest([mail('orang.lain@example.com', { subject: `Tentang ${reference}` })]);
    expect(stranger!.ticketId).to.equal(first!.ticketId);
    expect(stranger!.flagged).to.equal(true);
  });

  it('threads by a verified reply+ token, and ignores a forged one', async () => {
    const [first] = await ingest([mail('hadi@example.com')]);
    const token = signReplyToken(key, first!.ticketId);
    const [reply] = await ingest([
      mail('hadi@example.com', { subject: 'Tambahan berkas', thread: { replyToken: token.toUpperCase() } }),
    ]);
    expect(reply!.ticketId).to.equal(first!.ticketId);
    expect(reply!.threadedBy).to.equal('reply_token');
    const [forged] = await ingest([
      mail('hadi@example.com', { thread: { replyToken: `${first!.ticketId}.0123456789abcdef` } }),
    ]);
    expect(forged!.ticketId).not.to.equal(first!.ticketId);
  });

  it('prefers our Message-ID to a reference number, and a reference number to a reply+ token', async () => {
    const [one] = await ingest([mail('indah@example.com')]);
    const [two] = await ingest([mail('indah@example.com', { subject: 'Kedua' })]);
    const [three] = await ingest([mail('indah@example.com', { subject: 'Ketiga' })]);
    const ours = signMessageId(key, one!.ticketId, await ackMessageOf(one!.ticketId), 'localhost');
    const referenceTwo = formatReference(await referenceOf(two!.ticketId), 'SP-');
    const tokenThree = signReplyToken(key, three!.ticketId);
    const [all] = await ingest([
      mail('indah@example.com', {
        subject: `Re: [${referenceTwo}]`,
        thread: { inReplyTo: ours, replyToken: tokenThree },
      }),
    ]);
    expect(all!.ticketId).to.equal(one!.ticketId);
    const [noHeader] = await ingest([
      mail('indah@example.com', { subject: `Re: [${referenceTwo}]`, thread: { replyToken: tokenThree } }),
    ]);
    expect(noHeader!.ticketId).to.equal(two!.ticketId);
  });

  it("threads the citizen's answer to their own earlier mail, but not someone else's claim to it", async () => {
    const original = mail('joko@example.com');
    const [first] = await ingest([original]);
    const [own] = await ingest([
      mail('joko@example.com', { subject: 'Re: Izin usaha', thread: { inReplyTo: original.externalId } }),
    ]);
    expect(own!.ticketId).to.equal(first!.ticketId);
    expect(own!.threadedBy).to.equal('mail_thread');
    const [other] = await ingest([mail('bukan.joko@example.com', { thread: { inReplyTo: original.externalId } })]);
    expect(other!.ticketId).not.to.equal(first!.ticketId);
  });

  it('keeps a mail and the answer to it in the same batch on one new ticket, acknowledged once', async () => {
    const original = mail('kartika@example.com');
    const [first, second] = await ingest([
      original,
      mail('kartika@example.com', { thread: { inReplyTo: `<${original.externalId}>` } }),
    ]);
    expect(second!.ticketId).to.equal(first!.ticketId);
    expect([...first!.outboxIds, ...second!.outboxIds]).to.have.length(1);
  });

  it('never joins a closed ticket, whatever names it', async () => {
    const [first] = await ingest([mail('lina@example.com')]);
    const ours = signMessageId(key, first!.ticketId, await ackMessageOf(first!.ticketId), 'localhost');
    await db('tickets').where({ id: first!.ticketId }).update({ status: 'closed' });
    const [reply] = await ingest([
      mail('lina@example.com', { thread: { inReplyTo: ours, replyToken: signReplyToken(key, first!.ticketId) } }),
    ]);
    expect(reply!.ticketId).not.to.equal(first!.ticketId);
    expect(reply!.threadedBy).to.equal('new');
  });

  it('takes a copy of our own mail delivered back to us as no contact at all', async () => {
    const [first] = await ingest([mail('maya@example.com')]);
    const ackId = await ackMessageOf(first!.ticketId);
    const ours = signMessageId(key, first!.ticketId, ackId, 'localhost');
    await db('messages').where({ id: ackId }).update({ provider: 'smtp', provider_message_id: ours });
    const before = await db('messages').where({ ticket_id: first!.ticketId }).count({ count: '*' }).first();
    const recorded = await recordInbound(db, [mail('helpdesk@localhost', { externalId: ours })]);
    const [result] = await ingestInboxRows(unitOfWork(), [recorded[0]!.id], SETTINGS, () => new Date());
    expect(result!.ticketId).to.equal(first!.ticketId);
    expect(result!.outboxIds).to.deep.equal([]);
    expect(await db('messages').where({ ticket_id: first!.ticketId }).count({ count: '*' }).first()).to.deep.equal(
      before,
    );
    expect((await db('inbox').where({ id: recorded[0]!.id }).first('processed_at')).processed_at).not.to.equal(null);
  });

  it('threads a batch of mail in two queries, whatever its size', async () => {
    const [first] = await ingest([mail('nina@example.com')]);
    const ours = signMessageId(key, first!.ticketId, await ackMessageOf(first!.ticketId), 'localhost');
    const reference = formatReference(await referenceOf(first!.ticketId), 'SP-');
    const inputs = Array.from({ length: 30 }, (_, index) => ({
      contactId: 1 + (index % 5),
      envelope: mail(`warga${index}@example.com`, {
        subject: index % 3 === 0 ? `[${reference}]` : 'Baru',
        thread: {
          inReplyTo: index % 2 ? ours : `${index}@mail.example.com`,
          references: [`r${index}@mail.example.com`],
          replyToken: signReplyToken(key, first!.ticketId),
        },
      }),
    }));
    const texts = Array.from({ length: 10 }, (_, index) => ({
      contactId: 1 + index,
      envelope: {
        ...mail('x@example.com'),
        channel: 'sms' as const,
        provider: 'twilio',
        from: { phone: `+62812000000${index}` },
        text: `Halo ${reference}`,
      },
    }));
    const selects: string[] = [];
    const count = (query: { sql: string }) => /^\s*(select|\()/i.test(query.sql) && selects.push(query.sql);
    db.on('query', count);
    try {
      const decisions = await db.transaction((trx) => threadMessages(trx, [...inputs, ...texts], { mailKey: key }));
      expect(decisions.filter((decision) => decision.ticket?.id === first!.ticketId)).to.have.length.of.at.least(
        15 + 10,
      );
    } finally {
      db.removeListener('query', count);
    }
    expect(selects).to.have.length(2);
    expect(selects[0]).to.match(/union all/i);
  });

  describe('acknowledgement limit per sender', () => {
    it('acknowledges at most EMAIL_ACK_LIMIT new tickets per sender per hour, and says why on the others', async () => {
      const limited = { ...SETTINGS, emailAckLimit: 2 };
      const results = [
        ...(await ingest([mail('banjir@example.com')], limited)),
        ...(await ingest([mail('Banjir@Example.com', { subject: 'Dua' })], limited)),
        ...(await ingest(
          [mail('banjir@example.com', { subject: 'Tiga' }), mail('banjir@example.com', { subject: 'Empat' })],
          limited,
        )),
      ];
      expect(new Set(results.map((result) => result.ticketId)).size).to.equal(4);
      expect(results.map((result) => result.outboxIds.length)).to.deep.equal([1, 1, 0, 0]);
      expect(results[2]!.events).to.include('acknowledgement_suppressed');
      const suppressed = await db('ticket_events')
        .where({ ticket_id: results[3]!.ticketId, type: 'acknowledgement_suppressed' })
        .first('data');
      expect(fromJson<Record<string, unknown>>(suppressed.data)).to.include({ reason: 'sender_rate_limit', limit: 2 });
      const [other] = await ingest([mail('lain@example.com')], limited);
      expect(other!.outboxIds).to.have.length(1);
    });

    it('counts only the last hour', async () => {
      const limited = { ...SETTINGS, emailAckLimit: 1 };
      const [first] = await ingest([mail('jam@example.com')], limited);
      await db('messages')
        .where({ ticket_id: first!.ticketId, kind: 'acknowledgement' })
        .update({ created_at: new Date(Date.now() - 61 * 60 * 1000) });
      const [second] = await ingest([mail('jam@example.com', { subject: 'Lagi' })], limited);
      expect(second!.outboxIds).to.have.length(1);
    });

    it('never acknowledges an auto-reply, which does not count either', async () => {
      const limited = { ...SETTINGS, emailAckLimit: 1 };
      const [auto] = await ingest([mail('robot@example.com', { autoReply: true })], limited);
      expect(auto!.outboxIds).to.have.length(0);
      expect(auto!.events).not.to.include('acknowledgement_suppressed');
      const [person] = await ingest([mail('robot@example.com', { subject: 'Orang' })], limited);
      expect(person!.outboxIds).to.have.length(1);
    });
  });
});

import { expect } from 'chai';
import { createTransport } from 'nodemailer';
import { fromJson } from '../../src/db/rows.js';
import { startSmtpCapture, type CapturedMail, type SmtpCapture } from '../support/smtp-capture.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const CITIZEN = 'siti.rahma@example.com';

/**
 * The whole loop over real SMTP on loopback: a citizen's mail client (nodemailer) writes to our
 * listener, our acknowledgement leaves through the relay (a capturing smtp-server), and the
 * citizen's client answers it with the headers a mail client sets.
 */
describe('Email over SMTP: a mail client answers our acknowledgement', () => {
  let relay: SmtpCapture;
  let server: TestServer;
  let client: ReturnType<typeof createTransport>;

  before(async () => {
    relay = await startSmtpCapture();
    server = await startTestServer({ SMTP_URL: relay.url, SMTP_PORT: '0', SMTP_HOST: '127.0.0.1' });
    client = createTransport({ host: '127.0.0.1', port: server.runtime.smtpPort!, secure: false, ignoreTLS: true });
  });
  after(async () => {
    client?.close();
    await server?.stop();
    await relay?.close();
  });

  /** The ticket of a mail we received, and how it was threaded, once the worker has taken it. */
  async function receivedAs(messageId: string): Promise<{ ticketId: number; threadedBy: unknown }> {
    const externalId = messageId.replace(/^<|>$/g, '');
    const ticketId = await waitFor(
      `mail ${externalId} ingested`,
      async () => {
        const row = await server.runtime
          .db('inbox')
          .where({ external_id: externalId })
          .first('ticket_id', 'processed_at');
        return row?.processed_at ? Number(row.ticket_id) : undefined;
      },
      15_000,
    );
    const message = await server.runtime.db('messages').where({ provider_message_id: externalId }).first('id');
    const events = await server.runtime
      .db('ticket_events')
      .where({ ticket_id: ticketId, type: 'message_received' })
      .select('data');
    const received = events
      .map((event) => fromJson<{ message_id: number; threaded_by: string }>(event.data))
      .find((data) => data.message_id === Number(message.id));
    return { ticketId, threadedBy: received?.threaded_by };
  }

  it('threads the reply onto the ticket by our Message-ID, and one keeping only the subject reference too', async () => {
    const sent = await client.sendMail({
      from: `Siti Rahma <${CITIZEN}>`,
      to: 'helpdesk@localhost',
      subject: 'Pendaftaran NIB untuk warung',
      text: 'Selamat pagi, saya ingin mendaftarkan NIB untuk warung saya.',
    });
    const original = await receivedAs(sent.messageId);
    expect(original.threadedBy).to.equal('new');

    const ack: CapturedMail = await waitFor(
      'acknowledgement relayed',
      () => relay.messages.find((mail) => mail.rcptTo.includes(CITIZEN)),
      15_000,
    );
    expect(ack.header('Auto-Submitted')).to.equal('auto-replied');
    expect(ack.header('In-Reply-To')).to.equal(sent.messageId);

    // What a mail client does with "Reply": To the Reply-To, Re: the subject, the thread headers.
    const reply = await client.sendMail({
      from: `Siti Rahma <${CITIZEN}>`,
      to: ack.header('Reply-To'),
      subject: `Re: ${ack.header('Subject')}`,
      inReplyTo: ack.header('Message-ID'),
      references: [sent.messageId, ack.header('Message-ID')!],
      text: `Terima kasih. Berkas saya lampirkan.\n\nOn Monday, Satu Pintu wrote:\n> ${ack.raw.slice(0, 40)}`,
    });
    const answered = await receivedAs(reply.messageId);
    expect(answered.ticketId).to.equal(original.ticketId);
    expect(answered.threadedBy).to.equal('message_id');

    // A client that drops the headers (a new mail, the subject kept): the reference still threads it.
    const bare = await client.sendMail({
      from: CITIZEN,
      to: 'helpdesk@localhost',
      subject: `Re: ${ack.header('Subject')}`,
      text: 'Satu pertanyaan lagi.',
    });
    const byReference = await receivedAs(bare.messageId);
    expect(byReference.ticketId).to.equal(original.ticketId);
    expect(byReference.threadedBy).to.equal('reference');

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(relay.messages.filter((mail) => mail.rcptTo.includes(CITIZEN))).to.have.length(1); // answers are not acknowledged
  });
});

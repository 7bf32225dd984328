import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { mailSender } from '../support/mail-sender.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';
const OUR_MTA = 'mx.dpmptsp.example.go.id';
const SPAM = 'CHEAP PILLS visit http://spam.example/buy';

/**
 * Issue 12, item 5 (backscatter): mail with forged senders still becomes tickets, but only a few
 * are acknowledged an hour (per domain and in all), never with the sender's subject; a sender our
 * relay authenticated (Authentication-Results of a trusted authserv-id) is acknowledged anyway.
 */
describe('Email backscatter: forged senders get few acknowledgements, and never their subject back', function () {
  this.timeout(60_000);
  let server: TestServer;
  let smtp: SmtpCapture;
  let mail: ReturnType<typeof mailSender>;

  before(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({
      SMTP_URL: smtp.url,
      EMAIL_INBOUND_ADDRESSES: HELPDESK,
      EMAIL_FROM: `Satu Pintu <${HELPDESK}>`,
      EMAIL_TRUSTED_AUTHSERV_IDS: OUR_MTA,
      EMAIL_ACK_UNVERIFIED_DOMAIN_LIMIT: '3',
      EMAIL_ACK_UNVERIFIED_LIMIT: '5',
    });
    mail = mailSender(server.runtime.smtpPort!);
  });
  after(async () => {
    mail?.close();
    await server?.stop();
    await smtp?.close();
  });

  async function deliver(from: string, headers: Record<string, string> = {}): Promise<number> {
    const id = `${randomBytes(8).toString('hex')}@spam.example`;
    expect(
      await mail.send({ from, to: HELPDESK, subject: SPAM, text: 'Buy now', messageId: `<${id}>`, headers }),
    ).to.match(/^250/);
    return waitFor('the mail ticketed', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: id })
        .whereNotNull('processed_at')
        .first('ticket_id');
      return row ? Number(row.ticket_id) : undefined;
    });
  }
  const acknowledged = async (ticketId: number) =>
    Boolean(await server.runtime.db('messages').where({ ticket_id: ticketId, kind: 'acknowledgement' }).first('id'));
  const suppression = async (ticketId: number) =>
    (
      await server.runtime
        .db('ticket_events')
        .where({ ticket_id: ticketId, type: 'acknowledgement_suppressed' })
        .first('data')
    )?.data;

  it('20 forged senders of one domain: 20 tickets, 3 acknowledgements, none echoing the subject', async () => {
    const tickets: number[] = [];
    for (let index = 0; index < 20; index += 1) tickets.push(await deliver(`korban${index}@victim.example`));
    expect(new Set(tickets).size).to.equal(20);
    const acks = await Promise.all(tickets.map(acknowledged));
    expect(acks.filter(Boolean)).to.have.length(3);
    const reason = await suppression(tickets[19]!);
    expect(typeof reason === 'string' ? JSON.parse(reason) : reason).to.include({ reason: 'unverified_sender_limit' });

    const sent = await waitFor('3 acknowledgements sent', () =>
      smtp.messages.length >= 3 ? smtp.messages : undefined,
    );
    for (const ack of sent) {
      expect(ack.header('Subject')).to.match(/^\[SP-\d{3}-\d{3}-\d{3}\] Pesan Anda telah kami terima$/);
      expect(ack.raw).to.not.include('CHEAP PILLS');
    }
  });

  it('caps all unverified domains together, but acknowledges a sender our relay authenticated', async () => {
    // 3 of the 5 for the hour are spent: two more domains get theirs, the third does not.
    const others = [];
    for (const domain of ['a.example', 'b.example', 'c.example']) others.push(await deliver(`x@${domain}`));
    expect(await Promise.all(others.map(acknowledged))).to.deep.equal([true, true, false]);

    const authentic = await deliver('warga@victim.example', {
      'Authentication-Results': `${OUR_MTA}; spf=pass smtp.mailfrom=warga@victim.example; dmarc=pass (p=reject) header.from=victim.example`,
    });
    expect(await acknowledged(authentic)).to.equal(true);
    // The same claim by any other authserv-id (anyone can write the header) counts for nothing.
    const forged = await deliver('warga2@victim.example', {
      'Authentication-Results': 'mx.spam.example; dmarc=pass header.from=victim.example',
    });
    expect(await acknowledged(forged)).to.equal(false);
    // The server still answers.
    expect((await fetch(`${server.baseUrl}/healthz`)).status).to.equal(200);
  });
});

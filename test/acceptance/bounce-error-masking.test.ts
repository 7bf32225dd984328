import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { fromJson } from '../../src/db/rows.js';
import { mailFixture } from '../support/mail-fixtures.js';
import { mailSender } from '../support/mail-sender.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const DOMAIN = 'dpmptsp.example.go.id';
const HELPDESK = `helpdesk@${DOMAIN}`;

/** A bounce quotes the address it refused: the delivery report is stored with it masked. */
describe('Bounce texts: the refused address masked before it is stored', () => {
  let server: TestServer;
  let mail: ReturnType<typeof mailSender>;

  before(async () => {
    server = await startTestServer({
      EMAIL_INBOUND_ADDRESSES: HELPDESK,
      EMAIL_FROM: `Satu Pintu <${HELPDESK}>`,
    });
    mail = mailSender(server.runtime.smtpPort!);
  });
  after(async () => {
    mail?.close();
    await server?.stop();
  });

  /** A citizen's mail, our acknowledgement recorded as sent with `ourId`: what a bounce answers. */
  async function acknowledgedTicket(): Promise<{ ticketId: number; ackId: number; ourId: string }> {
    const db = server.runtime.db;
    const id = `${randomBytes(8).toString('hex')}@example.com`;
    await mail.send({
      from: 'warga.bounce@example.com',
      to: HELPDESK,
      subject: 'Alamat',
      text: 'Halo',
      messageId: `<${id}>`,
    });
    const ticketId = await waitFor('ticket', async () => {
      const row = await db('inbox').where({ external_id: id }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    const ack = await waitFor('acknowledgement', async () =>
      db('messages').where({ ticket_id: ticketId, kind: 'acknowledgement' }).first(),
    );
    const ourId = `sp.${ticketId}.${ack.id}.masking-test@${DOMAIN}`;
    await db('messages')
      .where({ id: ack.id })
      .update({ provider: 'smtp', provider_message_id: ourId, delivery_status: 'sent' });
    return { ticketId, ackId: ack.id, ourId };
  }

  it('keeps the bounce on the message and the timeline without the address it quotes', async () => {
    const db = server.runtime.db;
    const { ticketId, ackId, ourId } = await acknowledgedTicket();
    // A real Postfix DSN: "550 5.1.1 <userunknown@bouncehammer.jp>... User Unknown".
    const bounce = mailFixture('bounces', 'sisimai-rfc3464-01.eml')
      .toString('latin1')
      .replace('E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org', ourId);
    await mail.sendRaw(Buffer.from(bounce, 'latin1'), { from: '', to: [HELPDESK] });

    const failed = await db('messages').where({ id: ackId }).first('delivery_status', 'error_message');
    expect(failed.delivery_status).to.equal('failed');
    expect(failed.error_message).to.contain('User Unknown').and.contain('u***@bouncehammer.jp');
    expect(failed.error_message).to.not.contain('userunknown@');
    const event = await db('ticket_events').where({ ticket_id: ticketId, type: 'delivery_failed' }).first('data');
    expect(fromJson<{ reason: string }>(event.data).reason).to.contain('User Unknown').and.not.contain('userunknown@');
  });

  it('stores a bounce whose text carries a NUL character (Office 365), without it', async () => {
    const db = server.runtime.db;
    const { ackId, ourId } = await acknowledgedTicket();
    // Office 365's report has "LinkId\0000000000" in its text: PostgreSQL refuses NUL in text.
    const bounce = mailFixture('bounces', 'sisimai-lhost-office365-01.eml')
      .toString('latin1')
      .replace('FFFFFFFF.EEEEEEEE@example.ed.jp', ourId);
    await mail.sendRaw(Buffer.from(bounce, 'latin1'), { from: '', to: [HELPDESK] });

    const failed = await waitFor('the bounce recorded', async () => {
      const row = await db('messages').where({ id: ackId }).first('delivery_status', 'error_message');
      return row.delivery_status === 'failed' ? row : undefined;
    });
    expect(failed.error_message).to.be.a('string').and.not.include('\u0000');
  });
});

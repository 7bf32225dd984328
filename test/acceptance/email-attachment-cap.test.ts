import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { jpeg } from '../support/attachment-samples.js';
import { mailSender } from '../support/mail-sender.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';
const CAP = 600;

/**
 * Issue 12, item 7: a mail of more parts than SQLite takes in one INSERT (500) becomes a ticket
 * (inserts go in pieces), and one beyond MAX_ATTACHMENTS_PER_MESSAGE is refused for good at SMTP.
 */
describe('Email attachments: many become a ticket, too many are refused with 552', function () {
  this.timeout(60_000);
  let server: TestServer;
  let dataDir: string;
  let mail: ReturnType<typeof mailSender>;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-cap-'));
    server = await startTestServer({
      EMAIL_INBOUND_ADDRESSES: HELPDESK,
      EMAIL_FROM: `Satu Pintu <${HELPDESK}>`,
      MAX_ATTACHMENTS_PER_MESSAGE: String(CAP),
      DATA_DIR: dataDir,
    });
    mail = mailSender(server.runtime.smtpPort!);
  });
  after(async () => {
    mail?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const photos = (count: number) =>
    Array.from({ length: count }, (_, index) => ({
      filename: `foto-${index}.jpg`,
      content: jpeg(randomBytes(16)),
      contentType: 'image/jpeg',
    }));

  it('records a mail with 520 attachments as one ticket message with all of them', async () => {
    const id = `${randomBytes(8).toString('hex')}@example.com`;
    const response = await mail.send({
      from: 'warga.banyak@example.com',
      to: HELPDESK,
      subject: 'Dokumen lengkap',
      text: 'Terlampir semua dokumen.',
      messageId: `<${id}>`,
      attachments: photos(520),
    });
    expect(response).to.match(/^250/);
    const row = await waitFor(
      'the mail processed',
      async (): Promise<{ ticket_id: number } | undefined> =>
        server.runtime.db('inbox').where({ external_id: id }).whereNotNull('processed_at').first('ticket_id'),
      30_000,
    );
    const message = await server.runtime
      .db('messages')
      .where({ ticket_id: row.ticket_id, direction: 'inbound' })
      .first('id');
    const count = await server.runtime.db('attachments').where({ message_id: message.id }).count({ n: '*' }).first();
    expect(Number(count!.n)).to.equal(520);
  });

  it(`refuses a mail with ${CAP + 1} attachments with 552 5.3.4 naming the limit, and records nothing`, async () => {
    const id = `${randomBytes(8).toString('hex')}@example.com`;
    const refusal = await mail.refusal(
      mail.send({
        from: 'warga.lebih@example.com',
        to: HELPDESK,
        subject: 'Terlalu banyak',
        text: 'Lampiran.',
        messageId: `<${id}>`,
        attachments: photos(CAP + 1),
      }),
    );
    expect(refusal.responseCode).to.equal(552);
    expect(refusal.response).to.match(/5\.3\.4 .*601 attachments; at most 600/);
    expect(await server.runtime.db('inbox').where({ external_id: id }).first('id')).to.equal(undefined);
    // The listener still answers.
    expect(await mail.send({ from: 'warga.lagi@example.com', to: HELPDESK, subject: 'Halo', text: 'Halo' })).to.match(
      /^250/,
    );
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startImapServer, type TestImapServer } from '../support/imap-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';

describe('Email inbound: polling a mailbox over IMAP (IMAP_URL)', () => {
  let imap: TestImapServer;
  let server: TestServer;
  let dataDir: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-imap-'));
    imap = await startImapServer([
      {
        raw: `From: Ani <ani@example.com>\r\nTo: ${HELPDESK}\r\nSubject: Jam layanan\r\nMessage-ID: <imap-1@example.com>\r\n\r\nJam berapa kantor buka?\r\n`,
      },
    ]);
    server = await startTestServer({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '0',
      EMAIL_INBOUND_ADDRESSES: HELPDESK,
      IMAP_URL: imap.url,
      IMAP_POLL_INTERVAL_MS: '200',
      DATA_DIR: dataDir,
    });
  });
  after(async () => {
    await server?.stop();
    await imap?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('turns unseen mail into a ticket with an acknowledgement, and marks it seen', async () => {
    const db = server.runtime.db;
    const ticketId = await waitFor('polled mail processed', async () => {
      const row = await db('inbox')
        .where({ provider: 'smtp', external_id: 'imap-1@example.com' })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    const messages = await db('messages').where({ ticket_id: ticketId }).select('direction', 'kind', 'body');
    expect(messages.find((message) => message.direction === 'inbound')?.body).to.equal('Jam berapa kantor buka?');
    expect(messages.some((message) => message.kind === 'acknowledgement')).to.equal(true);
    expect(await waitFor('marked seen', async () => ((await imap.unseen()).length === 0 ? true : undefined))).to.equal(
      true,
    );
  });
});

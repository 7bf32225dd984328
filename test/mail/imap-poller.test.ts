import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { createEmailAdapter } from '../../channels/email/adapter.js';
import { AttachmentStore } from '../../src/messages/attachment-store.js';
import { ImapPoller } from '../../src/mail/imap-poller.js';
import type { InboxWriter } from '../../src/inbox/inbox-writer.js';
import { createLogger } from '../../src/logger.js';
import { startImapServer, type TestImapServer } from '../support/imap-server.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';
const mail = (id: string, extra = '') =>
  `From: Budi <budi@example.com>\r\nTo: ${HELPDESK}\r\nSubject: Izin ${id}\r\nMessage-ID: <${id}@example.com>\r\n${extra}\r\nIsi ${id}\r\n`;

/** The poller against a real IMAP server, with the inbox replaced by what each test needs. */
describe('src/mail imap-poller', () => {
  let imap: TestImapServer;
  let dataDir: string;
  let recorded: InboundEnvelope[];
  let failing: boolean;

  const poller = (maxAttachments?: number) =>
    new ImapPoller(
      {
        db: {} as Knex,
        inbox: {
          record: async (envelopes: InboundEnvelope[]) => {
            if (failing) throw new Error('database is down');
            recorded.push(...envelopes);
            return envelopes.map((_, id) => ({ id, duplicate: false }));
          },
        } as unknown as InboxWriter,
        adapter: createEmailAdapter({ inboundAddresses: [HELPDESK], from: `Satu Pintu <${HELPDESK}>` }),
        store: new AttachmentStore({ dataDir, maxBytes: 1024 }),
        logger: createLogger('silent'),
        now: () => new Date(),
        ...(maxAttachments ? { maxAttachments } : {}),
      },
      { url: imap.url, intervalMs: 60_000, maxBytes: 10_000 },
    );

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-imap-'));
    recorded = [];
    failing = false;
    imap = await startImapServer([
      { raw: mail('satu') },
      { raw: mail('lama'), seen: true },
      { raw: mail('dua') },
      { raw: mail('besar', `X-Pad: ${'x'.repeat(12_000)}\r\n`) },
    ]);
  });
  afterEach(async () => {
    await imap.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('records the unseen mail and marks it \\Seen; read mail and mail over the size limit are left alone', async () => {
    expect(await poller().pollOnce()).to.equal(2);
    expect(recorded.map((envelope) => envelope.externalId)).to.deep.equal(['satu@example.com', 'dua@example.com']);
    expect(recorded[0]).to.deep.include({
      channel: 'email',
      from: { email: 'budi@example.com', name: 'Budi' },
      text: 'Isi satu',
    });
    expect(await imap.unseen()).to.deep.equal([4]);
    expect(await poller().pollOnce(), 'nothing new').to.equal(0);
  });

  it('leaves a mail unseen when recording fails, and takes it on the next poll', async () => {
    failing = true;
    const error = await poller()
      .pollOnce()
      .catch((caught: Error) => caught);
    expect(error).to.be.instanceOf(Error);
    expect(await imap.unseen()).to.deep.equal([1, 3, 4]);
    failing = false;
    expect(await poller().pollOnce()).to.equal(2);
    expect(await imap.unseen()).to.deep.equal([4]);
  });

  it('marks a mail with more than MAX_ATTACHMENTS_PER_MESSAGE attachments seen without recording it, so it is not fetched again', async () => {
    await imap.close();
    const part = (index: number) =>
      `--b\r\nContent-Type: text/plain; name="catatan-${index}.txt"\r\nContent-Disposition: attachment; filename="catatan-${index}.txt"\r\n\r\nisi ${index}\r\n`;
    const many =
      `From: Budi <budi@example.com>\r\nTo: ${HELPDESK}\r\nSubject: Lampiran\r\nMessage-ID: <banyak@example.com>\r\n` +
      `MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n` +
      `--b\r\nContent-Type: text/plain\r\n\r\nIsi\r\n${part(1)}${part(2)}${part(3)}--b--\r\n`;
    imap = await startImapServer([{ raw: many }, { raw: mail('satu') }]);
    expect(await poller(2).pollOnce()).to.equal(2);
    expect(recorded.map((envelope) => envelope.externalId)).to.deep.equal(['satu@example.com']);
    expect(await imap.unseen()).to.deep.equal([]);
    expect(await poller(2).pollOnce(), 'not fetched again').to.equal(0);
  });
});

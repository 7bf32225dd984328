import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { mailSender } from '../support/mail-sender.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';

/**
 * Issue 12, item 8: a mail that can never be recorded is refused for good (550), never deferred
 * (451): the sending MTA would offer it again for days, and each retry would fail the same way.
 * Real mail over real SMTP, through the real parser (mailparser) and the intake, as a relay sends
 * it: what mailparser itself refuses (a header section over 1 MiB, more than 1,000 MIME parts) and
 * what the intake refuses (no sender anywhere, a sender longer than any address).
 */
describe('Email intake: a mail no retry can record is refused for good (550), never 451', function () {
  this.timeout(60_000);
  let server: TestServer;
  let mail: ReturnType<typeof mailSender>;

  before(async () => {
    server = await startTestServer({ EMAIL_INBOUND_ADDRESSES: HELPDESK, EMAIL_FROM: `Satu Pintu <${HELPDESK}>` });
    mail = mailSender(server.runtime.smtpPort!);
  });
  after(async () => {
    mail?.close();
    await server?.stop();
  });

  /** A raw mail with these headers above the usual ones, and this body. */
  const raw = (id: string, headers: string[], body = 'Mohon info izin usaha.\r\n') =>
    [
      ...headers,
      `To: ${HELPDESK}`,
      `Message-ID: <${id}>`,
      'MIME-Version: 1.0',
      ...(headers.some((line) => line.startsWith('Content-Type:')) ? [] : ['Content-Type: text/plain; charset=utf-8']),
      '',
      body,
    ].join('\r\n');
  const partsBoundary = 'parts';
  const cases: Array<{ what: string; from: string; headers: string[]; body?: string; reason: RegExp }> = [
    {
      what: 'no sender anywhere: no From, no Sender, the null envelope sender',
      from: '',
      headers: ['Subject: Izin usaha'],
      reason: /names no sender/,
    },
    {
      what: 'a From address longer than any address may be',
      from: 'warga@example.com',
      headers: [`From: ${'a'.repeat(400)}@example.com`, 'Subject: Izin usaha'],
      reason: /longer than any valid address/,
    },
    {
      what: 'a header section over 1 MiB (mailparser stops reading it)',
      from: 'warga@example.com',
      headers: [
        'From: warga@example.com',
        'Subject: Izin usaha',
        `X-Padding: ${Array.from({ length: 11_000 }, () => 'x'.repeat(100)).join('\r\n ')}`,
      ],
      reason: /could not be parsed: Max header size/,
    },
    {
      what: 'more than 1,000 MIME parts (mailparser stops at 1,000)',
      from: 'warga@example.com',
      headers: [
        'From: warga@example.com',
        'Subject: Izin usaha',
        `Content-Type: multipart/mixed; boundary="${partsBoundary}"`,
      ],
      body: `${Array.from(
        { length: 1_100 },
        (_, index) => `--${partsBoundary}\r\nContent-Type: text/plain\r\n\r\nbagian ${index}\r\n`,
      ).join('')}--${partsBoundary}--\r\n`,
      reason: /could not be parsed: Max allowed child nodes/,
    },
  ];

  for (const { what, from, headers, body, reason } of cases) {
    it(`answers 550 to ${what}, and records nothing`, async () => {
      const id = `${randomBytes(8).toString('hex')}@example.com`;
      const refusal = await mail.refusal(mail.sendRaw(raw(id, headers, body), { from, to: [HELPDESK] }));
      expect(refusal.responseCode, refusal.response).to.equal(550);
      expect(refusal.response).to.match(/^550 5\.6\.0 /);
      expect(refusal.response).to.match(reason);
      expect(await server.runtime.db('inbox').where({ external_id: id }).first('id')).to.equal(undefined);
    });
  }

  it('still records the next mail', async () => {
    const id = `${randomBytes(8).toString('hex')}@example.com`;
    const answer = await mail.sendRaw(raw(id, ['From: warga@example.com', 'Subject: Izin usaha']), {
      from: 'warga@example.com',
      to: [HELPDESK],
    });
    expect(answer).to.match(/^250/);
    expect(await server.runtime.db('inbox').where({ external_id: id }).first('id')).to.not.equal(undefined);
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { mailSender, type SmtpRefusal } from '../support/mail-sender.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { FUZZ_SEED, FuzzTally, fuzz } from './fuzz-driver.js';
import { nastyString } from './fuzz-arbitraries.js';

/**
 * The SMTP intake fuzzed over real SMTP (issue 12): mail with broken headers (NUL, raw bytes that
 * are no UTF-8, encoded words that do not decode, a header line of 100 KB), MIME that lies
 * (no boundary, a boundary never closed, 200 nested multiparts, 1,001 parts, base64 that is not), unknown
 * charsets and bodies of garbage. Each mail must be answered (accepted, or refused for good with a
 * 5xx: nothing about a mail gets better on a retry, so a 451 for one is a failure), never a dropped
 * connection or a stall; every mail accepted must be worked off the inbox (a ticket,
 * or set aside as an auto-reply or bounce), never retried forever; the server still answers after.
 */
const TO = 'helpdesk@localhost';
const RUNS = 40;

const headerValue = fc.oneof(
  nastyString,
  fc.constantFrom(
    '=?utf-8?B?!!!notbase64?=',
    '=?x-unknown?Q?=FF=FE?=',
    '=?utf-8?Q?NUL=00here?=',
    '=?utf-16be?B?2AA=?=', // decodes to a lone surrogate
    '=?utf-7?Q?+2D3cAA-?=',
    'a'.repeat(100_000),
    '"Budi" <budi@example.com',
    '<<<>>>@@@',
    '',
  ),
);
const body = fc.oneof(
  nastyString,
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constantFrom('Mohon info izin usaha.\r\n', '\u0000\u0000\u0000', '.\r\n..\r\n', 'x'.repeat(300_000)),
);
const mime = fc.oneof(
  fc.constant({ type: 'text/plain; charset=utf-8', encoding: '8bit', wrap: (text: string) => text }),
  fc.constant({
    type: 'text/plain; charset=x-klingon',
    encoding: 'quoted-printable',
    wrap: (text: string) => `${text}=ZZ=\r\n`,
  }),
  fc.constant({ type: 'text/html', encoding: 'base64', wrap: (text: string) => `${text}!!!%%%` }),
  fc.constant({ type: 'multipart/mixed', encoding: '7bit', wrap: (text: string) => `no boundary at all\r\n${text}` }),
  fc.constant({
    type: 'multipart/mixed; boundary="b"',
    encoding: '7bit',
    wrap: (text: string) =>
      `--b\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--b\r\nContent-Type: application/pdf\r\n`,
  }),
  fc.constant({
    type: 'multipart/mixed; boundary="n0"',
    encoding: '7bit',
    wrap: (text: string) => {
      const levels = Array.from(
        { length: 200 },
        (_, depth) => `--n${depth}\r\nContent-Type: multipart/mixed; boundary="n${depth + 1}"\r\n\r\n`,
      );
      return `${levels.join('')}--n200\r\nContent-Type: text/plain\r\n\r\n${text}\r\n`;
    },
  }),
  // More parts than mailparser reads (1,000): a mail no retry can record, refused for good.
  fc.constant({
    type: 'multipart/mixed; boundary="p"',
    encoding: '7bit',
    wrap: (text: string) =>
      `${`--p\r\nContent-Type: text/plain\r\n\r\n${text.slice(0, 100)}\r\n`.repeat(1_001)}--p--\r\n`,
  }),
);

const mail = fc.record({
  from: headerValue,
  subject: headerValue,
  messageId: headerValue,
  body,
  mime,
  extra: headerValue,
});

describe('security: the SMTP intake fuzzed over SMTP (every mail answered, none lost, no crash)', function () {
  this.timeout(300_000);
  let server: TestServer;
  const tally = new FuzzTally();

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    console.log(tally.summary('SMTP fuzzing'));
    await server?.stop();
  });

  it('answers every mail, works every accepted one off the inbox, and still serves', async () => {
    const sender = mailSender(server.runtime.smtpPort!);
    let index = 0;
    const problems = await fuzz(
      mail,
      RUNS,
      async (input) => {
        index += 1;
        const raw = [
          `From: ${input.from}`,
          `To: ${TO}`,
          `Subject: ${input.subject}`,
          `Message-ID: ${input.messageId || `<fuzz-${index}@example.com>`}`,
          `X-Fuzz: ${input.extra}`,
          'MIME-Version: 1.0',
          `Content-Type: ${input.mime.type}`,
          `Content-Transfer-Encoding: ${input.mime.encoding}`,
          '',
          input.mime.wrap(input.body),
        ].join('\r\n');
        try {
          await sender.sendRaw(Buffer.from(raw, 'latin1'), { from: `citizen${index}@example.com`, to: [TO] });
          tally.count('SMTP DATA', 'ok', 250);
          return undefined;
        } catch (error) {
          const { responseCode: code, response } = error as SmtpRefusal;
          if (code !== undefined && code >= 500) {
            tally.count('SMTP DATA', 'ok', code);
            return undefined; // refused for good, with a reason: the sender's server will tell its user
          }
          if (code !== undefined && code >= 400) {
            // Deferred: the sending MTA offers it again for days. Parsing is a function of the
            // bytes and the database and Redis are up here, so no retry can fix what failed.
            tally.count('SMTP DATA', 'other', code);
            return `mail ${index} was deferred (${response}): a 4xx is for what a retry can fix, never for the mail itself`;
          }
          tally.count('SMTP DATA', 'other');
          return `mail ${index} got no answer: ${(error as Error).message}`;
        }
      },
      3000,
    );
    if (problems.length > 0) expect.fail(`(seed ${FUZZ_SEED})\n${problems.slice(0, 10).join('\n')}`);

    // Accepted mail is committed to the inbox before the 250; the worker must finish each one.
    await waitFor(
      'every accepted mail worked off the inbox',
      async () => Number((await server.runtime.db('inbox').whereNull('processed_at').count({ n: '*' }))[0]!.n) === 0,
      60_000,
    ).catch(async (error: Error) => {
      const stuck = await server.runtime
        .db('inbox')
        .whereNull('processed_at')
        .select('external_id', 'attempts', 'last_error');
      throw new Error(`${error.message} (seed ${FUZZ_SEED}): ${JSON.stringify(stuck).slice(0, 2000)}`);
    });
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).to.equal(200);
  });
});

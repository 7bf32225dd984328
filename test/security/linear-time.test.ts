import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import fc from 'fast-check';
import { parseMail, type MailParseSettings } from '../../channels/email/parse-mail.js';
import { jsonBody } from '../../src/http/json-body.js';
import { readFormBody } from '../../src/http/web/form-body.js';
import { readTrackInput } from '../../src/http/web/tracking/tracker.js';
import { mailSubject } from '../../src/mail/outbound-headers.js';
import { verifyMessageId, verifyReplyToken } from '../../src/mail/tokens.js';
import { maskPersonalData } from '../../src/privacy-mask.js';
import { renderTemplate, validateTemplate } from '../../src/tickets/canned-templates.js';
import { findReferences } from '../../src/tickets/reference-number.js';
import { parseStatusRequest } from '../../src/tickets/status-request.js';
import { linearTimeCheck } from '../support/linear-time.js';
import { FUZZ_SEED, RUN_FACTOR } from './fuzz-driver.js';

/**
 * Issue 12, item 4: every parser and regular expression that sees outside input runs in linear
 * time. A property test per parser: fast-check builds 1 MB inputs in the shape of a regular
 * expression's worst case (a head, a unit repeated to the size, a tail, each made of the pieces
 * the parser looks for: a prefix of a match repeated, then something that makes it fail), and each
 * input's time per character is held against a linear baseline measured in the same test (the same
 * shape 64 times smaller): a ratio, never a wall-clock figure. The worst cases found so far are
 * the examples every run tries first. FUZZ_SEED repeats a run, FUZZ_RUNS scales the runs.
 */
// Linear work: about 1 (4 at most where a megabyte leaves the processor's caches); quadratic: 8 at
// an eighth of the size, 64 at the whole.
const LIMIT = 8;
const MB = 1024 * 1024;

interface Shape {
  head: string;
  unit: string;
  tail: string;
}

/** `unit` repeated between `head` and `tail` to about `size` characters. */
const fill = ({ head, unit, tail }: Shape, size: number): string =>
  head + unit.repeat(Math.max(1, Math.floor((size - head.length - tail.length) / unit.length))) + tail;

/** Shapes made of a parser's pieces: one to four of them for the head, the unit and the tail. */
function shapes(pieces: string[], heads: string[] = [''], tails: string[] = ['']): fc.Arbitrary<Shape> {
  const run = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
  return fc.record({
    head: fc.oneof(fc.constantFrom(...heads), run),
    unit: run,
    tail: fc.oneof(fc.constantFrom(...tails), run),
  });
}

const shape = (unit: string, head = '', tail = ''): [Shape] => [{ head, unit, tail }];

/**
 * The property: for every shape, `work` on it at `largeSize` (1 MB unless said) stays within
 * LIMIT times the baseline's time per character. Shrinking is off: each run costs a second.
 */
async function expectLinear(
  work: (input: string) => unknown,
  arbitrary: fc.Arbitrary<Shape>,
  options: { runs: number; examples: Array<[Shape]>; largeSize?: number },
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const check = await linearTimeCheck(work, (size) => fill(input, size), {
        largeSize: options.largeSize ?? MB,
        limit: LIMIT,
      });
      expect(
        check.ratio,
        `${JSON.stringify(input).slice(0, 200)}: ${check.size} characters took ${check.ms.toFixed(0)} ms, ` +
          `${check.ratio.toFixed(1)} times the baseline's time per character (seed ${FUZZ_SEED})`,
      ).to.be.below(LIMIT);
    }),
    {
      numRuns: Math.max(1, Math.round(options.runs * RUN_FACTOR)) + options.examples.length,
      examples: options.examples,
      seed: FUZZ_SEED,
      endOnFailure: true,
    },
  );
}

const SETTINGS: MailParseSettings = {
  inboundAddresses: ['helpdesk@dpmptsp.example.go.id'],
  from: 'Satu Pintu <helpdesk@dpmptsp.example.go.id>',
  trustedAuthservIds: ['mx.dpmptsp.example.go.id'],
};
const AT = new Date('2026-12-01T02:00:00Z');
/**
 * A mail with `input` in place of each `$` (half of it in each of two), parsed as the SMTP listener
 * and the IMAP poller do; a refusal is timed too.
 */
const parsed = (template: string) => {
  const places = template.split('$');
  return (input: string) => {
    const part = places.length > 2 ? input.slice(0, input.length / 2) : input;
    return parseMail(Buffer.from(places.join(part)), AT, SETTINGS).catch(() => undefined);
  };
};
const PLAIN = 'Message-ID: <x@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n';
/** A daemon's notice about one of our messages: parsed down to its notice text (bounce.ts). */
const BOUNCE = [
  'From: MAILER-DAEMON@example.com',
  'Subject: Undelivered Mail Returned to Sender',
  'In-Reply-To: <sp.1.abc@dpmptsp.example.go.id>',
  PLAIN,
].join('\r\n');
// mailparser refuses a header section over 1 MiB for good (550): header inputs stay under it.
const HEADER_SIZE = MB - 4096;
const HEADER_PIECES = [
  'a',
  ' ',
  '\t',
  '\r\n ',
  '<',
  '>',
  '@',
  '.',
  ',',
  ';',
  ':',
  '"',
  '\\',
  '(',
  ')',
  '[',
  ']',
  '=',
  '=?utf-8?q?',
  '=?utf-8?b?',
  '?=',
  '*0*=',
  "utf-8''",
  'Re: ',
  'SP-123-456-789 ',
  'a@b.c',
  'dmarc=pass ',
  'header.from=',
  '\r\nReceived: b',
];

const EXAMPLES: Record<string, Array<[Shape]>> = {
  Subject: [shape('['), shape('\r\nReceived: b')], // a tag never closed; 100,000 header lines of one name
  From: [shape('a')],
  'Sender, without From': [shape('a')],
};

describe('security: parsers of outside input run in linear time (property tests, 1 MB worst cases)', function () {
  this.timeout(300_000);

  describe('mail (parseMail, what the SMTP listener and the IMAP poller run)', () => {
    for (const [header, template] of [
      ['Subject', `From: budi@example.com\r\nSubject: $\r\n${PLAIN}\r\nMohon info.`],
      ['From', `From: $\r\n${PLAIN}\r\nMohon info.`],
      ['To and Cc', `From: budi@example.com\r\nTo: $\r\nCc: $\r\n${PLAIN}\r\nMohon info.`],
      ['References and In-Reply-To', `From: budi@example.com\r\nReferences: $\r\nIn-Reply-To: $\r\n${PLAIN}\r\nx`],
      ['Sender, without From', `Sender: $\r\nSubject: Izin usaha\r\n${PLAIN}\r\nMohon info.`],
      ['Content-Type parameters', `From: budi@example.com\r\nContent-Type: text/plain; $\r\n\r\nMohon info.`],
      [
        'Authentication-Results and Auto-Submitted',
        `From: budi@example.com\r\nAuthentication-Results: mx.dpmptsp.example.go.id; $\r\nAuto-Submitted: $\r\n${PLAIN}\r\nx`,
      ],
    ] as const) {
      it(`a header: ${header}`, () =>
        expectLinear(parsed(template), shapes(HEADER_PIECES), {
          runs: 1,
          largeSize: HEADER_SIZE,
          examples: EXAMPLES[header] ?? [],
        }));
    }

    it('a text body (quoted history, signatures, references)', () =>
      expectLinear(
        parsed(`From: budi@example.com\r\nSubject: Izin\r\n${PLAIN}\r\n$`),
        shapes([
          '\r\n',
          '\n',
          ' ',
          '\t',
          '>',
          'a',
          '-',
          '_',
          '.',
          '@',
          'On x wrote:',
          'Pada ',
          ' menulis:',
          'From: a@b',
          'Sent: x',
          '-----Original Message-----',
          '123 456 789',
          'budi@example.com',
        ]),
        { runs: 3, examples: [shape('From: a@b\r\n'), shape('on x\r\n'), shape('>\r\n', 'x\r\n')] },
      ));

    it('a forged bounce (notice text, delivery-status fields)', () =>
      expectLinear(
        parsed(`${BOUNCE}\r\n$`),
        shapes([' \r\n', '-- \r\n', '\r\n', 'Action: failed', 'Status: 5.1.1', 'Message-ID: <a@b>', '550 ', 'x', ' ']),
        { runs: 2, examples: [shape(' \r\n'), shape('-- \r\n')] },
      ));

    it('an HTML body (sanitized, and made text when it is the only one)', () =>
      expectLinear(
        parsed(`From: budi@example.com\r\nSubject: Izin\r\nContent-Type: text/html\r\n\r\n$`),
        shapes([
          '<div>',
          '</div>',
          '<ul><li>',
          '<blockquote>',
          '<p>a</p>',
          '</b>',
          '<td>',
          '<table>',
          '<!--',
          '<a href="',
          '"',
          '&amp;',
          '<',
          'a ',
          '<br>',
          '<svg>',
          '<script>',
          ' class="gmail_quote"',
          '>',
        ]),
        { runs: 1, examples: [shape('<div>'), shape('<ul><li>a')] },
      ));
  });

  describe('the JSON body parser and the form body parser (over HTTP)', () => {
    let server: Server;
    let base: string;
    before(async () => {
      const app = express();
      app.post('/json', jsonBody('2mb'), (_request, response) => void response.sendStatus(204));
      app.post('/form', async (request, response) => {
        const body = await readFormBody(request, response, 2 * MB);
        response.sendStatus(typeof body === 'string' ? 400 : 204);
      });
      app.use(((_error, _request, response, _next) => void response.sendStatus(400)) as express.ErrorRequestHandler);
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const post = (path: string, type: string) => async (body: string) =>
      (await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body })).arrayBuffer();

    it('JSON (jsonBody: the nesting check, then express.json)', () =>
      expectLinear(
        post('/json', 'application/json'),
        shapes(
          ['[', ']', '{', '}', '"', '\\\\', '\\"', ',', '1', 'a', ':', ' ', '"a":1,', '[1],', '"\\u0041"', '[[[[]]]],'],
          ['[', '{"a":', '"', '['.repeat(32)],
          [']', '}', '"]', ']'.repeat(32)],
        ),
        { runs: 3, examples: [shape(`${'['.repeat(32)}${']'.repeat(32)},`, '[', '[]]'), shape('\\\\', '["', '"]')] },
      ));

    it('multipart/form-data (readFormBody, the citizen form)', () =>
      expectLinear(
        post('/form', 'multipart/form-data; boundary=b'),
        shapes(
          [
            '--b',
            '\r\n',
            'Content-Disposition: form-data; name="a"',
            '; filename="x"',
            '\r\n\r\n',
            'x',
            '-',
            '--',
            '\r',
            '\n',
            '"',
          ],
          ['--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n'],
          ['\r\n--b--\r\n'],
        ),
        { runs: 3, examples: [shape('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n', '', '--b--\r\n')] },
      ));
  });

  describe('the texts citizens send and the references they quote', () => {
    it('reference numbers in free text (findReferences)', () =>
      expectLinear(findReferences, shapes(['1', '12', '123', ' ', '-', '.', 'SP-', '123 456 78', '1234567890']), {
        runs: 4,
        examples: [shape('123 ')],
      }));

    it('a status request by text (parseStatusRequest)', () =>
      expectLinear(
        (text) => parseStatusRequest(text, 'SP-'),
        shapes([' ', ':', '#', '-', '.', '1', '123', '?', '!', 'a', 'status', 'SP-'], ['status', 'CEK', 'SP-', '']),
        { runs: 4, examples: [shape(' ', 'status', 'x'), shape(' ', '123456789', '.x')] },
      ));

    it('a tracking lookup (readTrackInput: the reference and the email)', () =>
      expectLinear(
        (text) => [
          readTrackInput({ reference: text, email: 'budi@example.com' }, 'SP-'),
          readTrackInput({ reference: '262591945', email: text }, 'SP-'),
        ],
        shapes(['1', ' ', '.', '-', 'SP-', 'a', '@', 'b.']),
        { runs: 4, examples: [shape('b.', 'a@', '@')] },
      ));

    it('personal data masked in logs and on the tracking page (maskPersonalData)', () =>
      // 256 KB, not 1 MB: phone-like text is the masker's slowest (libphonenumber, about 9 s a
      // megabyte, linear), and the ratio against 1/16 of it tells a quadratic pass just as well.
      expectLinear(
        maskPersonalData,
        shapes(['a', '@', '.', 'b', '1', ' ', '(', ')', '-', '+62', 'budi@example.co.id ', '0812-3456-7890 ']),
        {
          runs: 2,
          largeSize: MB / 4,
          examples: [shape('a'), shape('a', '', '@domain'), shape('a@b.'), shape('+62@@', '+62.'), shape('1 (2) 3-4.')],
        },
      ));
  });

  describe('our own mail markers, read back from what comes in', () => {
    it('our Message-IDs and reply+ tokens (tokens.ts)', () =>
      expectLinear(
        (text) => {
          const key = Buffer.alloc(32, 7);
          return [verifyMessageId(key, text), verifyReplyToken(key, text)];
        },
        shapes(['sp.', '1', '.', 'a', 'f', '<', '>', '@', 'reply+', ' ', '0']),
        { runs: 4, examples: [shape('>'), shape('a', 'sp.1.1.', '@x')] },
      ));

    it("the subject of our answer, from the citizen's (mailSubject)", () =>
      expectLinear(
        (subject) =>
          mailSubject({ reference: '262591945', ticket_subject: subject, ticket_language: 'id' }, 'SP-', true),
        shapes(['[', ']', '123', ' ', '-', '.', 're', ':', 'Fwd', '[2]', 'SP-123-456-789', 'a']),
        { runs: 4, examples: [shape('['), shape('123 ', '['), shape(' ', 're', 'x'), shape('re:')] },
      ));

    it('canned-response templates (validateTemplate, renderTemplate)', () =>
      expectLinear(
        (body) => {
          try {
            validateTemplate(body);
          } catch {
            // refused: still timed
          }
          return renderTemplate(body, {
            citizen_name: 'Budi',
            reference: 'SP-1',
            agent_name: 'Sari',
            office_name: 'X',
          });
        },
        shapes(['{', '}', '{{', '}}', ' ', 'citizen_name', 'a']),
        { runs: 4, examples: [shape(' ', '{{')] },
      ));
  });
});

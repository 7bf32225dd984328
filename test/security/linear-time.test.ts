import { expect } from 'chai';
import { parseMail, type MailParseSettings } from '../../channels/email/parse-mail.js';
import { maskPersonalData } from '../../src/privacy-mask.js';
import { growthRatio } from '../support/linear-time.js';

// Each parser of outside input, fed 1 MB inputs built to be its worst case, against the same
// input 16 times smaller: linear work grows about 16 times, a quadratic expression about 256.
const FACTOR = 16;
const LIMIT = FACTOR * 4;

const SETTINGS: MailParseSettings = {
  inboundAddresses: ['helpdesk@dpmptsp.example.go.id'],
  from: 'Satu Pintu <helpdesk@dpmptsp.example.go.id>',
};
const AT = new Date('2026-12-01T02:00:00Z');
const mail = (headers: string, body: string) =>
  Buffer.from(`${headers}\r\nMessage-ID: <x@example.com>\r\nContent-Type: text/plain\r\n\r\n${body}`);
/** A daemon's notice about one of our messages: parsed down to its notice text (bounce.ts). */
const BOUNCE_HEADERS = [
  'From: MAILER-DAEMON@example.com',
  'Subject: Undelivered Mail Returned to Sender',
  'In-Reply-To: <sp.1.abc@dpmptsp.example.go.id>',
].join('\r\n');
/** Repeats `unit` to about `size` characters. */
const fill = (unit: string, size: number) => unit.repeat(Math.max(1, Math.floor(size / unit.length)));

async function expectLinear(
  work: (input: string) => unknown,
  build: (size: number) => string,
  largeSize?: number,
): Promise<void> {
  const { ratio, largeMs } = await growthRatio(work, build, { factor: FACTOR, largeSize });
  expect(
    ratio,
    `the large input took ${largeMs.toFixed(0)} ms, ${ratio.toFixed(0)}x the time of 1/${FACTOR} of it`,
  ).to.be.below(LIMIT);
}

describe('security: parsers of outside input run in linear time', function () {
  this.timeout(120_000);

  describe('log masking (maskPersonalData)', () => {
    it('a long word without an @', () => expectLinear(maskPersonalData, (size) => 'a'.repeat(size)));
    it('a long word ending in an @ and a domain without a dot', () =>
      expectLinear(maskPersonalData, (size) => `${'a'.repeat(size)}@domain`));
    it('many @ signs and dots without a top-level domain', () =>
      expectLinear(maskPersonalData, (size) => fill('a@b.', size)));
    it('digits and separators that are almost phone numbers', () =>
      // 256 KB, not 1 MB: phone-like text is the masker's slowest (about 9 s a megabyte, linear), and
      // the ratio against 1/16 of it tells a quadratic pass just as well.
      expectLinear(maskPersonalData, (size) => fill('1 (2) 3-4.', size), 256 * 1024));
    it('many valid addresses', () => expectLinear(maskPersonalData, (size) => fill('budi@example.co.id ', size)));
  });

  describe('mail parsing (parseMail)', () => {
    it('a forged bounce whose notice is blank lines', () =>
      expectLinear(
        (body) => parseMail(mail(BOUNCE_HEADERS, body), AT, SETTINGS),
        (size) => fill(' \r\n', size),
      ));
    it('a forged bounce whose notice is lines of dashes', () =>
      expectLinear(
        (body) => parseMail(mail(BOUNCE_HEADERS, body), AT, SETTINGS),
        (size) => fill('-- \r\n', size),
      ));
    it('a long Sender header without From or @', () =>
      expectLinear(
        (sender) =>
          parseMail(mail(`Sender: ${sender}\r\nSubject: Izin usaha`, 'Mohon info.'), AT, SETTINGS).catch(() => {}),
        (size) => 'a'.repeat(size),
      ));
  });
});

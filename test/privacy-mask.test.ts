import { expect } from 'chai';
import { pino } from 'pino';
import { createLogger, MAX_LOGGED_STRING, type Logger } from '../src/logger.js';
import { maskEmail, maskPersonalData, maskPhone } from '../src/privacy-mask.js';

const PHONE_DIGITS = '81234567890'; // the part of 0812-3456-7890 that identifies the citizen
const EMAIL = 'budi.santoso@example.com';
const NIK = '3174011234567890';

describe('privacy/mask', () => {
  describe('maskPhone', () => {
    it('keeps the first five and last three characters and stars the middle, same length', () => {
      expect(maskPhone('+6281234567890')).to.equal('+6281******890');
      expect(maskPhone('081234567890')).to.equal('08123****890');
    });

    it('keeps the whatsapp: prefix visible', () => {
      expect(maskPhone('whatsapp:+6281234567890')).to.equal('whatsapp:+6281******890');
    });

    it('stars a short value entirely', () => {
      expect(maskPhone('12345')).to.equal('*****');
      expect(maskPhone('123456')).to.equal('******');
    });

    it('lets two numbers that differ at the end be told apart', () => {
      expect(maskPhone('+6281234567890')).to.not.equal(maskPhone('+6281234567891'));
    });
  });

  describe('maskEmail', () => {
    it('keeps the first character and the domain', () => {
      expect(maskEmail(EMAIL)).to.equal('b***@example.com');
    });

    it('masks at the last @ so the domain shown is the real one', () => {
      expect(maskEmail('"a@b"@example.com')).to.equal('"***@example.com');
    });

    it('stars entirely what is not an address', () => {
      expect(maskEmail('budi')).to.equal('***');
      expect(maskEmail('@example.com')).to.equal('***');
    });
  });

  describe('maskPersonalData', () => {
    for (const [label, phone, masked] of [
      ['international', '+6281234567890', '+6281******890'],
      ['international with spaces and dashes', '+62 812-3456-7890', '+6281******890'],
      ['national (0…)', '081234567890', '08123****890'],
      ['country code without plus (62…)', '6281234567890', '62812*****890'],
      ['WhatsApp address', 'whatsapp:+6281234567890', 'whatsapp:+6281******890'],
      ['foreign', '+1 415 555 2671', '+1415****671'],
    ] as const) {
      it(`masks a phone number written ${label}`, () => {
        const result = maskPersonalData(`pesan dari ${phone} diterima`);
        expect(result).to.equal(`pesan dari ${masked} diterima`);
      });
    }

    it('masks an email address inside text', () => {
      expect(maskPersonalData(`balas ke <${EMAIL}> ya`)).to.equal('balas ke <b***@example.com> ya');
    });

    it('masks a 16-digit NIK, keeping the region code', () => {
      expect(maskPersonalData(`NIK ${NIK}`)).to.equal('NIK 3174************');
    });

    it('masks several kinds of personal data in one text', () => {
      const result = maskPersonalData(`NIK ${NIK}, HP 081234567890, email ${EMAIL}`);
      expect(result).to.not.include(NIK.slice(4));
      expect(result).to.not.include(PHONE_DIGITS);
      expect(result).to.not.include('budi.santoso');
      expect(result).to.include('NIK 3174').and.include('HP 08123').and.include('@example.com');
    });

    for (const untouched of [
      '2026-11-22T06:20:51.000Z',
      'jam 06:20, tanggal 22/11/2026',
      '123-456-789',
      'SP-123-456-786',
      '123456786',
      '123 456 786',
      'antrian 42, loket 3',
      '',
    ]) {
      it(`leaves ${JSON.stringify(untouched)} unaltered`, () => {
        expect(maskPersonalData(`x ${untouched} y`)).to.equal(`x ${untouched} y`);
      });
    }

    it('leaves a timestamp and a reference next to (but not touching) personal data unaltered', () => {
      const text = `2026-11-22T06:20:51.000Z ticket SP-123-456-786 from 081234567890`;
      expect(maskPersonalData(text)).to.equal('2026-11-22T06:20:51.000Z ticket SP-123-456-786 from 08123****890');
    });

    // KNOWN BUG (reported, not fixed here): the national alternative of PHONE in src/privacy-mask.ts
    // (`\b0\d{8,13}\b`) allows no separators, so the most common Indonesian way of writing a mobile
    // number passes through the logs unmasked. Un-skip once fixed.
    it('masks a national number written with spaces or dashes (0812-3456-7890, 0812 3456 7890)', () => {
      expect(maskPersonalData('HP 0812-3456-7890')).to.not.include('3456-7890');
      expect(maskPersonalData('HP 0812 3456 7890')).to.not.include('3456 7890');
      expect(maskPersonalData('telp (021) 555-0123')).to.not.include('555-0123');
    });

    // KNOWN BUG (reported, not fixed here): the international alternative `\+\d[\d -]{7,17}\d` is
    // greedy across a space, so it swallows the digits that follow a phone number.
    it('does not eat into a timestamp or a reference that follows a phone number after a space', () => {
      expect(maskPersonalData('+6281234567890 2026-11-22T06:20:51.000Z')).to.equal(
        '+6281******890 2026-11-22T06:20:51.000Z',
      );
      expect(maskPersonalData('+6281234567890 123-456-786')).to.equal('+6281******890 123-456-786');
    });
  });

  describe('createLogger (masking of log lines)', () => {
    /**
     * createLogger takes no destination, and pino writes to fd 1 through its own SonicBoom stream
     * (not through process.stdout.write), so the lines are captured by shadowing that stream's
     * write method for the duration of the call, and always restoring it.
     */
    function capture(logger: Logger, log: () => void): Array<{ raw: string; json: Record<string, unknown> }> {
      const stream = (logger as unknown as Record<symbol, { write: (chunk: string) => unknown }>)[
        pino.symbols.streamSym
      ];
      if (!stream || typeof stream.write !== 'function') throw new Error('pino stream not found');
      const lines: string[] = [];
      const hadOwnWrite = Object.hasOwn(stream, 'write');
      const originalWrite = stream.write;
      stream.write = (chunk: string) => {
        lines.push(chunk);
        return true;
      };
      try {
        log();
      } finally {
        if (hadOwnWrite) stream.write = originalWrite;
        else delete (stream as { write?: unknown }).write;
      }
      return lines.map((raw) => ({ raw, json: JSON.parse(raw) as Record<string, unknown> }));
    }

    function expectNoPersonalData(raw: string): void {
      expect(raw).to.not.include(PHONE_DIGITS);
      expect(raw).to.not.include('budi.santoso');
    }

    const logger = createLogger('info');

    it('writes one JSON line per call at or above its level', () => {
      const lines = capture(logger, () => {
        logger.debug('not written');
        logger.info('written');
      });
      expect(lines).to.have.length(1);
      expect(lines[0]!.json.msg).to.equal('written');
    });

    it('masks a top-level `from` field', () => {
      const [line] = capture(logger, () => logger.info({ from: '+6281234567890' }, 'inbound message'));
      expectNoPersonalData(line!.raw);
      expect(line!.json.from).to.equal('+6281******890');
      expect(line!.json.msg).to.equal('inbound message');
    });

    it('masks a nested `contact.phone` field and a nested email', () => {
      const [line] = capture(logger, () =>
        logger.info({ contact: { id: 7, phone: '081234567890', email: EMAIL } }, 'contact resolved'),
      );
      expectNoPersonalData(line!.raw);
      expect(line!.json.contact).to.deep.equal({ id: 7, phone: '08123****890', email: 'b***@example.com' });
    });

    it('masks a non-string personal field whole', () => {
      const [line] = capture(logger, () => logger.info({ from: { phone: '+6281234567890', name: 'Budi' } }, 'x'));
      expectNoPersonalData(line!.raw);
      expect(line!.json.from).to.equal('[masked]');
    });

    it('masks a phone number and an email inside the message string', () => {
      const [line] = capture(logger, () => logger.info(`message from 081234567890 <${EMAIL}> received`));
      expectNoPersonalData(line!.raw);
      expect(line!.json.msg).to.equal('message from 08123****890 <b***@example.com> received');
    });

    it('masks phone numbers inside string values of fields that are not known personal fields', () => {
      const [line] = capture(logger, () =>
        logger.info({ note: 'citizen at +6281234567890', ids: ['081234567890'] }, 'x'),
      );
      expectNoPersonalData(line!.raw);
      expect(line!.json.note).to.equal('citizen at +6281******890');
    });

    it('masks a phone number inside an Error message and stack', () => {
      const [line] = capture(logger, () =>
        logger.error({ err: new Error('send to +6281234567890 failed') }, 'send failed'),
      );
      expectNoPersonalData(line!.raw);
      const err = line!.json.err as { type: string; message: string; stack: string };
      expect(err.type).to.equal('Error');
      expect(err.message).to.equal('send to +6281******890 failed');
      expect(err.stack).to.include('send to +6281******890 failed');
      expect(line!.json.msg).to.equal('send failed');
    });

    it('leaves timestamps and reference numbers in a log line alone', () => {
      const [line] = capture(logger, () =>
        logger.info({ ticket: 'SP-123-456-786', dueAt: '2026-11-22T06:20:51.000Z' }, 'sla warning'),
      );
      expect(line!.json.ticket).to.equal('SP-123-456-786');
      expect(line!.json.dueAt).to.equal('2026-11-22T06:20:51.000Z');
    });

    it('cuts a megabyte string to its beginning, masked, saying how much was left out', () => {
      const text = `Pengaduan dari 0812-3456-7890: ${'izin usaha 1234 '.repeat(70_000)}`;
      const [line] = capture(logger, () => logger.warn({ body: text }, 'a long mail'));
      expect(line!.raw.length).to.be.below(MAX_LOGGED_STRING + 500);
      expect(line!.json.body).to.match(/^Pengaduan dari \+?0?8123\**890: izin usaha/);
      expect(line!.json.body).to.match(/… \[\d+ more characters\]$/);
      expectNoPersonalData(line!.raw);
    });

    it('drops a phone number the cut goes through rather than leaving its first digits', () => {
      const text = `${'a'.repeat(MAX_LOGGED_STRING - 8)} 081234567890 and more`;
      const [line] = capture(logger, () => logger.info({ body: text }, 'cut'));
      expect(line!.json.body).to.not.match(/0812/);
    });

    // KNOWN BUG (reported, not fixed here): when an Error is logged with no message string, pino
    // copies error.message into `msg` itself, after the logMethod hook and outside formatters.log,
    // so the raw phone number reaches the log line.
    it('masks the phone number of an Error logged without a message string', () => {
      const lines = capture(logger, () => {
        logger.error(new Error('send to +6281234567890 failed'));
        logger.error({ err: new Error('send to +6281234567890 failed') });
      });
      for (const line of lines) expectNoPersonalData(line.raw);
    });
  });
});

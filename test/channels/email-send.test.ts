import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ProviderError, ProviderNotConfiguredError, type OutboundMessage } from '../../channels/adapter.js';
import { classifySmtpError, sendMail, textToHtml } from '../../channels/email/send.js';
import { freePort } from '../support/free-port.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';

const FROM = 'DPMPTSP Kota <helpdesk@dpmptsp.example.go.id>';

function acknowledgement(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channel: 'email',
    to: 'warga@example.com',
    subject: '[SP-123-456-789] Izin usaha',
    body: 'Pesan Anda sudah kami terima.\nNomor tiket: SP-123-456-789 & <simpan>.\n\nHormat kami',
    thread: {
      messageId: 'sp.5.17.0123456789abcdef0123@dpmptsp.example.go.id',
      inReplyTo: 'CAF00d-citizen-2@mail.example.com',
      references: [
        'CAF00d-citizen-1@mail.example.com',
        'sp.5.12.aaaaaaaaaaaaaaaaaaaa@dpmptsp.example.go.id',
        'CAF00d-citizen-2@mail.example.com',
      ],
      replyTo: 'reply+5.0123456789abcdef@dpmptsp.example.go.id',
    },
    automatic: true,
    ...overrides,
  };
}

async function sendExpectingError(message: OutboundMessage, smtpUrl: string): Promise<ProviderError> {
  try {
    await sendMail(message, { smtpUrl, from: FROM });
  } catch (error) {
    expect(error).to.be.instanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('sendMail succeeded where it should have failed');
}

describe('sendMail (channels/email/send)', () => {
  describe('against a real SMTP server that accepts', () => {
    let smtp: SmtpCapture;
    let attachmentDir: string;
    before(async () => {
      smtp = await startSmtpCapture();
      attachmentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-mail-attachment-'));
    });
    after(async () => {
      await smtp?.close();
      fs.rmSync(attachmentDir, { recursive: true, force: true });
    });

    it('sends the threading headers the core chose and returns our Message-ID as the provider id', async () => {
      const result = await sendMail(acknowledgement(), { smtpUrl: smtp.url, from: FROM });
      expect(result).to.deep.equal({
        providerMessageId: 'sp.5.17.0123456789abcdef0123@dpmptsp.example.go.id',
        status: 'sent',
      });
      const mail = smtp.messages.at(-1)!;
      expect(mail.rcptTo).to.deep.equal(['warga@example.com']);
      expect(mail.mailFrom).to.equal('helpdesk@dpmptsp.example.go.id');
      expect(mail.header('From')).to.equal('DPMPTSP Kota <helpdesk@dpmptsp.example.go.id>');
      expect(mail.header('To')).to.equal('warga@example.com');
      expect(mail.header('Subject')).to.equal('[SP-123-456-789] Izin usaha');
      expect(mail.header('Message-ID')).to.equal('<sp.5.17.0123456789abcdef0123@dpmptsp.example.go.id>');
      expect(mail.header('In-Reply-To')).to.equal('<CAF00d-citizen-2@mail.example.com>');
      expect(mail.header('References')!.split(/\s+/)).to.deep.equal([
        '<CAF00d-citizen-1@mail.example.com>',
        '<sp.5.12.aaaaaaaaaaaaaaaaaaaa@dpmptsp.example.go.id>',
        '<CAF00d-citizen-2@mail.example.com>',
      ]);
      expect(mail.header('Reply-To')).to.equal('reply+5.0123456789abcdef@dpmptsp.example.go.id');
      expect(mail.header('Auto-Submitted')).to.equal('auto-replied');
      expect(mail.header('X-Auto-Response-Suppress')).to.equal('All');
    });

    it('writes a text part and an HTML part of the same words, the HTML escaped', async () => {
      await sendMail(acknowledgement(), { smtpUrl: smtp.url, from: FROM });
      const mail = smtp.messages.at(-1)!;
      expect(mail.header('Content-Type')).to.match(/^multipart\/alternative;/);
      expect(mail.raw).to.match(/Content-Type: text\/plain/);
      expect(mail.raw).to.match(/Content-Type: text\/html/);
      expect(mail.raw).to.contain('Nomor tiket: SP-123-456-789 & <simpan>.');
      expect(mail.raw).to.contain('Nomor tiket: SP-123-456-789 &amp; &lt;simpan&gt;.');
      expect(mail.raw).to.contain('<br>');
    });

    it('attaches files by path', async () => {
      const file = path.join(attachmentDir, 'surat.txt');
      fs.writeFileSync(file, 'Surat keterangan domisili usaha');
      await sendMail(
        acknowledgement({
          automatic: false,
          attachments: [{ path: file, filename: 'surat-keterangan.txt', contentType: 'text/plain' }],
        }),
        {
          smtpUrl: smtp.url,
          from: FROM,
        },
      );
      const mail = smtp.messages.at(-1)!;
      expect(mail.header('Content-Type')).to.match(/^multipart\/mixed;/);
      expect(mail.raw).to.match(/Content-Disposition: attachment; filename=surat-keterangan\.txt/);
      expect(mail.raw).to.contain(Buffer.from('Surat keterangan domisili usaha').toString('base64'));
      expect(mail.raw).to.match(/Content-Type: text\/html/);
    });

    it('marks only automatic mail as Auto-Submitted', async () => {
      await sendMail(acknowledgement({ automatic: false }), { smtpUrl: smtp.url, from: FROM });
      expect(smtp.messages.at(-1)!.header('Auto-Submitted')).to.equal(undefined);
    });

    it('lets nodemailer choose a Message-ID when the core gives none, and returns it', async () => {
      const result = await sendMail(acknowledgement({ thread: undefined }), { smtpUrl: smtp.url, from: FROM });
      expect(result.providerMessageId).to.match(/^[^<>]+@[^<>]+$/);
      expect(smtp.messages.at(-1)!.header('Message-ID')).to.equal(`<${result.providerMessageId}>`);
    });

    it('refuses a missing attachment as permanent: a retry cannot find it either', async () => {
      const error = await sendExpectingError(
        acknowledgement({ attachments: [{ path: path.join(attachmentDir, 'gone.pdf'), filename: 'gone.pdf' }] }),
        smtp.url,
      );
      expect(error.permanent).to.equal(true);
    });
  });

  describe('error classification against a real SMTP server', () => {
    let smtp: SmtpCapture;
    before(async () => {
      smtp = await startSmtpCapture([
        { at: 'rcpt', code: 451, message: '4.7.1 Greylisted, please try again later' },
        { at: 'data', code: 550, message: '5.7.1 Message rejected as spam' },
        { at: 'rcpt', code: 550, message: '5.1.1 Mailbox does not exist' },
      ]);
    });
    after(async () => smtp?.close());

    it('451 is transient: the queue retries it', async () => {
      const error = await sendExpectingError(acknowledgement(), smtp.url);
      expect(error.permanent).to.equal(false);
      expect(error.providerCode).to.equal('451');
      expect(error.message).to.contain('Greylisted');
    });

    it('550 after the data is permanent, with the code and the server text', async () => {
      const error = await sendExpectingError(acknowledgement(), smtp.url);
      expect(error.permanent).to.equal(true);
      expect(error.providerCode).to.equal('550');
      expect(error.message).to.contain('550').and.to.contain('rejected as spam');
    });

    it('550 for the recipient is permanent', async () => {
      const error = await sendExpectingError(acknowledgement(), smtp.url);
      expect(error.permanent).to.equal(true);
      expect(error.providerCode).to.equal('550');
      expect(error.message).to.contain('Mailbox does not exist');
    });

    it('then delivers normally on the same pooled connection', async () => {
      await sendMail(acknowledgement(), { smtpUrl: smtp.url, from: FROM });
      expect(smtp.messages).to.have.length(1);
      expect(smtp.attempts).to.equal(4);
    });
  });

  it('an unreachable relay is transient', async () => {
    const error = await sendExpectingError(acknowledgement(), `smtp://127.0.0.1:${await freePort()}`);
    expect(error.permanent).to.equal(false);
  });

  it('without SMTP_URL the mail is not configured: recorded, not delivered', async () => {
    try {
      await sendMail(acknowledgement(), { from: FROM });
      expect.fail('sendMail should have refused');
    } catch (error) {
      expect(error).to.be.instanceOf(ProviderNotConfiguredError);
    }
  });

  describe('classifySmtpError', () => {
    const cases: Array<[string, Record<string, unknown>, boolean]> = [
      ['421 service not available', { responseCode: 421, response: '421 4.3.2 Try later' }, false],
      ['452 mailbox full', { responseCode: 452, response: '452 4.2.2 Mailbox full' }, false],
      [
        '503 bad sequence (a fresh connection gets past it)',
        { responseCode: 503, response: '503 5.5.1 Bad sequence' },
        false,
      ],
      ['554 transaction failed', { responseCode: 554, response: '554 5.7.1 Rejected' }, true],
      ['535 authentication failed', { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Bad credentials' }, true],
      ['a timeout', { code: 'ETIMEDOUT', message: 'Connection timeout' }, false],
      ['a reset connection', { code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, false],
      ['no recipients', { code: 'EENVELOPE', message: 'No recipients defined' }, true],
      ['something unknown', { message: 'Whatever' }, false],
    ];
    for (const [name, failure, permanent] of cases) {
      it(`${name}: ${permanent ? 'permanent' : 'transient'}`, () => {
        const error = classifySmtpError(Object.assign(new Error(String(failure.message ?? failure.response)), failure));
        expect(error.permanent).to.equal(permanent);
        if (typeof failure.responseCode === 'number') expect(error.providerCode).to.equal(String(failure.responseCode));
      });
    }
  });

  describe('textToHtml', () => {
    it('escapes markup and keeps paragraphs and line breaks', () => {
      const html = textToHtml('Halo <b>"Budi"</b> & \'Ani\'\nbaris dua\r\n\r\nparagraf dua');
      expect(html).to.contain('<p>Halo &lt;b&gt;&quot;Budi&quot;&lt;/b&gt; &amp; &#39;Ani&#39;<br>\nbaris dua</p>');
      expect(html).to.contain('<p>paragraf dua</p>');
      expect(html).not.to.contain('<b>');
    });
  });
});

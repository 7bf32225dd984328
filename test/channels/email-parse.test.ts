import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { MalformedPayloadError } from '../../channels/adapter.js';
import { parseMail, type MailParseSettings, type ParsedAttachment } from '../../channels/email/parse-mail.js';
import { splitQuotedText } from '../../channels/email/quoted-text.js';
import { dammCheckDigit, formatReference } from '../../src/tickets/reference-number.js';
import { composeMail, mailFixture, mailFixtures } from '../support/mail-fixtures.js';

const SETTINGS: MailParseSettings = {
  inboundAddresses: ['helpdesk@dpmptsp.example.go.id', '@pengaduan.example.go.id'],
  from: 'Satu Pintu <helpdesk@dpmptsp.example.go.id>',
};
const AT = new Date('2024-06-03T02:00:00Z');
const parse = (raw: Buffer) => parseMail(raw, AT, SETTINGS);
const citizen = (headers: Record<string, string>, body: string) =>
  parse(
    composeMail(
      {
        From: 'Budi Santoso <Budi.Santoso@Example.com>',
        To: 'helpdesk@dpmptsp.example.go.id',
        Subject: 'Izin usaha',
        'Message-ID': '<m1@example.com>',
        ...headers,
      },
      body,
    ),
  );

// The original Message-ID and DSN code each bounce fixture reports; undefined: the report names no
// original (nothing to mark) or is only a delay warning (the relay still retries).
const BOUNCES: Record<string, [string, string] | undefined> = {
  'sisimai-lhost-amazonses-01.eml': [
    '000001321defbd2a-788e31c8-2be1-422f-a8d4-cf7765cc9ed7-000000@email.amazonses.com',
    '5.0.0',
  ],
  'sisimai-lhost-amazonses-02.eml': [
    '00000132e188591e-2882d710-aacc-49e9-bfac-5400b02ffb9b-000000@email.amazonses.com',
    '5.0.0',
  ],
  'sisimai-lhost-amazonses-03.eml': [
    '00000132d6ca0cd4-ff6d8ee5-29a0-4501-a68a-3ff8695254bb-000000@email.amazonses.com',
    '5.0.0',
  ],
  'sisimai-lhost-exchange2007-01.eml': undefined, // the returned message has no Message-ID
  'sisimai-lhost-exchange2007-02.eml': ['20110429233445.FFFFFFFFEEE@neko.example.com', '5.2.2'],
  'sisimai-lhost-gmail-01.eml': ['D992C2C3-F175-4C4D-97E2-53A90E4E5BF5@gmail.com', '5.1.1'],
  'sisimai-lhost-gmail-03.eml': ['CBA48452-0888-4AAC-AA4E-0F54D382117F@gmail.com', '5.7.0'],
  'sisimai-lhost-gmail-04.eml': ['CAJYcEwW7ghrwjbwmwK3GKRG98qSVTKhGBvnkbVH1RdwFJwHWFQ@mail.gmail.com', '5.7.1'],
  'sisimai-lhost-gmail-05.eml': ['106A231A-B504-44EF-9BF2-8A382AB84E80@gmail.com', '5.7.1'],
  'sisimai-lhost-gmail-06.eml': undefined, // delay warning
  'sisimai-lhost-office365-01.eml': ['FFFFFFFF.EEEEEEEE@example.ed.jp', '5.1.10'],
  'sisimai-lhost-office365-02.eml': ['c302b7e8-9b97-40ef-90eb-313cc6c25133@NYAAAAN.example.org', '5.1.1'],
  'sisimai-lhost-office365-03.eml': ['000000000000.2222.22222222222200000000@NEKO-NYAAN', '5.1.0'],
  'sisimai-lhost-postfix-01.eml': undefined, // empty returned message
  'sisimai-lhost-postfix-02.eml': undefined, // the returned message has no Message-ID
  'sisimai-lhost-postfix-03.eml': ['20140701000000.000000000000@e1.example.ne.jp', '5.0.0'],
  'sisimai-lhost-postfix-04.eml': ['A8F82EDD-E518-4F5C-8C70-BC4EFF24AB9F@example.ne.jp', '5.1.1'],
  'sisimai-lhost-postfix-05.eml': ['FFFFFFFF.0000000@example.co.jp', '4.1.1'], // Action: failed after retries
  'sisimai-lhost-postfix-06.eml': ['20141024104625.9C81E2203D@vagrant-centos65.vagrantup.com', '5.4.4'],
  'sisimai-lhost-postfix-07.eml': ['8EF96F3F-377B-4E4D-9F3C-54EE1924B2BA@mirror.example.ne.jp', '550'], // no DSN: the SMTP reply
  'sisimai-lhost-postfix-08.eml': ['143E20AB-3911-4809-8B49-BB1A17513571@mail.ru', '4.4.1'],
  'sisimai-rfc3464-01.eml': ['E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org', '5.1.1'],
  'sisimai-rfc3464-03.eml': ['220000000022.0000.0000000000000000222@NEKO.NYAAN', '5.0.0'],
  'sisimai-rfc3464-04.eml': ['00000000000.000000@mx4.example.co.jp', '5.5.0'], // MIME boundaries missing: read from the raw text
  'sisimai-rfc3464-06.eml': ['0000000000.0000000@mail.example.com', '5.5.0'],
  'sisimai-rfc3464-07.eml': undefined, // Action: delayed
  'sisimai-rfc3464-08.eml': ['000000000000000000000000000000@mx.example.or.jp', '5.7.1'], // text/rfc822-headers
  'sisimai-rfc3464-09.eml': undefined, // Action: delayed
  'sisimai-rfc3464-10.eml': ['c15e793e1c6acf9fbc39d1547bbd98b4@example.com', '5.1.6'],
};

describe('channels/email parseMail', () => {
  describe('auto-reply fixtures', () => {
    for (const { name, raw } of mailFixtures('auto-replies')) {
      it(`${name}: recorded as a message, marked automatic`, async () => {
        const { envelopes, statuses } = await parse(raw);
        expect(statuses).to.deep.equal([]);
        expect(envelopes).to.have.length(1);
        expect(envelopes[0]!.autoReply).to.equal(true);
        expect(envelopes[0]!.text).to.not.equal('');
      });
    }
  });

  describe('bounce fixtures', () => {
    for (const { name, raw } of mailFixtures('bounces')) {
      it(`${name}: no contact; ${BOUNCES[name] ? `marks ${BOUNCES[name]![0]} failed (${BOUNCES[name]![1]})` : 'nothing to mark'}`, async () => {
        expect(Object.keys(BOUNCES), 'every fixture has an expectation').to.include(name);
        const { envelopes, statuses } = await parse(raw);
        expect(envelopes).to.deep.equal([]);
        const expected = BOUNCES[name];
        if (!expected) return expect(statuses).to.deep.equal([]);
        expect(statuses).to.have.length(1);
        expect(statuses[0]).to.include({
          providerMessageId: expected[0],
          status: 'failed',
          errorCode: expected[1],
          at: AT.toISOString(),
        });
        expect(statuses[0]!.errorMessage).to.be.a('string').and.not.equal('');
        expect(statuses[0]!.errorMessage!.length).to.be.at.most(500);
      });
    }
  });

  describe('MIME fixtures', () => {
    it('every file parses (the one without any sender address is refused as invalid)', async () => {
      for (const { name, raw } of mailFixtures('mime')) {
        if (name === 'mailparser-mixed.eml') {
          const error = await parse(raw).catch((caught: unknown) => caught);
          expect(error, name).to.be.instanceOf(MalformedPayloadError);
          continue;
        }
        const { envelopes, statuses } = await parse(raw);
        expect(envelopes.length + statuses.length, name).to.equal(1);
      }
    });

    it('keeps the text, a unicode subject and every attachment, inline images included, with their digests', async () => {
      const [envelope] = (await parse(mailFixture('mime', 'mailparser-nodemailer.eml'))).envelopes;
      expect(envelope).to.include({
        externalId: '012d606e-3550-2d94-b566-6cd996de88e3@kreata.ee',
        text: 'Hello to myself!',
      });
      expect(envelope!.subject).to.equal('Nodemailer is unicode friendly ✔ (1476358788189)');
      expect(envelope!.from).to.deep.equal({ email: 'andris@kreata.ee', name: 'Andris Kreata' });
      const attachments = envelope!.attachments as ParsedAttachment[];
      expect(attachments.map((attachment) => attachment.filename)).to.include.members([
        'image.png',
        'nyan cat ✔.gif',
        'notes.txt',
      ]);
      for (const attachment of attachments) {
        expect(attachment.sha256).to.equal(createHash('sha256').update(attachment.content!).digest('hex'));
        expect(attachment.sizeBytes).to.equal(attachment.content!.length);
      }
      expect(envelope!.html).to.contain('cid:note@example.com');
      expect(JSON.stringify(envelope), 'bytes never reach the inbox JSON').to.not.contain('"content"');
    });

    it('reads a base64 attachment that is the whole message, nested multiparts and legacy charsets', async () => {
      const [root] = (await parse(mailFixture('mime', 'mailparser-base64encodedroot.eml'))).envelopes;
      expect(root!.attachments).to.have.length(1);
      expect(root!.attachments[0]).to.include({ contentType: 'image/png', filename: 'screenshot.png', sizeBytes: 425 });
      expect(root!.externalId).to.match(/^sha256:[0-9a-f]{64}$/);
      const [nested] = (await parse(mailFixture('mime', 'mailparser-nested.eml'))).envelopes;
      expect(nested!.text).to.contain('Dear Sir').and.to.contain('The footer');
      const [latin] = (await parse(mailFixture('mime', 'mailparser-decoderended.eml'))).envelopes;
      expect(latin!.text).to.contain('Note: forwarded message attached.');
      expect(latin!.html).to.contain('html section\u00dc'); // byte 0xDC of ISO-8859-1
    });

    it('derives the text of an HTML-only mail and sanitizes its HTML', async () => {
      const [spam] = (await parse(mailFixture('mime', 'mailparser-spam.eml'))).envelopes;
      expect(spam!.text).to.contain('Im Jahre 2007 wurde er als');
      expect(spam!.html).to.not.match(/<(?:html|head|meta|title|body)\b/);
      expect(spam!.html).to.contain('rel="noopener noreferrer nofollow"');
    });

    it('marks a mailing-list mail automatic and keeps a megabyte of text', async () => {
      const [list] = (await parse(mailFixture('mime', 'mailparser-large_text.eml'))).envelopes;
      expect(list!.autoReply).to.equal(true);
      expect(list!.text.length).to.be.greaterThan(1_000_000);
    });
  });

  describe('a citizen mail', () => {
    it('gives the sender lower-cased with the name, our address, threading headers and a small raw', async () => {
      const { envelopes } = await citizen({ 'In-Reply-To': '<a@x>', References: '<r1@x> <a@x>' }, 'Selamat pagi');
      expect(envelopes[0]).to.deep.include({
        channel: 'email',
        provider: 'smtp',
        externalId: 'm1@example.com',
        kind: 'message',
        from: { email: 'budi.santoso@example.com', name: 'Budi Santoso' },
        to: 'helpdesk@dpmptsp.example.go.id',
        subject: 'Izin usaha',
        text: 'Selamat pagi',
        autoReply: false,
        receivedAt: AT.toISOString(),
        thread: { inReplyTo: 'a@x', references: ['r1@x', 'a@x'] },
      });
      expect((envelopes[0]!.raw as { headers: Record<string, string> }).headers['message-id']).to.equal(
        '<m1@example.com>',
      );
    });

    it('finds the token of a reply+ recipient on our domains, and leaves a quoted reference number to the core', async () => {
      const reference = `12345678${dammCheckDigit('12345678')}`;
      const subject = `Re: [${formatReference(reference, 'SP-')}] Izin usaha`;
      const { envelopes } = await citizen(
        { Subject: subject, To: 'Satu Pintu <reply+42.ab12cd@dpmptsp.example.go.id>' },
        'Ini balasan saya',
      );
      // Reference numbers are the core's (src/tickets/threading.ts scans the subject): the subject goes whole.
      expect(envelopes[0]!.thread).to.deep.equal({ replyToken: '42.ab12cd' });
      expect(envelopes[0]!.subject).to.equal(subject);
      expect(envelopes[0]!.to).to.equal('reply+42.ab12cd@dpmptsp.example.go.id');
      const foreign = await citizen({ To: 'reply+42.ab12cd@elsewhere.example' }, 'x');
      expect(foreign.envelopes[0]!.thread).to.deep.equal({});
    });

    it('takes our recipient from Delivered-To (the SMTP envelope) when the mail came by Bcc', async () => {
      const { envelopes } = await citizen(
        { 'Delivered-To': 'keluhan@pengaduan.example.go.id', To: 'teman@example.com' },
        'Bcc',
      );
      expect(envelopes[0]!.to).to.equal('keluhan@pengaduan.example.go.id');
    });

    it('separates the quoted history and keeps it beside the envelope', async () => {
      const body =
        'Dokumen sudah saya kirim.\n\nPada tanggal Sen, 3 Jun 2024 pukul 10.00 Satu Pintu <helpdesk@dpmptsp.example.go.id> menulis:\n> Nomor tiket Anda SP-100-000-005';
      const { envelopes } = await citizen({}, body);
      expect(envelopes[0]!.text).to.equal('Dokumen sudah saya kirim.');
      expect((envelopes[0]!.raw as { quotedText: string }).quotedText).to.match(/^Pada tanggal/);
    });

    it('without a Message-ID takes a digest of the bytes, so a replay is the same id', async () => {
      const raw = composeMail({ From: 'a@example.com', To: 'helpdesk@dpmptsp.example.go.id' }, 'tanpa id');
      const first = (await parse(raw)).envelopes[0]!.externalId;
      expect(first).to.equal(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
      expect((await parse(raw)).envelopes[0]!.externalId).to.equal(first);
    });

    it('drops scripts, handlers and remote images from HTML', async () => {
      const html =
        '<p onclick="x()">Halo<script>alert(1)</script><img src="https://tracker.example/p.gif"><img src="cid:foto@x"></p>';
      const { envelopes } = await citizen({ 'Content-Type': 'text/html; charset=utf-8' }, html);
      expect(envelopes[0]!.html).to.equal('<p>Halo<img /><img src="cid:foto@x" /></p>');
      expect(envelopes[0]!.text).to.equal('Halo');
    });

    it('keeps the words of HTML nested deeper than any mail client nests (and no deeper than 512)', async () => {
      // 5,000 levels overflowed html-to-text's stack; the mail then failed to parse for good.
      const html = `${'<div>'.repeat(5_000)}Mohon info izin usaha.${'</div>'.repeat(5_000)}<p>Terima kasih</p>`;
      const { envelopes } = await citizen({ 'Content-Type': 'text/html; charset=utf-8' }, html);
      expect(envelopes[0]!.text).to.equal('Mohon info izin usaha.\n\nTerima kasih');
      expect(envelopes[0]!.html!.match(/<div>/g)).to.have.length(512);
      expect(envelopes[0]!.html).to.match(/Mohon info izin usaha\.(<\/div>){512}<p>Terima kasih<\/p>$/);
    });
  });

  describe('loops and junk', () => {
    const auto = async (headers: Record<string, string>) => (await citizen(headers, 'isi')).envelopes[0]!.autoReply;
    it('marks machine mail by its headers', async () => {
      expect(await auto({ 'Auto-Submitted': 'auto-replied' })).to.equal(true);
      expect(await auto({ 'Auto-Submitted': 'no' })).to.equal(false);
      for (const precedence of ['bulk', 'junk', 'list'])
        expect(await auto({ Precedence: precedence }), precedence).to.equal(true);
      for (const name of ['X-Autoreply', 'X-Autorespond', 'X-Auto-Response-Suppress', 'List-Unsubscribe', 'List-Id']) {
        expect(await auto({ [name]: 'yes' }), name).to.equal(true);
      }
      expect(await auto({ 'Return-Path': '<>' })).to.equal(true);
      expect(await auto({ From: 'MAILER-DAEMON@mx.example.com', Subject: 'Pemberitahuan' })).to.equal(true);
      expect(await auto({ From: 'postmaster@example.com', Subject: 'Halo' })).to.equal(true);
    });

    it('marks the common out-of-office subjects, in Indonesian too', async () => {
      for (const subject of [
        'Out of Office: Izin usaha',
        'Automatic reply: Izin',
        'Autoreply: x',
        'Abwesenheitsnotiz: x',
        'Di luar kantor: Izin',
        'Balasan otomatis: Izin',
      ]) {
        expect(await auto({ Subject: subject }), subject).to.equal(true);
      }
      expect(await auto({ Subject: 'Re: Izin usaha saya di luar kota' })).to.equal(false);
    });
  });
});

describe('channels/email splitQuotedText', () => {
  it('cuts at an attribution line, English or wrapped over two lines', () => {
    expect(splitQuotedText('Thanks!\n\nOn Mon, Jun 3, 2024 at 10:00 AM Satu Pintu <h@x> wrote:\n> old').reply).to.equal(
      'Thanks!',
    );
    expect(splitQuotedText('Ok\n\nOn Mon, Jun 3, 2024 at 10:00 AM Satu Pintu\n<h@x> wrote:\n> old').reply).to.equal(
      'Ok',
    );
  });

  it('cuts at Outlook separators and header blocks, not at a citizen letter heading', () => {
    expect(splitQuotedText('Baik\n\n-----Original Message-----\nFrom: a').reply).to.equal('Baik');
    expect(
      splitQuotedText('Baik\n\n________________________________\nDari: Satu Pintu\nDikirim: Senin\nKepada: Budi').reply,
    ).to.equal('Baik');
    expect(splitQuotedText('Baik\n\nFrom: Satu Pintu <h@x>\nSent: Monday\nTo: Budi').reply).to.equal('Baik');
    const letter =
      'Selamat pagi,\n\nDari: Budi Santoso\nTanggal: 3 Juni 2024\nPerihal: Izin usaha\n\nMohon informasinya.';
    expect(splitQuotedText(letter)).to.deep.equal({ reply: letter, quoted: '' });
  });

  it('keeps inline answers between quoted lines, and a trailing quote block is history', () => {
    const inline = '> Apakah sudah punya NIB?\nSudah.\n> Alamat usaha?\nJl. Merdeka 1';
    expect(splitQuotedText(inline).reply).to.equal(inline);
    expect(splitQuotedText('Sudah.\n\n> Apakah sudah punya NIB?\n>\n> Terima kasih')).to.deep.equal({
      reply: 'Sudah.',
      quoted: '> Apakah sudah punya NIB?\n>\n> Terima kasih',
    });
  });

  it('keeps a mail that is all quote whole, and stays linear on hostile input', () => {
    expect(splitQuotedText('> only quoted')).to.deep.equal({ reply: '> only quoted', quoted: '' });
    const hostile = `${'On '.repeat(200_000)}\n${'> x\n'.repeat(100_000)}end`;
    const started = Date.now();
    splitQuotedText(hostile);
    expect(Date.now() - started).to.be.below(2000);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { formatReference } from '../../src/tickets/reference-number.js';
import { jpeg, pdf, windowsProgram } from '../support/attachment-samples.js';
import { mailFixture, mailFixtures, type FixtureKind } from '../support/mail-fixtures.js';
import { mailSender } from '../support/mail-sender.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const DOMAIN = 'dpmptsp.example.go.id';
const HELPDESK = `helpdesk@${DOMAIN}`;
const MAX_BYTES = 2 * 1024 * 1024; // above the largest fixture (1.2 MB)
const MAX_ATTACHMENT = 64 * 1024;

describe('Email inbound: mail over SMTP becomes tickets', () => {
  let server: TestServer;
  let dataDir: string;
  let mail: ReturnType<typeof mailSender>;
  let seq = 0;
  const citizen = () => `warga.${Date.now()}.${seq++}@example.com`;
  const messageId = () => `${randomBytes(8).toString('hex')}@example.com`;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-mail-'));
    server = await startTestServer({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '0',
      EMAIL_INBOUND_ADDRESSES: `${HELPDESK},@pengaduan.example.go.id`,
      EMAIL_FROM: `Satu Pintu <${HELPDESK}>`,
      EMAIL_MAX_BYTES: String(MAX_BYTES),
      EMAIL_ATTACHMENT_MAX_BYTES: String(MAX_ATTACHMENT),
      EMAIL_ACK_LIMIT: '100',
      DATA_DIR: dataDir,
    });
    mail = mailSender(server.runtime.smtpPort!);
  });
  after(async () => {
    mail?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const db = () => server.runtime.db;
  const lastInboxId = async () => Number((await db()('inbox').max({ id: 'id' }).first())?.id ?? 0);

  /** The ticket an inbox row landed on, once the worker has processed it. */
  async function ticketOfRow(where: Record<string, unknown>): Promise<number> {
    return waitFor('inbox row processed', async () => {
      const row = await db()('inbox').where(where).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }
  const messagesOf = (ticketId: number) => db()('messages').where({ ticket_id: ticketId }).orderBy('id').select();

  it('turns a new mail into a ticket on the email channel with an acknowledgement in the outbox', async () => {
    const from = citizen();
    const id = messageId();
    const response = await mail.send({
      from: `Siti Rahma <${from}>`,
      to: HELPDESK,
      subject: 'Syarat izin usaha mikro',
      text: 'Selamat pagi, apa saja syarat NIB untuk usaha mikro?\n\nTerima kasih',
      messageId: `<${id}>`,
    });
    expect(response).to.match(/^250/);
    const ticketId = await ticketOfRow({ provider: 'smtp', external_id: id });

    const ticket = await db()('tickets').where({ id: ticketId }).first('channel', 'subject', 'contact_id');
    expect(ticket).to.include({ channel: 'email', subject: 'Syarat izin usaha mikro' });
    const identities = await db()('contact_identities')
      .where({ contact_id: ticket.contact_id })
      .select('kind', 'value');
    expect(identities).to.deep.equal([{ kind: 'email', value: from }]);
    const contact = await db()('contacts').where({ id: ticket.contact_id }).first('display_name');
    expect(contact.display_name).to.equal('Siti Rahma');

    const messages = await messagesOf(ticketId);
    const inbound = messages.find((message) => message.direction === 'inbound')!;
    expect(inbound).to.include({ channel: 'email', provider: 'smtp', provider_message_id: id, address: from });
    expect(inbound.body).to.equal('Selamat pagi, apa saja syarat NIB untuk usaha mikro?\n\nTerima kasih');
    const ack = messages.find((message) => message.kind === 'acknowledgement');
    expect(ack, 'acknowledgement queued').to.include({ direction: 'outbound', channel: 'email', address: from });

    const view = await server.api(`/api/v1/tickets/${ticketId}`);
    expect(view.status).to.equal(200);
  });

  it('records a replayed Message-ID once', async () => {
    const id = messageId();
    const raw = `From: ${citizen()}\r\nTo: ${HELPDESK}\r\nSubject: Dikirim ulang\r\nMessage-ID: <${id}>\r\n\r\nPesan yang sama\r\n`;
    for (let attempt = 0; attempt < 3; attempt += 1)
      expect(await mail.sendRaw(raw, { from: 'relay@example.com', to: [HELPDESK] })).to.match(/^250/);
    const ticketId = await ticketOfRow({ provider: 'smtp', external_id: id });
    expect(Number((await db()('inbox').where({ external_id: id }).count({ n: '*' }).first())?.n)).to.equal(1);
    expect((await messagesOf(ticketId)).filter((message) => message.direction === 'inbound')).to.have.length(1);
  });

  it('puts a mail whose subject carries an existing reference on that ticket, its quoted history set aside', async () => {
    const from = citizen();
    const first = messageId();
    await mail.send({
      from,
      to: HELPDESK,
      subject: 'Pengaduan pelayanan',
      text: 'Izin saya belum terbit',
      messageId: `<${first}>`,
    });
    const ticketId = await ticketOfRow({ external_id: first });
    const { reference } = await db()('tickets').where({ id: ticketId }).first('reference');
    const reply = messageId();
    await mail.send({
      from,
      to: HELPDESK,
      subject: `Re: [${formatReference(reference, 'SP-')}] Pengaduan pelayanan`,
      text: `Ini dokumen tambahannya.\n\nPada tanggal Sen, 3 Jun 2024 pukul 10.00 Satu Pintu <${HELPDESK}> menulis:\n> Laporan Anda kami terima.`,
      messageId: `<${reply}>`,
    });
    expect(await ticketOfRow({ external_id: reply })).to.equal(ticketId);
    const inbound = (await messagesOf(ticketId)).filter((message) => message.direction === 'inbound');
    expect(inbound.map((message) => message.body)).to.deep.equal([
      'Izin saya belum terbit',
      'Ini dokumen tambahannya.',
    ]);
    const received = await db()('ticket_events')
      .where({ ticket_id: ticketId, type: 'message_received' })
      .orderBy('id')
      .select('data');
    expect(JSON.stringify(received.at(-1))).to.contain('reference');
  });

  it('saves attachments under DATA_DIR by sha256; a too-large one or a program is only named in the text', async () => {
    const photo = jpeg(randomBytes(20_000));
    const big = randomBytes(MAX_ATTACHMENT + 1);
    const id = messageId();
    await mail.send({
      from: citizen(),
      to: HELPDESK,
      subject: 'Berkas permohonan',
      text: 'Terlampir KTP dan denah lokasi.',
      html: '<p>Terlampir KTP dan denah lokasi.<img src="cid:denah@warga"></p>',
      messageId: `<${id}>`,
      attachments: [
        { filename: 'ktp.jpg', content: photo, contentType: 'image/jpeg' },
        { filename: 'denah.png', content: photo, contentType: 'image/png', cid: 'denah@warga' },
        { filename: 'rekaman.mp4', content: big, contentType: 'video/mp4' },
        { filename: 'setup.exe', content: Buffer.from('MZ'), contentType: 'application/octet-stream' },
      ],
    });
    const ticketId = await ticketOfRow({ external_id: id });
    const inbound = (await messagesOf(ticketId)).find((message) => message.direction === 'inbound')!;
    expect(inbound.body)
      .to.contain('Terlampir KTP dan denah lokasi.')
      .and.contain('rekaman.mp4')
      .and.contain('[Lampiran tidak disimpan: setup.exe (0.0 MB), berkas program tidak diterima]');
    const attachments = await db()('attachments').where({ message_id: inbound.id }).orderBy('id').select();
    // The bytes decide: "denah.png" is the same JPEG, so it is kept as one.
    expect(attachments.map((row) => row.filename)).to.have.members(['ktp.jpg', 'denah.jpg']);
    const sha256 = createHash('sha256').update(photo).digest('hex');
    for (const row of attachments) {
      expect(row).to.include({
        content_type: 'image/jpeg',
        storage: 'local',
        sha256,
        size_bytes: photo.length,
        url: `attachments/${sha256.slice(0, 2)}/${sha256}`,
      });
      expect(
        createHash('sha256')
          .update(fs.readFileSync(path.join(dataDir, row.url)))
          .digest('hex'),
      ).to.equal(sha256);
    }
    expect(fs.readdirSync(path.join(dataDir, 'attachments', sha256.slice(0, 2)))).to.deep.equal([sha256]); // stored once
  });

  it('keeps only what the allow-list accepts, by its bytes: the sniffed type, a cleaned name, a note for the rest', async () => {
    const id = messageId();
    const surat = pdf('Permohonan izin usaha mikro');
    await mail.send({
      from: citizen(),
      to: HELPDESK,
      subject: 'Permohonan izin',
      text: 'Berkas terlampir.',
      messageId: `<${id}>`,
      attachments: [
        {
          filename: '..\\dokumen\\surat\u200B permohonan.pdf. ',
          content: surat,
          contentType: 'application/octet-stream',
        },
        { filename: 'invoice\u202Efdp.exe', content: windowsProgram(), contentType: 'application/pdf' },
        { filename: 'evil.exe.', content: Buffer.from('@echo off\r\n'), contentType: 'text/plain' },
      ],
    });
    const ticketId = await ticketOfRow({ external_id: id });
    const inbound = (await messagesOf(ticketId)).find((message) => message.direction === 'inbound')!;
    const rows = await db()('attachments').where({ message_id: inbound.id }).select();
    const sha256 = createHash('sha256').update(surat).digest('hex');
    expect(
      rows.map(({ filename, content_type, sha256, url }) => ({ filename, content_type, sha256, url })),
    ).to.deep.equal([
      {
        filename: 'surat permohonan.pdf',
        content_type: 'application/pdf',
        sha256,
        url: `attachments/${sha256.slice(0, 2)}/${sha256}`,
      },
    ]);
    expect(fs.readFileSync(path.join(dataDir, rows[0]!.url)).equals(surat)).to.equal(true);
    expect(inbound.body)
      .to.contain('Berkas terlampir.')
      .and.contain('[Lampiran tidak disimpan: invoicefdp.exe (0.0 MB), berkas program tidak diterima]')
      .and.contain('[Lampiran tidak disimpan: evil.exe (0.0 MB), berkas skrip atau program tidak diterima]')
      .and.not.contain('\u202E');
    const files = fs.readdirSync(path.join(dataDir, 'attachments'), { recursive: true, withFileTypes: true });
    const stored = files.filter((entry) => entry.isFile()).map((entry) => entry.name);
    for (const refused of [windowsProgram(), Buffer.from('@echo off\r\n')])
      expect(stored).to.not.include(createHash('sha256').update(refused).digest('hex'));
  });

  it('refuses mail for an address that is not ours with 550 (never an open relay), and an oversized one with 552', async () => {
    const before = await lastInboxId();
    const relay = await mail.refusal(
      mail.send({ from: citizen(), to: 'someone@elsewhere.example', subject: 'relay', text: 'x' }),
    );
    expect(relay.responseCode).to.equal(550);
    const large = await mail.refusal(
      mail.send({ from: citizen(), to: HELPDESK, subject: 'besar', text: 'x'.repeat(MAX_BYTES + 1024) }),
    );
    expect(large.responseCode).to.equal(552);
    expect(await lastInboxId()).to.equal(before);
  });

  it('accepts reply+ addresses and any address of an @domain entry', async () => {
    for (const to of [`reply+12.0123456789abcdef@${DOMAIN}`, 'kepala@pengaduan.example.go.id']) {
      const id = messageId();
      expect(
        await mail.send({ from: citizen(), to, subject: 'Alamat lain', text: 'isi', messageId: `<${id}>` }),
      ).to.match(/^250/);
      await ticketOfRow({ external_id: id });
    }
  });

  describe('every fixture under fixtures/email/ through the listener', () => {
    /** Sends a fixture as an MTA would; returns the inbox rows it created. */
    async function feed(kind: FixtureKind, raw: Buffer): Promise<Array<{ id: number; external_id: string }>> {
      const before = await lastInboxId();
      // Reports and auto-replies travel with the null sender, as MTAs send them.
      const from = kind === 'mime' ? 'fixtures@example.org' : '';
      expect(await mail.sendRaw(raw, { from, to: [HELPDESK] })).to.match(/^250/);
      return db()('inbox').where('id', '>', before).orderBy('id').select('id', 'external_id');
    }

    it('auto-replies are recorded on tickets, marked automatic, and never acknowledged', async () => {
      for (const { name, raw } of mailFixtures('auto-replies')) {
        const [row] = await feed('auto-replies', raw);
        expect(row, name).to.not.equal(undefined);
        const ticketId = await ticketOfRow({ id: row!.id });
        const messages = await messagesOf(ticketId);
        expect(
          messages.filter((message) => message.direction === 'inbound').map((message) => Boolean(message.auto_reply)),
          name,
        ).to.deep.equal([true]);
        expect(
          messages.filter((message) => message.kind === 'acknowledgement'),
          name,
        ).to.deep.equal([]);
      }
    });

    it('bounces open no ticket', async () => {
      const tickets = Number((await db()('tickets').count({ n: '*' }).first())?.n);
      for (const { name, raw } of mailFixtures('bounces')) {
        expect(await feed('bounces', raw), name).to.deep.equal([]);
      }
      expect(Number((await db()('tickets').count({ n: '*' }).first())?.n)).to.equal(tickets);
    });

    it('MIME cases keep their text and attachments (files on disk with their sha256)', async () => {
      const rows = new Map<string, Array<{ id: number }>>();
      for (const { name, raw } of mailFixtures('mime')) rows.set(name, await feed('mime', raw));
      expect(rows.get('mailparser-delivery-status.eml'), 'a bounce, no contact').to.deep.equal([]);
      const inboundOf = async (name: string) => {
        const ticketId = await ticketOfRow({ id: rows.get(name)![0]!.id });
        return (await messagesOf(ticketId)).find((message) => message.direction === 'inbound')!;
      };
      expect((await inboundOf('mailparser-nested.eml')).body)
        .to.contain('Dear Sir')
        .and.contain('The footer');
      expect((await inboundOf('mailparser-mixed.eml')).address, 'no From: the envelope sender').to.equal(
        'fixtures@example.org',
      );
      expect((await inboundOf('mailparser-large_text.eml')).body.length).to.be.greaterThan(1_000_000);
      const nodemailer = await inboundOf('mailparser-nodemailer.eml');
      // Its text/watch-html alternative is HTML: not kept, and the note says so.
      expect(nodemailer.body).to.equal(
        'Hello to myself!\n\n[Lampiran tidak disimpan: text/watch-html (0.0 MB), halaman web (HTML/SVG/XML) tidak diterima; kirim sebagai PDF]',
      );
      const attachments = await db()('attachments').where({ message_id: nodemailer.id }).select();
      expect(attachments.map((row) => row.filename)).to.include.members(['image.png', 'nyan cat ✔.gif', 'notes.txt']);
      expect(Object.fromEntries(attachments.map((row) => [row.filename, row.content_type]))).to.include({
        'image.png': 'image/png',
        'nyan cat ✔.gif': 'image/gif',
        'notes.txt': 'text/plain; charset=utf-8',
      });
      for (const row of [
        ...attachments,
        ...(await db()('attachments').where({ message_id: (await inboundOf('mailparser-base64encodedroot.eml')).id })),
      ]) {
        const bytes = fs.readFileSync(path.join(dataDir, row.url));
        expect(createHash('sha256').update(bytes).digest('hex'), row.filename).to.equal(row.sha256);
        expect(bytes.length).to.equal(row.size_bytes);
      }
    });
  });

  it('marks our message failed when its bounce comes back, and shows it on the ticket', async () => {
    const id = messageId();
    await mail.send({
      from: citizen(),
      to: HELPDESK,
      subject: 'Alamat saya salah ketik',
      text: 'Halo',
      messageId: `<${id}>`,
    });
    const ticketId = await ticketOfRow({ external_id: id });
    const ack = await waitFor('acknowledgement', async () =>
      db()('messages').where({ ticket_id: ticketId, kind: 'acknowledgement' }).first(),
    );
    const ourId = `sp.${ticketId}.${ack.id}.bounce-test@${DOMAIN}`;
    await db()('messages')
      .where({ id: ack.id })
      .update({ provider: 'smtp', provider_message_id: ourId, delivery_status: 'sent' });
    // A real Postfix DSN, its returned message now being ours.
    const bounce = mailFixture('bounces', 'sisimai-rfc3464-01.eml')
      .toString('latin1')
      .replace('E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org', ourId);
    await mail.sendRaw(Buffer.from(bounce, 'latin1'), { from: '', to: [HELPDESK] });
    const failed = await db()('messages').where({ id: ack.id }).first('delivery_status', 'error_code', 'error_message');
    expect(failed).to.include({ delivery_status: 'failed', error_code: '5.1.1' });
    expect(failed.error_message).to.contain('User Unknown');
    const events = await db()('ticket_events').where({ ticket_id: ticketId, type: 'delivery_failed' }).select('data');
    expect(events).to.have.length(1);
  });
});

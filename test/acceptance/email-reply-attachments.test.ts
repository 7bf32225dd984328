import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { recordInbound } from '../../src/inbox/inbox.js';
import { docm, jpeg, pdf as samplePdf, windowsProgram } from '../support/attachment-samples.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

describe('Agent replies by mail with attachments', () => {
  let smtp: SmtpCapture;
  let server: TestServer;
  before(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({ SMTP_URL: smtp.url, EMAIL_ATTACHMENT_MAX_BYTES: String(200 * 1024) });
  });
  after(async () => {
    await server?.stop();
    await smtp?.close();
  });

  const reply = (ticketId: number, body: unknown) =>
    server.api(`/api/v1/tickets/${ticketId}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  async function mailTicket(from: string): Promise<number> {
    const envelope: InboundEnvelope = {
      channel: 'email',
      provider: 'smtp',
      externalId: `${randomUUID()}@mail.example.com`,
      kind: 'message',
      from: { email: from, name: 'Sari' },
      to: 'helpdesk@localhost',
      subject: 'Formulir izin',
      text: 'Mohon dikirimkan formulirnya.',
      attachments: [],
      receivedAt: new Date().toISOString(),
      raw: {},
    };
    const [recorded] = await recordInbound(server.runtime.db, [envelope]);
    await server.runtime.queues.enqueueInbound([recorded!.id]);
    return waitFor('mail ingested', async () => {
      const row = await server.runtime.db('inbox').where({ id: recorded!.id }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  it('sends the files with the reply, and keeps them on the ticket', async () => {
    const ticketId = await mailTicket('sari@example.com');
    const pdf = Buffer.concat([samplePdf(), randomBytes(50 * 1024)]);
    const photo = jpeg(randomBytes(1024));
    const response = await reply(ticketId, {
      body: 'Terlampir formulir permohonan.',
      attachments: [
        { filename: 'formulir-izin.pdf', content_type: 'application/pdf', content_base64: pdf.toString('base64') },
        // Declared a PDF, bytes of a JPEG, a name with a right-to-left override: sent as what it is.
        { filename: 'de\u202Enah.pdf', content_type: 'application/pdf', content_base64: photo.toString('base64') },
      ],
    });
    expect(response.status).to.equal(201);
    const mail = await waitFor(
      'reply captured',
      () =>
        smtp.messages.find(
          (captured) => captured.rcptTo.includes('sari@example.com') && captured.raw.includes('formulir-izin.pdf'),
        ),
      15_000,
    );
    const parsed = await simpleParser(mail.raw);
    expect(parsed.text).to.contain('Terlampir formulir permohonan.');
    expect(parsed.attachments.map((file) => [file.filename, file.contentType])).to.deep.equal([
      ['formulir-izin.pdf', 'application/pdf'],
      ['denah.jpg', 'image/jpeg'],
    ]);
    expect(Buffer.compare(parsed.attachments[0]!.content, pdf)).to.equal(0);
    expect(Buffer.compare(parsed.attachments[1]!.content, photo)).to.equal(0);
    const view = (await (await server.api(`/api/v1/tickets/${ticketId}`)).json()) as {
      data: {
        messages: Array<{
          direction: string;
          author_type: string;
          attachments: Array<{ filename: string; size_bytes: number }>;
        }>;
      };
    };
    const sent = view.data.messages.find((message) => message.author_type === 'agent')!;
    expect(sent.attachments.map((file) => [file.filename, Number(file.size_bytes)])).to.deep.equal([
      ['formulir-izin.pdf', pdf.length],
      ['denah.jpg', photo.length],
    ]);
  });

  it('refuses a program, a file over the limit, and files on a channel other than mail', async () => {
    const ticketId = await mailTicket('dodi@example.com');
    const program = await reply(ticketId, {
      body: 'x',
      attachments: [
        { filename: 'setup.exe', content_type: 'application/octet-stream', content_base64: 'TVqQAAMAAAAEAAAA' },
      ],
    });
    expect(program.status).to.equal(422);
    expect(((await program.json()) as { error: unknown }).error).to.deep.include({
      code: 'attachment_refused',
      details: { reason: 'program', description: 'berkas program tidak diterima' },
    });
    // The block-list's bypasses: a trailing dot, a macro document under a harmless name.
    for (const [filename, content, reason] of [
      ['setup.exe.', windowsProgram(), 'program'],
      ['surat.docx', docm(), 'macro'],
      ['halaman.html', Buffer.from('<html><script>x()</script></html>'), 'web_page'],
    ] as const) {
      const refused = await reply(ticketId, {
        body: 'x',
        attachments: [{ filename, content_type: 'application/pdf', content_base64: content.toString('base64') }],
      });
      expect(refused.status, filename).to.equal(422);
      expect(((await refused.json()) as { error: { details: { reason: string } } }).error.details.reason).to.equal(
        reason,
      );
    }
    const large = await reply(ticketId, {
      body: 'x',
      attachments: [
        {
          filename: 'besar.pdf',
          content_type: 'application/pdf',
          content_base64: Buffer.concat([samplePdf(), randomBytes(300 * 1024)]).toString('base64'),
        },
      ],
    });
    expect(large.status).to.equal(422);
    expect(((await large.json()) as { error: { code: string } }).error.code).to.equal('attachment_refused');

    const sms = inboundSms('+6281800000001', 'Halo');
    await server.postTwilio('/webhooks/twilio/messaging', sms);
    const smsTicket = await waitFor('sms ticket', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: sms.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    const onSms = await reply(smsTicket, {
      body: 'x',
      attachments: [{ filename: 'a.pdf', content_type: 'application/pdf', content_base64: 'JVBERi0=' }],
    });
    expect(onSms.status).to.equal(422);
    expect(((await onSms.json()) as { error: { code: string } }).error.code).to.equal('attachments_email_only');
  });
});

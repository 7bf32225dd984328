import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { jpeg, pdf } from '../support/attachment-samples.js';
import { mailSender } from '../support/mail-sender.js';
import { person, team, type Person } from '../support/metrics-fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';

interface AttachmentView {
  id: number;
  storage: string;
  filename: string;
  content_type: string;
  download_url: string | null;
}

/**
 * Issue 14: the files citizens mail in, served to the agents who may see their ticket. A mail
 * with attachments goes over real SMTP into the store; agents then download them over HTTP.
 */
describe('Attachments: GET /api/v1/attachments/{id} serves kept files to who may see the ticket', function () {
  this.timeout(60_000);
  let server: TestServer;
  let dataDir: string;
  let mail: ReturnType<typeof mailSender>;
  let teamAgent: Person;
  let otherAgent: Person;
  let supervisor: Person;
  let ticketId: number;
  let files: Record<string, AttachmentView>;
  const letter = pdf(`Surat permohonan ${randomBytes(8).toString('hex')}`);
  const photo = jpeg(randomBytes(30_000));
  const report = pdf(`Laporan ${randomBytes(8).toString('hex')}`);
  const notes = Buffer.from(`Catatan: berkas sudah lengkap ${randomBytes(4).toString('hex')}\n`, 'utf8');

  const as = (who: Person, url: string) =>
    fetch(server.baseUrl + url, { headers: { authorization: `Bearer ${who.token}` } });

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-download-'));
    server = await startTestServer({
      EMAIL_INBOUND_ADDRESSES: HELPDESK,
      EMAIL_FROM: `Satu Pintu <${HELPDESK}>`,
      DATA_DIR: dataDir,
    });
    mail = mailSender(server.runtime.smtpPort!);
    const frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    const agency = await team(server, 'dinas-pupr', 'Dinas PUPR');
    teamAgent = await person(server, 'petugas.loket@dpmptsp.example.go.id', 'agent', [frontDesk]);
    otherAgent = await person(server, 'petugas.pupr@dpmptsp.example.go.id', 'agent', [agency]);
    supervisor = await person(server, 'spv.loket@dpmptsp.example.go.id', 'supervisor', [frontDesk]);

    const messageId = `${randomBytes(8).toString('hex')}@example.com`;
    const response = await mail.send({
      from: 'Siti Rahma <siti.rahma@example.com>',
      to: HELPDESK,
      subject: 'Berkas permohonan IMB',
      text: 'Berikut berkas permohonan saya.',
      messageId: `<${messageId}>`,
      attachments: [
        { filename: 'Permohonan izin – Samarinda.pdf', content: letter, contentType: 'application/pdf' },
        { filename: 'foto lokasi.jpg', content: photo, contentType: 'image/jpeg' },
        { filename: 'catatan.txt', content: notes, contentType: 'text/plain' },
        { filename: 'laporan 100% "final" (1).pdf', content: report, contentType: 'application/pdf' },
      ],
    });
    expect(response).to.match(/^250/);
    ticketId = await waitFor('the mail processed', async () => {
      const row = await server.runtime.db('inbox').where({ external_id: messageId }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    const view = await as(teamAgent, `/api/v1/tickets/${ticketId}`);
    expect(view.status).to.equal(200);
    const { data } = (await view.json()) as { data: { messages: Array<{ attachments: AttachmentView[] }> } };
    const listed = data.messages.flatMap((message) => message.attachments);
    files = Object.fromEntries(listed.map((attachment) => [attachment.filename, attachment]));
    expect(Object.keys(files)).to.have.members([
      'Permohonan izin – Samarinda.pdf',
      'foto lokasi.jpg',
      'catatan.txt',
      'laporan 100% _final_ (1).pdf',
    ]);
  });
  after(async () => {
    mail?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists each kept file on the ticket view with its id and download URL', () => {
    for (const attachment of Object.values(files)) {
      expect(attachment.storage).to.equal('local');
      expect(attachment.download_url).to.equal(`/api/v1/attachments/${attachment.id}`);
    }
  });

  it('serves a PDF inline, bytes as sent, with its cleaned name in RFC 6266/5987 form and the sandboxing headers', async () => {
    const answer = await as(teamAgent, files['Permohonan izin – Samarinda.pdf']!.download_url!);
    expect(answer.status).to.equal(200);
    expect(Buffer.from(await answer.arrayBuffer()).equals(letter), 'the bytes the citizen sent').to.equal(true);
    expect(answer.headers.get('content-type')).to.equal('application/pdf');
    expect(answer.headers.get('content-length')).to.equal(String(letter.length));
    expect(answer.headers.get('content-disposition')).to.equal(
      `inline; filename="Permohonan izin _ Samarinda.pdf"; filename*=UTF-8''Permohonan%20izin%20%E2%80%93%20Samarinda.pdf`,
    );
    expect(answer.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(answer.headers.get('content-security-policy')).to.equal(
      "default-src 'none'; sandbox; frame-ancestors 'none'",
    );
    expect(answer.headers.get('cache-control')).to.equal('private, no-store');
  });

  it('keeps quotes, percent signs and parentheses out of the plain name and percent-encodes them in filename*', async () => {
    const answer = await as(teamAgent, files['laporan 100% _final_ (1).pdf']!.download_url!);
    expect(answer.status).to.equal(200);
    expect(Buffer.from(await answer.arrayBuffer()).equals(report)).to.equal(true);
    expect(answer.headers.get('content-disposition')).to.equal(
      `inline; filename="laporan 100_ _final_ (1).pdf"; filename*=UTF-8''laporan%20100%25%20_final_%20%281%29.pdf`,
    );
  });

  it('serves an image inline and text as an attachment to save', async () => {
    const image = await as(supervisor, files['foto lokasi.jpg']!.download_url!);
    expect(image.status).to.equal(200);
    expect(Buffer.from(await image.arrayBuffer()).equals(photo)).to.equal(true);
    expect(image.headers.get('content-type')).to.equal('image/jpeg');
    expect(image.headers.get('content-disposition')).to.match(/^inline; filename="foto lokasi\.jpg"/);

    const text = await as(teamAgent, files['catatan.txt']!.download_url!);
    expect(text.status).to.equal(200);
    expect(Buffer.from(await text.arrayBuffer()).equals(notes)).to.equal(true);
    expect(text.headers.get('content-type')).to.equal('text/plain; charset=utf-8');
    expect(text.headers.get('content-disposition')).to.match(/^attachment; filename="catatan\.txt"/);
  });

  it("answers 404 JSON to an agent of another team, and to an agent once the ticket is confidential (not to its team's supervisor)", async () => {
    const url = files['Permohonan izin – Samarinda.pdf']!.download_url!;
    const other = await as(otherAgent, url);
    expect(other.status).to.equal(404);
    expect(other.headers.get('content-type')).to.match(/^application\/json/);
    expect(((await other.json()) as { error: { code: string } }).error.code).to.equal('not_found');

    const secret = await server.api(`/api/v1/tickets/${ticketId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confidential: true }),
    });
    expect(secret.status).to.equal(200);
    try {
      expect((await as(teamAgent, url)).status).to.equal(404);
      expect((await as(supervisor, url)).status).to.equal(200);
    } finally {
      await server.runtime.db('tickets').where({ id: ticketId }).update({ confidential: false });
    }
  });

  it('serves a row recorded as HTML or SVG (older than the policy) as bytes to save, never as a page', async () => {
    const source = await server.runtime.db('attachments').where({ id: files['catatan.txt']!.id }).first();
    for (const [contentType, filename] of [
      ['text/html', 'halaman.html'],
      ['image/svg+xml', 'gambar.svg'],
    ] as const) {
      const { id: _id, ...copy } = source;
      const [inserted] = await server.runtime
        .db('attachments')
        .insert({ ...copy, content_type: contentType, filename })
        .returning('id');
      const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
      const answer = await as(teamAgent, `/api/v1/attachments/${id}`);
      expect(answer.status, contentType).to.equal(200);
      expect(answer.headers.get('content-type'), contentType).to.equal('application/octet-stream');
      expect(answer.headers.get('content-disposition'), contentType).to.equal(
        `attachment; filename="${filename}"; filename*=UTF-8''${filename}`,
      );
    }
  });

  it('answers 404 JSON, not 500, when the file is gone from the disk, and 400 or 404 for ids that name nothing', async () => {
    const image = await server.runtime.db('attachments').where({ id: files['foto lokasi.jpg']!.id }).first('url');
    fs.rmSync(path.join(dataDir, image.url));
    const gone = await as(teamAgent, files['foto lokasi.jpg']!.download_url!);
    expect(gone.status).to.equal(404);
    expect(gone.headers.get('content-type')).to.match(/^application\/json/);
    expect(((await gone.json()) as { error: { message: string } }).error.message).to.equal('Attachment file not found');

    expect((await as(teamAgent, '/api/v1/attachments/999999')).status).to.equal(404);
    const bad = await as(teamAgent, '/api/v1/attachments/abc');
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('invalid_request');
    expect((await fetch(`${server.baseUrl}${files['Permohonan izin – Samarinda.pdf']!.download_url}`)).status).to.equal(
      401,
    );
  });
});

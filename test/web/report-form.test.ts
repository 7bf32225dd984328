import { expect } from 'chai';
import { pdf, png, windowsProgram } from '../support/attachment-samples.js';
import { mailSender } from '../support/mail-sender.js';
import { mailedContact } from '../support/mailed-contact.js';
import { person } from '../support/metrics-fixtures.js';
import { startScriptedTwilio } from '../support/twilio-error-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { marksOf, multipart, solved, tokenFrom, type Upload } from './report-form-support.js';

const OFFICE = 'DPMPTSP Kota Contoh';

/**
 * /lapor over HTTP (issue 15): a report becomes a ticket through the inbox like any provider's
 * message, and every bad input comes back as a plain message on the page (or JSON on the API),
 * never a 500. Each test speaks from its own client address (X-Forwarded-For from loopback is
 * trusted), so the per-address limits of one test do not touch another.
 */
describe('Web door: the complaint form over HTTP', () => {
  let server: TestServer;
  let twilio: Awaited<ReturnType<typeof startScriptedTwilio>>;
  let address = 0;
  let phone = 0;

  before(async () => {
    twilio = await startScriptedTwilio([]);
    server = await startTestServer({
      TWILIO_API_BASE_URL: twilio.url,
      OFFICE_NAME: OFFICE,
      WEB_FORM_MIN_FILL_SECONDS: '3',
      WEB_ATTACHMENT_MAX_COUNT: '2',
      WEB_ATTACHMENT_MAX_BYTES: '20000',
      WEB_SUBMISSIONS_PER_ADDRESS_NO_JS: '2',
      WEB_SUBMISSIONS_PER_ADDRESS: '4',
      WEB_POW_MAX_COUNTER: '2000',
      ROUTING_PASS_INTERVAL_MS: '600000',
    });
  });
  after(async () => {
    await server?.stop();
    await twilio?.close();
  });

  const db = () => server.runtime.db;
  const newAddress = () => `198.51.100.${++address}`;
  const newPhone = () => `0812 7000 ${String(1000 + ++phone)}`;
  const e164 = (typed: string) => `+62${typed.replace(/\s/g, '').slice(1)}`;

  /** A fresh form, with its timestamp moved back past the minimum fill time. */
  async function openForm(from: string) {
    const response = await fetch(`${server.baseUrl}/lapor`, { headers: { 'x-forwarded-for': from } });
    expect(response.status).to.equal(200);
    const marks = marksOf(await response.text());
    return { ...marks, formToken: await tokenFrom(db(), marks.key, 10) };
  }

  const validFields = (marks: { key: string; formToken: string }, extra: Record<string, string> = {}) => ({
    key: marks.key,
    form_token: marks.formToken,
    name: 'Siti Aminah',
    phone: newPhone(),
    kind: 'complaint',
    complaint_type: 'undue_delay',
    permit_number: 'IMB/2026/0042',
    text: 'Izin usaha saya belum selesai sudah tiga bulan.',
    ...extra,
  });

  const post = (path: string, from: string, fields: Record<string, string>, files: Upload[] = []) =>
    fetch(server.baseUrl + path, {
      method: 'POST',
      headers: { 'x-forwarded-for': from },
      body: multipart(fields, files),
      redirect: 'manual',
    });

  const ticketOfKey = (key: string) =>
    waitFor('the ticket', async () => {
      const row = await db()('inbox').where({ provider: 'web', external_id: key }).first('ticket_id');
      return row?.ticket_id ? db()('tickets').where({ id: row.ticket_id }).first() : undefined;
    });

  it('records a report as a ticket on channel web, with the choices, the attachment, and an SMS acknowledgement', async () => {
    const from = newAddress();
    const marks = await openForm(from);
    const fields = validFields(marks, { confidential: 'on' });
    const response = await post('/lapor', from, fields, [{ name: 'surat.pdf', content: pdf(), type: 'text/plain' }]);
    expect(response.status).to.equal(303);
    expect(response.headers.get('location')).to.equal(`/lapor/diterima/${marks.key}?lang=id`);

    const ticket = await ticketOfKey(marks.key);
    expect(ticket).to.include({ channel: 'web', category: 'complaint', complaint_type: 'undue_delay' });
    expect(ticket.permit_number).to.equal('IMB/2026/0042');
    expect(Boolean(ticket.confidential)).to.equal(true);
    expect(Boolean(ticket.anonymous)).to.equal(false);
    const identities = await db()('contact_identities').where({ contact_id: ticket.contact_id }).pluck('value');
    expect(identities).to.deep.equal([e164(fields.phone)]);
    const attachment = await db()('attachments as a')
      .join('messages as m', 'm.id', 'a.message_id')
      .where('m.ticket_id', ticket.id)
      .first('a.content_type', 'a.filename');
    expect(attachment).to.deep.equal({ content_type: 'application/pdf', filename: 'surat.pdf' });

    const page = await fetch(server.baseUrl + response.headers.get('location'));
    const html = await page.text();
    const reference = `SP-${ticket.reference.slice(0, 3)}-${ticket.reference.slice(3, 6)}-${ticket.reference.slice(6)}`;
    expect(html).to.contain(reference).and.contain('lewat SMS');
    const sms = await waitFor('the acknowledgement', () =>
      twilio.requests.find((request) => request.get('To') === e164(fields.phone)),
    );
    expect(sms.get('Body')).to.contain(reference);
  });

  it('makes a web citizen the same contact as the one who wrote by SMS from that number', async () => {
    const from = newAddress();
    const typed = newPhone();
    const existing = await db()('contacts')
      .insert({ display_name: 'Budi', language: 'id', created_at: new Date(), updated_at: new Date() })
      .returning('id');
    const contactId = Number((existing[0] as { id: number }).id ?? existing[0]);
    await db()('contact_identities').insert({
      contact_id: contactId,
      kind: 'phone',
      value: e164(typed),
      created_at: new Date(),
    });
    const marks = await openForm(from);
    expect((await post('/lapor', from, validFields(marks, { phone: typed }))).status).to.equal(303);
    expect(Number((await ticketOfKey(marks.key)).contact_id)).to.equal(contactId);
  });

  it('makes a web citizen who gives an email the same contact as the one who wrote from it by mail', async () => {
    const email = `warga.surat.${Date.now()}@example.id`;
    const mail = mailSender(server.runtime.smtpPort!);
    try {
      const sent = await mail.send({
        from: `Rudi Hartono <${email}>`,
        to: 'helpdesk@localhost',
        subject: 'Izin reklame',
        text: 'Selamat pagi, bagaimana mengurus izin reklame?',
      });
      expect(sent).to.match(/^250/);
    } finally {
      mail.close();
    }
    const mailContact = await mailedContact(db(), email);
    const from = newAddress();
    const marks = await openForm(from);
    // Typed as people type it, with capitals; no phone this time.
    const fields = validFields(marks, { phone: '', email: email.toUpperCase() });
    expect((await post('/lapor', from, fields)).status).to.equal(303);
    const ticket = await ticketOfKey(marks.key);
    expect(ticket.channel).to.equal('web');
    expect(Number(ticket.contact_id)).to.equal(mailContact);
    const identities = await db()('contact_identities').where({ contact_id: mailContact }).select('kind', 'value');
    expect(identities).to.deep.equal([{ kind: 'email', value: email }]);
    // Typed on a page, the name does not replace the one the mail brought.
    const contact = await db()('contacts').where({ id: mailContact }).first('display_name');
    expect(contact.display_name).to.equal('Rudi Hartono');
  });

  it('records an anonymous report whose reporter the agents working it do not see, and still answers them', async () => {
    const from = newAddress();
    const marks = await openForm(from);
    const email = `pelapor.${Date.now()}@example.id`;
    const fields = validFields(marks, { name: 'Dewi Pelapor Rahasia', email, anonymous: 'on' });
    expect((await post('/lapor', from, fields)).status).to.equal(303);
    const ticket = await ticketOfKey(marks.key);
    expect(Boolean(ticket.anonymous)).to.equal(true);
    expect(Boolean(ticket.confidential)).to.equal(false);

    const frontDesk = Number((await db()('teams').where({ slug: 'front-desk' }).first('id')).id);
    const agent = await person(server, `loket.${Date.now()}@dpmptsp.example.go.id`, 'agent', [frontDesk]);
    const asAgent = (path: string, init: RequestInit = {}) =>
      fetch(server.baseUrl + path, {
        ...init,
        headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
      });
    const view = await asAgent(`/api/v1/tickets/${ticket.id}`);
    expect(view.status).to.equal(200);
    const { data } = (await view.json()) as {
      data: {
        anonymous: boolean;
        contact: { display_name: string | null; identities: unknown[] };
        messages: Array<{ direction: string; body: string }>;
      };
    };
    expect(data.anonymous).to.equal(true);
    expect(data.contact.display_name).to.equal(null);
    expect(data.contact.identities).to.deep.equal([]);
    // What they reported is there to work on; who reported it is nowhere in the answer.
    expect(data.messages.some((message) => message.body.includes('belum selesai sudah tiga bulan'))).to.equal(true);
    const seen = JSON.stringify(data);
    const digits = e164(fields.phone).slice(3);
    for (const secret of ['Dewi Pelapor', email, digits, fields.phone]) expect(seen).to.not.contain(secret);
    const list = await asAgent('/api/v1/tickets');
    const rows = ((await list.json()) as { data: Array<{ id: number; contact: { display_name: string | null } }> })
      .data;
    expect(rows.find((row) => row.id === Number(ticket.id))?.contact.display_name).to.equal(null);
    expect(JSON.stringify(rows)).to.not.contain('Dewi Pelapor');

    // The agent answers all the same: the reply goes where the form asked (its email).
    const reply = await asAgent(`/api/v1/tickets/${ticket.id}/replies`, {
      method: 'POST',
      body: JSON.stringify({ body: 'Laporan Anda kami tindak lanjuti.' }),
    });
    expect(reply.status, await reply.clone().text()).to.equal(201);
    const sent = await db()('messages')
      .where({ ticket_id: ticket.id, direction: 'outbound', author_type: 'agent' })
      .first('channel', 'address');
    expect(sent).to.deep.equal({ channel: 'email', address: email });
    // A supervisor (here the admin) answers for the protection and sees who it is.
    const admin = (await (await server.api(`/api/v1/tickets/${ticket.id}`)).json()) as {
      data: { contact: { display_name: string; identities: Array<{ value: string }> } };
    };
    expect(admin.data.contact.display_name).to.equal('Dewi Pelapor Rahasia');
    expect(admin.data.contact.identities.map((identity) => identity.value)).to.include(email);
  });

  it('answers by email when the citizen gave one', async () => {
    const from = newAddress();
    const marks = await openForm(from);
    const fields = validFields(marks, { email: 'Warga@Example.ID' });
    expect((await post('/lapor', from, fields)).status).to.equal(303);
    const ticket = await ticketOfKey(marks.key);
    const ack = await waitFor('the acknowledgement', () =>
      db()('messages').where({ ticket_id: ticket.id, direction: 'outbound' }).first('channel', 'address'),
    );
    expect(ack).to.deep.equal({ channel: 'email', address: 'warga@example.id' });
    const html = await (await fetch(`${server.baseUrl}/lapor/diterima/${marks.key}`)).text();
    expect(html).to.contain('lewat email');
    // An agent's reply takes the same way: a form has no channel of its own to answer on.
    const reply = await server.api(`/api/v1/tickets/${ticket.id}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Terima kasih, kami proses.' }),
    });
    expect(reply.status).to.equal(201);
    const sent = await db()('messages')
      .where({ ticket_id: ticket.id, direction: 'outbound', author_type: 'agent' })
      .first('channel', 'address');
    expect(sent).to.deep.equal({ channel: 'email', address: 'warga@example.id' });
  });

  it("answers each form where it asked, even when another form tied a stranger's email to the same phone", async () => {
    const typed = newPhone();
    const own = await openForm(newAddress());
    expect((await post('/lapor', newAddress(), validFields(own, { phone: typed }))).status).to.equal(303);
    const ownTicket = await ticketOfKey(own.key);
    const other = await openForm(newAddress());
    const stranger = validFields(other, { phone: typed, email: 'orang.lain@example.id' });
    expect((await post('/lapor', newAddress(), stranger)).status).to.equal(303);
    const otherTicket = await ticketOfKey(other.key);
    expect(otherTicket.contact_id).to.equal(ownTicket.contact_id); // one phone, one contact
    const reply = await server.api(`/api/v1/tickets/${ownTicket.id}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Berkas Anda sedang kami periksa.' }),
    });
    expect(reply.status).to.equal(201);
    const sent = await db()('messages')
      .where({ ticket_id: ownTicket.id, direction: 'outbound', author_type: 'agent' })
      .first('channel', 'address');
    expect(sent).to.deep.equal({ channel: 'sms', address: e164(typed) });
  });

  it('takes a replay or a double click as one report, and refuses other content under the same key (409)', async () => {
    const from = newAddress();
    const marks = await openForm(from);
    const fields = validFields(marks);
    const [first, second] = await Promise.all([post('/lapor', from, fields), post('/lapor', from, fields)]);
    expect([first.status, second.status]).to.deep.equal([303, 303]);
    const replay = await post('/lapor', from, fields);
    expect(replay.status).to.equal(303);
    await ticketOfKey(marks.key);
    const rows = await db()('inbox').where({ provider: 'web', external_id: marks.key }).pluck('id');
    expect(rows).to.have.length(1);

    const changed = await post('/lapor', from, { ...fields, text: 'Isi yang lain sama sekali.' });
    expect(changed.status).to.equal(409);
    const html = await changed.text();
    expect(html).to.contain('sudah pernah dikirim dengan isi lain');
    expect(marksOf(html).key).to.not.equal(marks.key); // a fresh key for a new report
    expect(html).to.contain('Isi yang lain sama sekali.'); // what was typed stays

    const api = await post('/api/v1/public/submissions', from, { ...fields, text: 'Lain lagi.' });
    expect(api.status).to.equal(409);
    expect((await api.json()).error.code).to.equal('idempotency_conflict');
  });

  it('names each bad field next to it and keeps what was typed (HTML shown as text), never a 500', async () => {
    const from = newAddress();
    const marks = await openForm(from);
    const typed = '<script>alert(1)</script><b>tebal</b>';
    const response = await post('/lapor', from, {
      ...validFields(marks),
      phone: '12',
      email: 'bukan-email',
      kind: 'pizza',
      text: typed,
      name: '"><img src=x onerror=alert(1)>',
    });
    expect(response.status).to.equal(422);
    const html = await response.text();
    expect(html).to.contain('id="phone-error"').and.contain('Nomor HP tidak dikenali');
    expect(html).to.contain('id="email-error"').and.contain('id="kind-error"');
    expect(html).to.contain('&lt;script>alert(1)&lt;/script>&lt;b>tebal&lt;/b>');
    expect(html).to.not.contain('<script>alert(1)').and.not.contain('<img src=x');
    expect(marksOf(html).key).to.equal(marks.key); // the same report once corrected
    expect(await db()('inbox').where({ external_id: marks.key }).first()).to.equal(undefined);
  });

  it('asks for a phone or an email, and answers the API in JSON naming the problem', async () => {
    const from = newAddress();
    const marks = await openForm(from);
    const page = await post('/lapor', from, { ...validFields(marks), phone: '' });
    expect(page.status).to.equal(422);
    expect(await page.text()).to.contain('Isi nomor HP atau email agar kami dapat menjawab Anda.');
    const api = await fetch(`${server.baseUrl}/api/v1/public/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ ...validFields(marks), phone: '', email: '' }),
    });
    expect(api.status).to.equal(422);
    const body = await api.json();
    expect(body.error.code).to.equal('contact_missing');
    expect(body.error.details.problems).to.deep.include({
      field: 'phone',
      code: 'contact_missing',
      message: 'Isi nomor HP atau email agar kami dapat menjawab Anda.',
    });
  });

  it('refuses malformed bodies, wrong content types and unreadable JSON with 400, in plain words', async () => {
    const from = newAddress();
    const broken = await fetch(`${server.baseUrl}/lapor`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'x-forwarded-for': from },
      body: '--xyz\r\nContent-Disposition: form-data; name="text"\r\n\r\nunterminated',
    });
    expect(broken.status).to.equal(400);
    expect(await broken.text()).to.contain('Kiriman tidak dapat dibaca');
    for (const [type, body] of [
      ['application/json', '{"key":'],
      ['application/json', '[1,2]'],
      ['text/plain', 'halo'],
    ] as const) {
      const api = await fetch(`${server.baseUrl}/api/v1/public/submissions`, {
        method: 'POST',
        headers: { 'content-type': type, 'x-forwarded-for': from },
        body,
      });
      expect(api.status, `${type} ${body}`).to.equal(400);
      expect((await api.json()).error.code).to.equal('malformed');
    }
    const noKey = await post('/api/v1/public/submissions', from, { text: 'tanpa kunci' });
    expect(noKey.status).to.equal(400);
    expect((await noKey.json()).error.code).to.equal('idempotency_key_invalid');
  });

  it("reads a browser's multipart body, whose boundary has capitals (Chromium's WebKitFormBoundary…)", async () => {
    const from = newAddress();
    const marks = await openForm(from);
    const boundary = '----WebKitFormBoundaryAbCdEf0123456789';
    const parts = Object.entries(validFields(marks)).map(
      ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    const response = await fetch(`${server.baseUrl}/lapor`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-forwarded-for': from },
      body: `${parts.join('')}--${boundary}--\r\n`,
      redirect: 'manual',
    });
    expect(response.status).to.equal(303);
  });

  it('refuses too many, too large, and disguised attachments (the type is sniffed from the bytes)', async () => {
    const from = newAddress();
    const marks = await openForm(from);
    const fields = validFields(marks);
    const three = [1, 2, 3].map((n) => ({ name: `foto${n}.png`, content: png() }));
    const many = await post('/lapor', from, fields, three);
    expect(many.status).to.equal(422);
    expect(await many.text())
      .to.contain('id="attachments-error"')
      .and.contain('Terlalu banyak lampiran');

    const large = await post('/lapor', from, fields, [{ name: 'besar.pdf', content: pdf('x'.repeat(25_000)) }]);
    expect(large.status).to.equal(413);
    expect(await large.text()).to.contain('Lampiran terlalu besar');

    const disguised = await post('/lapor', from, fields, [
      { name: 'foto.jpg', content: windowsProgram(), type: 'image/jpeg' },
    ]);
    expect(disguised.status).to.equal(422);
    expect(await disguised.text()).to.contain('Jenis berkas ini tidak diterima');

    const huge = await post('/api/v1/public/submissions', from, fields, [
      { name: 'a.pdf', content: pdf('y'.repeat(200_000)) },
      { name: 'b.pdf', content: pdf('z'.repeat(200_000)) },
    ]);
    expect(huge.status).to.equal(413);
    expect((await huge.json()).error.code).to.equal('body_too_large');
    expect(await db()('inbox').where({ external_id: marks.key }).first()).to.equal(undefined);
  });

  it('refuses a filled honeypot, a form sent too fast, an expired one and a forged timestamp', async () => {
    const from = newAddress();
    const marks = await openForm(from);
    const trap = await post('/lapor', from, { ...validFields(marks), website: 'http://spam.example' });
    expect(trap.status).to.equal(422);
    expect(await trap.text()).to.contain('harus kosong');

    const fresh = marksOf(
      await (await fetch(`${server.baseUrl}/lapor`, { headers: { 'x-forwarded-for': from } })).text(),
    );
    const fast = await post('/lapor', from, validFields(fresh)); // its own token, signed a moment ago
    expect(fast.status).to.equal(422);
    expect(await fast.text()).to.contain('terkirim terlalu cepat');

    const old = await tokenFrom(db(), marks.key, 25 * 3600);
    const expired = await post('/lapor', from, validFields({ key: marks.key, formToken: old }));
    expect(expired.status).to.equal(422);
    expect(await expired.text()).to.contain('terlalu lama dibuka');

    const [stamp] = marks.formToken.split('.');
    const forgedTokens = [
      `${Number(stamp) - 60_000}.${marks.formToken.split('.')[1]}`, // moved back, old signature
      await tokenFrom(db(), 'another-key-0123456789', 10), // another form's token
      'not-a-token',
    ];
    for (const token of forgedTokens) {
      const forged = await post('/api/v1/public/submissions', from, validFields({ key: marks.key, formToken: token }));
      expect(forged.status, token).to.equal(400);
      expect((await forged.json()).error.code).to.equal('malformed');
    }
    expect(await db()('inbox').where({ external_id: marks.key }).first()).to.equal(undefined);
  });

  it('limits reports per address in Redis, more strictly without the proof-of-work', async () => {
    const from = newAddress();
    const statuses: number[] = [];
    for (let n = 0; n < 3; n += 1) {
      const marks = await openForm(from);
      statuses.push((await post('/lapor', from, validFields(marks))).status);
    }
    expect(statuses).to.deep.equal([303, 303, 429]);
    const marks = await openForm(from);
    const limited = await post('/api/v1/public/submissions', from, validFields(marks));
    expect(limited.status).to.equal(429);
    expect(Number(limited.headers.get('retry-after'))).to.be.greaterThan(0);
    expect((await limited.json()).error.code).to.equal('rate_limited');

    // With the proof-of-work solved the same address still has room (4 per window here).
    const solvedMarks = await openForm(from);
    const withProof = await post('/lapor', from, {
      ...validFields(solvedMarks),
      altcha: await solved(solvedMarks.challenge),
    });
    expect(withProof.status).to.equal(303);
    // The counts live in Redis: they are the server's, whichever process answers.
    const keys = await server.runtime.redis.keys(`${server.runtime.config.QUEUE_PREFIX}:web-submissions-*`);
    expect(keys.length).to.be.greaterThan(0);
  });

  it('refuses a wrong proof-of-work, and one solved for another form', async () => {
    const from = newAddress();
    const marks = await openForm(from);
    const other = await openForm(from);
    const wrong = await post('/lapor', from, {
      ...validFields(marks),
      altcha: Buffer.from('{"x":1}').toString('base64'),
    });
    expect(wrong.status).to.equal(422);
    expect(await wrong.text()).to.contain('Pemeriksaan keamanan tidak berhasil');
    const borrowed = await post('/lapor', from, { ...validFields(marks), altcha: await solved(other.challenge) });
    expect(borrowed.status).to.equal(422);
  });

  it('answers the API with the reference number, and a replay with the same one', async () => {
    const from = newAddress();
    const form = await fetch(`${server.baseUrl}/api/v1/public/submissions/form`);
    expect(form.status).to.equal(200);
    const { data } = await form.json();
    const marks = { key: data.idempotencyKey, formToken: await tokenFrom(db(), data.idempotencyKey, 10) };
    const fields = { ...validFields(marks), altcha: await solved(JSON.stringify(data.challenge)) };
    const first = await fetch(`${server.baseUrl}/api/v1/public/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify(fields),
    });
    expect(first.status).to.equal(202);
    const created = (await first.json()).data;
    expect(created.reference).to.match(/^SP-\d{3}-\d{3}-\d{3}$/);
    expect(created.acknowledgedBy).to.equal('sms');
    const again = await fetch(`${server.baseUrl}/api/v1/public/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify(fields),
    });
    expect(again.status).to.equal(200);
    expect((await again.json()).data).to.include({ reference: created.reference, replay: true });
  });
});

/** The limit on the whole office: many addresses, each within its own limit, together past it. */
describe('Web door: the form limit for the whole office', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({
      WEB_FORM_MIN_FILL_SECONDS: '3',
      WEB_SUBMISSIONS_PER_ADDRESS_NO_JS: '1',
      WEB_SUBMISSIONS_PER_ADDRESS: '1',
      WEB_SUBMISSIONS_PER_OFFICE: '3',
      WEB_RECEIPT_WAIT_MS: '0',
      ROUTING_PASS_INTERVAL_MS: '600000',
    });
  });
  after(async () => server?.stop());

  async function report(from: string, path = '/lapor') {
    const page = await fetch(`${server.baseUrl}/lapor`, { headers: { 'x-forwarded-for': from } });
    const marks = marksOf(await page.text());
    const fields = {
      key: marks.key,
      form_token: await tokenFrom(server.runtime.db, marks.key, 10),
      name: 'Warga',
      phone: `0812 7100 ${from.split('.').pop()!.padStart(4, '0')}`,
      kind: 'information_request',
      text: 'Apa syarat izin usaha mikro?',
    };
    return fetch(server.baseUrl + path, {
      method: 'POST',
      headers: { 'x-forwarded-for': from },
      body: multipart(fields),
      redirect: 'manual',
    });
  }

  it('refuses reports past the office limit whatever their address, on the page and the API, and counts no refused one', async () => {
    const statuses = [];
    for (const from of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) statuses.push((await report(from)).status);
    expect(statuses).to.deep.equal([303, 303, 303]);

    const page = await report('192.0.2.4');
    expect(page.status).to.equal(429);
    expect(Number(page.headers.get('retry-after'))).to.be.within(1, 3600);
    expect(await page.text()).to.contain('Terlalu banyak kiriman');
    const api = await report('192.0.2.4', '/api/v1/public/submissions');
    expect(api.status).to.equal(429);
    expect(Number(api.headers.get('retry-after'))).to.be.within(1, 3600);
    const body = (await api.json()) as { error: { code: string; message: string } };
    expect(body.error.code).to.equal('rate_limited');
    expect(body.error.message).to.contain('Terlalu banyak kiriman');
    const recorded = await server.runtime.db('inbox').where({ provider: 'web' }).count({ n: '*' }).first();
    expect(Number(recorded?.n)).to.equal(3);

    // The window is over (the office's count in Redis gone): the refused address still has its one
    // report, for the refusals took back what they had counted.
    const prefix = server.runtime.config.QUEUE_PREFIX;
    const officeKeys = await server.runtime.redis.keys(`${prefix}:web-submissions-office*`);
    expect(officeKeys).to.have.length(1);
    await server.runtime.redis.del(...officeKeys);
    expect((await report('192.0.2.4')).status).to.equal(303);
    expect((await report('192.0.2.4')).status).to.equal(429); // and only the one
  });
});

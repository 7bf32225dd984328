import { expect } from 'chai';
import { mailSender } from '../support/mail-sender.js';
import { startScriptedTwilio } from '../support/twilio-error-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';
import { solved, tokenFrom } from '../web/report-form-support.js';

/**
 * Issue 15: tracking a ticket over the public API, `POST /api/v1/public/track`. What the citizen
 * may see (status in words, the OPD, the deadline in working days, staff replies) and nothing
 * else; one identical 404 for every miss; the limits per client address and per reference in Redis.
 * Each test speaks from its own client address (X-Forwarded-For, trusted from loopback), so the
 * per-address limit of one test does not spill into another.
 */
describe('Tracking a ticket by reference and second factor (public API)', () => {
  let server: TestServer;
  let twilio: Awaited<ReturnType<typeof startScriptedTwilio>>;
  let counter = 0;

  before(async () => {
    twilio = await startScriptedTwilio([]);
    server = await startTestServer({
      TWILIO_API_BASE_URL: twilio.url,
      ROUTING_PASS_INTERVAL_MS: '600000',
      TRACK_LOOKUPS_PER_ADDRESS: '8',
      TRACK_FAILURES_PER_REFERENCE: '4',
      TRACK_WINDOW_MINUTES: '10',
    });
  });
  after(async () => {
    await server?.stop();
    await twilio?.close();
  });

  const db = () => server.runtime.db;
  const newPhone = () => `+628139${String(Date.now() % 10000).padStart(4, '0')}${String(counter++).padStart(2, '0')}`;
  const newAddress = () => `198.51.100.${counter++ % 250}`;

  async function deliver(message: Record<string, string>): Promise<number> {
    expect((await server.postTwilio('/webhooks/twilio/messaging', message)).status).to.equal(200);
    return waitFor('message threaded', async () => {
      const row = await db()('inbox').where({ external_id: message.MessageSid }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }
  const referenceOf = async (ticketId: number) =>
    String((await db()('tickets').where({ id: ticketId }).first('reference')).reference);
  const grouped = (digits: string) => `SP-${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;

  const track = (body: unknown, address: string) =>
    fetch(`${server.baseUrl}/api/v1/public/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify(body),
    });
  const api = (path: string, body: unknown) =>
    server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it("shows the status in words, the OPD, the deadline in working days and staff replies, never the citizen's data or notes", async () => {
    const phone = newPhone();
    const ticketId = await deliver(inboundSms(phone, 'Izin usaha saya belum terbit. NIK saya 3174012345678901'));
    const reference = await referenceOf(ticketId);
    const now = new Date();
    const [team] = await db()('teams')
      .insert({ slug: `dpupr-${counter}`, name: 'Dinas PUPR', created_at: now })
      .returning('id');
    const patched = await server.api(`/api/v1/tickets/${ticketId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'complaint' }), // SP4N-LAPOR!: the agency follows up within 5 working days
    });
    expect(patched.status).to.equal(200);
    expect(
      (
        await api(`/api/v1/tickets/${ticketId}/replies`, {
          body: 'Berkas Anda <b>lengkap</b>. Hubungi 0812-9999-8888.',
        })
      ).status,
    ).to.equal(201);
    expect(
      (await api(`/api/v1/tickets/${ticketId}/notes`, { body: 'Catatan internal: pemohon kerabat kepala dinas' }))
        .status,
    ).to.equal(201);
    expect(
      (await api(`/api/v1/tickets/${ticketId}/transfer`, { team_id: team.id ?? team, note: 'Untuk PUPR' })).status,
    ).to.equal(200);

    const response = await track({ reference: grouped(reference), phoneLast4: phone.slice(-4) }, newAddress());
    expect(response.status).to.equal(200);
    expect(response.headers.get('cache-control')).to.equal('no-store');
    const { data } = (await response.json()) as {
      data: Record<string, unknown> & { replies: Array<{ text: string }> };
    };
    expect(data).to.include({ reference: grouped(reference), agency: 'Dinas PUPR', timeZone: 'Asia/Makassar' });
    expect(data.status).to.deep.equal({
      code: 'pending_agency',
      label: { id: 'Didisposisikan ke OPD', en: 'Disposed to an agency' },
    });
    expect(data.dueAt).to.be.a('string');
    expect(data.dueFor).to.equal('response');
    expect(data.workingDaysLeft).to.be.a('number').and.to.be.greaterThan(0);
    expect(data.replies).to.have.length(1); // the reply: not the acknowledgement, not the note
    expect(data.replies[0]!.text).to.contain('Berkas Anda <b>lengkap</b>.');
    expect(data.replies[0]!.text).to.not.contain('9999-8888');
    const text = JSON.stringify(data);
    for (const secret of [phone, phone.slice(3), 'NIK', '3174012345678901', 'Catatan internal', 'Izin usaha'])
      expect(text).to.not.contain(secret);
  });

  it('gives one identical 404 for a wrong phone, a wrong email, an unknown number and a merged ticket', async () => {
    const phone = newPhone();
    const ticketId = await deliver(inboundSms(phone, 'Pertanyaan tentang izin reklame'));
    const duplicate = await deliver(inboundWhatsApp(phone, 'Pertanyaan yang sama lewat WhatsApp'));
    expect(duplicate).to.not.equal(ticketId);
    expect((await api(`/api/v1/tickets/${ticketId}/merge`, { source_ticket_ids: [duplicate] })).status).to.equal(200);
    const reference = await referenceOf(ticketId);
    const wrong = String((Number(phone.slice(-4)) + 1) % 10000).padStart(4, '0');
    const { dammCheckDigit } = await import('../../src/tickets/reference-number.js');
    let unknown = '';
    for (let body = 44_400_000; !unknown; body += 1) {
      const digits = String(body) + String(dammCheckDigit(String(body)));
      if (!(await db()('tickets').where({ reference: digits }).first('id'))) unknown = digits;
    }

    const misses = [
      { reference, phoneLast4: wrong },
      { reference, email: 'someone@example.com' },
      { reference: unknown, phoneLast4: phone.slice(-4) },
      { reference: await referenceOf(duplicate), phoneLast4: phone.slice(-4) },
    ];
    const answers = [];
    for (const miss of misses) {
      const response = await track(miss, newAddress());
      answers.push({ status: response.status, body: await response.text() });
    }
    expect(answers[0]).to.deep.equal({
      status: 404,
      body: JSON.stringify({
        error: { code: 'not_found', message: 'No ticket with this reference for this phone number or email' },
      }),
    });
    for (const answer of answers) expect(answer).to.deep.equal(answers[0]);
    // And the right factor still finds it, by phone and by email.
    expect((await track({ reference, phoneLast4: phone.slice(-4) }, newAddress())).status).to.equal(200);
    // An email identity tied to the contact (as an unverified web form may) does not open the ticket ...
    const { contact_id: contactId } = await db()('tickets').where({ id: ticketId }).first('contact_id');
    await db()('contact_identities').insert({
      contact_id: contactId,
      kind: 'email',
      value: 'orang-lain@example.com',
      created_at: new Date(),
    });
    expect((await track({ reference, email: 'orang-lain@example.com' }, newAddress())).status).to.equal(404);
    // ... an address the citizen wrote from on this ticket does.
    await db()('messages').insert({
      ticket_id: ticketId,
      direction: 'inbound',
      channel: 'email',
      author_type: 'citizen',
      kind: 'message',
      body: 'Tambahan keterangan',
      address: 'warga@example.com',
      created_at: new Date(),
    });
    expect((await track({ reference, email: 'Warga@Example.com' }, newAddress())).status).to.equal(200);
  });

  it('tells a subscribed citizen of a status change on their channel, once, and only after the right second factor', async () => {
    const phone = newPhone();
    const ticketId = await deliver(inboundSms(phone, 'Mohon kabari bila izin saya selesai'));
    const reference = await referenceOf(ticketId);
    const statusTexts = () =>
      twilio.requests.filter((form) => form.get('To') === phone && form.get('Body')?.includes('status tiket'));
    const wrong = String((Number(phone.slice(-4)) + 1) % 10000).padStart(4, '0');
    expect((await fetchSubscribe({ reference, phoneLast4: wrong }, newAddress())).status).to.equal(404);
    expect(await db()('track_subscriptions').where({ ticket_id: ticketId }).first('id')).to.equal(undefined);

    for (let time = 0; time < 2; time += 1) {
      const subscribed = await fetchSubscribe(
        { reference: grouped(reference), phoneLast4: phone.slice(-4) },
        newAddress(),
      );
      expect(subscribed.status).to.equal(200);
      expect(await subscribed.json()).to.deep.equal({ data: { subscribed: true, channel: 'sms' } });
    }
    await server.runtime.statusUpdates!.runOnce();
    expect(statusTexts()).to.have.length(0); // nothing changed yet

    expect((await api(`/api/v1/tickets/${ticketId}/resolve`, {})).status).to.equal(200);
    await server.runtime.statusUpdates!.runOnce();
    await server.runtime.statusUpdates!.runOnce();
    await waitFor('status update sent', async () => (statusTexts().length > 0 ? true : undefined));
    expect(statusTexts().map((form) => form.get('Body'))).to.deep.equal([
      `Satu Pintu: status tiket ${grouped(reference)}: Selesai.`,
    ]);
  });

  it('sends a WhatsApp subscriber the update by SMS once WhatsApp’s 24-hour window has closed', async () => {
    const phone = newPhone();
    const ticketId = await deliver(inboundWhatsApp(phone, 'Kabari saya lewat WhatsApp'));
    const reference = await referenceOf(ticketId);
    const subscribed = await fetchSubscribe({ reference, phoneLast4: phone.slice(-4) }, newAddress());
    expect(await subscribed.json()).to.deep.equal({ data: { subscribed: true, channel: 'whatsapp' } });
    await db()('messages')
      .where({ ticket_id: ticketId, direction: 'inbound' })
      .update({ created_at: new Date(Date.now() - 2 * 86_400_000) });
    expect((await api(`/api/v1/tickets/${ticketId}/resolve`, {})).status).to.equal(200);
    await server.runtime.statusUpdates!.runOnce();
    const update = await waitFor('status update sent', async () =>
      twilio.requests.find((form) => form.get('Body')?.includes(`status tiket ${grouped(reference)}: Selesai`)),
    );
    expect(update.get('To')).to.equal(phone); // SMS, not whatsapp:
  });

  it("tells a web form's citizen of a status change by the email the form gave, and nobody else", async () => {
    const email = `pemohon.${Date.now()}@example.id`;
    const phone = newPhone();
    // The form's JSON twin, as the /lapor page would send it: an email and a phone, so email it is.
    const form = (await (await fetch(`${server.baseUrl}/api/v1/public/submissions/form`)).json()) as {
      data: { idempotencyKey: string; challenge: unknown };
    };
    const key = form.data.idempotencyKey;
    const submitted = await fetch(`${server.baseUrl}/api/v1/public/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': newAddress() },
      body: JSON.stringify({
        key,
        form_token: await tokenFrom(db(), key, 10),
        altcha: await solved(JSON.stringify(form.data.challenge)),
        name: 'Pemohon',
        phone,
        email: email.toUpperCase(),
        kind: 'information_request',
        text: 'Kapan izin usaha saya terbit?',
      }),
    });
    expect(submitted.status, await submitted.clone().text()).to.equal(202);
    const ticketId = await waitFor('the form ticketed', async () => {
      const row = await db()('inbox').where({ provider: 'web', external_id: key }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    const reference = await referenceOf(ticketId);
    // Another form tied a stranger's email to the same phone (one phone, one contact).
    const strangerEmail = `orang-lain.${Date.now()}@example.net`;
    await db()('contact_identities').insert({
      contact_id: (await db()('tickets').where({ id: ticketId }).first('contact_id')).contact_id,
      kind: 'email',
      value: strangerEmail,
      created_at: new Date(),
    });
    // And the stranger mails in: the newest email of the contact is theirs.
    const mail = mailSender(server.runtime.smtpPort!);
    try {
      await mail.send({ from: strangerEmail, to: 'helpdesk@localhost', subject: 'Halo', text: 'Pertanyaan saya' });
    } finally {
      mail.close();
    }
    await waitFor('the stranger mail ticketed', () =>
      db()('messages').where({ channel: 'email', direction: 'inbound', address: strangerEmail }).first('id'),
    );
    expect((await fetchSubscribe({ reference, email: strangerEmail }, newAddress())).status).to.equal(404);

    const subscribed = await fetchSubscribe(
      { reference: grouped(reference), email: email.toUpperCase() },
      newAddress(),
    );
    expect(subscribed.status).to.equal(200);
    expect(await subscribed.json()).to.deep.equal({ data: { subscribed: true, channel: 'email' } });
    const updates = () =>
      db()('messages').where({ ticket_id: ticketId, kind: 'status_reply' }).select('channel', 'address', 'body');
    await server.runtime.statusUpdates!.runOnce();
    expect(await updates()).to.deep.equal([]); // nothing changed yet

    expect((await api(`/api/v1/tickets/${ticketId}/resolve`, {})).status).to.equal(200);
    await server.runtime.statusUpdates!.runOnce();
    await server.runtime.statusUpdates!.runOnce(); // a second pass tells nothing twice
    expect(await updates()).to.deep.equal([
      { channel: 'email', address: email, body: `Satu Pintu: status tiket ${grouped(reference)}: Selesai.` },
    ]);
    // Not by SMS to the phone the form also gave.
    expect(
      twilio.requests.some((request) => request.get('Body')?.includes(`status tiket ${grouped(reference)}`)),
    ).to.equal(false);
  });

  const fetchSubscribe = (body: unknown, address: string) =>
    fetch(`${server.baseUrl}/api/v1/public/track/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify(body),
    });

  it('names faults of the input itself: a mistyped number, a missing or malformed factor', async () => {
    const address = newAddress();
    const cases: Array<[unknown, string]> = [
      [{ reference: '262591946', phoneLast4: '1234' }, 'reference_invalid'],
      [{ reference: 'SP-12-345', phoneLast4: '1234' }, 'reference_invalid'],
      [{ reference: '262591945' }, 'factor_missing'],
      [{ reference: '262591945', phoneLast4: '12a4' }, 'phone_last4_invalid'],
      [{ reference: '262591945', email: 'not-an-email' }, 'email_invalid'],
      [{ reference: 42 }, 'invalid_request'],
    ];
    for (const [body, code] of cases) {
      const response = await track(body, address);
      expect(response.status, JSON.stringify(body)).to.equal(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal(code);
    }
  });

  it('limits guesses at one reference from many addresses, and lookups from one address, with Retry-After', async () => {
    const phone = newPhone();
    const reference = await referenceOf(await deliver(inboundSms(phone, 'Kapan izin saya terbit?')));
    const wrong = String((Number(phone.slice(-4)) + 1) % 10000).padStart(4, '0');
    // The owner's own lookups take their point back: they never lock the ticket.
    for (let index = 0; index < 4; index += 1)
      expect((await track({ reference, phoneLast4: phone.slice(-4) }, newAddress())).status).to.equal(200);
    for (let index = 0; index < 4; index += 1)
      expect((await track({ reference, phoneLast4: wrong }, newAddress())).status).to.equal(404);
    const limited = await track({ reference, phoneLast4: phone.slice(-4) }, newAddress());
    expect(limited.status).to.equal(429);
    expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 600);
    expect(((await limited.json()) as { error: { code: string } }).error.code).to.equal('too_many_requests');

    const address = newAddress();
    for (let index = 0; index < 8; index += 1)
      expect((await track({ reference: '262591946', phoneLast4: '0000' }, address)).status).to.equal(400);
    const tooMany = await track({ reference: '262591946', phoneLast4: '0000' }, address);
    expect(tooMany.status).to.equal(429);
    expect(tooMany.headers.get('retry-after')).to.match(/^\d+$/);
  });
});

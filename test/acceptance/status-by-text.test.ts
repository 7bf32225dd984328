import { expect } from 'chai';
import { startScriptedTwilio } from '../support/twilio-error-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

const OFFICE = 'DPMPTSP Kota Contoh';

/**
 * Issue 15: a ticket's status by SMS and WhatsApp. A message that is only a reference number, or
 * STATUS / CEK and one, from the ticket's own citizen is answered with the status and is not the
 * citizen writing again; from anyone else it gets the same answer as an unknown number. Driven
 * through the signed Twilio webhook; Twilio is a local server that keeps every request, so the
 * tests read what reached each phone.
 */
describe('Status of a ticket by SMS and WhatsApp', () => {
  let server: TestServer;
  let twilio: Awaited<ReturnType<typeof startScriptedTwilio>>;
  let phoneCounter = 0;

  before(async () => {
    twilio = await startScriptedTwilio([]);
    server = await startTestServer({
      TWILIO_API_BASE_URL: twilio.url,
      OFFICE_NAME: OFFICE,
      ROUTING_PASS_INTERVAL_MS: '600000',
    });
  });
  after(async () => {
    await server?.stop();
    await twilio?.close();
  });

  const newPhone = () =>
    `+628137${String(Date.now() % 10000).padStart(4, '0')}${String(phoneCounter++).padStart(2, '0')}`;
  const db = () => server.runtime.db;
  const bodiesTo = (phone: string) =>
    twilio.requests
      .filter((form) => form.get('To') === phone || form.get('To') === `whatsapp:${phone}`)
      .map((form) => form.get('Body') ?? '');

  async function deliver(message: Record<string, string>): Promise<number | null> {
    expect((await server.postTwilio('/webhooks/twilio/messaging', message)).status).to.equal(200);
    return waitFor('message processed', async () => {
      const row = await db()('inbox').where({ external_id: message.MessageSid }).first('ticket_id', 'processed_at');
      return row?.processed_at ? (row.ticket_id === null ? null : Number(row.ticket_id)) : undefined;
    });
  }

  /** Waits until the phone got `count` texts; returns them all. */
  const textsTo = (phone: string, count: number) =>
    waitFor(`${count} texts to the phone`, async () => {
      const bodies = bodiesTo(phone);
      return bodies.length >= count ? bodies : undefined;
    });

  /** A citizen with a ticket, acknowledged; returns its id and reference digits. */
  async function citizenWithTicket(phone: string): Promise<{ ticketId: number; reference: string }> {
    const ticketId = (await deliver(inboundSms(phone, 'Izin usaha saya belum terbit, mohon dibantu')))!;
    await textsTo(phone, 1);
    const { reference } = await db()('tickets').where({ id: ticketId }).first('reference');
    return { ticketId, reference: String(reference) };
  }

  const grouped = (reference: string) => `${reference.slice(0, 3)} ${reference.slice(3, 6)} ${reference.slice(6)}`;
  const formatted = (reference: string) => `SP-${reference.slice(0, 3)}-${reference.slice(3, 6)}-${reference.slice(6)}`;
  /** A valid reference no ticket has: the check digit computed like the server's. */
  async function unusedReference(): Promise<string> {
    const { dammCheckDigit } = await import('../../src/tickets/reference-number.js');
    for (let body = 55_500_000; ; body += 1) {
      const digits = String(body) + String(dammCheckDigit(String(body)));
      if (!(await db()('tickets').where({ reference: digits }).first('id'))) return digits;
    }
  }

  async function snapshot(ticketId: number) {
    const ticket = await db()('tickets')
      .where({ id: ticketId })
      .first('status', 'updated_at', 'last_message_at', 'sla_due_at', 'resolved_at');
    const inbound = await db()('messages').where({ ticket_id: ticketId, direction: 'inbound' }).count({ n: '*' });
    const clocks = await db()('sla_clocks')
      .where({ ticket_id: ticketId })
      .orderBy('id')
      .select('kind', 'due_at', 'stopped_at', 'paused_at');
    return { ticket, inbound: Number(inbound[0]!.n), clocks };
  }

  it('answers the citizen with the status and records it on the ticket without it counting as a new contact', async () => {
    const phone = newPhone();
    const { ticketId, reference } = await citizenWithTicket(phone);
    const before = await snapshot(ticketId);

    const request = inboundSms(phone, `cek sp-${grouped(reference)}`);
    expect(await deliver(request)).to.equal(ticketId);
    const texts = await textsTo(phone, 2);
    expect(texts[1]).to.equal(`${OFFICE}: status tiket ${formatted(reference)}: Baru.`);

    expect(await snapshot(ticketId)).to.deep.equal(before); // no message, no clock, no reopen, nothing updated
    const events = await db()('ticket_events').where({ ticket_id: ticketId, type: 'status_request' }).select('data');
    expect(events).to.have.length(1);
    const answer = await db()('messages').where({ ticket_id: ticketId, kind: 'status_reply' }).first();
    expect(answer).to.include({ direction: 'outbound', author_type: 'system', address: phone, channel: 'sms' });
  });

  it('does not reopen a resolved ticket or put it back in a queue, and answers a provider retry once', async () => {
    const phone = newPhone();
    const { ticketId, reference } = await citizenWithTicket(phone);
    const resolved = await server.api(`/api/v1/tickets/${ticketId}/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(resolved.status).to.equal(200);
    const before = await snapshot(ticketId);

    const request = inboundSms(phone, `STATUS ${reference}`);
    expect(await deliver(request)).to.equal(ticketId);
    expect(await snapshot(ticketId)).to.deep.equal(before); // still resolved, no clock, not in a queue
    expect(before.ticket.status).to.equal('resolved');
    // Twilio retries the same MessageSid (a timeout on its side): one answer, not two.
    expect((await server.postTwilio('/webhooks/twilio/messaging', request)).status).to.equal(200);
    expect(await deliver(inboundSms(phone, 'Baik, terima kasih'))).to.equal(ticketId); // processed after the retry
    const texts = bodiesTo(phone).filter((body) => body.includes('status tiket'));
    expect(texts).to.deep.equal([`${OFFICE}: status tiket ${formatted(reference)}: Selesai.`]);
    expect((await db()('inbox').where({ external_id: request.MessageSid }).select('id')).length).to.equal(1);
  });

  it('answers WhatsApp in the contact’s language', async () => {
    const phone = newPhone();
    const { ticketId, reference } = await citizenWithTicket(phone);
    const { contact_id: contactId } = await db()('tickets').where({ id: ticketId }).first('contact_id');
    await db()('contacts').where({ id: contactId }).update({ language: 'en' });

    expect(await deliver(inboundWhatsApp(phone, `Cek ${formatted(reference)}?`))).to.equal(ticketId);
    const texts = await textsTo(phone, 2);
    expect(texts[1]).to.equal(`${OFFICE}: the status of ticket ${formatted(reference)} is: New.`);
    const answer = await db()('messages').where({ ticket_id: ticketId, kind: 'status_reply' }).first('channel');
    expect(answer.channel).to.equal('whatsapp');
  });

  it('answers another phone exactly as an unknown number, and holds nothing on the ticket', async () => {
    const citizen = newPhone();
    const { ticketId, reference } = await citizenWithTicket(citizen);
    const before = await snapshot(ticketId);
    const stranger = newPhone();
    const stranger2 = newPhone();

    const strangerTicket = await deliver(inboundSms(stranger, reference));
    expect(strangerTicket).to.not.equal(ticketId);
    const unknown = await unusedReference();
    await deliver(inboundSms(stranger2, `CEK ${unknown}`));

    const [toStranger] = await textsTo(stranger, 1);
    const [toOther] = await textsTo(stranger2, 1);
    const notFound = (digits: string) =>
      `${OFFICE}: tiket ${formatted(digits)} tidak ditemukan untuk nomor telepon ini. Periksa kembali nomornya, atau kirim dari nomor yang Anda pakai saat melapor.`;
    expect(toStranger).to.equal(notFound(reference));
    expect(toOther).to.equal(notFound(unknown));
    expect(toStranger!.replace(formatted(reference), '#')).to.equal(toOther!.replace(formatted(unknown), '#'));

    expect(await snapshot(ticketId)).to.deep.equal(before);
    expect(await db()('messages').where({ ticket_id: ticketId, hold_status: 'held' }).first('id')).to.equal(undefined);
    expect(await db()('messages').where({ ticket_id: ticketId }).whereNot({ address: citizen }).first('id')).to.equal(
      undefined,
    );
    expect(bodiesTo(citizen)).to.have.length(1); // nothing about it to the citizen
    // Filed on the stranger's own ticket for an agent, answered only with "not found" (no acknowledgement).
    expect(bodiesTo(stranger)).to.have.length(1);
  });

  it('answers a mistyped number (wrong check digit) as such', async () => {
    const phone = newPhone();
    const { reference } = await citizenWithTicket(phone);
    const last = Number(reference[8]);
    const typo = reference.slice(0, 8) + String((last + 1) % 10);
    await deliver(inboundSms(phone, typo));
    const texts = await textsTo(phone, 2);
    expect(texts[1]).to.equal(
      `${OFFICE}: nomor tiket ${typo.slice(0, 3)}-${typo.slice(3, 6)}-${typo.slice(6)} tidak valid, mungkin ada angka yang salah ketik. Periksa kembali nomor tiket Anda.`,
    );
  });

  it('leaves a message that says more than a reference to the agents', async () => {
    const phone = newPhone();
    const { ticketId, reference } = await citizenWithTicket(phone);
    const before = await snapshot(ticketId);
    expect(await deliver(inboundSms(phone, `Tiket ${reference} kapan selesai?`))).to.equal(ticketId);
    expect((await snapshot(ticketId)).inbound).to.equal(before.inbound + 1);
    expect(await db()('messages').where({ ticket_id: ticketId, kind: 'status_reply' }).first('id')).to.equal(undefined);
  });
});

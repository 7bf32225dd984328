import { expect } from 'chai';
import { loadCalendar } from '../../src/calendar/calendar-store.js';
import { addWorkingDays } from '../../src/calendar/working-time.js';
import { toIso } from '../../src/db/rows.js';
import { formatReference } from '../../src/tickets/reference-number.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

describe('Clarifications: asking the citizen for what is missing', () => {
  let server: TestServer;
  let phone = 0;
  const newPhone = () => `+6281600000${String(10 + phone++)}`;

  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000', CLARIFICATION_PASS_INTERVAL_MS: '600000' });
  });
  after(async () => server?.stop());

  const post = (path: string, body: unknown) =>
    server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const db = () => server.runtime.db;

  async function ticketFrom(message: Record<string, string>): Promise<number> {
    await server.postTwilio('/webhooks/twilio/messaging', message);
    return waitFor('ticket', async () => {
      const row = await db()('inbox').where({ external_id: message.MessageSid }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  async function ask(ticketId: number) {
    const response = await post(`/api/v1/tickets/${ticketId}/clarification`, {
      body: 'Mohon kirimkan nomor NIB dan foto KTP Anda.',
    });
    expect(response.status).to.equal(201);
    return ((await response.json()) as { data: { message_id: number; remind_at: string; expires_at: string } }).data;
  }

  const eventTypes = async (ticketId: number) =>
    db()('ticket_events').where({ ticket_id: ticketId }).orderBy('id').pluck('type');

  it("sends the question on the citizen's channel and waits on them, with a reminder and a deadline in working days", async () => {
    const ticketId = await ticketFrom(inboundSms(newPhone(), 'Izin saya ditolak, kenapa?'));
    const asked = await ask(ticketId);
    const ticket = await db()('tickets').where({ id: ticketId }).first();
    expect(ticket.status).to.equal('pending_citizen');
    const calendar = await loadCalendar(db());
    const requestedAt = new Date(toIso(ticket.clarification_requested_at)!);
    expect(asked.remind_at).to.equal(addWorkingDays(calendar, requestedAt, 5).toISOString());
    expect(asked.expires_at).to.equal(addWorkingDays(calendar, requestedAt, 10).toISOString());
    const message = await waitFor('question sent', async () => {
      const row = await db()('messages').where({ id: asked.message_id }).first();
      return row?.provider_message_id ? row : undefined;
    });
    // By SMS the question says who asks and about which ticket (issue 12, item 20).
    const reference = formatReference(ticket.reference, 'SP-');
    expect(message).to.include({
      channel: 'sms',
      body: `Satu Pintu (tiket ${reference}): Mohon kirimkan nomor NIB dan foto KTP Anda.`,
    });
    expect(await eventTypes(ticketId)).to.include('clarification_requested');
  });

  it("takes the citizen's answer on another channel as the answer, and puts the ticket back to work", async () => {
    const number = newPhone();
    const ticketId = await ticketFrom(inboundSms(number, 'Pertanyaan soal retribusi'));
    await ask(ticketId);
    const answer = inboundWhatsApp(number, 'Ini NIB saya 1234567890123, KTP menyusul');
    const answeredOn = await ticketFrom(answer);
    expect(answeredOn).to.equal(ticketId);
    const ticket = await db()('tickets')
      .where({ id: ticketId })
      .first('status', 'clarification_remind_at', 'clarification_expires_at', 'queued_at');
    expect(ticket).to.include({ status: 'new', clarification_remind_at: null, clarification_expires_at: null }); // unassigned: back in the queue
    expect(ticket.queued_at).to.not.equal(null);
    const threaded = await db()('ticket_events')
      .where({ ticket_id: ticketId, type: 'message_received' })
      .orderBy('id', 'desc')
      .first('data');
    expect(
      JSON.parse(typeof threaded.data === 'string' ? threaded.data : JSON.stringify(threaded.data)).threaded_by,
    ).to.equal('clarification');
    expect(await eventTypes(ticketId)).to.include('clarification_answered');
  });

  it('reminds a silent citizen once, by SMS, when the reminder time has come', async () => {
    const ticketId = await ticketFrom(inboundWhatsApp(newPhone(), 'Mau tanya izin reklame'));
    await ask(ticketId);
    await db()('tickets')
      .where({ id: ticketId })
      .update({ clarification_remind_at: new Date(Date.now() - 60_000) });
    await server.runtime.clarifications!.runOnce();
    await server.runtime.clarifications!.runOnce();
    const reminders = await db()('messages')
      .where({ ticket_id: ticketId, author_type: 'system', kind: 'message' })
      .select('channel', 'body');
    expect(reminders).to.have.length(1);
    expect(reminders[0].channel).to.equal('sms'); // WhatsApp's window has long closed by then
    expect(reminders[0].body)
      .to.contain('masih menunggu keterangan')
      .and.to.match(/ditutup pada \d{1,2} \w+ \d{4}/);
    expect((await eventTypes(ticketId)).filter((type) => type === 'clarification_reminded')).to.have.length(1);
    expect((await db()('tickets').where({ id: ticketId }).first('status')).status).to.equal('pending_citizen');
  });

  it('finishes the ticket when the deadline passes without an answer, and a later reply reopens it', async () => {
    const number = newPhone();
    const ticketId = await ticketFrom(inboundSms(number, 'Pengaduan pelayanan'));
    await ask(ticketId);
    await db()('tickets')
      .where({ id: ticketId })
      .update({
        clarification_remind_at: new Date(Date.now() - 120_000),
        clarification_expires_at: new Date(Date.now() - 60_000),
      });
    await server.runtime.clarifications!.runOnce();
    const ticket = await db()('tickets').where({ id: ticketId }).first('status', 'resolved_at');
    expect(ticket.status).to.equal('resolved');
    expect(ticket.resolved_at).to.not.equal(null);
    const resolved = await db()('ticket_events')
      .where({ ticket_id: ticketId, type: 'resolved' })
      .first('actor_type', 'data');
    expect(resolved.actor_type).to.equal('system');
    const notices = await db()('messages')
      .where({ ticket_id: ticketId, author_type: 'system', kind: 'message' })
      .pluck('body');
    expect(notices.some((body: string) => body.includes('kami tutup karena belum ada jawaban'))).to.equal(true);

    const late = await ticketFrom(inboundSms(number, 'Maaf baru sempat membalas'));
    expect(late).to.equal(ticketId);
    expect((await db()('tickets').where({ id: ticketId }).first('status')).status).to.equal('new');
    expect(await eventTypes(ticketId)).to.include('reopened');
  });

  it('refuses to ask a clarification on a closed ticket', async () => {
    const ticketId = await ticketFrom(inboundSms(newPhone(), 'Sudah selesai'));
    await db()('tickets').where({ id: ticketId }).update({ status: 'closed' });
    const response = await post(`/api/v1/tickets/${ticketId}/clarification`, { body: 'Ada yang kurang?' });
    expect(response.status).to.equal(409);
    expect(await db()('messages').where({ ticket_id: ticketId, author_type: 'agent' }).first()).to.equal(undefined);
  });
});

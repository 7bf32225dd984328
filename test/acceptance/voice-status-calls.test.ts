import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { VOICE, callForm, callSid } from '../support/twilio-voice-payloads.js';
import { waitFor } from '../support/wait-for.js';

// Tuesday 1 December 2026, 10:00 WITA: the default calendar is open.
const OPEN = new Date('2026-12-01T02:00:00Z');

/**
 * Issue 12, items 15 and 16: a call that only asks a ticket's status is recorded on that ticket
 * (no new ticket, no new acknowledgement); one that found nothing leaves no ticket; a caller who
 * was served is never logged abandoned, whatever keys they pressed after.
 */
describe('Voice: status checks by phone, and calls served once', function () {
  this.timeout(60_000);
  let server: TestServer;
  let seq = 0;
  const newPhone = () => `+62856${String(Date.now() % 100_000).padStart(5, '0')}${String(seq++).padStart(2, '0')}`;

  before(async () => {
    server = await startTestServer({}, { now: () => OPEN });
  });
  after(async () => server?.stop());

  async function post(path: string, form: Record<string, string>): Promise<void> {
    const response = await server.postTwilio(path, form);
    expect(response.status, await response.text()).to.equal(200);
  }

  /** A citizen writes by SMS: their ticket (acknowledged), its id and reference. */
  async function smsTicket(phone: string): Promise<{ id: number; reference: string }> {
    const sms = inboundSms(phone, 'Mohon info status izin saya');
    expect((await server.postTwilio('/webhooks/twilio/messaging', sms)).status).to.equal(200);
    const ticket = await waitFor('the SMS ticket', async () => {
      const row = await server.runtime
        .db('messages as m')
        .join('tickets as t', 't.id', 'm.ticket_id')
        .where('m.provider_message_id', sms.MessageSid!)
        .first('t.id', 't.reference');
      return row ? { id: Number(row.id), reference: String(row.reference) } : undefined;
    });
    await waitFor('its acknowledgement', async () => ((await acknowledgements(phone)) === 1 ? true : undefined));
    return ticket;
  }

  /** A whole call: the greeting, the keys on the menu, a reference keyed in after a 3, more keys, the hang-up (twice: Twilio retries). */
  async function statusCall(phone: string, digits: string, keysAfter: string[] = []): Promise<string> {
    const sid = callSid();
    await post(VOICE, callForm(sid, phone));
    await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '3' }));
    await post(`${VOICE}/reference`, callForm(sid, phone, { Digits: digits }));
    for (const key of keysAfter) await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: key }));
    for (let retry = 0; retry < 2; retry += 1)
      await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '31' }));
    return sid;
  }

  const ticketsOf = (phone: string) =>
    server.runtime
      .db('tickets as t')
      .join('contact_identities as i', 'i.contact_id', 't.contact_id')
      .where({ 'i.kind': 'phone', 'i.value': phone })
      .orderBy('t.id')
      .pluck('t.id');
  async function acknowledgements(phone: string): Promise<number> {
    const row = await server.runtime
      .db('messages')
      .where({ kind: 'acknowledgement', address: phone })
      .count({ n: '*' })
      .first();
    return Number(row?.n);
  }
  /** Lets the inbound worker and the call-back pass do whatever the call left them. */
  async function settle(): Promise<void> {
    await waitFor('the inbox drained', async () => {
      const row = await server.runtime.db('inbox').whereNull('processed_at').count({ n: '*' }).first();
      return Number(row?.n) === 0 ? true : undefined;
    });
    await server.runtime.callbacks!.runOnce();
  }
  const callOf = (sid: string) =>
    server.runtime.db('calls').where({ call_sid: sid }).first('outcome', 'served', 'callback_reason', 'ticket_id');

  it('a status check that found the ticket is recorded on it once: no new ticket, no new acknowledgement, no call-back', async () => {
    const phone = newPhone();
    const ticket = await smsTicket(phone);
    const sid = await statusCall(phone, ticket.reference);
    await settle();
    expect(await ticketsOf(phone)).to.deep.equal([ticket.id]);
    expect(await acknowledgements(phone)).to.equal(1);
    expect(await server.runtime.db('inbox').where({ external_id: sid })).to.deep.equal([]);
    const checks = await server.runtime.db('ticket_events').where({ ticket_id: ticket.id, type: 'phone_status_check' });
    expect(checks).to.have.length(1);
    const event = (await (await server.api(`/api/v1/tickets/${ticket.id}`)).json()) as {
      data: { events: Array<{ type: string; data: Record<string, unknown> }>; status: string };
    };
    expect(event.data.status).to.equal('new'); // nothing reopened or moved
    expect(event.data.events.find((entry) => entry.type === 'phone_status_check')?.data).to.deep.include({
      call_sid: sid,
      menu_path: '3',
      outcome: 'status_read',
      duration_seconds: 31,
      callback_requested: false,
    });
    expect(await server.runtime.db('tasks').where({ ticket_id: ticket.id })).to.deep.equal([]);
    expect(await callOf(sid)).to.deep.include({ outcome: 'status_read', callback_reason: null, ticket_id: ticket.id });
  });

  it('a call-back asked after the status (4) is a task on the ticket asked about', async () => {
    const phone = newPhone();
    const ticket = await smsTicket(phone);
    const sid = await statusCall(phone, ticket.reference, ['4']);
    await settle();
    expect(await ticketsOf(phone)).to.deep.equal([ticket.id]);
    expect(await acknowledgements(phone)).to.equal(1);
    const tasks = await server.runtime.db('tasks').where({ ticket_id: ticket.id });
    expect(tasks.map((task) => [task.reason, task.phone, task.status])).to.deep.equal([['requested', phone, 'open']]);
    expect(await callOf(sid)).to.deep.include({ outcome: 'callback_requested', callback_reason: 'requested' });
  });

  it('a status check that found nothing leaves no ticket, no acknowledgement and no call-back: the call is only logged', async () => {
    const other = await smsTicket(newPhone());
    const phone = newPhone(); // a caller with no ticket, keying in someone else's number
    const sid = await statusCall(phone, other.reference);
    await settle();
    expect(await ticketsOf(phone)).to.deep.equal([]);
    expect(await acknowledgements(phone)).to.equal(0);
    expect(await server.runtime.db('inbox').where({ external_id: sid })).to.deep.equal([]);
    expect(await server.runtime.db('tasks').where({ phone })).to.deep.equal([]);
    expect(await callOf(sid)).to.deep.include({ outcome: 'status_not_found', callback_reason: null, ticket_id: null });
  });

  it('one that found nothing and then left a message has its ticket, as any message does', async () => {
    const phone = newPhone();
    const sid = callSid();
    await post(VOICE, callForm(sid, phone));
    await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '3' }));
    await post(`${VOICE}/reference`, callForm(sid, phone, { Digits: '000000000' }));
    await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '4' }));
    await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '25' }));
    await settle();
    const [ticketId] = await ticketsOf(phone);
    expect(ticketId).to.be.a('number');
    const tasks = await server.runtime.db('tasks').where({ ticket_id: ticketId! });
    expect(tasks.map((task) => task.reason)).to.deep.equal(['requested']);
  });

  it('a caller who heard the status, then pressed 9 and 3 and hung up, is not abandoned and gets no call-back', async () => {
    const phone = newPhone();
    const ticket = await smsTicket(phone);
    const sid = await statusCall(phone, ticket.reference, ['9', '3']);
    await settle();
    expect(await callOf(sid)).to.deep.include({ outcome: 'status_read', callback_reason: null });
    expect(Boolean((await callOf(sid))!.served)).to.equal(true);
    expect(await server.runtime.db('tasks').where({ phone })).to.deep.equal([]);
    const check = await server.runtime
      .db('ticket_events')
      .where({ ticket_id: ticket.id, type: 'phone_status_check' })
      .first('data');
    expect(JSON.stringify(check)).to.include('Panggilan telepon').and.not.include('tak terlayani');
  });

  it('a caller who heard the information, then pressed 3 and hung up, is served: its call is no missed call', async () => {
    const phone = newPhone();
    const sid = callSid();
    await post(VOICE, callForm(sid, phone));
    await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '1' }));
    await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '3' }));
    await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '40' }));
    await settle();
    const [ticketId] = await ticketsOf(phone);
    const kinds = await server.runtime
      .db('messages')
      .where({ ticket_id: ticketId!, direction: 'inbound' })
      .pluck('kind');
    expect(kinds).to.deep.equal(['call']);
    expect(await server.runtime.db('tasks').where({ phone })).to.deep.equal([]);
  });
});

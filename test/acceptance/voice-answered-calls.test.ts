import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { VOICE, callForm, callSid } from '../support/twilio-voice-payloads.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Issue 12, item 19: the agent who took a key-5 call is given its ticket (routing prefers them,
 * within their capacity), and a merge takes the duplicates' open call-backs (and calls) along.
 */
/** Tuesday 1 December 2026, 09:00 in Samarinda (WITA): the front desk is open. */
const OFFICE_OPEN = new Date('2026-12-01T01:00:00Z');

describe('Voice: the ticket of an answered call, and call-backs across a merge', function () {
  this.timeout(60_000);
  let server: TestServer;
  let frontDesk: number;
  let seq = 0;
  const startedAt = Date.now();
  /** 09:00 WITA on a working day, going on in real time from there. */
  const clock = () => new Date(OFFICE_OPEN.getTime() + (Date.now() - startedAt));
  const newPhone = () => `+62857${String(Date.now() % 100_000).padStart(5, '0')}${String(seq++).padStart(2, '0')}`;
  const json = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  before(async () => {
    // The front desk's office hours: key 5 puts a caller through only while the office is open, so
    // the clock runs from a Tuesday morning in Samarinda, not from whenever the suite runs.
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000' }, { now: clock });
    frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
  });
  after(async () => server?.stop());
  afterEach(async () => {
    const db = server.runtime.db;
    await db('agents').whereNot({ role: 'admin' }).update({ presence: 'offline', active: false });
    await db('tickets').update({ status: 'closed' });
    await db('tasks').whereIn('status', ['open', 'calling']).update({ status: 'cancelled' });
  });

  /** An available agent of the front desk; `idleSince` orders who routing would pick by longest idle. */
  async function agent(name: string, options: { phone?: string; idleSince: Date; sms?: number }): Promise<number> {
    const created = await server.api(
      '/api/v1/agents',
      json('POST', {
        email: `${name}.${Date.now()}.${seq++}@dpmptsp.example.go.id`,
        name,
        role: 'agent',
        password: 'sandi-rahasia-1234',
        teams: [frontDesk],
        skills: ['id'],
        ...(options.phone ? { phone: options.phone } : {}),
      }),
    );
    expect(created.status).to.equal(201);
    const id = ((await created.json()) as { data: { id: number } }).data.id;
    if (options.sms !== undefined)
      await server.runtime.db('agent_capacities').insert({ agent_id: id, channel: 'sms', capacity: options.sms });
    await server.runtime
      .db('agents')
      .where({ id })
      .update({ presence: 'available', presence_changed_at: options.idleSince });
    return id;
  }

  async function post(path: string, form: Record<string, string>): Promise<string> {
    const response = await server.postTwilio(path, form);
    const body = await response.text();
    expect(response.status, body).to.equal(200);
    return body;
  }

  /** A call put through with 5, answered and over; the ticket it lands on. */
  async function answeredCall(phone: string): Promise<{ sid: string; ticketId: number }> {
    const sid = callSid();
    await post(VOICE, callForm(sid, phone));
    expect(await post(`${VOICE}/menu`, callForm(sid, phone, { Digits: '5' }))).to.include('<Dial');
    await post(`${VOICE}/dial`, callForm(sid, phone, { DialCallStatus: 'completed', DialCallDuration: '80' }));
    await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '95' }));
    const ticketId = await waitFor('the call on its ticket', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ provider: 'twilio-voice', external_id: sid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    return { sid, ticketId };
  }
  const assignedTo = (ticketId: number) =>
    waitFor(`ticket ${ticketId} assigned`, async () => {
      const row = await server.runtime.db('tickets').where({ id: ticketId }).first('assignee_id');
      return row?.assignee_id ? Number(row.assignee_id) : undefined;
    });

  it('gives the ticket of a key-5 call to the agent who answered it, not to whoever routing would pick', async () => {
    // Longest idle: the colleague, who has no phone (so never takes calls) but would get a ticket.
    const colleague = await agent('rekan', { idleSince: new Date(clock().getTime() - 3600_000) });
    const answering = await agent('penjawab', { phone: '+6281300000333', idleSince: clock() });
    const { sid, ticketId } = await answeredCall(newPhone());
    expect(await server.runtime.db('calls').where({ call_sid: sid }).first('agent_id')).to.deep.equal({
      agent_id: answering,
    });
    expect(await assignedTo(ticketId))
      .to.equal(answering)
      .and.not.equal(colleague);
    const assigned = await server.runtime.db('ticket_events').where({ ticket_id: ticketId, type: 'assigned' });
    expect(assigned).to.have.length(1);
  });

  it('within their capacity: an answering agent with no free written slot leaves it to routing', async () => {
    const colleague = await agent('rekan', { idleSince: new Date(clock().getTime() - 3600_000) });
    await agent('penuh', { phone: '+6281300000444', idleSince: clock(), sms: 0 });
    const { ticketId } = await answeredCall(newPhone());
    expect(await assignedTo(ticketId)).to.equal(colleague);
  });

  /** A citizen's SMS ticket and, from the same number, a missed call's voice ticket with its call-back. */
  async function duplicates(phone: string): Promise<{ target: number; source: number; task: number }> {
    const sms = inboundSms(phone, 'Izin saya bagaimana?');
    await post('/webhooks/twilio/messaging', sms);
    const target = await waitFor('the SMS ticket', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: sms.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    const sid = callSid();
    await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '6' }));
    const task = await waitFor('the call-back', async () => {
      await server.runtime.callbacks!.runOnce();
      const row = await server.runtime.db('calls').where({ call_sid: sid }).first('task_id');
      return row?.task_id ? Number(row.task_id) : undefined;
    });
    const source = Number((await server.runtime.db('tasks').where({ id: task }).first('ticket_id')).ticket_id);
    expect(source).to.not.equal(target);
    return { target, source, task };
  }
  const merge = async (target: number, source: number) => {
    const response = await server.api(`/api/v1/tickets/${target}/merge`, json('POST', { source_ticket_ids: [source] }));
    expect(response.status, await response.text()).to.equal(200);
  };
  const taskView = async (id: number) =>
    ((await (await server.api(`/api/v1/tasks/${id}`)).json()) as { data: { ticket: { id: number }; status: string } })
      .data;

  it('a merge moves the open call-back of the duplicate to the surviving ticket, with an event', async () => {
    const { target, source, task } = await duplicates(newPhone());
    await merge(target, source);
    const view = await taskView(task);
    expect(view.status).to.equal('open');
    expect(view.ticket.id).to.equal(target);
    const moved = await server.runtime.db('ticket_events').where({ ticket_id: target, type: 'callback_task_moved' });
    expect(moved.map((event) => (typeof event.data === 'string' ? JSON.parse(event.data) : event.data))).to.deep.equal([
      { task_id: task, from_ticket_id: source },
    ]);
    expect(
      await server.runtime.db('tasks').where({ ticket_id: source }).whereIn('status', ['open', 'calling']),
    ).to.deep.equal([]);
  });

  it('a call that reached a ticket merged before its call-back was made gets it on the surviving ticket', async () => {
    const phone = newPhone();
    const { target, source } = await duplicates(phone);
    await merge(target, source);
    await server.runtime.db('tasks').where({ phone }).update({ status: 'done' }); // that first one is dealt with
    // Another missed call of the citizen lands on the duplicate's inbox ticket before the merge is seen.
    const sid = callSid();
    await post(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '4' }));
    await waitFor('the call processed', async () => {
      const row = await server.runtime.db('inbox').where({ external_id: sid }).first('processed_at');
      return row?.processed_at ? true : undefined;
    });
    await server.runtime.db('inbox').where({ external_id: sid }).update({ ticket_id: source });
    await server.runtime.callbacks!.runOnce();
    const task = await server.runtime
      .db('calls as c')
      .join('tasks as k', 'k.id', 'c.task_id')
      .where('c.call_sid', sid)
      .first('k.ticket_id');
    expect(Number(task?.ticket_id)).to.equal(target);
  });

  it('a merge folds a call-back for the same number into the one the surviving ticket has: one open task', async () => {
    const phone = newPhone();
    const { target, source, task } = await duplicates(phone);
    const now = new Date();
    const [own] = await server.runtime
      .db('tasks')
      .insert({
        kind: 'callback',
        ticket_id: target,
        team_id: frontDesk,
        phone,
        reason: 'requested',
        due_at: now,
        status: 'open',
        attempts: 0,
        requests: 1,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    const ownId = Number(typeof own === 'object' ? own.id : own);
    await merge(target, source);
    const open = await server.runtime
      .db('tasks')
      .where({ phone })
      .whereIn('status', ['open', 'calling'])
      .select('id', 'ticket_id', 'requests');
    expect(open.map((row) => [Number(row.id), Number(row.ticket_id), Number(row.requests)])).to.deep.equal([
      [ownId, target, 2],
    ]);
    expect((await server.runtime.db('tasks').where({ id: task }).first('status')).status).to.equal('cancelled');
  });
});

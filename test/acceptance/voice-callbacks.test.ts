import { expect } from 'chai';
import { PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.js';
import { VOICE, VOICE_NUMBER, callForm, callSid, outline, parseTwiml } from '../support/twilio-voice-payloads.js';
import { waitFor } from '../support/wait-for.js';

// Tuesday 1 December 2026, 10:00 WITA: the default calendar (07:30–12:00, 13:00–16:00) is open.
const TUESDAY_10 = new Date('2026-12-01T02:00:00Z');

interface TaskView {
  id: number;
  status: string;
  attempts: number;
  outcome: string | null;
  note: string | null;
  due_at: string;
  overdue: boolean;
  assignee_id: number | null;
  phone: string | null;
  requests: number;
  ticket: { id: number; reference: string };
}

describe("Voice: call-back tasks through the API and Twilio's Calls API (local mock)", function () {
  this.timeout(90_000);
  let server: TestServer;
  let clock = TUESDAY_10;
  let seq = 0;
  let agentId: number;
  let agentToken: string;
  const newPhone = () => `+62854${String(Date.now() % 100_000).padStart(5, '0')}${String(seq++).padStart(2, '0')}`;
  const json = (method: string, body?: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  before(async () => {
    server = await startTestServer(
      { TWILIO_VOICE_FROM: VOICE_NUMBER, ROUTING_PASS_INTERVAL_MS: '3600000' },
      { now: () => clock },
    );
    const created = await server.api(
      '/api/v1/agents',
      json('POST', {
        email: 'penelepon@dpmptsp.example.go.id',
        name: 'Petugas panggilan balik',
        role: 'agent',
        password: 'sandi-panggilan-1234',
        teams: [1],
        phone: '+6281300000222',
      }),
    );
    expect(created.status).to.equal(201);
    agentId = ((await created.json()) as { data: { id: number } }).data.id;
    const login = await fetch(
      `${server.baseUrl}/api/v1/auth/login`,
      json('POST', { email: 'penelepon@dpmptsp.example.go.id', password: 'sandi-panggilan-1234' }),
    );
    agentToken = ((await login.json()) as { token: string }).token;
  });
  after(async () => server?.stop());
  beforeEach(() => {
    clock = TUESDAY_10;
  });

  const asAgent = (path: string, init: RequestInit = {}) =>
    fetch(server.baseUrl + path, {
      ...init,
      headers: { authorization: `Bearer ${agentToken}`, ...(init.headers ?? {}) },
    });
  async function data<T>(response: Response, status = 200): Promise<T> {
    const body = (await response.json()) as { data: T };
    expect(response.status, JSON.stringify(body)).to.equal(status);
    return body.data;
  }

  /** A citizen hangs up in the menu: the call reaches its ticket, the pass makes its call-back. */
  async function missedCall(phone = newPhone()): Promise<TaskView> {
    const sid = callSid();
    expect(
      (await server.postTwilio(`${VOICE}/status`, callForm(sid, phone, { CallStatus: 'completed', CallDuration: '7' })))
        .status,
    ).to.equal(200);
    const taskId = await waitFor(`the call-back of ${sid}`, async () => {
      await server.runtime.callbacks!.runOnce();
      const call = await server.runtime.db('calls').where({ call_sid: sid }).first('task_id');
      return call?.task_id ? Number(call.task_id) : undefined;
    });
    return data<TaskView>(await server.api(`/api/v1/tasks/${taskId}`));
  }

  /** The agent calls the task: Twilio (the mock) places the call to their phone; its SID. */
  async function callTask(taskId: number): Promise<string> {
    const task = await data<TaskView>(await asAgent(`/api/v1/tasks/${taskId}/call`, { method: 'POST' }));
    expect(task).to.include({ status: 'calling', assignee_id: agentId });
    const call = await server.runtime
      .db('calls')
      .where({ task_id: taskId, direction: 'callback' })
      .orderBy('id', 'desc')
      .first('call_sid', 'agent_id', 'phone');
    expect(call).to.include({ agent_id: agentId, phone: task.phone });
    expect(call!.call_sid).to.match(/^CA/);
    return String(call!.call_sid);
  }

  /** Twilio's callbacks of one attempt: the agent answered, then the <Dial> to the citizen ended so. */
  async function citizenLeg(taskId: number, agentLeg: string, dialStatus: string): Promise<void> {
    const form = callForm(agentLeg, VOICE_NUMBER, { To: '+6281300000222', Direction: 'outbound-api' });
    const answer = await server.postTwilio(`${VOICE}/callback/answer?task=${taskId}`, form);
    const verbs = parseTwiml(await answer.text());
    expect(outline(verbs)).to.deep.equal(['Say', 'Dial(Number)']);
    expect(verbs[1]!.attrs).to.include({
      callerId: VOICE_NUMBER,
      action: `${PUBLIC_URL}${VOICE}/callback/dial?task=${taskId}`,
    });
    const dial = await server.postTwilio(`${VOICE}/callback/dial?task=${taskId}`, {
      ...form,
      DialCallStatus: dialStatus,
      DialCallSid: callSid(),
    });
    expect(outline(parseTwiml(await dial.text()))).to.deep.equal(['Hangup']);
    expect(
      (
        await server.postTwilio(`${VOICE}/callback/status?task=${taskId}`, {
          ...form,
          CallStatus: 'completed',
          CallDuration: '40',
        })
      ).status,
    ).to.equal(200);
  }

  it('is handed to an available agent with a phone and a free voice slot', async () => {
    // Two citizens hang up while nobody is available; then the agent becomes available (set in the
    // database: no routing signal, and the periodic routing pass is off, so their voice tickets stay
    // in the queue and only the call-back pass hands out work).
    const first = await missedCall();
    const second = await missedCall();
    await server.runtime
      .db('agents')
      .where({ id: agentId })
      .update({ presence: 'available', presence_changed_at: clock });
    try {
      await server.runtime.callbacks!.runOnce();
      const task = await data<TaskView>(await server.api(`/api/v1/tasks/${first.id}`));
      expect(task.assignee_id).to.equal(agentId);
      // The agent's one voice slot is taken by that task: the next call-back waits.
      const next = await data<TaskView>(await server.api(`/api/v1/tasks/${second.id}`));
      expect(next.assignee_id).to.equal(null);
      await callTask(task.id);
      await data(
        await asAgent(
          `/api/v1/tasks/${task.id}/outcome`,
          json('POST', { outcome: 'reached', note: 'Sudah dijelaskan syaratnya' }),
        ),
      );
      await server.runtime.callbacks!.runOnce();
      expect((await data<TaskView>(await server.api(`/api/v1/tasks/${next.id}`))).assignee_id).to.equal(agentId);
      await callTask(next.id);
      await data(await asAgent(`/api/v1/tasks/${next.id}/outcome`, json('POST', { outcome: 'wrong_number' })));
    } finally {
      await server.runtime.db('agents').where({ id: agentId }).update({ presence: 'offline' });
    }
  });

  it('is not pushed to anyone in a team that pulls its work: an agent takes it by calling it', async () => {
    const pulled = await missedCall();
    await server.runtime
      .db('agents')
      .where({ id: agentId })
      .update({ presence: 'available', presence_changed_at: clock });
    expect((await server.api('/api/v1/teams/1', json('PATCH', { routing_strategy: 'pull' }))).status).to.equal(200);
    try {
      await server.runtime.callbacks!.runOnce();
      expect((await data<TaskView>(await server.api(`/api/v1/tasks/${pulled.id}`))).assignee_id).to.equal(null);
      await callTask(pulled.id);
      await data(await asAgent(`/api/v1/tasks/${pulled.id}/outcome`, json('POST', { outcome: 'reached' })));
    } finally {
      await server.api('/api/v1/teams/1', json('PATCH', { routing_strategy: 'longest_idle' }));
      await server.runtime.db('agents').where({ id: agentId }).update({ presence: 'offline' });
    }
  });

  it('answered: the agent is rung first, then the citizen with our number as caller ID; reached once whatever Twilio retries', async () => {
    const task = await missedCall();
    const agentLeg = await callTask(task.id);
    await citizenLeg(task.id, agentLeg, 'completed');
    await server.postTwilio(
      `${VOICE}/callback/dial?task=${task.id}`,
      callForm(agentLeg, VOICE_NUMBER, { DialCallStatus: 'completed' }),
    ); // a retry
    const done = await data<TaskView>(await server.api(`/api/v1/tasks/${task.id}`));
    expect(done).to.include({ status: 'done', outcome: 'reached', attempts: 1 });
    const events = (
      (await (await server.api(`/api/v1/tickets/${task.ticket.id}`)).json()) as {
        data: { events: Array<{ type: string; data: Record<string, unknown> }> };
      }
    ).data.events;
    expect(events.filter((event) => event.type === 'callback_call_started')).to.have.length(1);
    expect(events.filter((event) => event.type === 'callback_attempt').map((event) => event.data)).to.deep.equal([
      { task_id: task.id, attempt: 1, outcome: 'reached', call_sid: agentLeg, task_status: 'done' },
    ]);
  });

  it('busy, then no answer: retried 30 minutes and 2 hours later in working hours, then the next working day, then an SMS and unreachable', async () => {
    const task = await missedCall();
    // 10:00 + 30 min = 10:30; 10:30 + 2 h = 12:30, in the lunch break, so 13:00; then Wednesday 07:30 (WITA).
    const expectedDue = ['2026-12-01T02:30:00.000Z', '2026-12-01T05:00:00.000Z', '2026-12-01T23:30:00.000Z'];
    const statuses = ['busy', 'no-answer', 'no-answer', 'busy'];
    for (const [index, status] of statuses.entries()) {
      const agentLeg = await callTask(task.id);
      await citizenLeg(task.id, agentLeg, status);
      const after = await data<TaskView>(await server.api(`/api/v1/tasks/${task.id}`));
      expect(after.attempts).to.equal(index + 1);
      expect(after.outcome).to.equal(status === 'busy' ? 'busy' : 'no_answer');
      if (index < 3) {
        expect(after).to.include({ status: 'open', assignee_id: null, due_at: expectedDue[index] });
        clock = new Date(after.due_at); // the agent calls when it is due
      } else {
        expect(after.status).to.equal('unreachable');
      }
    }
    const sms = await server.runtime
      .db('messages')
      .where({ ticket_id: task.ticket.id, direction: 'outbound', kind: 'message' });
    expect(sms.map((row) => [row.channel, row.address])).to.deep.equal([['sms', task.phone]]);
    expect(sms[0]!.body).to.include('mencoba menelepon Anda').and.include(task.ticket.reference);
    const attempts = (
      (await (await server.api(`/api/v1/tickets/${task.ticket.id}`)).json()) as {
        data: { events: Array<{ type: string }> };
      }
    ).data.events.filter((event) => event.type === 'callback_attempt');
    expect(attempts).to.have.length(4);
  });

  it('an agent who does not pick up gives the task back without counting an attempt', async () => {
    const task = await missedCall();
    const agentLeg = await callTask(task.id);
    const form = callForm(agentLeg, VOICE_NUMBER, {
      To: '+6281300000222',
      Direction: 'outbound-api',
      CallStatus: 'no-answer',
    });
    await server.postTwilio(`${VOICE}/callback/status?task=${task.id}`, form);
    await server.postTwilio(`${VOICE}/callback/status?task=${task.id}`, form);
    const after = await data<TaskView>(await server.api(`/api/v1/tasks/${task.id}`));
    expect(after).to.include({ status: 'open', attempts: 0 });
  });

  it('opens a call-back again when Twilio never reports how its call ended, once, after two hours', async () => {
    const task = await missedCall();
    await callTask(task.id); // no callback ever comes for this call
    clock = new Date(TUESDAY_10.getTime() + 3600_000);
    await server.runtime.callbacks!.runOnce();
    expect((await data<TaskView>(await server.api(`/api/v1/tasks/${task.id}`))).status).to.equal('calling');
    clock = new Date(TUESDAY_10.getTime() + 2 * 3600_000 + 60_000);
    await server.runtime.callbacks!.runOnce();
    await server.runtime.callbacks!.runOnce();
    expect(await data<TaskView>(await server.api(`/api/v1/tasks/${task.id}`))).to.include({
      status: 'open',
      attempts: 0,
    });
    const lost = await server.runtime
      .db('ticket_events')
      .where({ ticket_id: task.ticket.id, type: 'callback_call_lost' });
    expect(lost).to.have.length(1);
  });

  it("takes the outcome of the agent's own call with a note, once per call; refuses a wrong outcome (400), a closed task (409), a caller without a phone (422)", async () => {
    const task = await missedCall();
    const bad = await asAgent(`/api/v1/tasks/${task.id}/outcome`, json('POST', { outcome: 'busy' }));
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('invalid_request');
    await callTask(task.id);
    const left = await data<TaskView>(
      await asAgent(
        `/api/v1/tasks/${task.id}/outcome`,
        json('POST', { outcome: 'voicemail_left', note: 'Pesan ditinggalkan di kotak suara' }),
      ),
    );
    expect(left).to.include({
      status: 'open',
      attempts: 1,
      outcome: 'voicemail_left',
      note: 'Pesan ditinggalkan di kotak suara',
      due_at: '2026-12-01T02:30:00.000Z',
    });
    await callTask(task.id);
    const wrong = await data<TaskView>(
      await asAgent(`/api/v1/tasks/${task.id}/outcome`, json('POST', { outcome: 'wrong_number' })),
    );
    expect(wrong).to.include({ status: 'done', outcome: 'wrong_number', attempts: 2 });
    const closed = await asAgent(`/api/v1/tasks/${task.id}/outcome`, json('POST', { outcome: 'reached' }));
    expect(closed.status).to.equal(409);
    expect(((await closed.json()) as { error: { code: string } }).error.code).to.equal('outcome_recorded');
    const callClosed = await asAgent(`/api/v1/tasks/${task.id}/call`, { method: 'POST' });
    expect(callClosed.status).to.equal(409);
    const other = await missedCall();
    const noPhone = await server.api(`/api/v1/tasks/${other.id}/call`, { method: 'POST' }); // the admin has no phone
    expect(noPhone.status).to.equal(422);
    expect(((await noPhone.json()) as { error: { code: string } }).error.code).to.equal('agent_has_no_phone');
    expect((await server.api('/api/v1/tasks/999999')).status).to.equal(404);
    expect((await server.api('/api/v1/tasks?status=sleeping')).status).to.equal(400);
  });

  it('an outcome needs a placed call, by its caller: three quick posts by someone else change nothing and send no SMS', async () => {
    const task = await missedCall();
    const outcome = (as: 'agent' | 'admin', value = 'no_answer') =>
      (as === 'agent' ? asAgent : server.api)(`/api/v1/tasks/${task.id}/outcome`, json('POST', { outcome: value }));
    const uncalled = await outcome('agent');
    expect(uncalled.status).to.equal(409);
    expect(((await uncalled.json()) as { error: { code: string } }).error.code).to.equal('no_call_attempt');
    const agentLeg = await callTask(task.id);
    const strangers = await Promise.all([outcome('admin'), outcome('admin'), outcome('admin')]);
    for (const refused of strangers) {
      expect(refused.status).to.equal(403);
      expect(refused.headers.get('content-type')).to.match(/^application\/json/);
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal('forbidden');
    }
    // The caller's own posts at once: one counts, the others are told it is recorded (409).
    const own = await Promise.all([outcome('agent'), outcome('agent'), outcome('agent')]);
    expect(own.map((response) => response.status).sort()).to.deep.equal([200, 409, 409]);
    // Twilio's <Dial> action for the same call afterwards counts no second attempt.
    await server.postTwilio(
      `${VOICE}/callback/dial?task=${task.id}`,
      callForm(agentLeg, VOICE_NUMBER, { DialCallStatus: 'no-answer' }),
    );
    expect(await data<TaskView>(await server.api(`/api/v1/tasks/${task.id}`))).to.include({
      status: 'open',
      attempts: 1,
      outcome: 'no_answer',
    });
    const sms = await server.runtime
      .db('messages')
      .where({ ticket_id: task.ticket.id, direction: 'outbound', kind: 'message' });
    expect(sms).to.deep.equal([]);
  });

  it("hides an anonymous reporter's number from agents, and still calls it", async () => {
    const phone = newPhone();
    const task = await missedCall(phone);
    expect(task.phone).to.equal(phone);
    expect((await server.api(`/api/v1/tickets/${task.ticket.id}`, json('PATCH', { anonymous: true }))).status).to.equal(
      200,
    );
    // The supervisor or admin, who answer for the protection, still see it; the agent does not.
    expect((await data<TaskView>(await server.api(`/api/v1/tasks/${task.id}`))).phone).to.equal(phone);
    expect((await data<TaskView>(await asAgent(`/api/v1/tasks/${task.id}`))).phone).to.equal(null);
    const listed = await data<TaskView[]>(await asAgent('/api/v1/tasks?assignee=none'));
    expect(listed.find((row) => row.id === task.id)?.phone).to.equal(null);
    await asAgent(`/api/v1/tasks/${task.id}/call`, { method: 'POST' });
    const call = await server.runtime.db('calls').where({ task_id: task.id, direction: 'callback' }).first('phone');
    expect(call.phone).to.equal(phone);
  });

  it('lists open tasks overdue first, then by due time, with filters', async () => {
    clock = new Date('2026-12-01T01:00:00Z'); // 09:00 WITA
    const older = await missedCall();
    clock = new Date('2026-12-01T01:30:00Z');
    const newer = await missedCall();
    clock = new Date('2026-12-01T10:00:00Z'); // 18:00: closed, due at the next opening
    const later = await missedCall();
    clock = new Date('2026-12-01T02:00:00Z');
    const list = await data<TaskView[]>(await server.api('/api/v1/tasks?limit=200'));
    const ids = list.map((task) => task.id);
    expect(ids.indexOf(older.id)).to.be.below(ids.indexOf(newer.id));
    expect(ids.indexOf(newer.id)).to.be.below(ids.indexOf(later.id));
    expect(list.find((task) => task.id === older.id)!.overdue).to.equal(true);
    expect(list.find((task) => task.id === later.id)!.overdue).to.equal(false);
    const overdue = await data<TaskView[]>(await server.api('/api/v1/tasks?overdue=true&limit=200'));
    expect(overdue.map((task) => task.id))
      .to.include(older.id)
      .and.not.include(later.id);
    const unassigned = await data<TaskView[]>(
      await server.api('/api/v1/tasks?assignee=none&kind=callback&status=open'),
    );
    expect(unassigned.every((task) => task.assignee_id === null && task.status === 'open')).to.equal(true);
  });
});

import { expect } from 'chai';
import { fromJson, toIso } from '../../src/db/rows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

/**
 * SLA clocks driven through the running server with a controlled clock: the webhook, the agents'
 * actions and the sweep all read the same `now`, which the tests move across working hours,
 * weekends, the 2026 holidays and pauses. Times are WITA (Asia/Makassar, UTC+8), the default
 * calendar: Mon–Thu 07:30–12:00 and 13:00–16:00, Fri 07:30–11:30 and 13:00–16:30.
 */
describe('SLA clocks in working time, warnings, breaches and escalation', () => {
  let server: TestServer;
  let current = new Date('2026-11-27T07:30:00Z');
  const wita = (local: string) => new Date(`${local}+08:00`);
  const setNow = (local: string) => (current = wita(local));
  let phone = 0;
  const newPhone = () => `+6281700000${String(10 + phone++)}`;

  before(async () => {
    server = await startTestServer(
      { ROUTING_PASS_INTERVAL_MS: '600000', CLARIFICATION_PASS_INTERVAL_MS: '600000', SLA_SWEEP_INTERVAL_MS: '600000' },
      { now: () => new Date(current) },
    );
  });
  after(async () => server?.stop());

  const db = () => server.runtime.db;
  const json = (method: string, body: unknown) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const sweep = () => server.runtime.slaSweep!.runOnce();
  const eventsOf = async (ticketId: number, type: string) =>
    db()('ticket_events').where({ ticket_id: ticketId, type }).orderBy('id');
  const clocksOf = async (ticketId: number) =>
    (await db()('sla_clocks').where({ ticket_id: ticketId }).orderBy('id')).map((clock) => ({
      ...clock,
      due_at: toIso(clock.due_at),
      warn_at: toIso(clock.warn_at),
    }));

  async function ticketFrom(from: string, body: string): Promise<number> {
    const message = inboundSms(from, body);
    expect((await server.postTwilio('/webhooks/twilio/messaging', message)).status).to.equal(200);
    return waitFor('ticket', async () => {
      const row = await db()('inbox').where({ external_id: message.MessageSid }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  async function view(ticketId: number) {
    const response = await server.api(`/api/v1/tickets/${ticketId}`);
    expect(response.status).to.equal(200);
    return (
      (await response.json()) as {
        data: {
          sla: { state: string | null; due_at: string | null };
          sla_clocks: Array<Record<string, unknown>>;
          priority: string;
          team_id: number;
        };
      }
    ).data;
  }

  it('times a chat first response in working minutes across a weekend, warns at 80%, breaches once, flags the lists and escalates', async () => {
    const supervisor = await server.api(
      '/api/v1/agents',
      json('POST', {
        email: 'kepala.loket@dpmptsp.example.go.id',
        name: 'Kepala Loket',
        role: 'supervisor',
        password: 'sandi-rahasia-1',
        teams: [1],
      }),
    );
    expect(supervisor.status).to.equal(201);

    setNow('2026-11-27T16:00:00'); // Friday, half an hour before closing
    const ticketId = await ticketFrom(newPhone(), 'Bagaimana cara mengurus NIB?');
    // 60 working minutes: Friday 16:00–16:30 (30), then Monday from 07:30 (30) → due Monday 08:00.
    // The warning at 80%, 48 working minutes: 30 on Friday + 18 on Monday → Monday 07:48.
    let ticket = await view(ticketId);
    const [firstResponse] = ticket.sla_clocks;
    expect(firstResponse).to.include({
      kind: 'first_response',
      due_at: '2026-11-30T00:00:00.000Z',
      warn_at: '2026-11-29T23:48:00.000Z',
      outcome: null,
    });
    // The countdown the console shows: an hour of working time, counting now (Friday 15:00).
    expect(ticket.sla).to.deep.equal({
      state: 'ok',
      due_at: '2026-11-30T00:00:00.000Z',
      warn_at: '2026-11-29T23:48:00.000Z',
      kind: 'first_response',
      working_minutes_left: 60,
      working_now: true,
      paused: false,
    });

    setNow('2026-11-28T10:00:00'); // Saturday: closed time does not count
    await sweep();
    setNow('2026-11-30T07:47:00');
    await sweep();
    expect(await eventsOf(ticketId, 'sla_warning')).to.have.length(0);
    setNow('2026-11-30T07:49:00');
    await sweep();
    await sweep();
    expect(await eventsOf(ticketId, 'sla_warning')).to.have.length(1);
    expect((await view(ticketId)).sla.state).to.equal('warning');

    setNow('2026-11-30T07:59:00'); // a minute before the deadline: no breach yet
    await sweep();
    expect(await eventsOf(ticketId, 'sla_breached')).to.have.length(0);
    setNow('2026-11-30T08:01:00');
    await sweep();
    await sweep();
    expect(await eventsOf(ticketId, 'sla_breached')).to.have.length(1);
    const [escalated] = await eventsOf(ticketId, 'sla_escalated');
    const supervisorId = ((await supervisor.json()) as { data: { id: number } }).data.id;
    expect(fromJson<{ notified: number[] }>(escalated.data).notified).to.deep.equal([supervisorId]);
    const mail = await db()('messages').where({ ticket_id: ticketId, kind: 'escalation' }).first();
    expect(mail).to.include({ address: 'kepala.loket@dpmptsp.example.go.id', channel: 'email' });
    expect(Boolean(mail.internal)).to.equal(true);
    expect(mail.body).to.contain('melewati batas waktu tanggapan pertama');

    ticket = await view(ticketId);
    expect(ticket.sla.state).to.equal('breached');
    const overdue = (await (await server.api('/api/v1/tickets?overdue=true')).json()) as {
      data: Array<{ id: number }>;
    };
    expect(overdue.data.map((row) => row.id)).to.include(ticketId);
    const notOverdue = (await (await server.api('/api/v1/tickets?overdue=false')).json()) as {
      data: Array<{ id: number }>;
    };
    expect(notOverdue.data.map((row) => row.id)).to.not.include(ticketId);

    // The late answer stops the clock as breached; nothing runs any more, so the flag clears.
    setNow('2026-11-30T08:40:00');
    expect(
      (await server.api(`/api/v1/tickets/${ticketId}/replies`, json('POST', { body: 'NIB diurus lewat OSS.' }))).status,
    ).to.equal(201);
    ticket = await view(ticketId);
    expect(ticket.sla_clocks[0]).to.include({ kind: 'first_response', outcome: 'breached' });
    expect(ticket.sla.state).to.equal(null);

    // The citizen writes again: the next response clock (120 working minutes) starts from their message.
    setNow('2026-11-30T11:00:00');
    const again = await ticketFrom(
      (await db()('messages').where({ ticket_id: ticketId, direction: 'inbound' }).first('address')).address,
      'Terima kasih, lalu berapa lama?',
    );
    expect(again).to.equal(ticketId);
    const nextResponse = (await clocksOf(ticketId)).find((clock) => clock.kind === 'next_response')!;
    // 11:00–12:00 (60), lunch, 13:00–14:00 (60) → 14:00 WITA.
    expect(nextResponse.due_at).to.equal('2026-11-30T06:00:00.000Z');
    setNow('2026-11-30T11:30:00');
    expect(
      (await server.api(`/api/v1/tickets/${ticketId}/replies`, json('POST', { body: 'Sekitar 3 hari kerja.' }))).status,
    ).to.equal(201);
    const answered = (await clocksOf(ticketId)).find((clock) => clock.kind === 'next_response')!;
    expect(answered.outcome).to.equal('met');
  });

  it('pauses resolution while waiting on the citizen and moves its deadline by the paused working time, across holidays', async () => {
    setNow('2026-12-07T09:00:00'); // Monday
    const from = newPhone();
    const ticketId = await ticketFrom(from, 'Mohon salinan dokumen izin lingkungan kami');
    expect(
      (await server.api(`/api/v1/tickets/${ticketId}`, json('PATCH', { category: 'information_request' }))).status,
    ).to.equal(200);
    // UU KIP: 10 working days, whole days after the request: Dec 8–11, 14–18, 21 → Monday 21 Dec 16:00.
    let resolution = (await clocksOf(ticketId)).find((clock) => clock.kind === 'resolution')!;
    expect(resolution.due_at).to.equal('2026-12-21T08:00:00.000Z');

    setNow('2026-12-08T10:00:00');
    const asked = await server.api(
      `/api/v1/tickets/${ticketId}/clarification`,
      json('POST', { body: 'Mohon sebutkan nomor izinnya.' }),
    );
    expect(asked.status).to.equal(201);
    resolution = (await clocksOf(ticketId)).find((clock) => clock.kind === 'resolution')!;
    expect(resolution.due_at).to.equal(null);
    expect(toIso(resolution.paused_at)).to.equal(wita('2026-12-08T10:00:00').toISOString());

    // A sweep while paused fires nothing, however late it is.
    setNow('2026-12-22T10:00:00');
    await sweep();
    setNow('2026-12-11T10:00:00'); // Friday: the citizen answers
    await ticketFrom(from, 'Nomor izin 503/123/DPMPTSP/2025');
    resolution = (await clocksOf(ticketId)).find((clock) => clock.kind === 'resolution')!;
    // Paused: Tue 8 Dec 10:00–16:00 less lunch (300) + Wed 9 (450) + Thu 10 (450) + Fri 11 07:30–10:00 (150) = 1,350.
    expect(Number(resolution.paused_minutes)).to.equal(1350);
    // 21 Dec 16:00 + 1,350: Tue 22 (450), Wed 23 (450), 24–25 holidays, weekend, Mon 28 (450) → 28 Dec 16:00.
    expect(resolution.due_at).to.equal('2026-12-28T08:00:00.000Z');
    expect(await eventsOf(ticketId, 'sla_breached')).to.have.length(0);

    // Resolved, then reopened: it resumes where it was, the resolved time not counted.
    setNow('2026-12-14T09:00:00');
    expect((await server.api(`/api/v1/tickets/${ticketId}/resolve`, json('POST', {}))).status).to.equal(200);
    resolution = (await clocksOf(ticketId)).find((clock) => clock.kind === 'resolution')!;
    expect(resolution.outcome).to.equal('met');
    setNow('2026-12-14T10:00:00');
    expect((await server.api(`/api/v1/tickets/${ticketId}/reopen`, json('POST', {}))).status).to.equal(200);
    const clocks = (await clocksOf(ticketId)).filter((clock) => clock.kind === 'resolution');
    expect(clocks).to.have.length(1);
    expect(clocks[0]!.outcome).to.equal(null);
    expect(Number(clocks[0]!.paused_minutes)).to.equal(1350 + 60);
  });

  it("starts the agency follow-up on a disposition and stops it with the agency's answer; a transfer keeps the other clocks", async () => {
    setNow('2026-12-01T08:00:00'); // Tuesday
    const ticketId = await ticketFrom(newPhone(), 'Pengaduan: izin reklame kami tertahan 3 bulan');
    expect(
      (
        await server.api(
          `/api/v1/tickets/${ticketId}`,
          json('PATCH', { category: 'complaint', complaint_type: 'undue_delay' }),
        )
      ).status,
    ).to.equal(200);
    const team = await server.api('/api/v1/teams', json('POST', { slug: 'dinas-pupr', name: 'Dinas PUPR' }));
    const teamId = ((await team.json()) as { data: { id: number } }).data.id;
    const before = (await clocksOf(ticketId)).find(
      (clock) => clock.kind === 'first_response' && clock.stopped_at === null,
    )!;
    // SP4N-LAPOR!: verify within 3 working days: Wed 2, Thu 3, Fri 4 Dec → Friday 16:30.
    expect(before.due_at).to.equal('2026-12-04T08:30:00.000Z');

    setNow('2026-12-01T09:00:00');
    const transferred = await server.api(
      `/api/v1/tickets/${ticketId}/transfer`,
      json('POST', { team_id: teamId, note: 'Mohon ditindaklanjuti' }),
    );
    expect(transferred.status).to.equal(200);
    const clocks = await clocksOf(ticketId);
    expect(clocks.find((clock) => clock.id === before.id)).to.include({ due_at: before.due_at, outcome: null });
    const followUp = clocks.find((clock) => clock.kind === 'agency_followup')!;
    // 5 working days after the disposition: Wed 2 … Tue 8 Dec → Tuesday 16:00.
    expect(followUp.due_at).to.equal('2026-12-08T08:00:00.000Z');

    setNow('2026-12-03T09:00:00');
    expect(
      (
        await server.api(
          `/api/v1/tickets/${ticketId}/replies`,
          json('POST', { body: 'Izin reklame Anda sedang kami proses.' }),
        )
      ).status,
    ).to.equal(201);
    const after = await clocksOf(ticketId);
    expect(after.find((clock) => clock.kind === 'agency_followup')).to.include({ outcome: 'met' });
    expect(after.find((clock) => clock.kind === 'first_response')).to.include({ outcome: 'met' });
  });

  it('fires a breach from its BullMQ timer at its instant, without the sweep', async () => {
    setNow('2026-12-02T08:00:00');
    const ticketId = await ticketFrom(newPhone(), 'Jam buka kantor?');
    const clock = (await clocksOf(ticketId)).find((row) => row.kind === 'first_response')!;
    // Bring the deadline to a moment from now in the server's clock, as a moved clock would be.
    const dueAt = new Date(current.getTime() + 300);
    await db()('sla_clocks').where({ id: clock.id }).update({ warned_at: current, due_at: dueAt });
    await server.runtime.slaTimers.schedule([
      { clockId: Number(clock.id), ticketId, previous: { warnAt: null, dueAt: null }, next: { warnAt: null, dueAt } },
    ]);
    // The server's clock must pass the instant too: move it as real time goes.
    const started = Date.now();
    const base = current.getTime();
    const ticking = setInterval(() => (current = new Date(base + (Date.now() - started))), 20);
    try {
      const [breach] = await waitFor('breach from the timer', async () => {
        const rows = await eventsOf(ticketId, 'sla_breached');
        return rows.length > 0 ? rows : undefined;
      });
      expect(fromJson<Record<string, unknown>>(breach.data)).to.include({
        clock_id: Number(clock.id),
        due_at: dueAt.toISOString(),
      });
    } finally {
      clearInterval(ticking);
    }
  });
});

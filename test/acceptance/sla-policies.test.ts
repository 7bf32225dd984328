import { expect } from 'chai';
import { loadCalendar } from '../../src/calendar/calendar-store.js';
import { addWorkingDays } from '../../src/calendar/working-time.js';
import { fromJson, toIso } from '../../src/db/rows.js';
import { citizenDate } from '../../src/i18n/citizen-texts.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { openEventStream } from '../support/sse-client.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

/** Policies as data: chosen by category, priority and channel; an extension once; escalation actions once. */
describe('SLA policies, the extension of a deadline, and escalation actions', () => {
  let server: TestServer;
  let current = new Date('2026-12-01T00:00:00Z');
  const setNow = (local: string) => (current = new Date(`${local}+08:00`));
  let phone = 0;
  const newPhone = () => `+6281800000${String(10 + phone++)}`;

  before(async () => {
    server = await startTestServer(
      { ROUTING_PASS_INTERVAL_MS: '600000', SLA_SWEEP_INTERVAL_MS: '600000' },
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
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await server.api(path, json(method, body));
    return {
      status: response.status,
      body: (await response.json().catch(() => undefined)) as {
        data: Record<string, unknown>;
        error?: { code: string };
      },
    };
  };

  async function ticketFrom(body: string): Promise<number> {
    const message = inboundSms(newPhone(), body);
    await server.postTwilio('/webhooks/twilio/messaging', message);
    return waitFor('ticket', async () => {
      const row = await db()('inbox').where({ external_id: message.MessageSid }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  const resolutionClock = async (ticketId: number) =>
    db()('sla_clocks').where({ ticket_id: ticketId, kind: 'resolution' }).whereNull('stopped_at').first();

  it('lists the seeded defaults of docs/domain.md in matching order and refuses a bad target', async () => {
    const { status, body } = await send('GET', '/api/v1/sla-policies');
    expect(status).to.equal(200);
    const policies = body.data as unknown as Array<{
      name: string;
      targets: Record<string, unknown>;
      resolution_extension_days: number | null;
    }>;
    expect(policies.map((policy) => policy.targets)).to.deep.include.members([
      { first_response: { days: 3 }, agency_followup: { days: 5 } },
      { resolution: { days: 10 } },
    ]);
    expect(policies.find((policy) => policy.resolution_extension_days === 7)?.name).to.contain('UU KIP');
    const bad = await send('POST', '/api/v1/sla-policies', {
      name: 'Salah',
      position: 1,
      targets: { first_response: { hours: 2 } },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error!.code).to.equal('invalid_request');
  });

  it("extends an information request's resolution once by 7 working days with a reason, and refuses a second", async () => {
    setNow('2026-12-01T09:00:00');
    const ticketId = await ticketFrom('Mohon data jumlah izin usaha tahun 2025');
    expect((await send('PATCH', `/api/v1/tickets/${ticketId}`, { category: 'information_request' })).status).to.equal(
      200,
    );
    const calendar = await loadCalendar(db());
    const created = new Date(toIso((await db()('tickets').where({ id: ticketId }).first('created_at')).created_at)!);
    expect(toIso((await resolutionClock(ticketId)).due_at)).to.equal(
      addWorkingDays(calendar, created, 10).toISOString(),
    );

    expect((await send('POST', `/api/v1/tickets/${ticketId}/sla/extend`, { reason: 'singkat' })).status).to.equal(400);
    const extended = await send('POST', `/api/v1/tickets/${ticketId}/sla/extend`, {
      reason: 'Data harus dihimpun dari tiga OPD',
    });
    expect(extended.status).to.equal(200);
    expect(extended.body.data).to.deep.equal({
      due_at: addWorkingDays(calendar, created, 17).toISOString(),
      extension_days: 7,
      citizen_notified: true,
    });
    // UU KIP: the requester is told in writing, with the reason and the new date, on their channel.
    const ticket = await db()('tickets').where({ id: ticketId }).first('contact_id');
    const phone = await db()('contact_identities')
      .where({ contact_id: ticket.contact_id, kind: 'phone' })
      .first('value');
    const notice = await db()('messages')
      .where({ ticket_id: ticketId, direction: 'outbound', author_type: 'system', kind: 'message' })
      .first('channel', 'address', 'body', 'internal');
    expect(notice).to.deep.include({ channel: 'sms', address: phone.value });
    expect(Boolean(notice.internal)).to.equal(false);
    expect(notice.body)
      .to.include('kami perpanjang 7 hari kerja')
      .and.include('Alasan: Data harus dihimpun dari tiga OPD')
      .and.include(citizenDate('id', addWorkingDays(calendar, created, 17), calendar.timeZone));
    expect(toIso((await resolutionClock(ticketId)).due_at)).to.equal(
      addWorkingDays(calendar, created, 17).toISOString(),
    );
    const note = await db()('messages').where({ ticket_id: ticketId, kind: 'note' }).first('body', 'internal');
    expect(note.body).to.equal('Data harus dihimpun dari tiga OPD');

    const again = await send('POST', `/api/v1/tickets/${ticketId}/sla/extend`, { reason: 'Masih menunggu data OPD' });
    expect(again.status).to.equal(409);
    expect(again.body.error!.code).to.equal('already_extended');

    const complaint = await ticketFrom('Pengaduan pelayanan loket');
    expect(
      (await send('POST', `/api/v1/tickets/${complaint}/sla/extend`, { reason: 'Tidak ada jam resolusi' })).body.error!
        .code,
    ).to.equal('no_resolution_clock');
  });

  it('on a breach raises the priority and moves the ticket to the escalation team, exactly once', async () => {
    const team = await send('POST', '/api/v1/teams', { slug: 'eskalasi', name: 'Tim Eskalasi' });
    const teamId = Number(team.body.data.id);
    const policy = await send('POST', '/api/v1/sla-policies', {
      name: 'Mendesak',
      position: 1,
      priorities: ['high'],
      targets: { first_response: { minutes: 30 } },
      escalate_raise_priority: true,
      escalation_team_id: teamId,
    });
    expect(policy.status).to.equal(201);

    setNow('2026-12-02T09:00:00'); // Wednesday
    const ticketId = await ticketFrom('Tolong, izin kami dibatalkan sepihak');
    expect((await send('PATCH', `/api/v1/tickets/${ticketId}`, { priority: 'high' })).status).to.equal(200);
    const clock = await db()('sla_clocks')
      .where({ ticket_id: ticketId, kind: 'first_response' })
      .whereNull('stopped_at')
      .first();
    // The policy changed with the priority: 30 working minutes from the ticket's creation.
    expect(toIso(clock.due_at)).to.equal(new Date('2026-12-02T01:30:00Z').toISOString());

    // The front desk's supervisor watches their stream: the ticket leaves their team in the escalation.
    const email = 'kepala.pelayanan@dpmptsp.example.go.id';
    expect(
      (
        await send('POST', '/api/v1/agents', {
          email,
          name: 'Kepala Pelayanan',
          role: 'supervisor',
          password: 'sandi-rahasia-2',
          teams: [1],
        })
      ).status,
    ).to.equal(201);
    const login = await fetch(
      `${server.baseUrl}/api/v1/auth/login`,
      json('POST', { email, password: 'sandi-rahasia-2' }),
    );
    const { token } = (await login.json()) as { token: string };
    const stream = await openEventStream(`${server.baseUrl}/api/v1/metrics/stream?snapshot_seconds=0`, {
      authorization: `Bearer ${token}`,
    });
    await waitFor('stream open', () => stream.comments > 0);

    setNow('2026-12-02T09:45:00');
    const fired = await server.runtime.slaSweep!.runOnce();
    expect(fired.breaches).to.be.at.least(1);
    await server.runtime.slaSweep!.runOnce();
    const ticket = await db()('tickets').where({ id: ticketId }).first('priority', 'team_id', 'assignee_id', 'status');
    // Moved by a disposition's rules, as an agent's transfer to that team would: waiting on it.
    expect(ticket).to.include({ priority: 'urgent', assignee_id: null, status: 'pending_agency' });
    expect(Number(ticket.team_id)).to.equal(teamId);
    const moved = await db()('ticket_events').where({ ticket_id: ticketId, type: 'escalated' }).first('data');
    expect(fromJson<Record<string, unknown>>(moved.data)).to.include({ to_status: 'pending_agency', to_team: teamId });
    const types = await db()('ticket_events').where({ ticket_id: ticketId }).pluck('type');
    expect(types.filter((type: string) => type === 'escalated')).to.have.length(1);
    expect(types.filter((type: string) => type === 'sla_breached')).to.have.length(1);
    expect(types.filter((type: string) => type === 'sla_escalated')).to.have.length(1);
    try {
      await waitFor("the escalation on the old team's stream", () =>
        stream.events.some((event) => event.event === 'sla_escalated'),
      );
      const seen = stream.events
        .filter((event) => Number(JSON.parse(event.data).ticket_id) === ticketId)
        .map((event) => event.event);
      expect(seen).to.include.members(['sla_breached', 'escalated', 'sla_escalated']);
    } finally {
      await stream.close();
    }
  });

  it('moves the deadlines of idle open tickets when a policy or a calendar changes, without waiting for the tickets', async () => {
    setNow('2026-12-07T09:00:00'); // Monday
    const ticketId = await ticketFrom('Permohonan salinan izin usaha');
    expect((await send('PATCH', `/api/v1/tickets/${ticketId}`, { category: 'information_request' })).status).to.equal(
      200,
    );
    const dueOf = async () => toIso((await resolutionClock(ticketId)).due_at);
    // The edits answer at once; the clocks follow in the background (ClockResync).
    const dueBecomes = (expected: string) =>
      waitFor(`the deadline ${expected}`, async () => (await dueOf()) === expected);
    // 10 working days: 8–11, 14–18, 21 December → Monday 21 December 16:00 WITA.
    expect(await dueOf()).to.equal('2026-12-21T08:00:00.000Z');

    const policies = (await send('GET', '/api/v1/sla-policies')).body.data as unknown as Array<{
      id: number;
      resolution_extension_days: number | null;
    }>;
    const kip = policies.find((policy) => policy.resolution_extension_days === 7)!;
    expect(
      (await send('PATCH', `/api/v1/sla-policies/${kip.id}`, { targets: { resolution: { days: 5 } } })).status,
    ).to.equal(200);
    // 5 working days: 8–11 and 14 December → Monday 14 December 16:00.
    await dueBecomes('2026-12-14T08:00:00.000Z');

    // A regional holiday on Thursday 10 December pushes it to Tuesday 15 December.
    expect(
      (await send('PUT', '/api/v1/calendars/1/holidays/2026/2026-12-10', { name: 'Hari jadi kota' })).status,
    ).to.be.oneOf([200, 201]);
    await dueBecomes('2026-12-15T08:00:00.000Z');
    const [ticket] = (await send('GET', `/api/v1/tickets?q=salinan`)).body.data as unknown as Array<{
      id: number;
      sla: { due_at: string };
    }>;
    expect(ticket).to.deep.include({ id: ticketId });
    expect(ticket!.sla.due_at).to.equal('2026-12-15T08:00:00.000Z');

    expect((await send('DELETE', '/api/v1/calendars/1/holidays/2026/2026-12-10')).status).to.be.oneOf([200, 204]);
    expect(
      (await send('PATCH', `/api/v1/sla-policies/${kip.id}`, { targets: { resolution: { days: 10 } } })).status,
    ).to.equal(200);
    await dueBecomes('2026-12-21T08:00:00.000Z');
  });
});

import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { forgetCalendars } from '../../src/calendar/calendar-store.js';
import { cast, getAs, seedClock, seedEvent, seedTicket, wita, type Person } from '../support/metrics-fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * GET /api/v1/metrics/summary and summary.csv over a hand-made data set: the front desk's tickets
 * of Monday 23 and Tuesday 24 November 2026 on the default calendar (WITA, 07:30–12:00 and
 * 13:00–16:00), an agency on a calendar of its own (08:00–12:00 only), clocks with known outcomes.
 * Every expected figure is worked out in a comment beside it.
 */
describe("Supervisor's view: the summary of a period", function () {
  this.timeout(60_000);
  let server: TestServer;
  let frontDesk: number;
  let agency: number;
  let supervisor: Person;
  let agencySupervisor: Person;
  let agent: Person;
  let admin: Person;
  const MON = '2026-11-23';
  const TUE = '2026-11-24';
  const PERIOD = `from=${MON}&to=${TUE}`; // Monday 00:00 WITA up to Wednesday 00:00 WITA

  before(async () => {
    // The call-back pass would start dialling the seeded call-backs: once an hour is never, here.
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000', CALLBACK_PASS_INTERVAL_MS: '3600000' });
    const db = server.runtime.db;
    ({ frontDesk, agency, supervisor, agencySupervisor, agent, admin } = await cast(server, {
      slug: 'dinas-pupr',
      name: 'Dinas PUPR',
    }));

    // The agency works mornings only: 08:00–12:00, Monday to Friday.
    const mornings = {
      mon: [['08:00', '12:00']],
      tue: [['08:00', '12:00']],
      wed: [['08:00', '12:00']],
      thu: [['08:00', '12:00']],
      fri: [['08:00', '12:00']],
      sat: [],
      sun: [],
    };
    const [calendar] = await db('calendars')
      .insert({
        slug: 'pagi',
        name: 'Pagi saja',
        time_zone: 'Asia/Makassar',
        weekly_hours: JSON.stringify(mornings),
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning('id');
    await db('teams')
      .where({ id: agency })
      .update({ calendar_id: Number(typeof calendar === 'object' ? calendar.id : calendar) });
    forgetCalendars(db);

    const fd = { team: frontDesk };
    // T1 sms complaint: first answer 08:00→08:30 = 30; resolved Mon 08:00→Tue 08:00 = 240 + 180 (Mon) + 30 (Tue 07:30–08:00) = 450.
    const t1 = await seedTicket(db, {
      ...fd,
      channel: 'sms',
      category: 'complaint',
      status: 'resolved',
      createdAt: wita(MON, '08:00'),
      firstResponseAt: wita(MON, '08:30'),
      resolvedAt: wita(TUE, '08:00'),
    });
    // T2 sms information request: 11:30→13:30 = 30 (to 12:00) + 30 (from 13:00) = 60; resolved 11:30→15:00 = 30 + 120 = 150.
    const t2 = await seedTicket(db, {
      ...fd,
      channel: 'sms',
      category: 'information_request',
      status: 'resolved',
      createdAt: wita(MON, '11:30'),
      firstResponseAt: wita(MON, '13:30'),
      resolvedAt: wita(MON, '15:00'),
    });
    // T3 WhatsApp complaint, still open: Mon 15:00→Tue 08:00 = 60 (to 16:00) + 30 (from 07:30) = 90.
    const t3 = await seedTicket(db, {
      ...fd,
      channel: 'whatsapp',
      category: 'complaint',
      status: 'open',
      assignee: agent.id,
      createdAt: wita(MON, '15:00'),
      firstResponseAt: wita(TUE, '08:00'),
    });
    // T4 email, uncategorised, written before opening: Tue 07:00→09:00 = 90 (from 07:30); resolved 07:00→13:30 = 270 + 30 = 300.
    const t4 = await seedTicket(db, {
      ...fd,
      channel: 'email',
      status: 'resolved',
      createdAt: wita(TUE, '07:00'),
      firstResponseAt: wita(TUE, '09:00'),
      resolvedAt: wita(TUE, '13:30'),
    });
    // T5 written on Sunday (before the period: not in the volumes), answered Mon 07:45 = 15, resolved Tue 10:00 = 450 (Mon) + 150 (Tue 07:30–10:00) = 600.
    const t5 = await seedTicket(db, {
      ...fd,
      channel: 'whatsapp',
      category: 'complaint',
      status: 'resolved',
      createdAt: wita('2026-11-22', '10:00'),
      firstResponseAt: wita(MON, '07:45'),
      resolvedAt: wita(TUE, '10:00'),
    });
    // T6 a confidential SMS complaint, still new: counts in the volumes, no answer yet.
    const t6 = await seedTicket(db, {
      ...fd,
      channel: 'sms',
      category: 'complaint',
      status: 'new',
      createdAt: wita(TUE, '10:00'),
      queuedAt: wita(TUE, '10:00'),
      confidential: true,
    });
    // T7 a duplicate merged into T1: counted in T1, not on its own.
    await seedTicket(db, {
      ...fd,
      channel: 'sms',
      category: 'complaint',
      status: 'closed',
      createdAt: wita(TUE, '09:00'),
      firstResponseAt: wita(TUE, '09:05'),
      mergedInto: t1.id,
    });
    // T8 created and answered on Wednesday 25: after the period.
    await seedTicket(db, {
      ...fd,
      channel: 'sms',
      category: 'complaint',
      status: 'open',
      createdAt: wita('2026-11-25', '08:00'),
      firstResponseAt: wita('2026-11-25', '08:10'),
    });
    // A1 the agency's: Mon 11:00→14:00 on its mornings-only calendar = 60 (11:00–12:00); the default calendar would say 120.
    const a1 = await seedTicket(db, {
      team: agency,
      channel: 'sms',
      category: 'complaint',
      status: 'open',
      createdAt: wita(MON, '11:00'),
      firstResponseAt: wita(MON, '14:00'),
    });

    // Clocks stopped in the period: first_response met by T1, T2, T4, T5 and breached by T3; T6's cancelled.
    await seedClock(db, {
      ticket: t1.id,
      kind: 'first_response',
      startedAt: wita(MON, '08:00'),
      stoppedAt: wita(MON, '08:30'),
      outcome: 'met',
    });
    await seedClock(db, {
      ticket: t2.id,
      kind: 'first_response',
      startedAt: wita(MON, '11:30'),
      stoppedAt: wita(MON, '13:30'),
      outcome: 'met',
    });
    await seedClock(db, {
      ticket: t3.id,
      kind: 'first_response',
      startedAt: wita(MON, '15:00'),
      breachedAt: wita(TUE, '07:40'),
      stoppedAt: wita(TUE, '08:00'),
      outcome: 'breached',
    });
    await seedClock(db, {
      ticket: t4.id,
      kind: 'first_response',
      startedAt: wita(TUE, '07:00'),
      stoppedAt: wita(TUE, '09:00'),
      outcome: 'met',
    });
    await seedClock(db, {
      ticket: t5.id,
      kind: 'first_response',
      startedAt: wita('2026-11-22', '10:00'),
      stoppedAt: wita(MON, '07:45'),
      outcome: 'met',
    });
    await seedClock(db, {
      ticket: t6.id,
      kind: 'first_response',
      startedAt: wita(TUE, '10:00'),
      stoppedAt: wita(TUE, '11:00'),
      outcome: 'cancelled',
    });
    // Resolution met by T1; T2's next response breached on Tuesday and still running; T1's next response stopped after the period.
    await seedClock(db, {
      ticket: t1.id,
      kind: 'resolution',
      startedAt: wita(MON, '08:00'),
      stoppedAt: wita(TUE, '08:00'),
      outcome: 'met',
    });
    await seedClock(db, {
      ticket: t2.id,
      kind: 'next_response',
      startedAt: wita(TUE, '11:00'),
      breachedAt: wita(TUE, '14:00'),
    });
    await seedClock(db, {
      ticket: t1.id,
      kind: 'next_response',
      startedAt: wita(TUE, '09:00'),
      stoppedAt: wita('2026-11-25', '08:00'),
      outcome: 'met',
    });
    // The agency's first response breached Monday.
    await seedClock(db, {
      ticket: a1.id,
      kind: 'first_response',
      startedAt: wita(MON, '11:00'),
      breachedAt: wita(MON, '13:00'),
      stoppedAt: wita(MON, '14:00'),
      outcome: 'breached',
    });

    // Reopened: T2 on Tuesday (in), T1 on Thursday 26 (out), A1 on Monday (the agency's).
    await seedEvent(db, t2.id, 'reopened', wita(TUE, '10:00'));
    await seedEvent(db, t1.id, 'reopened', wita('2026-11-26', '09:00'));
    await seedEvent(db, a1.id, 'reopened', wita(MON, '12:00'));
  });
  after(async () => server?.stop());

  it("gives the front desk's supervisor their team's figures, each as computed by hand", async () => {
    const { status, body } = await getAs(server, `/api/v1/metrics/summary?${PERIOD}`, supervisor.token);
    expect(status).to.equal(200);
    const summary = body.data;
    // Monday 00:00 WITA = Sunday 16:00 UTC; the end is Wednesday 00:00 WITA.
    expect(summary.period).to.deep.equal({ from: '2026-11-22T16:00:00.000Z', to: '2026-11-24T16:00:00.000Z' });
    expect(summary.teams).to.deep.equal([frontDesk]);
    // Created in the period: T1, T2, T3, T4, T6 (T5 before, T7 merged, T8 after).
    expect(summary.volumes).to.deep.equal({
      total: 5,
      by_channel: { email: 1, sms: 3, whatsapp: 1 },
      by_category: { complaint: 3, information_request: 1, uncategorised: 1 },
    });
    // First answers in the period: T5 15, T1 30, T2 60, T3 90, T4 90. n = 5: median rank ⌈2.5⌉ = 3 → 60; p90 rank ⌈4.5⌉ = 5 → 90.
    expect(summary.first_response_minutes).to.deep.equal({ count: 5, median: 60, p90: 90 });
    // Resolved in the period: T2 150, T4 300, T1 450, T5 600. n = 4: median rank 2 → 300; p90 rank ⌈3.6⌉ = 4 → 600.
    expect(summary.resolution_minutes).to.deep.equal({ count: 4, median: 300, p90: 600 });
    // first_response: 4 met, 1 breached (T6's cancelled counts for neither): 4 / 5 = 80 %; T3 breached Tuesday.
    expect(summary.sla.first_response).to.deep.equal({ met: 4, breached: 1, percent_met: 80, breaches: 1 });
    expect(summary.sla.resolution).to.deep.equal({ met: 1, breached: 0, percent_met: 100, breaches: 0 });
    // T2's next response breached Tuesday and still runs; T1's stopped after the period.
    expect(summary.sla.next_response).to.deep.equal({ met: 0, breached: 0, percent_met: null, breaches: 1 });
    expect(summary.sla.agency_followup).to.deep.equal({ met: 0, breached: 0, percent_met: null, breaches: 0 });
    expect(summary.breaches).to.equal(2);
    expect(summary.reopened).to.equal(1);
  });

  it("gives an admin every team, counting the agency's times on its own calendar", async () => {
    const { body } = await getAs(server, `/api/v1/metrics/summary?${PERIOD}`, admin.token);
    const summary = body.data;
    expect(summary.teams).to.equal(null);
    // The front desk's 5 and A1.
    expect(summary.volumes.total).to.equal(6);
    expect(summary.volumes.by_channel).to.deep.equal({ email: 1, sms: 4, whatsapp: 1 });
    // 15, 30, 60, 60 (A1 on mornings only; 120 on the default calendar), 90, 90: median rank 3 → 60; p90 rank ⌈5.4⌉ = 6 → 90.
    expect(summary.first_response_minutes).to.deep.equal({ count: 6, median: 60, p90: 90 });
    // first_response: 4 met, 2 breached → 66.7 %; breaches T3 and A1.
    expect(summary.sla.first_response).to.deep.equal({ met: 4, breached: 2, percent_met: 66.7, breaches: 2 });
    expect(summary.reopened).to.equal(2);

    const agencyOnly = (await getAs(server, `/api/v1/metrics/summary?${PERIOD}&team=${agency}`, admin.token)).body.data;
    expect(agencyOnly.volumes.total).to.equal(1);
    expect(agencyOnly.first_response_minutes).to.deep.equal({ count: 1, median: 60, p90: 60 });
  });

  it('filters by channel', async () => {
    const { body } = await getAs(server, `/api/v1/metrics/summary?${PERIOD}&channel=sms`, supervisor.token);
    const summary = body.data;
    expect(summary.channels).to.deep.equal(['sms']);
    // T1, T2, T6.
    expect(summary.volumes).to.deep.equal({
      total: 3,
      by_channel: { sms: 3 },
      by_category: { complaint: 2, information_request: 1 },
    });
    // T1 30, T2 60: median rank 1 → 30, p90 rank ⌈1.8⌉ = 2 → 60. Resolved: T2 150, T1 450.
    expect(summary.first_response_minutes).to.deep.equal({ count: 2, median: 30, p90: 60 });
    expect(summary.resolution_minutes).to.deep.equal({ count: 2, median: 150, p90: 450 });
    // sms clocks: T1 and T2 met; T6 cancelled.
    expect(summary.sla.first_response).to.deep.equal({ met: 2, breached: 0, percent_met: 100, breaches: 0 });
  });

  it('takes instants as well as dates: Tuesday morning alone', async () => {
    const from = encodeURIComponent('2026-11-24T07:00:00+08:00');
    const to = encodeURIComponent('2026-11-24T12:00:00+08:00');
    const { body } = await getAs(server, `/api/v1/metrics/summary?from=${from}&to=${to}`, supervisor.token);
    // Created Tuesday 07:00–12:00: T4 (07:00, from is inclusive), T6 (10:00). Answered: T3 08:00, T4 09:00 → 90, 90.
    expect(body.data.volumes.total).to.equal(2);
    expect(body.data.first_response_minutes).to.deep.equal({ count: 2, median: 90, p90: 90 });
  });

  it('answers the same figures as CSV, one per line', async () => {
    const { status, type, text } = await getAs(server, `/api/v1/metrics/summary.csv?${PERIOD}`, supervisor.token);
    expect(status).to.equal(200);
    expect(type).to.match(/^text\/csv/);
    const rows = parse(text, { columns: true }) as Array<{ section: string; item: string; value: string }>;
    const value = (section: string, item: string) =>
      rows.find((row) => row.section === section && row.item === item)?.value;
    expect(value('period', 'from')).to.equal('2026-11-22T16:00:00.000Z');
    expect(value('scope', 'teams')).to.equal(String(frontDesk));
    expect(value('volume', 'total')).to.equal('5');
    expect(value('volume_by_channel', 'sms')).to.equal('3');
    expect(value('volume_by_category', 'uncategorised')).to.equal('1');
    expect(value('first_response_minutes', 'median')).to.equal('60');
    expect(value('resolution_minutes', 'p90')).to.equal('600');
    expect(value('sla_first_response', 'percent_met')).to.equal('80');
    expect(value('sla_next_response', 'percent_met')).to.equal(''); // no clock stopped: no figure
    expect(value('breaches', 'total')).to.equal('2');
    expect(value('reopened', 'total')).to.equal('1');
  });

  it('counts abandoned calls and call-backs done, unreachable, pending and overdue', async () => {
    const db = server.runtime.db;
    const ticket = Number((await db('tickets').where({ team_id: frontDesk }).first('id')).id);
    const agencyTicket = Number((await db('tickets').where({ team_id: agency }).first('id')).id);
    let serial = 0;
    const task = async (teamId: number, status: string, createdAt: Date, dueAt: Date, closedAt?: Date) => {
      const [row] = await db('tasks')
        .insert({
          kind: 'callback',
          ticket_id: teamId === agency ? agencyTicket : ticket,
          team_id: teamId,
          phone: `+6281300000${++serial}`,
          reason: 'abandoned',
          due_at: dueAt,
          status,
          created_at: createdAt,
          updated_at: createdAt,
          closed_at: closedAt ?? null,
        })
        .returning('id');
      return Number(typeof row === 'object' ? row.id : row);
    };
    const call = (outcome: string, startedAt: Date, taskId: number | null = null) =>
      db('calls').insert({
        call_sid: `CA${String(++serial).padStart(32, '0')}`,
        direction: 'inbound',
        from_number: '+6281300000999',
        phone: '+6281300000999',
        outcome,
        task_id: taskId,
        status: 'completed',
        started_at: startedAt,
        updated_at: startedAt,
      });
    // K1 done Tuesday; K2 open since Monday, due Monday 11:00 (overdue now); K3 being dialled, due at the end of the year; K4 unreachable Tuesday;
    // K5 the agency's, overdue; K6 created after the period (not pending in it).
    const k1 = await task(frontDesk, 'done', wita(MON, '09:05'), wita(MON, '10:00'), wita(TUE, '09:00'));
    await task(frontDesk, 'open', wita(MON, '10:00'), wita(MON, '11:00'));
    await task(frontDesk, 'calling', wita(TUE, '15:00'), wita('2026-12-31', '10:00'));
    await task(frontDesk, 'unreachable', wita(MON, '08:00'), wita(MON, '09:00'), wita(TUE, '12:00'));
    await task(agency, 'open', wita(MON, '10:00'), wita(MON, '11:00'));
    await task(frontDesk, 'open', wita('2026-11-25', '10:00'), wita('2026-11-25', '11:00'));
    // Abandoned: C1 (its call-back is the front desk's K1) and C2 (no call-back: no team) on Monday; C3 on Sunday; C4 served.
    await call('abandoned', wita(MON, '09:00'), k1);
    await call('abandoned', wita(MON, '10:00'));
    await call('abandoned', wita('2026-11-22', '10:00'));
    await call('information', wita(MON, '11:00'));

    const desk = (await getAs(server, `/api/v1/metrics/summary?${PERIOD}`, supervisor.token)).body.data;
    expect(desk.calls).to.deep.equal({
      abandoned: 1,
      callbacks_done: 1,
      callbacks_unreachable: 1,
      callbacks_pending: 2,
      callbacks_overdue: 1,
    });
    const all = (await getAs(server, `/api/v1/metrics/summary?${PERIOD}`, admin.token)).body.data;
    expect(all.calls).to.deep.equal({
      abandoned: 2,
      callbacks_done: 1,
      callbacks_unreachable: 1,
      callbacks_pending: 3,
      callbacks_overdue: 2,
    });
    // No voice in the filter: no call figures.
    expect(
      (await getAs(server, `/api/v1/metrics/summary?${PERIOD}&channel=sms`, admin.token)).body.data.calls,
    ).to.equal(null);
    const csvRows = parse((await getAs(server, `/api/v1/metrics/summary.csv?${PERIOD}`, supervisor.token)).text, {
      columns: true,
    }) as Array<{ section: string; item: string; value: string }>;
    expect(csvRows.filter((row) => row.section === 'calls').map((row) => [row.item, row.value])).to.deep.equal([
      ['abandoned', '1'],
      ['callbacks_done', '1'],
      ['callbacks_unreachable', '1'],
      ['callbacks_pending', '2'],
      ['callbacks_overdue', '1'],
    ]);
  });

  it('limits a supervisor to their teams, refuses agents and the anonymous', async () => {
    expect((await getAs(server, `/api/v1/metrics/summary?${PERIOD}&team=${agency}`, supervisor.token)).status).to.equal(
      403,
    );
    expect(
      (await getAs(server, `/api/v1/metrics/summary.csv?${PERIOD}&team=${agency}`, supervisor.token)).status,
    ).to.equal(403);
    const own = (await getAs(server, `/api/v1/metrics/summary?${PERIOD}`, agencySupervisor.token)).body.data;
    expect([own.teams, own.volumes.total]).to.deep.equal([[agency], 1]);
    const refused = await getAs(server, `/api/v1/metrics/summary?${PERIOD}`, agent.token);
    expect([refused.status, refused.body.error.code]).to.deep.equal([403, 'forbidden']);
    expect((await getAs(server, '/api/v1/metrics/summary.csv', agent.token)).status).to.equal(403);
    expect((await getAs(server, '/api/v1/metrics/summary')).status).to.equal(401);
  });

  it('refuses a period that is backwards, empty, longer than a year, or not a date (400)', async () => {
    for (const query of [
      'from=2026-11-24&to=2026-11-23',
      `from=${encodeURIComponent('2026-11-24T08:00:00Z')}&to=${encodeURIComponent('2026-11-24T08:00:00Z')}`,
      'from=2025-01-01&to=2026-11-24',
      'from=2026-02-30',
      'from=yesterday',
      `from=${encodeURIComponent('2026-11-24T08:00:00')}`, // an instant without its zone
      'channel=fax',
      'team=abc',
    ]) {
      const answer = await getAs(server, `/api/v1/metrics/summary?${query}`, admin.token);
      expect([query, answer.status, answer.body?.error?.code]).to.deep.equal([query, 400, 'invalid_request']);
    }
  });

  it('covers the last 30 days without a period', async () => {
    const { body } = await getAs(server, '/api/v1/metrics/summary', admin.token);
    const { from, to } = body.data.period;
    expect(Date.parse(to) - Date.parse(from)).to.equal(30 * 86_400_000);
  });
});

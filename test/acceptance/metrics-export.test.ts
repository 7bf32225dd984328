import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { cast, getAs, seedClock, seedTicket, wita, type Person } from '../support/metrics-fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** GET /api/v1/tickets/export.csv, parsed back with csv-parse and compared row by row. */
describe("Supervisor's view: the ticket export (CSV)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let frontDesk: number;
  let agency: number;
  let supervisor: Person;
  let agent: Person;
  let admin: Person;
  const refs: Record<string, string> = {};
  const MON = '2026-11-23';
  const TUE = '2026-11-24';

  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000', REFERENCE_PREFIX: 'PTSP-' });
    const db = server.runtime.db;
    ({ frontDesk, agency, supervisor, agent, admin } = await cast(server, {
      slug: 'dinas-pariwisata',
      name: 'Dinas Pariwisata',
    }));
    const fd = { team: frontDesk };
    const t1 = await seedTicket(db, {
      ...fd,
      channel: 'sms',
      category: 'complaint',
      status: 'resolved',
      assignee: agent.id,
      createdAt: wita(MON, '08:00'),
      firstResponseAt: wita(MON, '08:30'),
      resolvedAt: wita(TUE, '08:00'),
    });
    const t2 = await seedTicket(db, {
      ...fd,
      channel: 'whatsapp',
      status: 'open',
      assignee: agent.id,
      createdAt: wita(MON, '09:00'),
      firstResponseAt: wita(MON, '11:00'),
      confidential: true,
      subject: 'Laporan pungli rahasia',
    });
    const t3 = await seedTicket(db, {
      ...fd,
      channel: 'email',
      category: 'information_request',
      priority: 'high',
      status: 'new',
      createdAt: wita(TUE, '10:00'),
    });
    await seedTicket(db, { ...fd, channel: 'sms', status: 'closed', createdAt: wita(TUE, '11:00'), mergedInto: t1.id });
    await seedTicket(db, { ...fd, channel: 'sms', status: 'new', createdAt: wita('2026-11-25', '08:00') });
    const a1 = await seedTicket(db, { team: agency, channel: 'sms', status: 'new', createdAt: wita(MON, '10:00') });
    Object.assign(refs, { t1: t1.reference, t2: t2.reference, t3: t3.reference, a1: a1.reference });

    // T1: first response met; next response met once then breached once (breached overall); resolution met.
    await seedClock(db, {
      ticket: t1.id,
      kind: 'first_response',
      startedAt: wita(MON, '08:00'),
      stoppedAt: wita(MON, '08:30'),
      outcome: 'met',
    });
    await seedClock(db, {
      ticket: t1.id,
      kind: 'next_response',
      startedAt: wita(MON, '09:00'),
      stoppedAt: wita(MON, '09:30'),
      outcome: 'met',
    });
    await seedClock(db, {
      ticket: t1.id,
      kind: 'next_response',
      startedAt: wita(MON, '13:00'),
      breachedAt: wita(MON, '15:00'),
      stoppedAt: wita(MON, '15:30'),
      outcome: 'breached',
    });
    await seedClock(db, {
      ticket: t1.id,
      kind: 'resolution',
      startedAt: wita(MON, '08:00'),
      stoppedAt: wita(TUE, '08:00'),
      outcome: 'met',
    });
    // T2: first response met; next response running; a cancelled resolution (counts as none).
    await seedClock(db, {
      ticket: t2.id,
      kind: 'first_response',
      startedAt: wita(MON, '09:00'),
      stoppedAt: wita(MON, '11:00'),
      outcome: 'met',
    });
    await seedClock(db, {
      ticket: t2.id,
      kind: 'next_response',
      startedAt: wita(MON, '12:00'),
      dueAt: wita(MON, '15:00'),
    });
    await seedClock(db, {
      ticket: t2.id,
      kind: 'resolution',
      startedAt: wita(MON, '09:00'),
      stoppedAt: wita(MON, '10:00'),
      outcome: 'cancelled',
    });
    // T3: first response running, already breached (breached wins over running).
    await seedClock(db, {
      ticket: t3.id,
      kind: 'first_response',
      startedAt: wita(TUE, '10:00'),
      breachedAt: wita(TUE, '11:00'),
    });
  });
  after(async () => server?.stop());

  const exportAs = (who: Person | undefined, query: string) =>
    getAs(server, `/api/v1/tickets/export.csv?${query}`, who?.token);
  const rowsOf = (text: string) => parse(text, { columns: true }) as Array<Record<string, string>>;
  const prefixed = (reference: string) =>
    `PTSP-${reference.slice(0, 3)}-${reference.slice(3, 6)}-${reference.slice(6)}`;

  it("lists the period's tickets of the supervisor's team, oldest first, with SLA outcomes per clock kind", async () => {
    const { status, type, text } = await exportAs(supervisor, `from=${MON}&to=${TUE}`);
    expect(status).to.equal(200);
    expect(type).to.match(/^text\/csv/);
    const rows = rowsOf(text);
    // T1, T2, T3 of the front desk; not the merged duplicate, not Wednesday's, not the agency's.
    expect(rows).to.deep.equal([
      {
        reference: prefixed(refs.t1!),
        status: 'resolved',
        channel: 'sms',
        category: 'complaint',
        priority: 'normal',
        team: 'front-desk',
        assignee: 'petugas.loket',
        confidential: 'no',
        created_at: '2026-11-23T00:00:00.000Z',
        first_response_at: '2026-11-23T00:30:00.000Z',
        resolved_at: '2026-11-24T00:00:00.000Z',
        closed_at: '',
        sla_first_response: 'met',
        sla_next_response: 'breached',
        sla_resolution: 'met',
        sla_agency_followup: 'none',
      },
      {
        reference: prefixed(refs.t2!),
        status: 'open',
        channel: 'whatsapp',
        category: '',
        priority: 'normal',
        team: 'front-desk',
        assignee: 'petugas.loket',
        confidential: 'yes',
        created_at: '2026-11-23T01:00:00.000Z',
        first_response_at: '2026-11-23T03:00:00.000Z',
        resolved_at: '',
        closed_at: '',
        sla_first_response: 'met',
        sla_next_response: 'running',
        sla_resolution: 'none',
        sla_agency_followup: 'none',
      },
      {
        reference: prefixed(refs.t3!),
        status: 'new',
        channel: 'email',
        category: 'information_request',
        priority: 'high',
        team: 'front-desk',
        assignee: '',
        confidential: 'no',
        created_at: '2026-11-24T02:00:00.000Z',
        first_response_at: '',
        resolved_at: '',
        closed_at: '',
        sla_first_response: 'breached',
        sla_next_response: 'none',
        sla_resolution: 'none',
        sla_agency_followup: 'none',
      },
    ]);
  });

  it("never shows a citizen's name, number or a subject", async () => {
    const { text } = await exportAs(admin, `from=${MON}&to=${TUE}`); // Monday 08:00, 09:00, 10:00 (the agency's), Tuesday
    expect(text).to.not.match(/\+62|Warga|Perihal|pungli/);
    expect(rowsOf(text).map((row) => row.reference)).to.deep.equal(
      [refs.t1, refs.t2, refs.a1, refs.t3].map((ref) => prefixed(ref!)),
    );
  });

  it('filters by status and channel', async () => {
    const open = rowsOf((await exportAs(supervisor, `from=${MON}&to=${TUE}&status=open,new`)).text);
    expect(open.map((row) => row.reference)).to.deep.equal([prefixed(refs.t2!), prefixed(refs.t3!)]);
    const sms = rowsOf((await exportAs(admin, `from=${MON}&to=${TUE}&channel=sms&team=${agency}`)).text);
    expect(sms.map((row) => row.reference)).to.deep.equal([prefixed(refs.a1!)]);
  });

  it('gives the header alone for a period without tickets', async () => {
    const { status, text } = await exportAs(supervisor, 'from=2026-10-01&to=2026-10-02');
    expect([status, text.trim()]).to.deep.equal([
      200,
      'reference,status,channel,category,priority,team,assignee,confidential,created_at,first_response_at,resolved_at,closed_at,sla_first_response,sla_next_response,sla_resolution,sla_agency_followup',
    ]);
  });

  it('streams an export of several pages whole: every ticket once, in order, even when many share one instant', async () => {
    const db = server.runtime.db;
    const contact = Number((await db('tickets').first('contact_id')).contact_id);
    // 2,500 tickets on 2 November (1,000 rows a page): 1,200 created at the same instant, then one a second.
    const instant = wita('2026-11-02', '09:00').getTime();
    const rows = Array.from({ length: 2500 }, (_, index) => {
      const created = new Date(instant + Math.max(0, index - 1199) * 1000);
      return {
        reference: String(800_000_000 + index),
        contact_id: contact,
        channel: 'sms',
        status: 'closed',
        priority: 'normal',
        team_id: frontDesk,
        created_at: created,
        updated_at: created,
      };
    });
    await db.batchInsert('tickets', rows, 250);
    const { text } = await exportAs(supervisor, 'from=2026-11-02&to=2026-11-02');
    expect(rowsOf(text).map((row) => row.reference)).to.deep.equal(rows.map((row) => prefixed(row.reference)));
  });

  it('refuses agents, the anonymous, another team and a bad period', async () => {
    expect((await exportAs(agent, '')).status).to.equal(403);
    expect((await exportAs(undefined, '')).status).to.equal(401);
    expect((await exportAs(supervisor, `team=${agency}`)).status).to.equal(403);
    const backwards = await exportAs(supervisor, `from=${TUE}&to=${MON}`);
    expect([backwards.status, backwards.body.error.code]).to.deep.equal([400, 'invalid_request']);
    expect((await exportAs(supervisor, 'status=archived')).status).to.equal(400);
  });
});

import { expect } from 'chai';
import { cast, getAs, seedEvent, seedTicket, type Person } from '../support/metrics-fixtures.js';
import { openEventStream } from '../support/sse-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/** GET /api/v1/metrics/stream: deadlines and queue changes reach the supervisors of the ticket's team only. */
describe("Supervisor's view: the supervisors' event stream", function () {
  this.timeout(60_000);
  let server: TestServer;
  let frontDesk: number;
  let agency: number;
  let supervisor: Person;
  let agencySupervisor: Person;
  let agent: Person;

  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000', LIVE_POLL_INTERVAL_MS: '50' });
    ({ frontDesk, agency, supervisor, agencySupervisor, agent } = await cast(server, {
      slug: 'dinas-lingkungan',
      name: 'Dinas Lingkungan Hidup',
    }));
  });
  after(async () => server?.stop());

  const open = (who: Person, query = 'snapshot_seconds=0', headers: Record<string, string> = {}) =>
    openEventStream(`${server.baseUrl}/api/v1/metrics/stream?${query}`, {
      authorization: `Bearer ${who.token}`,
      ...headers,
    });

  it("delivers a breach to the supervisor of the ticket's team and not to another team's, and leaves out what supervisors do not watch", async () => {
    const db = server.runtime.db;
    const desk = await open(supervisor);
    const other = await open(agencySupervisor);
    try {
      expect([desk.status, other.status]).to.deep.equal([200, 200]);
      await waitFor('streams open', () => desk.comments > 0 && other.comments > 0);
      const deskTicket = await seedTicket(db, {
        team: frontDesk,
        channel: 'sms',
        status: 'new',
        createdAt: new Date(),
      });
      const agencyTicket = await seedTicket(db, { team: agency, channel: 'sms', status: 'new', createdAt: new Date() });
      const breach = { clock_id: 1, kind: 'first_response', due_at: new Date().toISOString() };
      await seedEvent(db, deskTicket.id, 'message_received', new Date()); // an agent's matter, not a supervisor's
      const deskBreach = await seedEvent(db, deskTicket.id, 'sla_breached', new Date(), breach);
      const agencyWarning = await seedEvent(db, agencyTicket.id, 'sla_warning', new Date(), breach);

      const received = await waitFor("the front desk's breach", () =>
        desk.events.find((event) => event.event === 'sla_breached'),
      );
      expect(received.id).to.equal(String(deskBreach));
      expect(JSON.parse(received.data)).to.deep.include({
        id: deskBreach,
        ticket_id: deskTicket.id,
        type: 'sla_breached',
        data: breach,
      });
      // The agency's warning came after the front desk's breach: once it is there, the breach would have been too.
      await waitFor("the agency's warning", () => other.events.find((event) => event.id === String(agencyWarning)));
      expect(other.events.map((event) => event.event)).to.deep.equal(['sla_warning']);
      expect(desk.events.map((event) => event.event)).to.deep.equal(['sla_breached']);
    } finally {
      await desk.close();
      await other.close();
    }
  });

  it('tells both supervisors of a ticket transferred from one team to the other', async () => {
    const db = server.runtime.db;
    const desk = await open(supervisor);
    const other = await open(agencySupervisor);
    try {
      await waitFor('streams open', () => desk.comments > 0 && other.comments > 0);
      const ticket = await seedTicket(db, {
        team: agency,
        channel: 'whatsapp',
        status: 'pending_agency',
        createdAt: new Date(),
      });
      const transfer = await seedEvent(db, ticket.id, 'transferred', new Date(), {
        from_team: frontDesk,
        to_team: agency,
      });
      for (const stream of [desk, other])
        await waitFor('the transfer', () => stream.events.find((event) => event.id === String(transfer)));
    } finally {
      await desk.close();
      await other.close();
    }
  });

  it('replays from Last-Event-ID, and sends the live numbers as a `queue` event when asked', async () => {
    const db = server.runtime.db;
    const ticket = await seedTicket(db, { team: frontDesk, channel: 'email', status: 'new', createdAt: new Date() });
    const before = await seedEvent(db, ticket.id, 'ticket_created', new Date());
    const missed = await seedEvent(db, ticket.id, 'sla_warning', new Date(), {
      clock_id: 2,
      kind: 'first_response',
      due_at: new Date().toISOString(),
    });
    const resumed = await open(supervisor, 'snapshot_seconds=60', { 'last-event-id': String(before) });
    try {
      await waitFor('the missed warning', () => resumed.events.find((event) => event.id === String(missed)));
      const snapshot = await waitFor('a queue snapshot', () => resumed.events.find((event) => event.event === 'queue'));
      expect(snapshot.id).to.equal(undefined);
      const numbers = JSON.parse(snapshot.data);
      expect(numbers.teams.map((entry: { team_id: number }) => entry.team_id)).to.deep.equal([frontDesk]);
      expect(numbers.teams[0].totals.waiting).to.be.a('number');
    } finally {
      await resumed.close();
    }
  });

  it('refuses agents (403), the anonymous (401) and a bad snapshot interval (400)', async () => {
    expect((await getAs(server, '/api/v1/metrics/stream', agent.token)).status).to.equal(403);
    expect((await getAs(server, '/api/v1/metrics/stream')).status).to.equal(401);
    expect((await getAs(server, '/api/v1/metrics/stream?snapshot_seconds=2', supervisor.token)).status).to.equal(400);
  });
});

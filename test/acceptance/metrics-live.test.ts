import { expect } from 'chai';
import { cast, getAs, seedTicket, type Person } from '../support/metrics-fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * GET /api/v1/metrics/live over tickets seeded relative to the real clock: waiting times are
 * checked against the instant the answer says it was computed at (`at`), never against the test's.
 */
describe("Supervisor's view: the live numbers", function () {
  this.timeout(60_000);
  let server: TestServer;
  let frontDesk: number;
  let agency: number;
  let supervisor: Person;
  let agencySupervisor: Person;
  let agent: Person;
  let admin: Person;
  const queued: Record<string, Date> = {};

  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000' });
    const db = server.runtime.db;
    ({ frontDesk, agency, supervisor, agencySupervisor, agent, admin } = await cast(server, {
      slug: 'dinas-kesehatan',
      name: 'Dinas Kesehatan',
    }));
    // Away (not available), so that routing hands none of the waiting tickets to them; two SMS at once.
    const patched = await server.api(`/api/v1/agents/${agent.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ capacities: { sms: 2 } }),
    });
    expect(patched.status).to.equal(200);
    await fetch(`${server.baseUrl}/api/v1/agents/me/presence`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agent.token}` },
      body: JSON.stringify({ presence: 'away' }),
    });

    const now = Date.now();
    const ago = (seconds: number) => new Date(now - seconds * 1000);
    const fd = { team: frontDesk };
    for (const [name, seconds] of [
      ['w1', 600],
      ['w2', 120],
      ['w3', 60],
      ['p2', 300],
      ['x1', 900],
    ] as const)
      queued[name] = ago(seconds);
    // Front desk, SMS: W1 and W2 waiting; P2 disposed to an agency and waiting again (pending_agency is a queue status); A1 assigned, warned, not breached.
    await seedTicket(db, { ...fd, channel: 'sms', status: 'new', createdAt: queued.w1!, queuedAt: queued.w1! });
    await seedTicket(db, { ...fd, channel: 'sms', status: 'open', createdAt: ago(3600), queuedAt: queued.w2! });
    await seedTicket(db, {
      ...fd,
      channel: 'sms',
      status: 'pending_agency',
      createdAt: ago(7200),
      queuedAt: queued.p2!,
    });
    await seedTicket(db, {
      ...fd,
      channel: 'sms',
      status: 'open',
      assignee: agent.id,
      createdAt: ago(1800),
      slaWarnAt: ago(60),
      slaDueAt: new Date(now + 600_000),
      confidential: true,
    });
    // Front desk, WhatsApp: W3 waiting and past its deadline.
    await seedTicket(db, {
      ...fd,
      channel: 'whatsapp',
      status: 'new',
      createdAt: queued.w3!,
      queuedAt: queued.w3!,
      slaWarnAt: ago(50),
      slaDueAt: ago(30),
    });
    // Front desk, email: P1 assigned, waiting on the citizen (frees its capacity slot).
    await seedTicket(db, {
      ...fd,
      channel: 'email',
      status: 'pending_citizen',
      assignee: agent.id,
      createdAt: ago(86_400),
    });
    // Resolved and closed tickets are not live work, even past a deadline.
    await seedTicket(db, { ...fd, channel: 'sms', status: 'resolved', createdAt: ago(4000), slaDueAt: ago(100) });
    await seedTicket(db, { ...fd, channel: 'sms', status: 'closed', assignee: agent.id, createdAt: ago(5000) });
    // The agency: X1 waiting.
    await seedTicket(db, { team: agency, channel: 'sms', status: 'new', createdAt: queued.x1!, queuedAt: queued.x1! });
  });
  after(async () => server?.stop());

  const waited = (at: string, since: Date) => Math.floor((Date.parse(at) - since.getTime()) / 1000);

  it("gives the front desk's supervisor each channel of their team, and its agents", async () => {
    const { status, body } = await getAs(server, '/api/v1/metrics/live', supervisor.token);
    expect(status).to.equal(200);
    const { at, teams, agents } = body.data;
    expect(teams.map((entry: { team_id: number }) => entry.team_id)).to.deep.equal([frontDesk]);
    const [desk] = teams;
    expect(desk.channels).to.deep.equal([
      // P1 only: assigned and waiting on the citizen.
      {
        channel: 'email',
        waiting: 0,
        longest_waiting_seconds: null,
        assigned: 1,
        pending_citizen: 1,
        pending_agency: 0,
        breached: 0,
        warning: 0,
      },
      // W1, W2, P2 wait (the oldest, W1, for 600 s before `at`); A1 assigned and warned.
      {
        channel: 'sms',
        waiting: 3,
        longest_waiting_seconds: waited(at, queued.w1!),
        assigned: 1,
        pending_citizen: 0,
        pending_agency: 1,
        breached: 0,
        warning: 1,
      },
      // W3 waits and has breached (a breached ticket is not also counted as warned).
      {
        channel: 'whatsapp',
        waiting: 1,
        longest_waiting_seconds: waited(at, queued.w3!),
        assigned: 0,
        pending_citizen: 0,
        pending_agency: 0,
        breached: 1,
        warning: 0,
      },
    ]);
    expect(desk.totals).to.deep.equal({
      waiting: 4,
      longest_waiting_seconds: waited(at, queued.w1!),
      assigned: 2,
      pending_citizen: 1,
      pending_agency: 1,
      breached: 1,
      warning: 1,
    });

    // The front desk's members: the first admin (made a member at start), the supervisor, the agent; none of the agency's.
    const members = (await server.runtime.db('agent_teams').where({ team_id: frontDesk }).pluck('agent_id')).map(
      Number,
    );
    expect(members).to.include.members([supervisor.id, agent.id]);
    expect(agents.map((entry: { id: number }) => entry.id)).to.deep.equal(members.sort((a, b) => a - b));
    const petugas = agents.find((entry: { id: number }) => entry.id === agent.id);
    expect(petugas.presence).to.equal('away');
    expect(petugas.presence_seconds).to.equal(Math.floor((Date.parse(at) - Date.parse(petugas.presence_since)) / 1000));
    // Load: A1 on SMS (of 2); P1 waits on the citizen and holds no email slot; the closed ticket none.
    const load = Object.fromEntries(
      petugas.channels.map((entry: { channel: string; load: number; capacity: number }) => [
        entry.channel,
        [entry.load, entry.capacity],
      ]),
    );
    expect(load).to.deep.equal({
      email: [0, 10],
      sms: [1, 2],
      voice: [0, 1],
      web: [0, 10],
      webchat: [0, 4],
      whatsapp: [0, 4],
    });
  });

  it("gives an agency's supervisor only the agency, and an admin every team", async () => {
    const own = (await getAs(server, '/api/v1/metrics/live', agencySupervisor.token)).body.data;
    expect(own.teams.map((entry: { team_id: number }) => entry.team_id)).to.deep.equal([agency]);
    expect(own.teams[0].totals).to.deep.include({
      waiting: 1,
      longest_waiting_seconds: waited(own.at, queued.x1!),
      assigned: 0,
    });
    expect(own.agents.map((entry: { id: number }) => entry.id)).to.deep.equal([agencySupervisor.id]);

    const all = (await getAs(server, '/api/v1/metrics/live', admin.token)).body.data;
    expect(all.teams.map((entry: { team_id: number }) => entry.team_id)).to.deep.equal([frontDesk, agency]);
    const only = (await getAs(server, `/api/v1/metrics/live?team=${agency}`, admin.token)).body.data;
    expect(only.teams.map((entry: { team_id: number }) => entry.team_id)).to.deep.equal([agency]);
  });

  it('refuses agents, the anonymous, and a supervisor asking for another team', async () => {
    expect((await getAs(server, '/api/v1/metrics/live', agent.token)).status).to.equal(403);
    expect((await getAs(server, '/api/v1/metrics/live')).status).to.equal(401);
    const foreign = await getAs(server, `/api/v1/metrics/live?team=${agency}`, supervisor.token);
    expect([foreign.status, foreign.body.error.code]).to.deep.equal([403, 'forbidden']);
    expect((await getAs(server, '/api/v1/metrics/live?team=0', admin.token)).status).to.equal(400);
  });
});

import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface AgentView {
  id: number;
  email: string;
  role: string;
  active: boolean;
  presence: string;
  presence_changed_at: string;
  teams: Array<{ id: number; slug: string }>;
  skills: string[];
  capacities: Record<string, number>;
}

describe('Agents and teams (admin API)', () => {
  let server: TestServer;
  let opdTeam: number;
  let frontDesk: number;

  before(async () => {
    server = await startTestServer();
    frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
  });
  after(async () => server?.stop());

  const json = (method: string, body: unknown) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const as = (token: string, path: string, init: RequestInit = {}) =>
    fetch(server.baseUrl + path, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` } });
  async function login(email: string, password: string): Promise<string> {
    const response = await fetch(`${server.baseUrl}/api/v1/auth/login`, json('POST', { email, password }));
    expect(response.status, `login ${email}`).to.equal(200);
    return ((await response.json()) as { token: string }).token;
  }

  it('lets an admin create teams (agencies) with a routing strategy, and refuses duplicates and bad slugs', async () => {
    const created = await server.api(
      '/api/v1/teams',
      json('POST', { slug: 'dinas-pupr', name: 'Dinas PUPR', routing_strategy: 'round_robin' }),
    );
    expect(created.status).to.equal(201);
    const team = ((await created.json()) as { data: { id: number; routing_strategy: string; active: boolean } }).data;
    expect(team).to.include({ routing_strategy: 'round_robin', active: true });
    opdTeam = team.id;
    expect((await server.api('/api/v1/teams', json('POST', { slug: 'dinas-pupr', name: 'Lagi' }))).status).to.equal(
      422,
    );
    expect((await server.api('/api/v1/teams', json('POST', { slug: 'Dinas PUPR!', name: 'x' }))).status).to.equal(400);
    expect(
      (
        await server.api(
          '/api/v1/teams',
          json('POST', { slug: 'dinkes', name: 'Dinas Kesehatan', routing_strategy: 'random' }),
        )
      ).status,
    ).to.equal(400);
    const patched = await server.api(`/api/v1/teams/${opdTeam}`, json('PATCH', { routing_strategy: 'pull' }));
    expect(((await patched.json()) as { data: { routing_strategy: string } }).data.routing_strategy).to.equal('pull');
  });

  it('creates agents with teams, skills and capacities (defaults for the channels not given)', async () => {
    const response = await server.api(
      '/api/v1/agents',
      json('POST', {
        email: 'Siti@DPMPTSP.example.go.id',
        name: 'Siti',
        role: 'agent',
        password: 'sandi-siti-123',
        teams: [opdTeam],
        skills: ['id', 'EN', 'perizinan'],
        capacities: { whatsapp: 6 },
      }),
    );
    expect(response.status).to.equal(201);
    const agent = ((await response.json()) as { data: AgentView }).data;
    expect(agent.email).to.equal('siti@dpmptsp.example.go.id');
    expect(agent.teams.map((team) => team.slug)).to.deep.equal(['dinas-pupr']);
    expect(agent.skills).to.deep.equal(['en', 'id', 'perizinan']);
    expect(agent.capacities).to.deep.equal({ voice: 1, whatsapp: 6, sms: 4, webchat: 4, email: 10, web: 10 });
    expect(agent.presence).to.equal('offline');
    const stored = await server.runtime.db('agents').where({ id: agent.id }).first('password_hash');
    expect(stored.password_hash).to.match(/^scrypt\$/);
  });

  it('refuses a duplicate email, a short password and an unknown team, each with a clear error', async () => {
    const duplicate = await server.api(
      '/api/v1/agents',
      json('POST', { email: 'siti@dpmptsp.example.go.id', name: 'Siti 2', role: 'agent', password: 'sandi-siti-456' }),
    );
    expect(duplicate.status).to.equal(422);
    expect(((await duplicate.json()) as { error: { code: string } }).error.code).to.equal('email_taken');
    const short = await server.api(
      '/api/v1/agents',
      json('POST', { email: 'budi@example.go.id', name: 'Budi', role: 'agent', password: 'pendek' }),
    );
    expect(short.status).to.equal(400);
    const unknownTeam = await server.api(
      '/api/v1/agents',
      json('POST', {
        email: 'budi@example.go.id',
        name: 'Budi',
        role: 'agent',
        password: 'sandi-budi-123',
        teams: [9999],
      }),
    );
    expect(unknownTeam.status).to.equal(422);
    expect(await server.runtime.db('agents').where({ email: 'budi@example.go.id' }).first()).to.equal(undefined);
  });

  it('lets an agent see and set only their own presence, and nothing of the admin API', async () => {
    const token = await login('siti@dpmptsp.example.go.id', 'sandi-siti-123');
    const presence = await as(token, '/api/v1/agents/me/presence', json('PUT', { presence: 'available' }));
    expect(presence.status).to.equal(200);
    const me = ((await presence.json()) as { data: AgentView }).data;
    expect(me.presence).to.equal('available');
    expect(Date.now() - Date.parse(me.presence_changed_at)).to.be.lessThan(60_000);
    expect((await as(token, '/api/v1/agents/me/presence', json('PUT', { presence: 'sleeping' }))).status).to.equal(400);

    expect((await as(token, '/api/v1/agents')).status).to.equal(403);
    const adminId = Number((await server.runtime.db('agents').where({ role: 'admin' }).first('id')).id);
    expect((await as(token, `/api/v1/agents/${adminId}`)).status).to.equal(404);
    expect(
      (
        await as(
          token,
          '/api/v1/agents',
          json('POST', { email: 'x@example.go.id', name: 'x', role: 'admin', password: 'sandi-panjang-1' }),
        )
      ).status,
    ).to.equal(403);
    expect((await as(token, `/api/v1/agents/${me.id}`, json('PATCH', { role: 'admin' }))).status).to.equal(403);
    expect((await as(token, '/api/v1/teams', json('POST', { slug: 'x-team', name: 'x' }))).status).to.equal(403);
    expect((await as(token, '/api/v1/teams')).status).to.equal(200);
  });

  it('shows a supervisor the agents of their teams only', async () => {
    await server.api(
      '/api/v1/agents',
      json('POST', {
        email: 'kepala.opd@example.go.id',
        name: 'Kepala',
        role: 'supervisor',
        password: 'sandi-kepala-1',
        teams: [opdTeam],
      }),
    );
    await server.api(
      '/api/v1/agents',
      json('POST', {
        email: 'loket@example.go.id',
        name: 'Loket',
        role: 'agent',
        password: 'sandi-loket-12',
        teams: [frontDesk],
      }),
    );
    const token = await login('kepala.opd@example.go.id', 'sandi-kepala-1');
    const list = ((await (await as(token, '/api/v1/agents')).json()) as { data: AgentView[] }).data;
    expect(list.map((agent) => agent.email).sort()).to.deep.equal([
      'kepala.opd@example.go.id',
      'siti@dpmptsp.example.go.id',
    ]);
    const frontDeskAgent = Number(
      (await server.runtime.db('agents').where({ email: 'loket@example.go.id' }).first('id')).id,
    );
    expect((await as(token, `/api/v1/agents/${frontDeskAgent}`)).status).to.equal(404);
  });

  it('cuts a disabled agent off at once: the token stops working and login fails', async () => {
    const token = await login('loket@example.go.id', 'sandi-loket-12');
    expect((await as(token, '/api/v1/tickets')).status).to.equal(200);
    const id = Number((await server.runtime.db('agents').where({ email: 'loket@example.go.id' }).first('id')).id);
    const disabled = await server.api(`/api/v1/agents/${id}`, json('PATCH', { active: false }));
    expect(((await disabled.json()) as { data: AgentView }).data).to.include({ active: false, presence: 'offline' });
    expect((await as(token, '/api/v1/tickets')).status).to.equal(401);
    const again = await fetch(
      `${server.baseUrl}/api/v1/auth/login`,
      json('POST', { email: 'loket@example.go.id', password: 'sandi-loket-12' }),
    );
    expect(again.status).to.equal(401);
  });
});

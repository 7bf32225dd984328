import { expect } from 'chai';
import { RoutingEngine } from '../../src/routing/routing-engine.js';
import { createLogger } from '../../src/logger.js';
import { createDatabase } from '../../src/db/knex.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

describe('Routing: tickets offered to eligible agents', () => {
  let server: TestServer;
  let frontDesk: number;
  let phoneSeq = 0;
  const newPhone = () => `+628133${String(100000 + phoneSeq++)}`;

  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000' });
    frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
  });
  after(async () => server?.stop());
  afterEach(async () => {
    // Each test starts with nobody available and nothing waiting.
    const db = server.runtime.db;
    await db('agents').whereNot({ role: 'admin' }).update({ presence: 'offline', active: false });
    await db('tickets').update({ status: 'closed' });
    await db('tasks').whereIn('status', ['open', 'calling']).update({ status: 'cancelled' });
  });

  const json = (method: string, body: unknown) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  async function agent(
    name: string,
    options: { team?: number; skills?: string[]; capacities?: Record<string, number> } = {},
  ) {
    const email = `${name}.${Date.now()}.${phoneSeq++}@example.go.id`;
    const created = await server.api(
      '/api/v1/agents',
      json('POST', {
        email,
        name,
        role: 'agent',
        password: 'sandi-rahasia-1',
        teams: [options.team ?? frontDesk],
        skills: options.skills ?? ['id'],
        capacities: options.capacities,
      }),
    );
    expect(created.status).to.equal(201);
    const id = ((await created.json()) as { data: { id: number } }).data.id;
    const login = await fetch(
      `${server.baseUrl}/api/v1/auth/login`,
      json('POST', { email, password: 'sandi-rahasia-1' }),
    );
    const { token } = (await login.json()) as { token: string };
    const call = (path: string, init: RequestInit = {}) =>
      fetch(server.baseUrl + path, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` } });
    return {
      id,
      call,
      presence: async (presence: string) =>
        expect((await call('/api/v1/agents/me/presence', json('PUT', { presence }))).status).to.equal(200),
    };
  }

  async function ticketFrom(message: Record<string, string>): Promise<number> {
    await server.postTwilio('/webhooks/twilio/messaging', message);
    return waitFor('ticket', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: message.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  const assigneeOf = async (ticketId: number) =>
    (await server.runtime.db('tickets').where({ id: ticketId }).first('assignee_id')).assignee_id as number | null;
  const assignedTo = (ticketId: number) =>
    waitFor(`ticket ${ticketId} assigned`, async () => (await assigneeOf(ticketId)) ?? undefined);

  it('assigns a new ticket to the available agent of its team, as an event, and opens it', async () => {
    const siti = await agent('siti');
    await siti.presence('available');
    const ticketId = await ticketFrom(inboundSms(newPhone(), 'Tanya izin'));
    expect(await assignedTo(ticketId)).to.equal(siti.id);
    const ticket = await server.runtime
      .db('tickets')
      .where({ id: ticketId })
      .first('status', 'queued_at', 'assigned_at');
    expect(ticket).to.include({ status: 'open', queued_at: null });
    const events = await server.runtime
      .db('ticket_events')
      .where({ ticket_id: ticketId, type: 'assigned' })
      .select('data');
    expect(events).to.have.length(1);
  });

  it('leaves tickets waiting while nobody is available, and hands them out when someone becomes available', async () => {
    const budi = await agent('budi');
    const first = await ticketFrom(inboundSms(newPhone(), 'Satu'));
    const second = await ticketFrom(inboundSms(newPhone(), 'Dua'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await assigneeOf(first)).to.equal(null);
    await budi.presence('available');
    expect(await assignedTo(first)).to.equal(budi.id);
    expect(await assignedTo(second)).to.equal(budi.id);
  });

  it("gives each ticket to the agent idle longest, and never beyond an agent's capacity on the channel", async () => {
    const ani = await agent('ani', { capacities: { sms: 1 } });
    const dedi = await agent('dedi', { capacities: { sms: 1 } });
    await ani.presence('available');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await dedi.presence('available');
    const first = await ticketFrom(inboundSms(newPhone(), 'Pertama'));
    expect(await assignedTo(first)).to.equal(ani.id); // available first: idle longest
    const second = await ticketFrom(inboundSms(newPhone(), 'Kedua'));
    expect(await assignedTo(second)).to.equal(dedi.id);
    const third = await ticketFrom(inboundSms(newPhone(), 'Ketiga'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await assigneeOf(third), 'both are full on SMS').to.equal(null);
    // Raising a capacity frees a slot: the waiting ticket moves at once.
    await server.api(`/api/v1/agents/${ani.id}`, json('PATCH', { capacities: { sms: 2 } }));
    expect(await assignedTo(third)).to.equal(ani.id);
  });

  it('offers a ticket only to agents with the skills it needs', async () => {
    const generalist = await agent('umum', { skills: ['id'] });
    await generalist.presence('available');
    const ticketId = await ticketFrom(inboundSms(newPhone(), 'Soal izin lingkungan'));
    await assignedTo(ticketId); // reset: give it away, then put a skilled need on a new one
    const db = server.runtime.db;
    const skilledTicket = await ticketFrom(inboundSms(newPhone(), 'Butuh ahli'));
    // Routing may already have given it away: take it back into the queue with a needed skill.
    await db('tickets')
      .where({ id: skilledTicket })
      .update({
        assignee_id: null,
        status: 'new',
        required_skills: JSON.stringify(['amdal']),
        queued_at: new Date(),
        updated_at: new Date(),
      });
    await server.runtime.routing.ticketsQueued([skilledTicket]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await assigneeOf(skilledTicket)).to.equal(null);
    const expert = await agent('ahli', { skills: ['id', 'amdal'] });
    await expert.presence('available');
    expect(await assignedTo(skilledTicket)).to.equal(expert.id);
  });

  it('prefers the agent who last helped a returning citizen, even when another is idle longer', async () => {
    const lama = await agent('lama');
    await lama.presence('available');
    const phone = newPhone();
    const first = await ticketFrom(inboundSms(phone, 'Pertanyaan pertama'));
    const helper = await assignedTo(first);
    const other = await agent('baru');
    await other.presence('available'); // idle since now, but `lama` was assigned more recently...
    await server.runtime
      .db('agents')
      .where({ id: other.id })
      .update({ presence_changed_at: new Date(Date.now() - 3600_000), last_assigned_at: null });
    const again = await ticketFrom(inboundWhatsApp(phone, 'Saya lagi, lewat WhatsApp'));
    expect(await assignedTo(again)).to.equal(helper);
  });

  it("gives back an agent's unanswered tickets when they go offline, to be routed again", async () => {
    const pergi = await agent('pergi');
    await pergi.presence('available');
    const ticketId = await ticketFrom(inboundSms(newPhone(), 'Tolong dibantu'));
    expect(await assignedTo(ticketId)).to.equal(pergi.id);
    await pergi.presence('offline');
    expect(await assigneeOf(ticketId)).to.equal(null);
    const types = await server.runtime.db('ticket_events').where({ ticket_id: ticketId }).pluck('type');
    expect(types).to.include('returned_to_queue');
    const pengganti = await agent('pengganti');
    await pengganti.presence('available');
    expect(await assignedTo(ticketId)).to.equal(pengganti.id);
  });

  it("gives back an agent's call-backs not being called when they go offline; one on the line stays theirs", async () => {
    const db = server.runtime.db;
    const pulang = await agent('pulang');
    await pulang.presence('available');
    const tickets = [
      await ticketFrom(inboundSms(newPhone(), 'telepon saya')),
      await ticketFrom(inboundSms(newPhone(), 'sedang ditelepon')),
    ];
    const at = new Date();
    const ids: number[] = [];
    for (const [index, ticketId] of tickets.entries()) {
      const [row] = await db('tasks')
        .insert({
          kind: 'callback',
          ticket_id: ticketId,
          team_id: frontDesk,
          phone: newPhone(),
          reason: 'abandoned',
          due_at: at,
          status: index === 0 ? 'open' : 'calling',
          assignee_id: pulang.id,
          created_at: at,
          updated_at: at,
        })
        .returning('id');
      ids.push(Number(typeof row === 'object' ? row.id : row));
    }
    await pulang.presence('offline');
    const [waiting, calling] = ids as [number, number];
    expect(await db('tasks').whereIn('id', ids).orderBy('id').select('id', 'assignee_id', 'status')).to.deep.equal([
      { id: waiting, assignee_id: null, status: 'open' },
      { id: calling, assignee_id: pulang.id, status: 'calling' },
    ]);
    expect(
      await db('ticket_events').where({ ticket_id: tickets[0], type: 'callback_returned' }).pluck('actor_type'),
    ).to.deep.equal(['system']);
  });

  describe('pull mode', () => {
    let pullTeam: number;
    before(async () => {
      const created = await server.api(
        '/api/v1/teams',
        json('POST', { slug: 'dpmptsp-pull', name: 'Loket tarik', routing_strategy: 'pull' }),
      );
      pullTeam = ((await created.json()) as { data: { id: number } }).data.id;
    });

    it('lets agents take the next ticket themselves: highest priority first, then oldest; 204 when none', async () => {
      const db = server.runtime.db;
      const tickets = [];
      for (const text of ['lama', 'baru', 'mendesak']) tickets.push(await ticketFrom(inboundSms(newPhone(), text)));
      const [old, recent, urgent] = tickets as [number, number, number];
      await db('tickets').whereIn('id', tickets).update({ team_id: pullTeam, assignee_id: null, status: 'new' });
      await db('tickets')
        .where({ id: old })
        .update({ queued_at: new Date(Date.now() - 60_000) });
      await db('tickets').where({ id: recent }).update({ queued_at: new Date() });
      await db('tickets').where({ id: urgent }).update({ queued_at: new Date(), priority: 'urgent' });
      const puller = await agent('penarik', { team: pullTeam });
      await puller.presence('busy'); // pull mode works whatever the presence: pulling is being there
      const order: number[] = [];
      for (let round = 0; round < 3; round += 1) {
        const response = await puller.call('/api/v1/queue/next', { method: 'POST' });
        expect(response.status).to.equal(200);
        order.push(((await response.json()) as { data: { id: number } }).data.id);
      }
      expect(order).to.deep.equal([urgent, old, recent]);
      expect((await puller.call('/api/v1/queue/next', { method: 'POST' })).status).to.equal(204);
      const claimed = await db('ticket_events')
        .whereIn('ticket_id', tickets)
        .where({ type: 'claimed' })
        .count({ n: '*' })
        .first();
      expect(Number(claimed?.n)).to.equal(3);
    });

    it("hands out call-backs due now among the tickets, by their ticket's priority, then longest waiting; only with a phone and a free voice slot", async () => {
      const db = server.runtime.db;
      const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
      const ids: number[] = [];
      for (const text of [
        'antre biasa',
        'antre cepat',
        'telepon balik penting',
        'telepon balik biasa',
        'telepon balik nanti',
      ])
        ids.push(await ticketFrom(inboundSms(newPhone(), text)));
      const [normalTicket, highTicket, ...callbackTickets] = ids as [number, number, number, number, number];
      await db('tickets').whereIn('id', ids).update({ team_id: pullTeam, assignee_id: null });
      await db('tickets')
        .where({ id: normalTicket })
        .update({ status: 'new', priority: 'normal', queued_at: minutesAgo(30) });
      await db('tickets')
        .where({ id: highTicket })
        .update({ status: 'new', priority: 'high', queued_at: minutesAgo(1) });
      // The call-backs' own tickets wait on the citizen, so only their tasks are in the queue.
      await db('tickets').whereIn('id', callbackTickets).update({ status: 'pending_citizen', queued_at: null });
      await db('tickets').where({ id: callbackTickets[0] }).update({ priority: 'high' });
      const task = async (ticketId: number, dueAt: Date) => {
        const [row] = await db('tasks')
          .insert({
            kind: 'callback',
            ticket_id: ticketId,
            team_id: pullTeam,
            phone: newPhone(),
            reason: 'abandoned',
            due_at: dueAt,
            status: 'open',
            created_at: minutesAgo(90),
            updated_at: minutesAgo(90),
          })
          .returning('id');
        return Number(typeof row === 'object' ? row.id : row);
      };
      const urgentCall = await task(callbackTickets[0], minutesAgo(10)); // high, due 10 minutes ago: before the high ticket queued 1 minute ago
      const plainCall = await task(callbackTickets[1], minutesAgo(60)); // normal, due an hour ago: before the normal ticket, but the voice slot is taken by then
      const laterCall = await task(callbackTickets[2], new Date(Date.now() + 3600_000)); // not due yet

      const caller = await agent('penelepon', { team: pullTeam, capacities: { sms: 5, voice: 1 } });
      expect(
        (await server.api(`/api/v1/agents/${caller.id}`, json('PATCH', { phone: '+6281377700001' }))).status,
      ).to.equal(200);
      const taken: Array<{ kind: string; id: number }> = [];
      for (let round = 0; round < 3; round += 1) {
        const response = await caller.call('/api/v1/queue/next', { method: 'POST' });
        expect(response.status).to.equal(200);
        const body = (await response.json()) as {
          kind: string;
          data: { id: number; assignee_id: number | null; ticket?: { id: number } };
        };
        expect(body.data.assignee_id).to.equal(caller.id);
        taken.push({ kind: body.kind, id: body.data.id });
      }
      expect(taken).to.deep.equal([
        { kind: 'task', id: urgentCall },
        { kind: 'ticket', id: highTicket },
        { kind: 'ticket', id: normalTicket },
      ]);
      expect((await caller.call('/api/v1/queue/next', { method: 'POST' })).status).to.equal(204); // plainCall waits for a free voice slot
      const claimed = await db('ticket_events')
        .where({ ticket_id: callbackTickets[0], type: 'callback_claimed' })
        .first('actor_type', 'actor_id', 'data');
      expect(claimed).to.include({ actor_type: 'agent' });
      expect(Number(claimed.actor_id)).to.equal(caller.id);

      // Without a phone to ring first, a call-back is no work an agent can do.
      const noPhone = await agent('tanpatelepon', { team: pullTeam, capacities: { sms: 5, voice: 1 } });
      expect((await noPhone.call('/api/v1/queue/next', { method: 'POST' })).status).to.equal(204);
      expect(
        (await server.api(`/api/v1/agents/${noPhone.id}`, json('PATCH', { phone: '+6281377700002' }))).status,
      ).to.equal(200);
      const next = await noPhone.call('/api/v1/queue/next', { method: 'POST' });
      expect((await next.json()) as { kind: string; data: { id: number } })
        .to.deep.include({ kind: 'task' })
        .and.have.nested.property('data.id', plainCall);

      // Left now: a call-back not due yet, one on a confidential ticket of another agent, one whose
      // ticket moved to another team. None is for a third agent with a phone and a free slot.
      const [secret, moved] = [
        await ticketFrom(inboundSms(newPhone(), 'rahasia')),
        await ticketFrom(inboundSms(newPhone(), 'dipindah')),
      ];
      await db('tickets')
        .whereIn('id', [secret, moved])
        .update({ team_id: pullTeam, status: 'pending_citizen', queued_at: null });
      await db('tickets').where({ id: secret }).update({ confidential: true, assignee_id: caller.id });
      await db('tickets').where({ id: moved }).update({ team_id: frontDesk });
      const secretCall = await task(secret, minutesAgo(5));
      const movedCall = await task(moved, minutesAgo(5)); // the task still names the pull team
      const third = await agent('ketiga', { team: pullTeam, capacities: { sms: 5, voice: 1 } });
      expect(
        (await server.api(`/api/v1/agents/${third.id}`, json('PATCH', { phone: '+6281377700003' }))).status,
      ).to.equal(200);
      expect((await third.call('/api/v1/queue/next', { method: 'POST' })).status).to.equal(204);
      expect(
        await db('tasks').whereIn('id', [laterCall, secretCall, movedCall]).whereNotNull('assignee_id').pluck('id'),
      ).to.deep.equal([]);
    });

    it("never gives one ticket to two agents, nor more than an agent's capacity, under simultaneous claims and routers", async () => {
      const db = server.runtime.db;
      const tickets: number[] = [];
      for (let index = 0; index < 12; index += 1)
        tickets.push(await ticketFrom(inboundSms(newPhone(), `Antre ${index}`)));
      await db('tickets')
        .whereIn('id', tickets)
        .update({ team_id: pullTeam, assignee_id: null, status: 'new', queued_at: new Date() });
      const agents = [];
      for (let index = 0; index < 4; index += 1)
        agents.push(await agent(`rebut${index}`, { team: pullTeam, capacities: { sms: 2 } }));
      for (const each of agents) await each.presence('available');
      await server.api(`/api/v1/teams/${pullTeam}`, json('PATCH', { routing_strategy: 'least_busy' }));

      // Two more routers race the agents' own claims: on PostgreSQL each with its own pool, as
      // separate worker processes would; on SQLite (one process by design) on the server's pool.
      const logger = createLogger('silent');
      const config = server.runtime.config;
      const extra = config.DATABASE_URL
        ? [0, 1].map(() =>
            createDatabase({
              url: config.DATABASE_URL,
              schema: config.DATABASE_SCHEMA,
              sqliteFile: config.sqliteFile,
              sqliteDriver: config.SQLITE_DRIVER,
            }),
          )
        : [];
      try {
        const routers = (extra.length > 0 ? extra : [db, db]).map(
          (database) =>
            new RoutingEngine(
              database,
              { preferPreviousAgent: false, batchSize: 50, voiceProvider: 'twilio-voice' },
              logger,
            ),
        );
        const claims = agents.flatMap((each) =>
          [0, 1, 2].map(() => each.call('/api/v1/queue/next', { method: 'POST' }).then((response) => response.status)),
        );
        const passes = routers.flatMap((router) =>
          [0, 1].map(() => router.handle({ kind: 'teams', teamIds: [pullTeam] })),
        );
        await Promise.all([...claims, ...passes]);
      } finally {
        await Promise.all(extra.map((database) => database.destroy()));
      }

      const rows = await db('tickets').whereIn('id', tickets).select('id', 'assignee_id');
      const perAgent = new Map<number, number>();
      for (const row of rows)
        if (row.assignee_id) perAgent.set(Number(row.assignee_id), (perAgent.get(Number(row.assignee_id)) ?? 0) + 1);
      expect(
        [...perAgent.values()].every((count) => count <= 2),
        `loads ${JSON.stringify([...perAgent])}`,
      ).to.equal(true);
      expect([...perAgent.values()].reduce((sum, count) => sum + count, 0)).to.equal(8); // 4 agents × 2 slots
      const handed = await db('ticket_events')
        .whereIn('ticket_id', tickets)
        .whereIn('type', ['assigned', 'claimed'])
        .select('ticket_id');
      const perTicket = new Map<number, number>();
      for (const row of handed) perTicket.set(Number(row.ticket_id), (perTicket.get(Number(row.ticket_id)) ?? 0) + 1);
      expect(
        [...perTicket.values()].every((count) => count === 1),
        'each ticket handed out once',
      ).to.equal(true);
      expect(perTicket.size).to.equal(8);
    });
  });
});

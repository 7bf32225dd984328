import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import { expect } from 'chai';
import { fromJson, insertReturningId } from '../../src/db/rows.js';
import { authenticate } from '../../src/http/authenticate.js';
import { ticketRoutes } from '../../src/http/api/v1/tickets.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { ticketUnitOfWork } from '../../src/ticket-work.js';
import { generateReference } from '../../src/tickets/reference-number.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

type Call = (path: string, init?: RequestInit) => Promise<Response>;
interface Actor {
  id: number;
  token?: string;
  call: Call;
}
interface View {
  status: string;
  team_id: number;
  assignee_id: number | null;
  merged_into_id: number | null;
  allowed_actions: string[];
  [field: string]: unknown;
}

describe('Ticket actions: classify, transfer, merge, resolve, close, reopen, assign, claim', () => {
  let server: TestServer;
  let frontDesk: number, opd: number, retired: number;
  let loket: Actor, loket2: Actor, petugasOpd: Actor, kepala: Actor, pasif: Actor, admin: Actor;

  const json = (method: string, body?: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const db = () => server.runtime.db;
  async function eventsOf(
    ticketId: number,
    type?: string,
  ): Promise<Array<{ type: string; actor_id: number; data: Record<string, unknown> }>> {
    const rows: Array<{ type: string; actor_id: number; data: unknown }> = await db()('ticket_events')
      .where({ ticket_id: ticketId })
      .modify((q) => (type ? q.where({ type }) : q))
      .orderBy('id');
    return rows.map((event) => ({
      type: event.type,
      actor_id: Number(event.actor_id),
      data: fromJson<Record<string, unknown>>(event.data),
    }));
  }
  const row = (id: number) => db()('tickets').where({ id }).first();
  async function send(
    actor: Actor,
    method: string,
    path: string,
    body?: unknown,
    status = 200,
  ): Promise<View & { error?: { code: string; details: Record<string, unknown> } }> {
    const response = await actor.call(`/api/v1/tickets${path}`, json(method, body));
    const payload = (await response.json()) as {
      data: View;
      error?: { code: string; details: Record<string, unknown> };
    };
    expect(response.status, `${method} ${path} → ${JSON.stringify(payload)}`).to.equal(status);
    return { ...payload.data, error: payload.error };
  }

  async function actor(name: string, role: string, teams: number[]): Promise<Actor> {
    const email = `${name}@dpmptsp.example.go.id`;
    const created = await server.api(
      '/api/v1/agents',
      json('POST', { email, name, role, password: 'sandi-rahasia-1', teams }),
    );
    const id = ((await created.json()) as { data: { id: number } }).data.id;
    const login = await fetch(
      `${server.baseUrl}/api/v1/auth/login`,
      json('POST', { email, password: 'sandi-rahasia-1' }),
    );
    const { token } = (await login.json()) as { token: string };
    return {
      id,
      token,
      call: (path, init = {}) =>
        fetch(server.baseUrl + path, {
          ...init,
          headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` },
        }),
    };
  }

  /** A ticket as the inbound pipeline leaves it, written directly so each test states what it needs. */
  async function seed(
    options: {
      contactId?: number;
      team?: number;
      status?: string;
      assignee?: number | null;
      confidential?: boolean;
      messages?: number;
    } = {},
  ) {
    // A minute old: in the past for queue order, yet well inside every SLA target (the shortest,
    // 60 working minutes), so no warning or escalation fires on real time in the middle of a test.
    const past = new Date(Date.now() - 60_000);
    const contactId =
      options.contactId ??
      (await insertReturningId(db(), 'contacts', {
        display_name: 'Warga',
        language: 'id',
        created_at: past,
        updated_at: past,
      }));
    const assignee = options.assignee ?? null;
    const id = await insertReturningId(db(), 'tickets', {
      reference: generateReference(),
      contact_id: contactId,
      channel: 'sms',
      status: options.status ?? (assignee ? 'open' : 'new'),
      priority: 'normal',
      team_id: options.team ?? frontDesk,
      assignee_id: assignee,
      confidential: options.confidential ?? false,
      language: 'id',
      created_at: past,
      updated_at: past,
      last_message_at: past,
      queued_at: assignee ? null : past,
      assigned_at: assignee ? past : null,
    });
    for (let index = 0; index < (options.messages ?? 1); index++) {
      await insertReturningId(db(), 'messages', {
        ticket_id: id,
        direction: 'inbound',
        channel: 'sms',
        author_type: 'citizen',
        body: `Pesan ${index}`,
        address: `+62812${randomInt(1e6, 1e7)}`,
        created_at: past,
      });
    }
    return { id, contactId };
  }

  before(async () => {
    server = await startTestServer();
    frontDesk = Number((await db()('teams').where({ slug: 'front-desk' }).first('id')).id);
    const team = async (slug: string) =>
      (
        (await (await server.api('/api/v1/teams', json('POST', { slug, name: slug }))).json()) as {
          data: { id: number };
        }
      ).data.id;
    opd = await team('dinas-pupr');
    retired = await team('dinas-lama');
    await server.api(`/api/v1/teams/${retired}`, json('PATCH', { active: false }));
    [loket, loket2, petugasOpd, kepala, pasif] = await Promise.all([
      actor('loket', 'agent', [frontDesk]),
      actor('loket2', 'agent', [frontDesk]),
      actor('opd', 'agent', [opd]),
      actor('kepala', 'supervisor', [frontDesk]),
      actor('pasif', 'agent', [frontDesk]),
    ]);
    await server.api(`/api/v1/agents/${pasif.id}`, json('PATCH', { active: false }));
    admin = { id: Number((await db()('agents').where({ role: 'admin' }).first('id')).id), call: server.api };
  });
  after(async () => server?.stop());

  it('serves the vocabularies with Indonesian and English labels to any agent', async () => {
    const response = await loket.call('/api/v1/tickets/vocabulary');
    expect(response.status).to.equal(200);
    const { data } = (await response.json()) as {
      data: Record<string, Array<{ code: string; label: { id: string; en: string } }>>;
    };
    expect(data.complaint_types).to.have.length(10);
    expect(data.complaint_types![0]).to.deep.equal({
      code: 'undue_delay',
      label: { id: 'Penundaan berlarut', en: 'Undue delay' },
    });
    expect(data.categories!.map((term) => term.code)).to.include.members([
      'information_request',
      'complaint',
      'consultation',
      'aspiration',
      'appreciation',
    ]);
    expect(data.priorities!.map((term) => term.code)).to.deep.equal(['low', 'normal', 'high', 'urgent']);
  });

  it('sets classification fields with one field_changed event each, old and new value, and bumps updated_at', async () => {
    const { id } = await seed();
    const before = await row(id);
    const view = await send(loket, 'PATCH', `/${id}`, {
      category: 'complaint',
      complaint_type: 'undue_delay',
      priority: 'high',
      permit_number: ' 503/PBG/2026 ',
      required_skills: ['PBG', 'pbg'],
    });
    expect(view).to.include({
      category: 'complaint',
      complaint_type: 'undue_delay',
      priority: 'high',
      permit_number: '503/PBG/2026',
    });
    expect(view.required_skills).to.deep.equal(['pbg']);
    const events = await eventsOf(id, 'field_changed');
    expect(events.map((event) => event.data)).to.deep.equal([
      { field: 'category', from: null, to: 'complaint' },
      { field: 'complaint_type', from: null, to: 'undue_delay' },
      { field: 'priority', from: 'normal', to: 'high' },
      { field: 'permit_number', from: null, to: '503/PBG/2026' },
      { field: 'required_skills', from: [], to: ['pbg'] },
    ]);
    expect(events.every((event) => Number(event.actor_id) === loket.id)).to.equal(true);
    expect(new Date((await row(id)).updated_at).getTime()).to.be.greaterThan(new Date(before.updated_at).getTime());
    await send(loket, 'PATCH', `/${id}`, { priority: 'high' });
    expect(await eventsOf(id, 'field_changed')).to.have.length(5); // nothing changed, nothing recorded

    const moved = await send(loket, 'PATCH', `/${id}`, { category: 'consultation' });
    expect(moved.complaint_type).to.equal(null); // a complaint type lives on complaints only
    expect((await eventsOf(id, 'field_changed')).slice(-2).map((event) => event.data.field)).to.deep.equal([
      'category',
      'complaint_type',
    ]);
  });

  it("refuses bad classification input (400), a complaint type on a non-complaint (422), another team's ticket (404)", async () => {
    const { id } = await seed();
    expect((await send(loket, 'PATCH', `/${id}`, { complaint_type: 'undue_delay' }, 422)).error!.code).to.equal(
      'complaint_type_needs_complaint',
    );
    expect(
      (await send(loket, 'PATCH', `/${id}`, { category: 'information_request', complaint_type: 'discrimination' }, 422))
        .error!.code,
    ).to.equal('complaint_type_needs_complaint');
    for (const body of [
      {},
      { category: 'gossip' },
      { priority: 'asap' },
      { permit_number: 'x'.repeat(65) },
      { assignee_id: 1 },
      { confidential: 'yes' },
    ]) {
      await send(loket, 'PATCH', `/${id}`, body, 400);
    }
    await send(petugasOpd, 'PATCH', `/${id}`, { priority: 'low' }, 404);
    expect((await loket.call(`/api/v1/tickets/${id}`, { method: 'PATCH' })).status).to.equal(400); // no body: nothing to change
    expect(await eventsOf(id, 'field_changed')).to.have.length(0);
  });

  it('lets anyone protect a reporter, and only a supervisor lift the protection (403)', async () => {
    const { id } = await seed({ assignee: loket.id });
    expect(await send(loket, 'PATCH', `/${id}`, { confidential: true, anonymous: true })).to.include({
      confidential: true,
      anonymous: true,
    });
    await send(loket, 'PATCH', `/${id}`, { confidential: false }, 403);
    await send(loket2, 'PATCH', `/${id}`, { priority: 'low' }, 404); // confidential: hidden from the rest of the team
    expect(await send(kepala, 'PATCH', `/${id}`, { confidential: false })).to.include({ confidential: false });
  });

  it('transfers a ticket to an agency with a note: pending_agency, unassigned, queued, an internal note and an event', async () => {
    const { id } = await seed({ assignee: loket.id });
    const view = await send(loket, 'POST', `/${id}/transfer`, {
      team_id: opd,
      note: 'Mohon ditindaklanjuti: izin PBG terlambat.',
    });
    expect(view).to.include({ status: 'pending_agency', team_id: opd, assignee_id: null });
    expect(view.queued_at).to.be.a('string');
    const [event] = await eventsOf(id, 'transferred');
    expect(event!.data).to.include({
      from_team: frontDesk,
      to_team: opd,
      from_assignee: loket.id,
      note: 'Mohon ditindaklanjuti: izin PBG terlambat.',
    });
    const note = await db()('messages')
      .where({ id: event!.data.message_id as number })
      .first();
    expect(note).to.include({ ticket_id: id, kind: 'note', body: 'Mohon ditindaklanjuti: izin PBG terlambat.' });
    expect(Boolean(note.internal)).to.equal(true);
    expect((await loket.call(`/api/v1/tickets/${id}`)).status).to.equal(404); // the front desk let go of it
    expect((await petugasOpd.call(`/api/v1/tickets/${id}`)).status).to.equal(200);
    expect(
      await send(petugasOpd, 'POST', `/${id}/transfer`, { team_id: frontDesk, note: 'Bukan kewenangan kami' }),
    ).to.include({ status: 'new', team_id: frontDesk });
  });

  it('refuses a transfer to an unknown, inactive or the same team (422), without a note (400), when resolved (409)', async () => {
    const { id } = await seed();
    expect((await send(loket, 'POST', `/${id}/transfer`, { team_id: 99999, note: 'x' }, 422)).error!.code).to.equal(
      'unknown_team',
    );
    expect((await send(loket, 'POST', `/${id}/transfer`, { team_id: retired, note: 'x' }, 422)).error!.code).to.equal(
      'team_inactive',
    );
    expect((await send(loket, 'POST', `/${id}/transfer`, { team_id: frontDesk, note: 'x' }, 422)).error!.code).to.equal(
      'same_team',
    );
    await send(loket, 'POST', `/${id}/transfer`, { team_id: opd }, 400);
    await send(petugasOpd, 'POST', `/${id}/transfer`, { team_id: opd, note: 'x' }, 404);
    const resolved = await seed({ status: 'resolved' });
    expect(
      (await send(loket, 'POST', `/${resolved.id}/transfer`, { team_id: opd, note: 'x' }, 409)).error!.details
        .allowed_actions,
    ).to.deep.equal(['update', 'close', 'reopen']);
    expect(await eventsOf(id, 'transferred')).to.have.length(0);
  });

  it('gives a ticket to exactly one of two agents claiming it at once (one 200, one 409), every time', async () => {
    for (let round = 0; round < 5; round++) {
      const { id } = await seed();
      const responses = await Promise.all(
        [loket, loket2].map((agent) => agent.call(`/api/v1/tickets/${id}/claim`, { method: 'POST' })),
      );
      expect(responses.map((response) => response.status).sort()).to.deep.equal([200, 409]);
      const loser = (await responses.find((response) => response.status === 409)!.json()) as {
        error: { code: string };
      };
      expect(loser.error.code).to.equal('already_assigned');
      const claimed = await eventsOf(id, 'claimed');
      expect(claimed).to.have.length(1);
      const ticket = await row(id);
      expect(ticket).to.include({ status: 'open', queued_at: null });
      expect(Number(ticket.assignee_id)).to.equal(claimed[0]!.data.agent_id);
      expect(claimed[0]!.data.by).to.equal(claimed[0]!.data.agent_id);
    }
  });

  it("refuses a claim outside one's team (422), of an invisible ticket (404), of a closed one (409)", async () => {
    const { id } = await seed({ team: opd });
    await send(loket, 'POST', `/${id}/claim`, undefined, 404);
    expect((await send(admin, 'POST', `/${id}/claim`, undefined, 422)).error!.code).to.equal('not_in_team');
    expect((await send(petugasOpd, 'POST', `/${id}/claim`)).assignee_id).to.equal(petugasOpd.id);
    const closed = await seed({ status: 'closed' });
    expect((await send(loket, 'POST', `/${closed.id}/claim`, undefined, 409)).error!.code).to.equal(
      'invalid_transition',
    );
  });

  it('lets a supervisor assign by hand to an active agent of the team, and refuses everyone and everything else', async () => {
    const { id } = await seed({ assignee: loket.id });
    await send(loket, 'POST', `/${id}/assign`, { agent_id: loket2.id }, 403);
    await send(kepala, 'POST', `/${id}/assign`, { agent_id: 'loket2' }, 400);
    for (const agentId of [petugasOpd.id, pasif.id, 99999])
      expect((await send(kepala, 'POST', `/${id}/assign`, { agent_id: agentId }, 422)).error!.code).to.equal(
        'agent_not_eligible',
      );
    expect(await send(kepala, 'POST', `/${id}/assign`, { agent_id: loket2.id })).to.include({
      assignee_id: loket2.id,
      status: 'open',
    });
    expect((await eventsOf(id, 'assigned')).map((event) => event.data)).to.deep.equal([
      { agent_id: loket2.id, by: kepala.id, team_id: frontDesk, previous_agent_id: loket.id },
    ]);
    await send(kepala, 'POST', `/${(await seed({ team: opd })).id}/assign`, { agent_id: petugasOpd.id }, 404);
  });

  it('resolves, closes and reopens along the state machine; a wrong step is 409 naming the status and the way out', async () => {
    const { id } = await seed({ assignee: loket.id });
    expect((await send(loket, 'POST', `/${id}/close`, undefined, 409)).error!.details).to.include({ status: 'open' });
    const resolved = await send(loket, 'POST', `/${id}/resolve`, { note: 'Izin sudah terbit.' });
    expect(resolved).to.include({ status: 'resolved' });
    expect(resolved.resolved_at).to.be.a('string');
    const again = await send(loket, 'POST', `/${id}/resolve`, {}, 409);
    expect(again.error!.details).to.deep.include({
      status: 'resolved',
      allowed_actions: ['update', 'close', 'reopen'],
    });
    expect((await send(loket, 'POST', `/${id}/close`)).closed_at).to.be.a('string');
    await send(loket, 'POST', `/${id}/close`, undefined, 409);
    const reopened = await send(loket, 'POST', `/${id}/reopen`, { note: 'Warga belum menerima izin.' });
    expect(reopened).to.include({ status: 'open', assignee_id: loket.id, resolved_at: null, closed_at: null });
    await send(loket, 'POST', `/${id}/reopen`, undefined, 409);
    // The lifecycle's own events, in order; SLA clocks (sla_*) run on real time beside them.
    const lifecycle = (await eventsOf(id)).map((event) => event.type).filter((type) => !type.startsWith('sla_'));
    expect(lifecycle).to.deep.equal(['resolved', 'closed', 'reopened']);
    await send(loket, 'POST', `/${id}/resolve`, { note: '' }, 400);
    await send(petugasOpd, 'POST', `/${id}/resolve`, undefined, 404);
  });

  it("reopens into the team's queue when the former assignee no longer serves it", async () => {
    const { id } = await seed({ assignee: pasif.id, status: 'resolved' });
    const view = await send(kepala, 'POST', `/${id}/reopen`);
    expect(view).to.include({ status: 'new', assignee_id: null });
    expect(view.queued_at).to.be.a('string');
  });

  it('merges duplicates of one citizen: messages and attachments move, sources close pointing at the target, events on both', async () => {
    const target = await seed({ assignee: loket.id });
    const source = await seed({ contactId: target.contactId, messages: 2, confidential: false });
    const second = await seed({ contactId: target.contactId, status: 'resolved' });
    const sourceMessage = Number((await db()('messages').where({ ticket_id: source.id }).first('id')).id);
    const attachment = await insertReturningId(db(), 'attachments', {
      message_id: sourceMessage,
      storage: 'provider',
      url: 'https://example.com/ktp.jpg',
      content_type: 'image/jpeg',
      created_at: new Date(),
    });
    await db()('tickets').where({ id: second.id }).update({ anonymous: true });

    await send(loket, 'POST', `/${target.id}/merge`, { source_ticket_ids: [target.id] }, 422);
    await send(loket, 'POST', `/${target.id}/merge`, { source_ticket_ids: [] }, 400);
    expect(
      (await send(loket, 'POST', `/${target.id}/merge`, { source_ticket_ids: [(await seed()).id] }, 422)).error!.code,
    ).to.equal('different_contact');
    await send(
      loket,
      'POST',
      `/${target.id}/merge`,
      { source_ticket_ids: [(await seed({ contactId: target.contactId, team: opd })).id] },
      404,
    );

    const merged = await send(loket, 'POST', `/${target.id}/merge`, { source_ticket_ids: [source.id, second.id] });
    expect(merged).to.include({ anonymous: true }); // a duplicate's protection carries over
    expect(Number((await db()('messages').where({ ticket_id: target.id }).count({ n: '*' }).first())!.n)).to.equal(4);
    expect(
      Number(
        (
          await db()('attachments as a')
            .join('messages as m', 'm.id', 'a.message_id')
            .where('a.id', attachment)
            .first('m.ticket_id')
        ).ticket_id,
      ),
    ).to.equal(target.id);
    for (const id of [source.id, second.id]) {
      expect(await row(id)).to.include({ status: 'closed' });
      expect(Number((await row(id)).merged_into_id)).to.equal(target.id);
      expect((await eventsOf(id, 'merged_into'))[0]!.data).to.include({ target_ticket_id: target.id });
    }
    expect((await eventsOf(target.id, 'merged')).map((event) => event.data.source_ticket_id)).to.deep.equal([
      source.id,
      second.id,
    ]);
    expect(
      (await send(loket, 'POST', `/${source.id}/reopen`, undefined, 409)).error!.details.allowed_actions,
    ).to.deep.equal([]);
    expect(
      (
        await send(
          loket,
          'POST',
          `/${(await seed({ contactId: target.contactId })).id}/merge`,
          { source_ticket_ids: [source.id] },
          409,
        )
      ).error!.code,
    ).to.equal('already_merged');
  });

  it('tells routing what changed: queued on transfer and unassigned reopen, capacity freed on transfer, resolve, close, merge', async () => {
    const heard: string[] = [];
    const signals = {
      ticketsQueued: async (ids: number[]) => void heard.push(`queued ${ids.join(',')}`),
      capacityFreed: async (ids: number[]) => void heard.push(`freed ${ids.join(',')}`),
    };
    const app = express();
    const { queues, logger } = server.runtime;
    app.use(
      '/api/v1/tickets',
      authenticate(db()),
      ticketRoutes({
        db: db(),
        queues,
        logger,
        referencePrefix: 'SP-',
        officeName: 'Kantor',
        unitOfWork: ticketUnitOfWork(db(), { timers: server.runtime.slaTimers, routing: signals }),
      }),
    );
    app.use(errorHandler(logger));
    const listener = await new Promise<Server>((resolve) => {
      const started = app.listen(0, () => resolve(started));
    });
    const port = (listener.address() as { port: number }).port;
    const call = (path: string, body?: unknown) =>
      fetch(`http://127.0.0.1:${port}/api/v1/tickets${path}`, {
        ...json('POST', body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${kepala.token}` },
      });
    try {
      const transferred = await seed({ assignee: loket.id });
      expect((await call(`/${transferred.id}/transfer`, { team_id: opd, note: 'Disposisi' })).status).to.equal(200);
      const resolved = await seed({ assignee: loket2.id });
      expect((await call(`/${resolved.id}/resolve`)).status).to.equal(200);
      expect((await call(`/${resolved.id}/close`)).status).to.equal(200);
      const reopened = await seed({ status: 'closed' });
      expect((await call(`/${reopened.id}/reopen`)).status).to.equal(200);
      const duplicate = await seed({ contactId: reopened.contactId, assignee: kepala.id });
      expect((await call(`/${reopened.id}/merge`, { source_ticket_ids: [duplicate.id] })).status).to.equal(200);
      expect(heard).to.deep.equal([
        `queued ${transferred.id}`,
        `freed ${loket.id}`,
        `freed ${loket2.id}`,
        `freed ${loket2.id}`,
        `queued ${reopened.id}`,
        `freed ${kepala.id}`,
      ]);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});

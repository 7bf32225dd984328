import { expect } from 'chai';
import { slaCountdowns } from '../../src/tickets/sla-countdown.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The small API pieces the agent console needed (issue 14): each ticket's SLA countdown in working
 * time, WhatsApp's 24-hour window on the ticket view, a canned response filled in for editing, and
 * who else has a ticket open (collision detection).
 */
describe('API for the agent console', () => {
  let server: TestServer;
  let phone = 6281377700000;
  const json = (method: string, body?: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.stop());

  async function ticketFrom(message: Record<string, string>): Promise<number> {
    expect((await server.postTwilio('/webhooks/twilio/messaging', message)).status).to.equal(200);
    return waitFor('ticket created', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: message.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }
  const nextPhone = () => {
    phone += 1;
    return `+${phone}`;
  };
  const detail = async (id: number) =>
    ((await (await server.api(`/api/v1/tickets/${id}`)).json()) as { data: Record<string, unknown> }).data;

  it("counts working minutes to the next deadline in the team's calendar, standing still when it is closed", async () => {
    const id = await ticketFrom(inboundSms(nextPhone(), 'Syarat izin praktik bidan?'));
    const db = server.runtime.db;
    const { team_id: teamId } = await db('tickets').where({ id }).first('team_id');
    // Government hours in WITA: Friday 13:00-16:30, Monday from 07:30. Due Monday 09:30 WITA.
    const due = new Date('2026-12-07T01:30:00Z');
    await db('sla_clocks').where({ ticket_id: id }).whereNull('stopped_at').update({ due_at: due, paused_at: null });
    const friday = new Date('2026-12-04T07:30:00Z'); // 15:30 WITA: 60 minutes on Friday, 120 on Monday
    const [atFriday] = [...(await slaCountdowns(db, [{ id, team_id: teamId }], friday)).values()];
    expect(atFriday).to.deep.include({
      kind: 'first_response',
      working_minutes_left: 180,
      working_now: true,
      paused: false,
    });
    const saturday = new Date('2026-12-05T02:00:00Z');
    const [atSaturday] = [...(await slaCountdowns(db, [{ id, team_id: teamId }], saturday)).values()];
    expect(atSaturday).to.deep.include({ working_minutes_left: 120, working_now: false });
    const tuesday = new Date('2026-12-08T01:30:00Z'); // a working day past the deadline: negative
    const [late] = [...(await slaCountdowns(db, [{ id, team_id: teamId }], tuesday)).values()];
    // Monday 09:30-12:00 and 13:00-16:00, then Tuesday 07:30-09:30.
    expect(late?.working_minutes_left).to.equal(-(150 + 180 + 120));
  });

  it('says a clock is paused, and gives no deadline for it, while the ticket waits on the citizen', async () => {
    const id = await ticketFrom(inboundSms(nextPhone(), 'Minta data jumlah IMB 2025.'));
    expect(
      (await server.api(`/api/v1/tickets/${id}`, json('PATCH', { category: 'information_request' }))).status,
    ).to.equal(200);
    const asked = await server.api(
      `/api/v1/tickets/${id}/clarification`,
      json('POST', { body: 'Untuk kecamatan mana?' }),
    );
    expect(asked.status).to.equal(201);
    const { sla } = (await detail(id)) as { sla: Record<string, unknown> };
    expect(sla).to.deep.include({ state: null, due_at: null, kind: null, working_minutes_left: null, paused: true });
    const list = (await (await server.api(`/api/v1/tickets?q=IMB`)).json()) as {
      data: Array<{ id: number; sla: unknown }>;
    };
    expect(list.data.find((ticket) => ticket.id === id)?.sla).to.deep.include({ paused: true });
  });

  it("shows WhatsApp's 24-hour window on a WhatsApp ticket, and none for a citizen never on WhatsApp", async () => {
    const id = await ticketFrom(inboundWhatsApp(nextPhone(), 'Halo, jam buka kantor?'));
    const window = (await detail(id)).whatsapp_window as Record<string, unknown>;
    expect(window).to.include({ open: true, template_available: false });
    const last = Date.parse(String(window.last_citizen_message_at));
    expect(Date.parse(String(window.closes_at)) - last).to.equal(24 * 3600_000);
    await server.runtime
      .db('messages')
      .where({ ticket_id: id })
      .update({ created_at: new Date(Date.now() - 25 * 3600_000) });
    expect(((await detail(id)).whatsapp_window as { open: boolean }).open).to.equal(false);
    const sms = await ticketFrom(inboundSms(nextPhone(), 'Halo dari SMS'));
    expect((await detail(sms)).whatsapp_window).to.equal(null);
  });

  it("fills a canned response in for the ticket without sending anything, and refuses one that is not the caller's", async () => {
    const id = await ticketFrom(inboundSms(nextPhone(), 'Status izin saya?'));
    const created = await server.api(
      '/api/v1/canned-responses',
      json('POST', {
        name: 'Cek status',
        language: 'id',
        body: 'Yth. {{citizen_name}}, tiket {{reference}} sedang diproses.',
      }),
    );
    const canned = ((await created.json()) as { data: { id: number } }).data.id;
    const preview = await server.api(
      `/api/v1/tickets/${id}/reply-preview`,
      json('POST', { canned_response_id: canned }),
    );
    expect(preview.status).to.equal(200);
    const { reference } = (await detail(id)) as { reference: string };
    expect(((await preview.json()) as { data: unknown }).data).to.deep.equal({
      body: `Yth. Bapak/Ibu, tiket ${reference} sedang diproses.`,
      canned_response_id: canned,
      language: 'id',
    });
    // Nothing sent: no agent's message on the ticket.
    expect(await server.runtime.db('messages').where({ ticket_id: id, author_type: 'agent' }).first('id')).to.equal(
      undefined,
    );
    const unknown = await server.api(
      `/api/v1/tickets/${id}/reply-preview`,
      json('POST', { canned_response_id: 999999 }),
    );
    expect(unknown.status).to.equal(422);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).to.equal('unknown_canned_response');
  });

  it('tells each agent on a ticket who else is there and who is replying, and forgets one who leaves', async () => {
    const id = await ticketFrom(inboundSms(nextPhone(), 'Dua agen satu tiket'));
    const frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    const sari = { email: 'sari.viewer@dpmptsp.example.go.id', password: 'sari-password-123' };
    const made = await server.api(
      '/api/v1/agents',
      json('POST', { ...sari, name: 'Sari', role: 'agent', teams: [frontDesk] }),
    );
    expect(made.status).to.equal(201);
    const sariId = ((await made.json()) as { data: { id: number } }).data.id;
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, json('POST', sari));
    const token = ((await login.json()) as { token: string }).token;
    const asSari = (init: RequestInit) =>
      fetch(`${server.baseUrl}/api/v1/tickets/${id}/viewers`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
      });
    const others = async (response: Response) => ((await response.json()) as { data: unknown[] }).data;

    expect(await others(await asSari(json('POST', { activity: 'replying' })))).to.deep.equal([]);
    const seen = await others(await server.api(`/api/v1/tickets/${id}/viewers`, json('POST', { activity: 'viewing' })));
    expect(seen).to.have.length(1);
    expect(seen[0]).to.deep.include({ agent_id: sariId, name: 'Sari', activity: 'replying' });
    const adminSeen = await others(await asSari(json('POST', { activity: 'viewing' })));
    expect(adminSeen.map((viewer) => (viewer as { activity: string }).activity)).to.deep.equal(['viewing']);
    expect((await asSari({ method: 'DELETE' })).status).to.equal(204);
    expect(
      await others(await server.api(`/api/v1/tickets/${id}/viewers`, json('POST', { activity: 'viewing' }))),
    ).to.deep.equal([]);
    expect((await asSari(json('POST', { activity: 'typing' }))).status).to.equal(400);
  });
});

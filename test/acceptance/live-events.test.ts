import { expect } from 'chai';
import { REVALIDATE_MS } from '../../src/http/event-stream.js';
import { openEventStream } from '../support/sse-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

describe("Live updates: the agent's event stream (SSE)", () => {
  let server: TestServer;
  let frontDesk: number;
  let otherTeam: number;
  const json = (method: string, body: unknown) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000', LIVE_POLL_INTERVAL_MS: '50' });
    frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    const created = await server.api(
      '/api/v1/teams',
      json('POST', { slug: 'dinas-perhubungan', name: 'Dinas Perhubungan' }),
    );
    otherTeam = ((await created.json()) as { data: { id: number } }).data.id;
  });
  after(async () => server?.stop());

  async function agentToken(email: string, team: number): Promise<{ id: number; token: string }> {
    const created = await server.api(
      '/api/v1/agents',
      json('POST', { email, name: email, role: 'agent', password: 'sandi-rahasia-1', teams: [team] }),
    );
    const id = ((await created.json()) as { data: { id: number } }).data.id;
    const login = await fetch(
      `${server.baseUrl}/api/v1/auth/login`,
      json('POST', { email, password: 'sandi-rahasia-1' }),
    );
    return { id, token: ((await login.json()) as { token: string }).token };
  }

  it("tells an agent of a new assignment and of the citizen's reply, and tells another team nothing", async () => {
    const siti = await agentToken('siti.live@example.go.id', frontDesk);
    const other = await agentToken('lain.live@example.go.id', otherTeam);
    const stream = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${siti.token}`,
    });
    const otherStream = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${other.token}`,
    });
    try {
      expect(stream.status).to.equal(200);
      await waitFor('stream open', () => stream.comments > 0);
      await fetch(`${server.baseUrl}/api/v1/agents/me/presence`, {
        ...json('PUT', { presence: 'available' }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${siti.token}` },
      });
      await server.postTwilio('/webhooks/twilio/messaging', inboundSms('+6281500000001', 'Mohon info jam layanan'));
      const assigned = await waitFor('assignment event', () =>
        stream.events.find((event) => event.event === 'assigned'),
      );
      const payload = JSON.parse(assigned.data) as {
        ticket_id: number;
        assignee_id: number | null;
        data: { agent_id: number };
      };
      expect(payload.data.agent_id).to.equal(siti.id);
      expect(payload.assignee_id, 'whose the ticket is now').to.equal(siti.id);

      await server.postTwilio(
        '/webhooks/twilio/messaging',
        inboundSms('+6281500000001', 'Tambahan: untuk hari Sabtu?'),
      );
      await waitFor('citizen reply event', () =>
        stream.events.find((event) => event.event === 'message_received' && Number(event.id) > Number(assigned.id)),
      );
      expect(stream.events.every((event) => JSON.parse(event.data).ticket_id === payload.ticket_id)).to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(otherStream.events).to.deep.equal([]);
    } finally {
      await stream.close();
      await otherStream.close();
    }
  });

  it('tells an agent when a ticket is taken from them: handed to another agent, or transferred to another team', async () => {
    const rina = await agentToken('rina.live@example.go.id', frontDesk);
    const budi = await agentToken('budi.ganti@example.go.id', frontDesk);
    const stream = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${rina.token}`,
    });
    try {
      await waitFor('stream open', () => stream.comments > 0);
      await server.postTwilio('/webhooks/twilio/messaging', inboundSms('+6281500000077', 'Izin usaha saya bagaimana?'));
      const ticketId = await waitFor("the citizen's ticket", async () => {
        const row = await server.runtime
          .db('tickets as t')
          .join('contact_identities as ci', 'ci.contact_id', 't.contact_id')
          .where({ 'ci.kind': 'phone', 'ci.value': '+6281500000077' })
          .first('t.id');
        return row ? Number(row.id) : undefined;
      });
      const act = (path: string, body: unknown) =>
        server.api(`/api/v1/tickets/${ticketId}${path}`, json('POST', body)).then((answer) => answer.status);
      expect(await act('/assign', { agent_id: rina.id })).to.equal(200);
      expect(await act('/assign', { agent_id: budi.id }), 'handed to Budi').to.equal(200);
      const handedOver = await waitFor('the hand-over reached the agent who had the ticket', () =>
        stream.events.find(
          (event) => event.event === 'assigned' && JSON.parse(event.data).data.previous_agent_id === rina.id,
        ),
      );
      expect(JSON.parse(handedOver.data).assignee_id).to.equal(budi.id);

      expect(await act('/assign', { agent_id: rina.id })).to.equal(200);
      expect(await act('/transfer', { team_id: otherTeam, note: 'Untuk Dinas Perhubungan' })).to.equal(200);
      const transferred = await waitFor('the transfer reached the agent who had the ticket', () =>
        stream.events.find((event) => event.event === 'transferred'),
      );
      expect(JSON.parse(transferred.data).data.from_assignee).to.equal(rina.id);
    } finally {
      await stream.close();
    }
  });

  it('replays what a reconnecting console missed, from Last-Event-ID, once each', async () => {
    const budi = await agentToken('budi.live@example.go.id', frontDesk);
    const first = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${budi.token}`,
    });
    await waitFor('stream open', () => first.comments > 0);
    await fetch(`${server.baseUrl}/api/v1/agents/me/presence`, {
      ...json('PUT', { presence: 'available' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${budi.token}` },
    });
    await fetch(`${server.baseUrl}/api/v1/agents/me/presence`, {
      ...json('PUT', { presence: 'available' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${budi.token}` },
    });
    await server.runtime.db('agents').where({ email: 'siti.live@example.go.id' }).update({ presence: 'offline' });
    await server.postTwilio('/webhooks/twilio/messaging', inboundSms('+6281500000002', 'Pesan pertama'));
    const seen = await waitFor('first event', () => first.events.find((event) => event.event === 'assigned'));
    await first.close();

    await server.postTwilio('/webhooks/twilio/messaging', inboundSms('+6281500000002', 'Pesan saat konsol tertutup'));
    await waitFor(
      'second message processed',
      async () =>
        Number(
          (
            await server.runtime
              .db('messages')
              .where({ direction: 'inbound', body: 'Pesan saat konsol tertutup' })
              .count({ n: '*' })
              .first()
          )?.n,
        ) === 1,
    );

    const resumed = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${budi.token}`,
      'last-event-id': seen.id!,
    });
    try {
      const missed = await waitFor('missed event replayed', () =>
        resumed.events.find((event) => event.event === 'message_received' && Number(event.id) > Number(seen.id)),
      );
      expect(JSON.parse(missed.data).ticket_id).to.equal(JSON.parse(seen.data).ticket_id);
      const ids = resumed.events.map((event) => Number(event.id));
      expect(ids).to.deep.equal([...new Set(ids)].sort((a, b) => a - b));
      expect(ids.every((id) => id > Number(seen.id))).to.equal(true);
    } finally {
      await resumed.close();
    }
  });

  it('ends a stream with `unauthorized` once its token is revoked, at its next event', async () => {
    const dewi = await agentToken('dewi.live@example.go.id', frontDesk);
    const stream = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${dewi.token}`,
    });
    try {
      await waitFor('stream open', () => stream.comments > 0);
      const logout = await fetch(`${server.baseUrl}/api/v1/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${dewi.token}` },
      });
      expect(logout.status).to.be.within(200, 204);
      // The stream re-reads its token at most every REVALIDATE_MS: past that, the next event tells.
      await new Promise((resolve) => setTimeout(resolve, REVALIDATE_MS + 100));
      await server.postTwilio('/webhooks/twilio/messaging', inboundSms('+6281500000009', 'Pesan setelah keluar'));
      const ended = await waitFor('the unauthorized event', () =>
        stream.events.find((event) => event.event === 'unauthorized'),
      );
      expect(JSON.parse(ended.data).message).to.equal('The token is no longer valid');
      expect(stream.events.filter((event) => event.event === 'message_received')).to.deep.equal([]);
    } finally {
      await stream.close();
    }
  });

  it('requires a token', async () => {
    expect((await fetch(`${server.baseUrl}/api/v1/events/stream`)).status).to.equal(401);
  });
});

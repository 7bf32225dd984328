import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { CommitWakeups } from '../../src/metrics/live/commit-wakeups.js';
import { TEST_REDIS_URL } from '../support/redis-url.js';
import { openEventStream } from '../support/sse-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

const CHAT = '/api/v1/public/chat';
// Wednesday 2 December 2026, 10:00 in Makassar: the front desk is open and the chat with it.
const OFFICE_HOURS = Date.parse('2026-12-02T02:00:00Z');
/** Far longer than any wait below: what reaches a stream got there by a wake-up, not by a poll. */
const NO_POLL = '600000';

/**
 * A commit of ticket events wakes the live tails at once (src/metrics/live/commit-wakeups.ts): a console sees
 * a citizen's message, and a chat visitor an agent's answer, without waiting for the tails' poll.
 * The server here polls every ten minutes, so a stream that hears within the test's wait was woken.
 */
describe('Live streams woken by commits, not by their poll', () => {
  let server: TestServer;
  const started = Date.now();
  const now = () => new Date(OFFICE_HOURS + (Date.now() - started));
  const json = (body: unknown) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000', LIVE_POLL_INTERVAL_MS: NO_POLL }, { now });
  });
  after(async () => server?.stop());

  it("an agent's stream shows a citizen's SMS as soon as the worker has made its ticket", async () => {
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, json(ADMIN));
    const { token } = (await login.json()) as { token: string };
    const stream = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${token}`,
    });
    try {
      expect(stream.status).to.equal(200);
      await waitFor('the stream open', () => stream.comments > 0);
      const sms = inboundSms('+6281500000071', 'Kapan izin reklame saya terbit?');
      expect((await server.postTwilio('/webhooks/twilio/messaging', sms)).status).to.equal(200);
      const received = await waitFor(
        'message_received on the stream',
        () => stream.events.find((event) => event.event === 'message_received'),
        15_000,
      );
      const ticketId = JSON.parse(received.data).ticket_id as number;
      const row = await server.runtime.db('inbox').where({ external_id: sms.MessageSid }).first('ticket_id');
      expect(Number(row.ticket_id)).to.equal(ticketId);
    } finally {
      await stream.close();
    }
  });

  it('an agent hears of the ticket routing gives them at once (PostgreSQL writes that event in its own statement)', async () => {
    const frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    const agent = { email: 'ayu.wake@dpmptsp.example.go.id', password: 'ayu-password-123' };
    const created = await server.api(
      '/api/v1/agents',
      json({ ...agent, name: 'Ayu', role: 'agent', teams: [frontDesk] }),
    );
    expect(created.status).to.equal(201);
    const agentId = ((await created.json()) as { data: { id: number } }).data.id;
    const { token } = (await (await fetch(`${server.baseUrl}/api/v1/auth/login`, json(agent))).json()) as {
      token: string;
    };
    const stream = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${token}`,
    });
    try {
      await waitFor('the stream open', () => stream.comments > 0);
      const presence = await fetch(`${server.baseUrl}/api/v1/agents/me/presence`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ presence: 'available' }),
      });
      expect(presence.status).to.equal(200);
      const sms = inboundSms('+6281500000072', 'Mohon info syarat izin keramaian');
      expect((await server.postTwilio('/webhooks/twilio/messaging', sms)).status).to.equal(200);
      const assigned = await waitFor(
        'the assignment on the stream',
        () => stream.events.find((event) => event.event === 'assigned'),
        15_000,
      );
      expect(JSON.parse(assigned.data).data.agent_id).to.equal(agentId);
    } finally {
      await stream.close();
    }
  });

  it("a chat visitor's stream shows the agent's answer as soon as it is queued", async () => {
    const opened = await fetch(`${server.baseUrl}${CHAT}/sessions`, json({ name: 'Dewi', language: 'id' }));
    expect(opened.status).to.equal(201);
    const session = ((await opened.json()) as { data: { token: string; sessionId: string } }).data;
    const stream = await openEventStream(`${server.baseUrl}${CHAT}/stream`, {
      authorization: `Bearer ${session.token}`,
    });
    try {
      expect(stream.status).to.equal(200);
      const said = await fetch(`${server.baseUrl}${CHAT}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: randomUUID(), text: 'Syarat izin usaha mikro apa saja?' }),
      });
      expect(said.status).to.equal(202);
      const ticketId = await waitFor('the chat ticketed', async () => {
        const row = await server.runtime
          .db('messages')
          .where({ address: session.sessionId, direction: 'inbound' })
          .first('ticket_id');
        return row?.ticket_id ? Number(row.ticket_id) : undefined;
      });
      const reply = await server.api(`/api/v1/tickets/${ticketId}/replies`, json({ body: 'Cukup KTP dan NIB.' }));
      expect(reply.status, await reply.clone().text()).to.equal(201);
      await waitFor(
        'the answer on the visitor stream',
        () => stream.events.find((event) => event.event === 'message' && event.data.includes('KTP dan NIB')),
        15_000,
      );
    } finally {
      await stream.close();
    }
  });

  it("one process's commit wakes the other processes through Redis, and itself without the round trip", async () => {
    const prefix = `sptest-wakeups-${randomBytes(4).toString('hex')}`;
    const connections = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    const [here, there] = connections.map((redis) => new CommitWakeups(redis, prefix)) as [
      CommitWakeups,
      CommitWakeups,
    ];
    const woken = { here: 0, there: 0 };
    try {
      await here.listen(() => woken.here++);
      await there.listen(() => woken.there++);
      // Three commits in one turn of the event loop: one cue.
      here.announce();
      here.announce();
      here.announce();
      await waitFor('the other process woken', () => woken.there === 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(woken).to.deep.equal({ here: 1, there: 1 });
    } finally {
      here.close();
      there.close();
      for (const redis of connections) redis.disconnect();
    }
  });
});

import { expect } from 'chai';
import { fromJson } from '../../src/db/rows.js';
import { openEventStream } from '../support/sse-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import { startScriptedTwilio } from '../support/twilio-error-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Twilio refuses the acknowledgement to an anonymous reporter with an error text that quotes their
 * number. The number must not reach the database whole, nor, in any form, the agent working the
 * report: not in the ticket view, not on its timeline, not on their live stream.
 */
describe('Provider error texts and the anonymous reporter', () => {
  const reporter = '+6281900000077';
  const digits = reporter.slice(1);
  let server: TestServer;
  let twilio: Awaited<ReturnType<typeof startScriptedTwilio>>;
  let ticketId: number;
  let agentToken: string;
  const json = (method: string, body: unknown) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  before(async () => {
    twilio = await startScriptedTwilio([
      { status: 400, code: 21211, message: `The 'To' number ${reporter} is not a valid phone number.` },
    ]);
    server = await startTestServer({ TWILIO_API_BASE_URL: twilio.url, ROUTING_PASS_INTERVAL_MS: '600000' });
    const sms = inboundSms(reporter, 'Ada pungutan liar di loket perizinan');
    expect((await server.postTwilio('/webhooks/twilio/messaging', sms)).status).to.equal(200);
    ticketId = await waitFor('ticket', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: sms.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    await waitFor('the acknowledgement given up', async () =>
      (
        await server.runtime
          .db('outbox as o')
          .join('messages as m', 'm.id', 'o.message_id')
          .where('m.ticket_id', ticketId)
          .first('o.status')
      )?.status === 'failed'
        ? true
        : undefined,
    );
    const frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    const created = await server.api(
      '/api/v1/agents',
      json('POST', {
        email: 'loket2@example.go.id',
        name: 'Loket',
        role: 'agent',
        password: 'sandi-loket-456',
        teams: [frontDesk],
      }),
    );
    expect(created.status).to.equal(201);
    const agentId = ((await created.json()) as { data: { id: number } }).data.id;
    const login = await fetch(
      `${server.baseUrl}/api/v1/auth/login`,
      json('POST', { email: 'loket2@example.go.id', password: 'sandi-loket-456' }),
    );
    agentToken = ((await login.json()) as { token: string }).token;
    expect((await server.api(`/api/v1/tickets/${ticketId}`, json('PATCH', { anonymous: true }))).status).to.equal(200);
    expect(
      (await server.api(`/api/v1/tickets/${ticketId}/assign`, json('POST', { agent_id: agentId }))).status,
    ).to.equal(200);
  });
  after(async () => {
    await server?.stop();
    await twilio?.close();
  });

  type View = {
    messages: Array<{ kind: string; error_code: string | null; error_message: string | null }>;
    events: Array<{ type: string; data: { code?: string; reason?: string | null } }>;
  };
  const viewAs = async (token?: string): Promise<View> => {
    const response = token
      ? await fetch(`${server.baseUrl}/api/v1/tickets/${ticketId}`, { headers: { authorization: `Bearer ${token}` } })
      : await server.api(`/api/v1/tickets/${ticketId}`);
    expect(response.status).to.equal(200);
    return ((await response.json()) as { data: View }).data;
  };

  it('masks the number in the error text before it is stored on the message, the outbox and the timeline', async () => {
    const db = server.runtime.db;
    const message = await db('messages').where({ ticket_id: ticketId, kind: 'acknowledgement' }).first();
    expect(message.error_code).to.equal('21211');
    expect(message.error_message).to.contain('is not a valid phone number').and.not.contain(digits);
    expect(message.error_message).to.contain('+6281*');
    const outbox = await db('outbox').where({ message_id: message.id }).first('last_error');
    expect(outbox.last_error).to.not.contain(digits);
    const event = await db('ticket_events').where({ ticket_id: ticketId, type: 'delivery_failed' }).first('data');
    expect(fromJson<{ reason: string }>(event.data).reason)
      .to.contain('is not a valid phone number')
      .and.not.contain(digits);
  });

  it('gives the agent of the anonymous report the error code but no error text, in the view and on the timeline', async () => {
    const view = await viewAs(agentToken);
    const ack = view.messages.find((message) => message.kind === 'acknowledgement')!;
    expect(ack).to.include({ error_code: '21211', error_message: null });
    const failed = view.events.find((event) => event.type === 'delivery_failed')!;
    expect(failed.data).to.include({ code: '21211', reason: null });
    expect(JSON.stringify(view)).to.not.contain('6281900');
  });

  it('keeps the (masked) error text for admins, who may see the reporter', async () => {
    const view = await viewAs();
    expect(view.messages.find((message) => message.kind === 'acknowledgement')!.error_message).to.contain(
      'is not a valid phone number',
    );
    expect(view.events.find((event) => event.type === 'delivery_failed')!.data.reason).to.contain('not a valid');
  });

  it("leaves the error text out of the delivery event on the agent's live stream, and in on the admin's", async () => {
    const replayOf = async (token: string) => {
      const stream = await openEventStream(`${server.baseUrl}/api/v1/events/stream?last_event_id=0`, {
        authorization: `Bearer ${token}`,
      });
      expect(stream.status).to.equal(200);
      const failed = await waitFor('the delivery event', async () =>
        stream.events.find((event) => event.event === 'delivery_failed'),
      );
      await stream.close();
      return JSON.parse(failed.data) as { ticket_id: number; data: { code: string; reason: string | null } };
    };
    const forAgent = await replayOf(agentToken);
    expect(forAgent.ticket_id).to.equal(ticketId);
    expect(forAgent.data).to.include({ code: '21211', reason: null });
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, json('POST', ADMIN));
    const adminToken = ((await login.json()) as { token: string }).token;
    expect((await replayOf(adminToken)).data.reason).to.contain('not a valid phone number');
  });
});

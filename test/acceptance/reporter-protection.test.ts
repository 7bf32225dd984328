import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

describe('Reporter protection: anonymous reports', () => {
  let server: TestServer;
  let ticketId: number;
  let agentToken: string;
  const json = (method: string, body: unknown) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000' });
    const sms = inboundSms('+6281900000001', 'Petugas meminta imbalan agar izin cepat selesai', {
      ProfileName: 'Pelapor',
    });
    await server.postTwilio('/webhooks/twilio/messaging', sms);
    ticketId = await waitFor('ticket', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: sms.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    await server.runtime.db('contacts').update({ display_name: 'Andi Pelapor' });
    const frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    await server.api(
      '/api/v1/agents',
      json('POST', {
        email: 'loket@example.go.id',
        name: 'Loket',
        role: 'agent',
        password: 'sandi-loket-123',
        teams: [frontDesk],
      }),
    );
    const login = await fetch(
      `${server.baseUrl}/api/v1/auth/login`,
      json('POST', { email: 'loket@example.go.id', password: 'sandi-loket-123' }),
    );
    agentToken = ((await login.json()) as { token: string }).token;
    expect((await server.api(`/api/v1/tickets/${ticketId}`, json('PATCH', { anonymous: true }))).status).to.equal(200);
  });
  after(async () => server?.stop());

  it('hides who reported from the agents working the ticket, in the view and in lists', async () => {
    const view = await fetch(`${server.baseUrl}/api/v1/tickets/${ticketId}`, {
      headers: { authorization: `Bearer ${agentToken}` },
    });
    const { data } = (await view.json()) as {
      data: { anonymous: boolean; contact: { display_name: string | null; identities: unknown[] } };
    };
    expect(data.anonymous).to.equal(true);
    expect(data.contact).to.include({ display_name: null });
    expect(data.contact.identities).to.deep.equal([]);
    const list = await fetch(`${server.baseUrl}/api/v1/tickets`, {
      headers: { authorization: `Bearer ${agentToken}` },
    });
    const rows = ((await list.json()) as { data: Array<{ id: number; contact: { display_name: string | null } }> })
      .data;
    expect(rows.find((row) => row.id === ticketId)?.contact.display_name).to.equal(null);
    expect(JSON.stringify(data)).to.not.contain('6281900000001');
  });

  it('still shows the reporter to supervisors and admins, who answer for the protection', async () => {
    const { data } = (await (await server.api(`/api/v1/tickets/${ticketId}`)).json()) as {
      data: { contact: { display_name: string; identities: Array<{ value: string }> } };
    };
    expect(data.contact.display_name).to.equal('Andi Pelapor');
    expect(data.contact.identities.map((identity) => identity.value)).to.deep.equal(['+6281900000001']);
  });
});

import { expect } from 'chai';
import { hashPassword } from '../../src/auth/passwords.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

describe('Replies and internal notes', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.stop());

  async function ticketFor(message: Record<string, string>): Promise<number> {
    await server.postTwilio('/webhooks/twilio/messaging', message);
    return waitFor('ticket created', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: message.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  const post = (path: string, body: unknown) =>
    server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  async function settled(messageId: number) {
    return waitFor('reply sent', async () => {
      const row = await server.runtime.db('messages').where({ id: messageId }).first();
      return row?.provider_message_id ? row : undefined;
    });
  }

  it('sends an agent reply on the ticket channel, opens the ticket and records the first response', async () => {
    const ticketId = await ticketFor(inboundSms('+6281299900001', 'Berapa lama izin PBG terbit?'));
    const response = await post(`/api/v1/tickets/${ticketId}/replies`, {
      body: 'Izin PBG terbit paling lama 28 hari kerja.',
    });
    expect(response.status).to.equal(201);
    const { data } = (await response.json()) as { data: { message_id: number } };
    const message = await settled(data.message_id);
    expect(message).to.include({
      direction: 'outbound',
      channel: 'sms',
      author_type: 'agent',
      address: '+6281299900001',
    });
    expect(message.provider_message_id).to.match(/^(SM|MM)[0-9a-fA-F]{32}$/);
    const ticket = await server.runtime.db('tickets').where({ id: ticketId }).first('status', 'first_response_at');
    expect(ticket.status).to.equal('open');
    expect(ticket.first_response_at).to.not.equal(null);
    const events = await server.runtime.db('ticket_events').where({ ticket_id: ticketId }).pluck('type');
    expect(events).to.include('reply_queued');
  });

  it('answers a ticket opened by a phone call by SMS to the same number, and refuses a written reply "on the phone"', async () => {
    const ticketId = await ticketFor(inboundSms('+6281299900009', 'Saya tadi menelepon soal izin reklame'));
    await server.runtime.db('tickets').where({ id: ticketId }).update({ channel: 'voice' }); // as the phone line opens them
    const refused = await post(`/api/v1/tickets/${ticketId}/replies`, { body: 'Baik', channel: 'voice' });
    expect(refused.status).to.equal(422);
    const error = ((await refused.json()) as { error: { code: string; details: { alternatives: string[] } } }).error;
    expect(error.code).to.equal('voice_no_text');
    expect(error.details.alternatives).to.include('sms');
    const response = await post(`/api/v1/tickets/${ticketId}/replies`, { body: 'Izin reklame Anda sedang diproses.' });
    expect(response.status).to.equal(201);
    const message = await settled(((await response.json()) as { data: { message_id: number } }).data.message_id);
    expect(message).to.include({ channel: 'sms', address: '+6281299900009' });
  });

  it('replies on WhatsApp inside the 24-hour window', async () => {
    const ticketId = await ticketFor(inboundWhatsApp('+6281299900002', 'Halo'));
    const response = await post(`/api/v1/tickets/${ticketId}/replies`, { body: 'Halo, ada yang bisa kami bantu?' });
    expect(response.status).to.equal(201);
    const { data } = (await response.json()) as { data: { message_id: number } };
    expect((await settled(data.message_id)).channel).to.equal('whatsapp');
  });

  it('refuses a free-form WhatsApp reply outside the window, naming SMS as the alternative, which then works', async () => {
    const ticketId = await ticketFor(inboundWhatsApp('+6281299900003', 'Pertanyaan lama'));
    const db = server.runtime.db;
    await db('messages')
      .where({ ticket_id: ticketId, direction: 'inbound' })
      .update({ created_at: new Date(Date.now() - 25 * 3600_000) });

    const refused = await post(`/api/v1/tickets/${ticketId}/replies`, { body: 'Maaf terlambat membalas' });
    expect(refused.status).to.equal(409);
    const { error } = (await refused.json()) as {
      error: { code: string; message: string; details: { alternatives: Array<{ channel: string }> } };
    };
    expect(error.code).to.equal('whatsapp_window_closed');
    expect(error.message).to.contain('24 hours');
    expect(error.details.alternatives.map((alternative) => alternative.channel)).to.deep.equal(['sms']);
    expect(
      await db('outbox')
        .join('messages', 'messages.id', 'outbox.message_id')
        .where('messages.ticket_id', ticketId)
        .where('messages.author_type', 'agent')
        .first(),
    ).to.equal(undefined);

    const bySms = await post(`/api/v1/tickets/${ticketId}/replies`, {
      body: 'Maaf terlambat membalas',
      channel: 'sms',
    });
    expect(bySms.status).to.equal(201);
    const { data } = (await bySms.json()) as { data: { message_id: number } };
    expect(await settled(data.message_id)).to.include({ channel: 'sms', address: '+6281299900003' });
  });

  it('refuses a channel the citizen has no address for with 422 and the channels that would work', async () => {
    const ticketId = await ticketFor(inboundSms('+6281299900004', 'Tanya'));
    const response = await post(`/api/v1/tickets/${ticketId}/replies`, {
      body: 'Kami kirim lewat email',
      channel: 'email',
    });
    expect(response.status).to.equal(422);
    const { error } = (await response.json()) as { error: { code: string; details: { alternatives: string[] } } };
    expect(error.code).to.equal('no_address');
    expect(error.details.alternatives).to.include.members(['sms', 'whatsapp']);
  });

  it('keeps an internal note on the ticket and never sends it', async () => {
    const ticketId = await ticketFor(inboundSms('+6281299900005', 'Keluhan'));
    const response = await post(`/api/v1/tickets/${ticketId}/notes`, { body: 'Sudah dicek ke OPD, menunggu jawaban.' });
    expect(response.status).to.equal(201);
    const { data } = (await response.json()) as { data: { message_id: number } };
    const db = server.runtime.db;
    const note = await db('messages').where({ id: data.message_id }).first();
    expect(Boolean(note.internal)).to.equal(true);
    expect(note.delivery_status).to.equal(null);
    expect(await db('outbox').where({ message_id: data.message_id }).first()).to.equal(undefined);
    const view = (await (await server.api(`/api/v1/tickets/${ticketId}`)).json()) as {
      data: { messages: Array<{ id: number; internal: boolean }> };
    };
    expect(view.data.messages.find((message) => message.id === data.message_id)?.internal).to.equal(true);
  });

  it("answers bad input with 400, an unknown ticket with 404, and hides other teams' tickets", async () => {
    const ticketId = await ticketFor(inboundSms('+6281299900006', 'Halo'));
    expect((await post(`/api/v1/tickets/${ticketId}/replies`, { body: '   ' })).status).to.equal(400);
    expect((await post(`/api/v1/tickets/${ticketId}/replies`, { body: 'x', channel: 'fax' })).status).to.equal(400);
    expect((await post('/api/v1/tickets/999999/replies', { body: 'x' })).status).to.equal(404);

    const db = server.runtime.db;
    const now = new Date();
    const [team] = await db('teams')
      .insert({ slug: 'dinas-pupr', name: 'Dinas PUPR', created_at: now })
      .returning('id');
    const [agent] = await db('agents')
      .insert({
        email: 'opd@example.go.id',
        name: 'Petugas OPD',
        role: 'agent',
        password_hash: await hashPassword('sandi-opd-1'),
        active: true,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    await db('agent_teams').insert({ agent_id: agent.id ?? agent, team_id: team.id ?? team });
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'opd@example.go.id', password: 'sandi-opd-1' }),
    });
    const { token } = (await login.json()) as { token: string };
    const other = await fetch(`${server.baseUrl}/api/v1/tickets/${ticketId}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ body: 'bukan tiket saya' }),
    });
    expect(other.status).to.equal(404);
    expect((await fetch(`${server.baseUrl}/api/v1/tickets/${ticketId}/notes`, { method: 'POST' })).status).to.equal(
      401,
    );
  });
});

describe('WhatsApp template replies outside the 24-hour window', () => {
  const TEMPLATE_SID = `HX${'0a'.repeat(16)}`;
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ TWILIO_WHATSAPP_TEMPLATE_SID: TEMPLATE_SID });
  });
  after(async () => server?.stop());

  const post = (path: string, body: unknown) =>
    server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('offers the approved template first, and sends it through Twilio with the reference as {{1}}', async () => {
    const message = inboundWhatsApp('+6281299900010', 'Saya menunggu jawaban');
    await server.postTwilio('/webhooks/twilio/messaging', message);
    const ticketId = await waitFor('ticket', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: message.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    const db = server.runtime.db;
    await db('messages')
      .where({ ticket_id: ticketId, direction: 'inbound' })
      .update({ created_at: new Date(Date.now() - 30 * 3600_000) });

    const refused = await post(`/api/v1/tickets/${ticketId}/replies`, { body: 'Jawaban kami' });
    expect(refused.status).to.equal(409);
    const { error } = (await refused.json()) as {
      error: { details: { alternatives: Array<{ channel: string; how: string }> } };
    };
    expect(error.details.alternatives.map((alternative) => alternative.channel)).to.deep.equal(['whatsapp', 'sms']);
    expect(error.details.alternatives[0]!.how).to.contain('template');

    const sent = await post(`/api/v1/tickets/${ticketId}/replies`, { template: true });
    expect(sent.status).to.equal(201);
    const { data } = (await sent.json()) as { data: { message_id: number } };
    const row = await waitFor('template sent', async () => {
      const found = await db('messages').where({ id: data.message_id }).first();
      return found?.provider_message_id ? found : undefined;
    });
    const reference = (await db('tickets').where({ id: ticketId }).first('reference')).reference as string;
    const template = typeof row.template === 'string' ? JSON.parse(row.template) : row.template;
    // The Twilio mock checks ContentSid against Twilio's own description (HX + 32 hex) and refuses what breaks it.
    expect(template).to.deep.equal({
      contentSid: TEMPLATE_SID,
      variables: { '1': `SP-${reference.slice(0, 3)}-${reference.slice(3, 6)}-${reference.slice(6)}` },
    });
    expect(row.channel).to.equal('whatsapp');
    expect(row.provider_message_id).to.match(/^(SM|MM)[0-9a-fA-F]{32}$/);
  });

  it('refuses a template on a channel other than WhatsApp', async () => {
    const message = inboundSms('+6281299900011', 'Halo');
    await server.postTwilio('/webhooks/twilio/messaging', message);
    const ticketId = await waitFor('ticket', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: message.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
    const response = await post(`/api/v1/tickets/${ticketId}/replies`, { template: true });
    expect(response.status).to.equal(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('template_whatsapp_only');
  });
});

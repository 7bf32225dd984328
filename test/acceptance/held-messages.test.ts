import { expect } from 'chai';
import { hashPassword } from '../../src/auth/passwords.js';
import { startScriptedTwilio } from '../support/twilio-error-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

const OFFICE = 'DPMPTSP Kota Contoh';

/**
 * Issue 12, items 1, 20 and 21: a stranger who quotes a ticket's reference is held for an agent
 * and never written to on the citizen's behalf; text replies say who writes; a WhatsApp profile
 * name reaches a contact first seen by SMS. Twilio is a local server that keeps every request, so
 * the tests read what would have reached each phone.
 */
describe('Messages from strangers quoting a reference, and who our texts go to', () => {
  let server: TestServer;
  let twilio: Awaited<ReturnType<typeof startScriptedTwilio>>;
  let otherTeamToken: string;
  let phoneCounter = 0;

  before(async () => {
    twilio = await startScriptedTwilio([]);
    server = await startTestServer({
      TWILIO_API_BASE_URL: twilio.url,
      OFFICE_NAME: OFFICE,
      ROUTING_PASS_INTERVAL_MS: '600000',
    });
    otherTeamToken = await agentOfAnotherTeam();
  });
  after(async () => {
    await server?.stop();
    await twilio?.close();
  });

  const newPhone = () =>
    `+628135${String(Date.now() % 10000).padStart(4, '0')}${String(phoneCounter++).padStart(2, '0')}`;
  const db = () => server.runtime.db;
  const sentTo = (phone: string) =>
    twilio.requests.filter((form) => form.get('To') === phone || form.get('To') === `whatsapp:${phone}`);

  async function deliver(message: Record<string, string>): Promise<number> {
    expect((await server.postTwilio('/webhooks/twilio/messaging', message)).status).to.equal(200);
    return waitFor('message threaded', async () => {
      const row = await db()('inbox').where({ external_id: message.MessageSid }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  const messageOf = async (sid: string) => db()('messages').where({ provider_message_id: sid }).first();
  const referenceOf = async (ticketId: number) =>
    String((await db()('tickets').where({ id: ticketId }).first('reference')).reference);
  const formatted = (reference: string) => `SP-${reference.slice(0, 3)}-${reference.slice(3, 6)}-${reference.slice(6)}`;

  const post = (path: string, body: unknown = {}, token?: string) =>
    token === undefined
      ? server.api(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      : fetch(server.baseUrl + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });

  /** Waits until Twilio got the message's request; returns its form. */
  async function twilioGot(messageId: number): Promise<URLSearchParams> {
    const sid = await waitFor('sent to Twilio', async () => {
      const row = await db()('messages').where({ id: messageId }).first('provider_message_id');
      return row?.provider_message_id ?? undefined;
    });
    expect(sid).to.be.a('string');
    const message = await db()('messages').where({ id: messageId }).first('body', 'address');
    return twilio.requests.find(
      (form) => form.get('Body') === message.body && form.get('To')?.endsWith(message.address),
    )!;
  }

  async function agentOfAnotherTeam(): Promise<string> {
    const now = new Date();
    const [team] = await db()('teams')
      .insert({ slug: 'dinas-dukcapil', name: 'Dinas Dukcapil', created_at: now })
      .returning('id');
    const [agent] = await db()('agents')
      .insert({
        email: 'dukcapil@example.go.id',
        name: 'Petugas Dukcapil',
        role: 'supervisor',
        password_hash: await hashPassword('sandi-dukcapil-1'),
        active: true,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    await db()('agent_teams').insert({ agent_id: agent.id ?? agent, team_id: team.id ?? team });
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dukcapil@example.go.id', password: 'sandi-dukcapil-1' }),
    });
    return ((await login.json()) as { token: string }).token;
  }

  it('holds a stranger quoting the reference: the next reply goes to the citizen only, signed with office and reference', async () => {
    const citizen = newPhone();
    const stranger = newPhone();
    const ticketId = await deliver(inboundSms(citizen, 'Izin usaha saya belum terbit'));
    const reference = await referenceOf(ticketId);
    await waitFor('citizen acknowledged', async () => (sentTo(citizen).length > 0 ? true : undefined));

    const quoted = inboundSms(stranger, `Saya mau tanya soal tiket ${reference}`);
    expect(await deliver(quoted)).to.equal(ticketId); // kept on the ticket: nothing is lost
    const held = await messageOf(quoted.MessageSid!);
    expect(held.hold_status).to.equal('held');

    const reply = await post(`/api/v1/tickets/${ticketId}/replies`, { body: 'Izin Anda sedang diverifikasi.' });
    expect(reply.status).to.equal(201);
    const { message_id: replyId } = ((await reply.json()) as { data: { message_id: number } }).data;
    const form = await twilioGot(replyId);
    expect(form.get('To')).to.equal(citizen);
    expect(form.get('Body')).to.equal(`${OFFICE} (tiket ${formatted(reference)}): Izin Anda sedang diverifikasi.`);

    const asked = await post(`/api/v1/tickets/${ticketId}/clarification`, { body: 'Mohon kirim foto KTP.' });
    expect(asked.status).to.equal(201);
    const { message_id: askedId } = ((await asked.json()) as { data: { message_id: number } }).data;
    const clarification = await twilioGot(askedId);
    expect(clarification.get('To')).to.equal(citizen);
    expect(clarification.get('Body')).to.equal(`${OFFICE} (tiket ${formatted(reference)}): Mohon kirim foto KTP.`);

    // The stranger got nothing: no acknowledgement, no reply, no clarification.
    expect(sentTo(stranger)).to.deep.equal([]);
    const ticket = await db()('tickets').where({ id: ticketId }).first('status');
    expect(ticket.status).to.equal('pending_citizen');
    // And their held message did not count as the citizen answering the clarification.
    const again = inboundSms(stranger, `Tiket ${reference}: sudah saya kirim`);
    await deliver(again);
    expect((await db()('tickets').where({ id: ticketId }).first('status')).status).to.equal('pending_citizen');
    expect(sentTo(stranger)).to.deep.equal([]);
  });

  it('shows the held message on the ticket and in the list; another team may neither see nor decide it; confirming merges the sender in', async () => {
    const citizen = newPhone();
    const relative = newPhone();
    const ticketId = await deliver(inboundSms(citizen, 'Pengaduan pelayanan KTP'));
    const quoted = inboundSms(relative, `Saya istri pelapor, tiket ${await referenceOf(ticketId)}`);
    await deliver(quoted);
    const messageId = Number((await messageOf(quoted.MessageSid!)).id);

    const detail = (await (await server.api(`/api/v1/tickets/${ticketId}`)).json()) as {
      data: { messages: Array<{ id: number; hold_status: string | null }>; events: Array<{ type: string }> };
    };
    expect(detail.data.messages.find((message) => message.id === messageId)?.hold_status).to.equal('held');
    expect(detail.data.events.map((event) => event.type)).to.include.members(['sender_unverified', 'message_held']);

    const list = (await (await server.api(`/api/v1/held-messages?ticket=${ticketId}`)).json()) as {
      data: Array<{ id: number; ticket_id: number; sender_address: string }>;
    };
    expect(list.data.map((item) => [item.id, item.sender_address])).to.deep.equal([[messageId, relative]]);

    const foreign = (await (
      await fetch(`${server.baseUrl}/api/v1/held-messages`, { headers: { authorization: `Bearer ${otherTeamToken}` } })
    ).json()) as { data: Array<{ id: number }> };
    expect(foreign.data.map((item) => item.id)).to.not.include(messageId);
    expect((await post(`/api/v1/held-messages/${messageId}/confirm`, {}, otherTeamToken)).status).to.equal(404);
    expect((await post(`/api/v1/held-messages/${messageId}/split`, {}, otherTeamToken)).status).to.equal(404);
    expect((await messageOf(quoted.MessageSid!)).hold_status).to.equal('held');

    const confirmed = await post(`/api/v1/held-messages/${messageId}/confirm`);
    expect(confirmed.status).to.equal(200);
    const { data } = (await confirmed.json()) as { data: { message_ids: number[]; merged_contact_id: number } };
    expect(data.message_ids).to.deep.equal([messageId]);
    const ticket = await db()('tickets').where({ id: ticketId }).first('contact_id');
    const phones = await db()('contact_identities').where({ contact_id: ticket.contact_id }).pluck('value');
    expect(phones).to.have.members([citizen, relative]);
    expect(
      (await db()('contacts').where({ id: data.merged_contact_id }).first('merged_into_id')).merged_into_id,
    ).to.equal(Number(ticket.contact_id));
    expect((await messageOf(quoted.MessageSid!)).hold_status).to.equal('confirmed');

    const twice = await post(`/api/v1/held-messages/${messageId}/confirm`);
    expect(twice.status).to.equal(409);
    expect(((await twice.json()) as { error: { code: string } }).error.code).to.equal('not_held');
    expect((await post('/api/v1/held-messages/99999999/confirm')).status).to.equal(404);
    expect((await post('/api/v1/held-messages/abc/confirm')).status).to.equal(400);
  });

  it('splits a held message into a ticket of its sender, acknowledged to them with its own reference', async () => {
    const citizen = newPhone();
    const stranger = newPhone();
    const ticketId = await deliver(inboundSms(citizen, 'Tanya izin reklame'));
    const quoted = inboundSms(
      stranger,
      `Nomor ${await referenceOf(ticketId)} ini punya siapa? Saya mau lapor jalan rusak`,
    );
    await deliver(quoted);
    const messageId = Number((await messageOf(quoted.MessageSid!)).id);

    const split = await post(`/api/v1/held-messages/${messageId}/split`);
    expect(split.status).to.equal(201);
    const { data } = (await split.json()) as { data: { ticket_id: number; reference: string } };
    expect(data.ticket_id).to.not.equal(ticketId);
    const moved = await messageOf(quoted.MessageSid!);
    expect(moved).to.include({ ticket_id: data.ticket_id, hold_status: 'split' });
    const [original, own] = await Promise.all([
      db()('tickets').where({ id: ticketId }).first('contact_id'),
      db()('tickets').where({ id: data.ticket_id }).first('contact_id', 'status'),
    ]);
    expect(own.contact_id).to.not.equal(original.contact_id);
    expect(await db()('contact_identities').where({ contact_id: own.contact_id }).pluck('value')).to.deep.equal([
      stranger,
    ]);
    const ack = await waitFor('acknowledged to the sender', async () => sentTo(stranger)[0]);
    expect(ack.get('Body')).to.contain(data.reference);
    expect(sentTo(stranger)).to.have.length(1);
    expect((await post(`/api/v1/held-messages/${messageId}/split`)).status).to.equal(409);

    const list = (await (await server.api(`/api/v1/held-messages?ticket=${ticketId}`)).json()) as { data: unknown[] };
    expect(list.data).to.deep.equal([]);
  });

  it("does not let a stranger's held WhatsApp message reopen the citizen's 24-hour window", async () => {
    const citizen = newPhone();
    const stranger = newPhone();
    const ticketId = await deliver(inboundWhatsApp(citizen, 'Halo, soal izin usaha'));
    await db()('messages')
      .where({ ticket_id: ticketId, direction: 'inbound' })
      .update({ created_at: new Date(Date.now() - 25 * 3600_000) });
    await deliver(inboundWhatsApp(stranger, `Tiket ${await referenceOf(ticketId)}`, { ProfileName: 'Orang Lain' }));
    const refused = await post(`/api/v1/tickets/${ticketId}/replies`, { body: 'Halo' });
    expect(refused.status).to.equal(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal('whatsapp_window_closed');
    const bySms = await post(`/api/v1/tickets/${ticketId}/replies`, { body: 'Halo', channel: 'sms' });
    expect(bySms.status).to.equal(201);
    const form = await twilioGot(((await bySms.json()) as { data: { message_id: number } }).data.message_id);
    expect(form.get('To')).to.equal(citizen);
    expect(sentTo(stranger)).to.deep.equal([]);
  });

  it('keeps the WhatsApp profile name of a citizen first seen by SMS, and never overwrites a name already kept', async () => {
    const citizen = newPhone();
    const ticketId = await deliver(inboundSms(citizen, 'Tanya syarat SIUP'));
    const contactId = Number((await db()('tickets').where({ id: ticketId }).first('contact_id')).contact_id);
    expect((await db()('contacts').where({ id: contactId }).first('display_name')).display_name).to.equal(null);

    await deliver(inboundWhatsApp(citizen, 'Ini saya lagi, lewat WhatsApp', { ProfileName: 'Siti Aminah' }));
    const detail = (await (await server.api(`/api/v1/tickets/${ticketId}`)).json()) as {
      data: { contact: { display_name: string | null } };
    };
    expect(detail.data.contact.display_name).to.equal('Siti Aminah');

    await db()('contacts').where({ id: contactId }).update({ display_name: 'Ibu Siti (petugas)' }); // as an agent set it
    await deliver(inboundWhatsApp(citizen, 'Satu lagi', { ProfileName: 'siti_wa' }));
    expect((await db()('contacts').where({ id: contactId }).first('display_name')).display_name).to.equal(
      'Ibu Siti (petugas)',
    );
  });
});

import { expect } from 'chai';
import { fromJson, insertReturningId } from '../../src/db/rows.js';
import { formatReference, generateReference } from '../../src/tickets/reference-number.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface Canned {
  id: number;
  name: string;
  language: string;
  body: string;
  team_id: number | null;
}
type Call = (path: string, init?: RequestInit) => Promise<Response>;

describe("Canned responses: admin-managed templates, filled in per ticket in the citizen's language", () => {
  let server: TestServer;
  let frontDesk: number;
  let opd: number;
  let loket: Call;
  let petugasOpd: Call;
  const ids: Record<string, number> = {};

  const json = (method: string, body?: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const db = () => server.runtime.db;

  async function login(name: string, teams: number[]): Promise<Call> {
    const email = `${name}@dpmptsp.example.go.id`;
    await server.api(
      '/api/v1/agents',
      json('POST', { email, name, role: 'agent', password: 'sandi-rahasia-1', teams }),
    );
    const { token } = (await (
      await fetch(`${server.baseUrl}/api/v1/auth/login`, json('POST', { email, password: 'sandi-rahasia-1' }))
    ).json()) as { token: string };
    return (path, init = {}) =>
      fetch(server.baseUrl + path, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` } });
  }

  async function create(
    body: Record<string, unknown>,
    status = 201,
  ): Promise<Canned & { error?: { code: string; details: Record<string, unknown> } }> {
    const response = await server.api('/api/v1/canned-responses', json('POST', body));
    const payload = (await response.json()) as {
      data: Canned;
      error?: { code: string; details: Record<string, unknown> };
    };
    expect(response.status, JSON.stringify(payload)).to.equal(status);
    return { ...payload.data, error: payload.error };
  }

  /** A front-desk SMS ticket from a citizen with the given name and language. */
  async function ticketFor(name: string | null, language: string, anonymous = false) {
    const at = new Date();
    const contactId = await insertReturningId(db(), 'contacts', {
      display_name: name,
      language,
      created_at: at,
      updated_at: at,
    });
    const reference = generateReference();
    const id = await insertReturningId(db(), 'tickets', {
      reference,
      contact_id: contactId,
      channel: 'sms',
      status: 'new',
      priority: 'normal',
      team_id: frontDesk,
      language,
      anonymous,
      created_at: at,
      updated_at: at,
      last_message_at: at,
      queued_at: at,
    });
    const phone = `+62813${String(Math.floor(Math.random() * 9e6) + 1e6)}`;
    await db()('contact_identities').insert({ contact_id: contactId, kind: 'phone', value: phone, created_at: at });
    await insertReturningId(db(), 'messages', {
      ticket_id: id,
      direction: 'inbound',
      channel: 'sms',
      author_type: 'citizen',
      body: 'Halo',
      address: phone,
      created_at: at,
    });
    return { id, reference: formatReference(reference, 'SP-') };
  }

  async function reply(call: Call, ticketId: number, body: Record<string, unknown>, status = 201) {
    const response = await call(`/api/v1/tickets/${ticketId}/replies`, json('POST', body));
    const payload = (await response.json()) as {
      data: { message_id: number; body: string; language: string; canned_response_id: number };
      error?: { code: string };
    };
    expect(response.status, JSON.stringify(payload)).to.equal(status);
    return { ...payload.data, error: payload.error };
  }

  before(async () => {
    server = await startTestServer({ OFFICE_NAME: 'DPMPTSP Kota Contoh' });
    frontDesk = Number((await db()('teams').where({ slug: 'front-desk' }).first('id')).id);
    opd = (
      (await (await server.api('/api/v1/teams', json('POST', { slug: 'dinas-pupr', name: 'Dinas PUPR' }))).json()) as {
        data: { id: number };
      }
    ).data.id;
    loket = await login('loket', [frontDesk]);
    petugasOpd = await login('opd', [opd]);
  });
  after(async () => server?.stop());

  it('lets an admin create responses in id and en, for all teams or one', async () => {
    const salam = await create({
      name: 'salam',
      language: 'id',
      body: 'Yth. {{citizen_name}}, pengaduan Anda tercatat dengan nomor {{reference}}. Salam, {{ agent_name }} - {{office_name}}',
    });
    expect(salam).to.include({ name: 'salam', language: 'id', team_id: null });
    ids.salamId = salam.id;
    ids.salamEn = (
      await create({
        name: 'salam',
        language: 'en',
        body: 'Dear {{citizen_name}}, your report is registered as {{reference}}. Regards, {{agent_name}} - {{office_name}}',
      })
    ).id;
    ids.onlyId = (
      await create({
        name: 'jam-layanan',
        language: 'id',
        body: 'Yth. {{citizen_name}}, layanan buka pukul 07.30 WITA.',
      })
    ).id;
    ids.opdOnly = (
      await create({ name: 'pbg', language: 'id', body: 'Berkas PBG Anda sedang diperiksa Dinas PUPR.', team_id: opd })
    ).id;
  });

  it('refuses unknown variables and unclosed braces (422), duplicates (422), unknown teams (422), bad input (400)', async () => {
    const unknown = await create({ name: 'salah', language: 'id', body: 'Halo {{citizen_nmae}} dan {{nik}}' }, 422);
    expect(unknown.error!.code).to.equal('unknown_variable');
    expect(unknown.error!.details.unknown).to.deep.equal(['citizen_nmae', 'nik']);
    expect(unknown.error!.details.allowed).to.include('citizen_name');
    expect((await create({ name: 'salah', language: 'id', body: 'Halo {{citizen_name}' }, 422)).error!.code).to.equal(
      'malformed_template',
    );
    expect((await create({ name: 'salam', language: 'id', body: 'Lagi' }, 422)).error!.code).to.equal('name_taken');
    expect((await create({ name: 'baru', language: 'id', body: 'x', team_id: 99999 }, 422)).error!.code).to.equal(
      'unknown_team',
    );
    await create({ name: 'baru', language: 'jv', body: 'x' }, 400);
    await create({ name: '', language: 'id', body: 'x' }, 400);
    await create({ name: 'baru', language: 'id', body: 'x', created_by: 1 }, 400);
    const patched = await server.api(
      `/api/v1/canned-responses/${ids.onlyId}`,
      json('PATCH', { body: 'Halo {{warga}}' }),
    );
    expect(patched.status).to.equal(422);
  });

  it('shows agents the responses for all teams and their own, and lets only admins write (403)', async () => {
    const names = async (call: Call) =>
      ((await (await call('/api/v1/canned-responses')).json()) as { data: Canned[] }).data.map(
        (c) => `${c.name}/${c.language}`,
      );
    expect(await names(loket)).to.deep.equal(['jam-layanan/id', 'salam/en', 'salam/id']);
    expect(await names(petugasOpd)).to.include('pbg/id');
    expect((await loket(`/api/v1/canned-responses/${ids.opdOnly}`)).status).to.equal(404);
    expect(
      ((await loket('/api/v1/canned-responses?language=en').then((r) => r.json())) as { data: Canned[] }).data.map(
        (c) => c.name,
      ),
    ).to.deep.equal(['salam']);
    expect(
      (await loket('/api/v1/canned-responses', json('POST', { name: 'x', language: 'id', body: 'x' }))).status,
    ).to.equal(403);
    expect((await loket(`/api/v1/canned-responses/${ids.onlyId}`, json('PATCH', { body: 'x' }))).status).to.equal(403);
    expect((await loket(`/api/v1/canned-responses/${ids.onlyId}`, { method: 'DELETE' })).status).to.equal(403);

    const temporary = await create({ name: 'sementara', language: 'en', body: 'Temporary' });
    const renamed = await server.api(`/api/v1/canned-responses/${temporary.id}`, json('PATCH', { name: 'salam' }));
    expect(renamed.status).to.equal(422); // salam/en exists
    expect((await server.api(`/api/v1/canned-responses/${temporary.id}`, { method: 'DELETE' })).status).to.equal(204);
    expect((await server.api(`/api/v1/canned-responses/${temporary.id}`, { method: 'DELETE' })).status).to.equal(404);
  });

  it('fills in a reply in Bahasa Indonesia for an Indonesian-speaking citizen, whichever language was picked', async () => {
    const ticket = await ticketFor('Budi Santoso', 'id');
    const sent = await reply(loket, ticket.id, { canned_response_id: ids.salamEn });
    expect(sent).to.include({ language: 'id', canned_response_id: ids.salamId });
    expect(sent.body).to.equal(
      `Yth. Budi Santoso, pengaduan Anda tercatat dengan nomor ${ticket.reference}. Salam, loket - DPMPTSP Kota Contoh`,
    );
    const message = await db()('messages').where({ id: sent.message_id }).first('body', 'direction', 'author_type');
    expect(message).to.include({ body: sent.body, direction: 'outbound', author_type: 'agent' });
    const event = await db()('ticket_events').where({ ticket_id: ticket.id, type: 'reply_queued' }).first('data');
    expect(fromJson<Record<string, unknown>>(event.data)).to.include({
      message_id: sent.message_id,
      canned_response_id: ids.salamId,
    });
  });

  it('answers an English-speaking citizen in English, politely when the name is unknown, and falls back to Indonesian', async () => {
    const ticket = await ticketFor(null, 'en');
    const sent = await reply(loket, ticket.id, { canned_response_id: ids.salamId });
    expect(sent.body).to.equal(
      `Dear Sir/Madam, your report is registered as ${ticket.reference}. Regards, loket - DPMPTSP Kota Contoh`,
    );
    const fallback = await reply(loket, ticket.id, { canned_response_id: ids.onlyId });
    expect(fallback).to.include({ language: 'id', body: 'Yth. Bapak/Ibu, layanan buka pukul 07.30 WITA.' });
  });

  it("keeps an anonymous reporter's name out of the reply, and puts the agent's own text after the template", async () => {
    const ticket = await ticketFor('Siti Aminah', 'id', true);
    const sent = await reply(loket, ticket.id, {
      canned_response_id: ids.onlyId,
      body: 'Silakan datang dengan membawa KTP.',
    });
    expect(sent.body).to.equal('Yth. Bapak/Ibu, layanan buka pukul 07.30 WITA.\n\nSilakan datang dengan membawa KTP.');
  });

  it('keeps the canned response an edited body was composed from on the reply event, once checked as usable', async () => {
    const ticket = await ticketFor('Budi', 'id');
    const edited = 'Yth. Budi, layanan buka pukul 07.30 WITA; untuk izin lokasi silakan ke loket 3.';
    const sent = await reply(loket, ticket.id, { body: edited, based_on_canned_response_id: ids.onlyId });
    const message = await db()('messages').where({ id: sent.message_id }).first('body');
    // Sent as the agent wrote it (framed with the office and reference, as every SMS reply), not
    // the canned text filled in again.
    expect(message.body.endsWith(edited), message.body).to.equal(true);
    expect(message.body).not.to.include('WITA.');
    const event = await db()('ticket_events')
      .where({ ticket_id: ticket.id, type: 'reply_queued' })
      .orderBy('id', 'desc')
      .first('data');
    expect(fromJson<Record<string, unknown>>(event.data)).to.include({
      message_id: sent.message_id,
      canned_response_id: ids.onlyId,
    });
    expect(
      (await reply(loket, ticket.id, { body: edited, based_on_canned_response_id: ids.opdOnly }, 422)).error!.code,
    ).to.equal('unknown_canned_response');
    const refused = await reply(loket, ticket.id, { based_on_canned_response_id: ids.onlyId }, 400);
    expect(JSON.stringify(refused.error)).to.include('based_on_canned_response_id');
    await reply(
      loket,
      ticket.id,
      { body: edited, canned_response_id: ids.onlyId, based_on_canned_response_id: ids.onlyId },
      400,
    );
  });

  it('refuses a canned response the agent may not use or that does not exist (422), and a missing body (400)', async () => {
    const ticket = await ticketFor('Budi', 'id');
    expect((await reply(loket, ticket.id, { canned_response_id: ids.opdOnly }, 422)).error!.code).to.equal(
      'unknown_canned_response',
    );
    expect((await reply(loket, ticket.id, { canned_response_id: 999999 }, 422)).error!.code).to.equal(
      'unknown_canned_response',
    );
    await reply(loket, ticket.id, { channel: 'sms' }, 400);
    await reply(loket, ticket.id, { canned_response_id: 'salam' }, 400);
    await reply(petugasOpd, ticket.id, { canned_response_id: ids.opdOnly }, 404);
    expect(await db()('messages').where({ ticket_id: ticket.id, author_type: 'agent' }).first()).to.equal(undefined);
  });
});

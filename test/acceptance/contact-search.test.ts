import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { mailSender } from '../support/mail-sender.js';
import { person, team, type Person } from '../support/metrics-fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp, messageSid } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

const HELPDESK = 'helpdesk@dpmptsp.example.go.id';

interface FoundContact {
  id: number;
  display_name: string | null;
  identities: Array<{ kind: string; value: string }>;
  ticket_count: number;
  tickets: Array<{ id: number; reference: string }>;
}

/**
 * Issue 14: an agent finds a citizen by the phone or email they give on the phone, written as
 * they say it, and sees only what the ticket rules let them see: not another team's tickets, not
 * a confidential ticket they are not assigned, never an anonymous report through its reporter.
 * Every citizen writes in through a real channel (signed Twilio webhooks, SMTP).
 */
describe('Contact search: ?contact= on ticket lists and GET /api/v1/contacts?q=', function () {
  this.timeout(60_000);
  let server: TestServer;
  let mail: ReturnType<typeof mailSender>;
  let agency: number;
  let teamAgent: Person;
  let otherAgent: Person;
  let supervisor: Person;
  let admin: Person;
  // Siti: an SMS ticket of the front desk and a WhatsApp one transferred to the agency.
  const siti = '+6281234567001';
  let sitiSms: number;
  let sitiWhatsApp: number;
  // Budi: one confidential ticket, assigned to nobody.
  const budi = '+6281234567002';
  let budiSecret: number;
  // Dewi: one anonymous report.
  const dewi = '+6281234567003';
  let dewiAnonymous: number;
  // Rina: by mail.
  const rina = 'Rina.Wulandari@Example.com';
  let rinaMail: number;

  const json = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  async function admit(method: string, path: string, body: unknown): Promise<void> {
    const answer = await server.api(path, json(method, body));
    expect(answer.status, `fixture: ${method} ${path}: ${await answer.clone().text()}`).to.equal(200);
  }
  async function ticketOf(form: Record<string, string>): Promise<number> {
    expect((await server.postTwilio('/webhooks/twilio/messaging', form)).status).to.equal(200);
    return waitFor('the ticket', async () => {
      const row = await server.runtime
        .db('messages')
        .where({ provider_message_id: form.MessageSid })
        .first('ticket_id');
      return row?.ticket_id ? Number(row.ticket_id) : undefined;
    });
  }
  const text = () => `Mohon informasi izin usaha ${randomBytes(3).toString('hex')}`;

  before(async () => {
    server = await startTestServer({ EMAIL_INBOUND_ADDRESSES: HELPDESK, EMAIL_FROM: `Satu Pintu <${HELPDESK}>` });
    mail = mailSender(server.runtime.smtpPort!);
    const frontDesk = Number((await server.runtime.db('teams').where({ slug: 'front-desk' }).first('id')).id);
    agency = await team(server, 'dinas-pupr', 'Dinas PUPR');
    teamAgent = await person(server, 'petugas.loket@dpmptsp.example.go.id', 'agent', [frontDesk]);
    otherAgent = await person(server, 'petugas.pupr@dpmptsp.example.go.id', 'agent', [agency]);
    supervisor = await person(server, 'spv.loket@dpmptsp.example.go.id', 'supervisor', [frontDesk]);
    admin = await person(server, 'admin.cari@dpmptsp.example.go.id', 'admin', []);

    sitiSms = await ticketOf(inboundSms(siti, text(), { MessageSid: messageSid() }));
    sitiWhatsApp = await ticketOf(inboundWhatsApp(siti, text(), { MessageSid: messageSid() }));
    expect(sitiWhatsApp, 'a second ticket of the same citizen').to.not.equal(sitiSms);
    await admit('POST', `/api/v1/tickets/${sitiWhatsApp}/transfer`, { team_id: agency, note: 'Urusan PUPR' });
    budiSecret = await ticketOf(inboundSms(budi, text(), { MessageSid: messageSid() }));
    await admit('PATCH', `/api/v1/tickets/${budiSecret}`, { confidential: true });
    dewiAnonymous = await ticketOf(
      inboundSms(dewi, `Laporan pungli ${randomBytes(3).toString('hex')}`, { MessageSid: messageSid() }),
    );
    await admit('PATCH', `/api/v1/tickets/${dewiAnonymous}`, { anonymous: true });

    const messageId = `${randomBytes(8).toString('hex')}@example.com`;
    expect(
      await mail.send({
        from: `Rina <${rina}>`,
        to: HELPDESK,
        subject: 'Izin reklame',
        text: text(),
        messageId: `<${messageId}>`,
      }),
    ).to.match(/^250/);
    rinaMail = await waitFor('the mail processed', async () => {
      const row = await server.runtime.db('inbox').where({ external_id: messageId }).first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  });
  after(async () => {
    mail?.close();
    await server?.stop();
  });

  async function get<T>(who: Person, path: string, status = 200): Promise<T> {
    const answer = await fetch(server.baseUrl + path, { headers: { authorization: `Bearer ${who.token}` } });
    const body = (await answer.json()) as T;
    expect(answer.status, `${path}: ${JSON.stringify(body)}`).to.equal(status);
    return body;
  }
  const listed = async (who: Person, contact: string) =>
    (await get<{ data: Array<{ id: number }> }>(who, `/api/v1/tickets?contact=${encodeURIComponent(contact)}`)).data
      .map((ticket) => ticket.id)
      .sort((a, b) => a - b);
  const found = async (who: Person, q: string) =>
    (await get<{ data: FoundContact[] }>(who, `/api/v1/contacts?q=${encodeURIComponent(q)}`)).data;

  it("finds a citizen's tickets by their phone in any local form, only those of the caller's teams", async () => {
    for (const written of [
      '081234567001',
      '0812-3456-7001',
      '+62 812 3456 7001',
      '6281234567001',
      'whatsapp:+6281234567001',
    ])
      expect(await listed(teamAgent, written), written).to.deep.equal([sitiSms]);
    expect(await listed(otherAgent, '081234567001')).to.deep.equal([sitiWhatsApp]);
    expect(await listed(admin, '081234567001')).to.deep.equal([sitiSms, sitiWhatsApp].sort((a, b) => a - b));
    // The queue views take the same filter.
    const waiting = await get<{ data: Array<{ id: number }> }>(teamAgent, '/api/v1/queue/waiting?contact=081234567001');
    expect(waiting.data.map((ticket) => ticket.id)).to.deep.equal([sitiSms]);
  });

  it('finds a citizen by email whatever its case', async () => {
    for (const written of [rina, rina.toLowerCase(), ` ${rina.toUpperCase()} `])
      expect(await listed(teamAgent, written), written).to.deep.equal([rinaMail]);
    expect(await listed(otherAgent, rina)).to.deep.equal([]);
  });

  it('finds a confidential ticket only for its supervisors and admins', async () => {
    expect(await listed(teamAgent, '081234567002')).to.deep.equal([]);
    expect(await listed(supervisor, '081234567002')).to.deep.equal([budiSecret]);
    expect(await listed(admin, budi)).to.deep.equal([budiSecret]);
  });

  it("never finds an anonymous report through its reporter's phone for an agent, who still sees the report itself", async () => {
    const all = await get<{ data: Array<{ id: number; contact: { display_name: string | null } }> }>(
      teamAgent,
      '/api/v1/tickets?limit=200',
    );
    expect(
      all.data.map((ticket) => ticket.id),
      'the agent works the report',
    ).to.include(dewiAnonymous);
    expect(await listed(teamAgent, '081234567003')).to.deep.equal([]);
    expect(await listed(supervisor, '081234567003')).to.deep.equal([dewiAnonymous]);
    expect(await found(teamAgent, '081234567003')).to.deep.equal([]);
    const seen = await found(supervisor, '081234567003');
    expect(seen.map((contact) => contact.tickets.map((ticket) => ticket.id))).to.deep.equal([[dewiAnonymous]]);
    expect(seen[0]!.identities).to.deep.include({ kind: 'phone', value: dewi });
  });

  it('GET /api/v1/contacts lists the citizen with only the tickets the caller may see', async () => {
    const forTeam = await found(teamAgent, '0812 3456 7001');
    expect(forTeam).to.have.length(1);
    expect(forTeam[0]!.identities).to.deep.include({ kind: 'phone', value: siti });
    expect(forTeam[0]!.ticket_count).to.equal(1);
    expect(forTeam[0]!.tickets.map((ticket) => ticket.id)).to.deep.equal([sitiSms]);
    expect(forTeam[0]!.tickets[0]!.reference).to.match(/^SP-/);
    const forAgency = await found(otherAgent, siti);
    expect(forAgency.map((contact) => contact.tickets.map((ticket) => ticket.id))).to.deep.equal([[sitiWhatsApp]]);
    expect(forAgency[0]!.id).to.equal(forTeam[0]!.id);
    expect((await found(admin, siti))[0]!.tickets.map((ticket) => ticket.id)).to.deep.equal([sitiWhatsApp, sitiSms]);

    expect(await found(teamAgent, budi), 'known only by a confidential ticket').to.deep.equal([]);
    expect(await found(otherAgent, rina), "another team's citizen").to.deep.equal([]);
    expect((await found(teamAgent, rina.toUpperCase())).map((contact) => contact.tickets[0]!.id)).to.deep.equal([
      rinaMail,
    ]);
    expect(await found(teamAgent, '081299999999'), 'a number nobody wrote from').to.deep.equal([]);
  });

  it('refuses what is neither a phone nor an email, or too long, with a 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/tickets?contact=bukan-nomor', 'contact'],
      ['/api/v1/tickets?contact=12', 'contact'],
      [`/api/v1/tickets?contact=${'1'.repeat(400)}`, 'contact'],
      ['/api/v1/contacts', 'q'],
      ['/api/v1/contacts?q=a@b@c', 'q'],
      [`/api/v1/contacts?q=${'a'.repeat(330)}@example.com`, 'q'],
    ];
    for (const [path, field] of cases) {
      const body = await get<{ error: { code: string; details: Array<{ field: string }> } }>(teamAgent, path, 400);
      expect(body.error.code, path).to.equal('invalid_request');
      expect(
        body.error.details.map((detail) => detail.field),
        path,
      ).to.include(field);
    }
  });
});

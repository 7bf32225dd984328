import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

// Full-text search as tickets change: later messages, notes, a new subject, a merge. The rule is
// the same on both databases: every word in the subject, or every word in one message. On
// PostgreSQL a stored word list per ticket (migration 0014, kept by triggers, only ever growing)
// finds the candidates and the rule is rechecked, so these tests also prove that words a ticket
// no longer has never make it match.
describe('Full-text search follows tickets as they change', () => {
  let server: TestServer;
  let phone = 0;
  const newPhone = () => `+628150000${String(100 + phone++)}`;
  const json = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000' });
  });
  after(async () => server?.stop());

  async function deliver(message: Record<string, string>): Promise<number> {
    await server.postTwilio('/webhooks/twilio/messaging', message);
    return waitFor('message recorded', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: message.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  async function found(q: string): Promise<number[]> {
    const response = await server.api(`/api/v1/tickets?q=${encodeURIComponent(q)}`);
    expect(response.status, q).to.equal(200);
    return ((await response.json()) as { data: Array<{ id: number }> }).data.map((ticket) => ticket.id);
  }

  async function call(method: string, path: string, body: unknown): Promise<void> {
    const response = await server.api(path, json(method, body));
    expect(response.status, `${method} ${path}: ${await response.clone().text()}`).to.be.within(200, 201);
  }

  it('finds a ticket by the words of its later messages and of its internal notes', async () => {
    const from = newPhone();
    const ticket = await deliver(inboundSms(from, 'Selamat pagi'));
    expect(await deliver(inboundSms(from, 'Sertifikat halal restoran saya belum keluar'))).to.equal(ticket);
    expect(await found('restoran halal')).to.deep.equal([ticket]);
    await call('POST', `/api/v1/tickets/${ticket}/notes`, { body: 'Sudah dicek ke auditor LPPOM' });
    expect(await found('lppom auditor')).to.deep.equal([ticket]);
  });

  it('needs every word in the subject or in one message: words spread over them find nothing', async () => {
    const from = newPhone();
    const ticket = await deliver(inboundSms(from, 'Halo\nPajak daerah untuk baliho'));
    await deliver(inboundSms(from, 'Lokasinya di simpang empat'));
    await call('PATCH', `/api/v1/tickets/${ticket}`, { subject: 'Reklame jalan protokol' });
    expect(await found('reklame protokol')).to.deep.equal([ticket]); // the subject
    expect(await found('pajak baliho')).to.deep.equal([ticket]); // one message
    expect(await found('reklame pajak')).to.deep.equal([]); // subject + message
    expect(await found('baliho simpang')).to.deep.equal([]); // two messages
  });

  it('follows a changed subject: its new words find the ticket, its old words no longer do', async () => {
    const ticket = await deliver(inboundSms(newPhone(), 'Halo\nMohon bantuan'));
    await call('PATCH', `/api/v1/tickets/${ticket}`, { subject: 'Izin keramaian konser' });
    expect(await found('keramaian')).to.deep.equal([ticket]);
    await call('PATCH', `/api/v1/tickets/${ticket}`, { subject: 'Izin pertunjukan musik' });
    expect(await found('pertunjukan musik')).to.deep.equal([ticket]);
    expect(await found('keramaian')).to.deep.equal([]);
  });

  it("finds the words of a merged duplicate's messages on the ticket they moved to, not on the duplicate", async () => {
    const from = newPhone();
    const target = await deliver(inboundSms(from, 'Halo\nSaya mau tanya izin'));
    const duplicate = await deliver(inboundWhatsApp(from, 'Halo lagi\nSoal menara telekomunikasi di atap ruko'));
    expect(duplicate).to.not.equal(target);
    expect(await found('menara telekomunikasi')).to.deep.equal([duplicate]);
    await call('POST', `/api/v1/tickets/${target}/merge`, { source_ticket_ids: [duplicate] });
    expect(await found('menara telekomunikasi')).to.deep.equal([target]);
  });
});

import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

describe('Threading after a merge', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000' });
  });
  after(async () => server?.stop());

  async function ticketFrom(message: Record<string, string>): Promise<number> {
    await server.postTwilio('/webhooks/twilio/messaging', message);
    return waitFor('ticket', async () => {
      const row = await server.runtime
        .db('inbox')
        .where({ external_id: message.MessageSid })
        .first('ticket_id', 'processed_at');
      return row?.processed_at ? Number(row.ticket_id) : undefined;
    });
  }

  it('leads a reference number of a merged duplicate to the ticket it was merged into', async () => {
    const phone = '+6281700000001';
    const target = await ticketFrom(inboundSms(phone, 'Izin usaha saya belum keluar'));
    const duplicate = await ticketFrom(inboundWhatsApp(phone, 'Soal izin usaha yang sama'));
    const merged = await server.api(`/api/v1/tickets/${target}/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source_ticket_ids: [duplicate] }),
    });
    expect(merged.status).to.equal(200);
    const reference = (await server.runtime.db('tickets').where({ id: duplicate }).first('reference'))
      .reference as string;
    const landed = await ticketFrom(inboundWhatsApp(phone, `Menanyakan lagi tiket ${reference}`));
    expect(landed).to.equal(target);
  });
});

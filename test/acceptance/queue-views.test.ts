import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

interface ListBody {
  data: Array<{ id: number; reference: string; priority: string; assignee_id: number | null }>;
  next_cursor: string | null;
  next_offset: number | null;
}

describe('Queue views and search', () => {
  let server: TestServer;
  const tickets: Record<string, number> = {};
  let phone = 0;

  before(async () => {
    server = await startTestServer({ ROUTING_PASS_INTERVAL_MS: '600000' });
    const texts = {
      pbg: 'Bagaimana syarat Persetujuan Bangunan Gedung (PBG) untuk ruko?',
      nib: 'NIB saya belum terbit padahal sudah daftar OSS',
      keluhan: 'Petugas loket meminta uang tambahan, saya keberatan',
      halo: 'Halo selamat pagi',
    };
    for (const [key, text] of Object.entries(texts)) {
      const message = inboundSms(`+628140000${String(100 + phone++)}`, text);
      await server.postTwilio('/webhooks/twilio/messaging', message);
      tickets[key] = await waitFor('ticket', async () => {
        const row = await server.runtime
          .db('inbox')
          .where({ external_id: message.MessageSid })
          .first('ticket_id', 'processed_at');
        return row?.processed_at ? Number(row.ticket_id) : undefined;
      });
    }
  });
  after(async () => server?.stop());

  const list = async (path: string) => {
    const response = await server.api(path);
    expect(response.status, path).to.equal(200);
    return (await response.json()) as ListBody;
  };

  it("lists my teams' waiting tickets by priority, then longest waiting, page by page", async () => {
    const db = server.runtime.db;
    await db('tickets').where({ id: tickets.keluhan }).update({ priority: 'urgent' });
    await db('tickets').where({ id: tickets.halo }).update({ priority: 'low' });
    const waiting = await list('/api/v1/queue/waiting');
    expect(waiting.data.map((ticket) => ticket.id)).to.deep.equal([
      tickets.keluhan,
      tickets.pbg,
      tickets.nib,
      tickets.halo,
    ]);
    const first = await list('/api/v1/queue/waiting?limit=3');
    expect(first.next_offset).to.equal(3);
    const second = await list('/api/v1/queue/waiting?limit=3&offset=3');
    expect(second.data.map((ticket) => ticket.id)).to.deep.equal([tickets.halo]);
    expect(second.next_offset).to.equal(null);
    expect((await list('/api/v1/queue/waiting?priority=urgent,low')).data.map((ticket) => ticket.id)).to.deep.equal([
      tickets.keluhan,
      tickets.halo,
    ]);
  });

  it('shows my tickets once one is assigned to me', async () => {
    expect((await list('/api/v1/queue/mine')).data).to.deep.equal([]);
    const next = await server.api('/api/v1/queue/next', { method: 'POST' });
    expect(next.status).to.equal(200);
    const taken = ((await next.json()) as { data: { id: number } }).data.id;
    expect(taken).to.equal(tickets.keluhan); // the urgent one first
    const mine = await list('/api/v1/queue/mine');
    expect(mine.data.map((ticket) => ticket.id)).to.deep.equal([taken]);
    expect((await list('/api/v1/queue/waiting')).data.map((ticket) => ticket.id)).to.not.include(taken);
  });

  it('finds tickets by words of their messages or subject, all words required, and by reference number', async () => {
    expect((await list('/api/v1/tickets?q=bangunan')).data.map((ticket) => ticket.id)).to.deep.equal([tickets.pbg]);
    expect((await list('/api/v1/tickets?q=OSS%20terbit')).data.map((ticket) => ticket.id)).to.deep.equal([tickets.nib]);
    expect((await list('/api/v1/tickets?q=OSS%20bangunan')).data).to.deep.equal([]);
    expect((await list('/api/v1/queue/waiting?q=uang')).data).to.deep.equal([]); // it is assigned now
    expect((await list('/api/v1/queue/mine?q=uang')).data.map((ticket) => ticket.id)).to.deep.equal([tickets.keluhan]);
    const reference = (await server.runtime.db('tickets').where({ id: tickets.halo }).first('reference'))
      .reference as string;
    const formatted = `SP-${reference.slice(0, 3)}-${reference.slice(3, 6)}-${reference.slice(6)}`;
    expect(
      (await list(`/api/v1/tickets?q=${encodeURIComponent(formatted)}`)).data.map((ticket) => ticket.id),
    ).to.deep.equal([tickets.halo]);
  });

  it('treats search syntax in the words as plain text', async () => {
    for (const q of ['"', 'bangunan*', 'NEAR(a b)', 'a OR b', "'; drop table tickets; --", '*']) {
      const response = await server.api(`/api/v1/tickets?q=${encodeURIComponent(q)}`);
      expect(response.status, q).to.equal(200);
    }
    expect(
      (await list(`/api/v1/tickets?q=${encodeURIComponent('"bangunan"')}`)).data.map((ticket) => ticket.id),
    ).to.deep.equal([tickets.pbg]);
  });
});

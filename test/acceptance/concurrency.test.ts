import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

describe('Concurrent first messages from one citizen', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ INBOUND_CONCURRENCY: '8' });
  });
  after(async () => server?.stop());

  it('make one contact and one ticket, with every message on it and one acknowledgement', async () => {
    const from = '+6281777000123';
    const burst = Array.from({ length: 16 }, (_, index) => inboundSms(from, `Pesan beruntun ${index}`));
    const responses = await Promise.all(
      burst.map((message) => server.postTwilio('/webhooks/twilio/messaging', message)),
    );
    expect(responses.map((response) => response.status)).to.deep.equal(burst.map(() => 200));

    const db = server.runtime.db;
    await waitFor(
      'all processed',
      async () => Number((await db('inbox').whereNull('processed_at').count({ n: '*' }).first())?.n) === 0,
    );
    const count = async (table: string, where: Record<string, unknown> = {}) =>
      Number((await db(table).where(where).count({ n: '*' }).first())?.n);
    expect(await count('contacts')).to.equal(1);
    expect(await count('contact_identities')).to.equal(1);
    expect(await count('tickets')).to.equal(1);
    expect(await count('messages', { direction: 'inbound' })).to.equal(burst.length);
    expect(await count('messages', { kind: 'acknowledgement' })).to.equal(1);
  });
});

import { expect } from 'chai';
import { redisAddress, redisUrlVia } from '../support/redis-url.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

describe('Durability: the database is the record, the queue is the signal', () => {
  let proxy: TcpProxy;
  let server: TestServer;

  before(async () => {
    // In front of the tests' Redis (REDIS_URL): the server reaches the same database through the proxy.
    const redis = redisAddress();
    proxy = new TcpProxy(redis.host, redis.port);
    await proxy.start();
    server = await startTestServer({
      REDIS_URL: redisUrlVia('127.0.0.1', proxy.port),
      SWEEP_INTERVAL_MS: '200',
      SWEEP_GRACE_MS: '0',
    });
  });
  after(async () => {
    await proxy.restore();
    await server?.stop();
    await proxy.cut();
  });

  it('accepts webhooks while Redis is unreachable and processes each exactly once when it is back', async () => {
    await proxy.cut();
    const messages = Array.from({ length: 12 }, (_, index) =>
      inboundSms(`+6281300000${String(100 + index)}`, `Pesan saat Redis mati ${index}`),
    );
    for (const message of messages) {
      const response = await server.postTwilio('/webhooks/twilio/messaging', message);
      expect(response.status, 'the provider is acknowledged once the inbox row is committed').to.equal(200);
    }
    // A Twilio retry during the outage changes nothing either.
    expect((await server.postTwilio('/webhooks/twilio/messaging', messages[0]!)).status).to.equal(200);

    const db = server.runtime.db;
    const unprocessed = await db('inbox').whereNull('processed_at').count({ n: '*' }).first();
    expect(Number(unprocessed?.n)).to.equal(messages.length);

    await proxy.restore();
    await waitFor(
      'every recorded contact processed after Redis came back',
      async () => {
        const left = await db('inbox').whereNull('processed_at').count({ n: '*' }).first();
        return Number(left?.n) === 0;
      },
      20_000,
    );
    await waitFor(
      'every acknowledgement sent',
      async () => {
        const pending = await db('outbox').whereIn('status', ['pending', 'sending']).count({ n: '*' }).first();
        return Number(pending?.n) === 0;
      },
      20_000,
    );

    const count = async (table: string, where: Record<string, unknown> = {}) =>
      Number((await db(table).where(where).count({ n: '*' }).first())?.n);
    expect(await count('inbox')).to.equal(messages.length);
    expect(await count('tickets')).to.equal(messages.length);
    expect(await count('messages', { direction: 'inbound' })).to.equal(messages.length);
    expect(await count('messages', { kind: 'acknowledgement' })).to.equal(messages.length);
    expect(await count('outbox', { status: 'sent' })).to.equal(messages.length);
  });
});

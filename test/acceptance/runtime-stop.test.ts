import { redisAddress, redisUrlVia } from '../support/redis-url.js';
import { expect } from 'chai';
import { openEventStream } from '../support/sse-client.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

describe('runtime.stop() in process (what SIGTERM runs)', () => {
  let server: TestServer | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.restore();
    await server?.stop();
    await proxy?.cut();
    server = undefined;
    proxy = undefined;
  });

  it('ends an open live stream with `event: shutdown` and stops cleanly', async () => {
    server = await startTestServer();
    const token = await server.adminToken();
    const stream = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${token}`,
    });
    await waitFor('connected', () => stream.comments > 0);

    const outcome = await server.runtime.stop({ timeoutMs: 5000 });
    await stream.ended;
    expect(stream.events.map((event) => event.event)).to.deep.equal(['shutdown']);
    expect(outcome.clean).to.equal(true);
    expect(outcome.elapsedMs).to.be.below(2000);
  });

  it('with Redis unreachable, gives up at the deadline, saying it waited for the queue workers', async () => {
    const redis = redisAddress();
    proxy = new TcpProxy(redis.host, redis.port);
    await proxy.start();
    const proxied = new URL(redisUrlVia('127.0.0.1', proxy.port));
    server = await startTestServer({ REDIS_URL: proxied.toString() });
    await proxy.cut();
    await waitFor('Redis seen gone', () => server!.runtime.redis.status !== 'ready');

    const started = Date.now();
    const outcome = await server.runtime.stop({ timeoutMs: 700 });
    expect(Date.now() - started).to.be.within(650, 1500);
    expect(outcome).to.include({
      clean: false,
      waitingFor: 'running jobs and the queue workers (Redis is unreachable)',
    });
  });
});

import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../src/logger.js';
import { parseExposition, sampleValue, type Sample } from '../support/prometheus-text.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { redisAddress, redisUrlVia } from '../support/redis-url.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

const METRICS_TOKEN = 'scraper-token-3b8e51d0c97a4f26';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('A Redis outage: one line when it starts, one when it ends, and a gauge (issue 11)', function () {
  this.timeout(60_000);
  let proxy: TcpProxy;
  let server: TestServer;
  const lines: Array<Record<string, unknown>> = [];
  const printed: unknown[][] = [];
  const consoleError = console.error;

  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const withMessage = (msg: string) => lines.filter((line) => line.msg === msg);

  async function scrape(): Promise<Sample[]> {
    const response = await fetch(`${server.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).to.equal(200);
    return parseExposition(await response.text());
  }

  before(async () => {
    const redis = redisAddress();
    proxy = new TcpProxy(redis.host, redis.port);
    await proxy.start();
    server = await startTestServer(
      { REDIS_URL: redisUrlVia('127.0.0.1', proxy.port), METRICS_TOKEN, SWEEP_INTERVAL_MS: '200', SWEEP_GRACE_MS: '0' },
      { logger: createLogger('info', sink) },
    );
    // What BullMQ prints by itself, bypassing the logger (a queue's error with nobody listening).
    console.error = (...args: unknown[]) => {
      printed.push(args);
    };
  });
  after(async () => {
    console.error = consoleError;
    await proxy.restore();
    await server?.stop();
    await proxy.cut();
  });

  it('logs the outage once, whatever the number of connections and retries, and reports redis_up 0 then 1', async () => {
    const before = await scrape();
    expect(sampleValue(before, 'satupintu_redis_up')).to.equal(1);
    expect(sampleValue(before, 'satupintu_redis_outages_total')).to.equal(0);

    await proxy.cut();
    await waitFor('the outage logged', () => withMessage('redis unreachable').length > 0);
    // Work keeps arriving, and every connection (producer, each worker's two) retries for a while.
    for (let index = 0; index < 3; index += 1) {
      const sms = inboundSms(`+628131000${String(200 + index)}`, `Pesan saat Redis tidak terjangkau ${index}`);
      expect((await server.postTwilio('/webhooks/twilio/messaging', sms)).status).to.equal(200);
    }
    await pause(4_000);
    const during = await scrape();
    expect(sampleValue(during, 'satupintu_redis_up')).to.equal(0);
    expect(sampleValue(during, 'satupintu_redis_outages_total')).to.equal(1);

    await proxy.restore();
    await waitFor('the recovery logged', () => withMessage('redis reachable again').length > 0, 20_000);
    const db = server.runtime.db;
    await waitFor(
      'the contacts of the outage processed',
      async () => Number((await db('inbox').whereNull('processed_at').count({ n: '*' }).first())?.n) === 0,
      30_000,
    );
    // The slower connections come back on their own schedules: their late failures start no new outage.
    await pause(3_000);
    const after = await scrape();
    expect(sampleValue(after, 'satupintu_redis_up')).to.equal(1);
    expect(sampleValue(after, 'satupintu_redis_outages_total')).to.equal(1);

    const [down] = withMessage('redis unreachable');
    const [back] = withMessage('redis reachable again');
    expect(withMessage('redis unreachable')).to.have.length(1);
    expect(withMessage('redis reachable again')).to.have.length(1);
    expect(down).to.include({ level: 40, redis: `redis://127.0.0.1:${proxy.port}`, code: 'ECONNREFUSED' });
    expect(down).to.not.have.property('err');
    expect(back).to.include({ level: 30, redis: `redis://127.0.0.1:${proxy.port}` });
    expect(back!.outageMs).to.be.a('number').and.to.be.at.least(4_000);
    // No stack anywhere: neither a connection error logged per retry nor one printed by BullMQ.
    expect(lines.filter((line) => JSON.stringify(line).includes('    at '))).to.deep.equal([]);
    expect(printed).to.deep.equal([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { buildConsole, CONSOLE_OUT_DIR } from '../../web/build.mjs';
import { openEventStream } from '../support/sse-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

/** A raw GET that asks for gzip and keeps the bytes as sent (fetch would decode them). */
async function rawGet(url: string, headers: Record<string, string> = {}) {
  const { request } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const outgoing = request(url, { headers: { 'accept-encoding': 'gzip', ...headers } }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }),
        );
      });
      outgoing.on('error', reject);
      outgoing.end();
    },
  );
}

describe('Answers compressed where the browser takes it, never an event stream', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    await buildConsole();
    server = await startTestServer();
  });
  after(async () => server?.stop());

  it("gzips the console's script for a browser that asks, and sends it plain to one that does not", async () => {
    const assets = path.join(CONSOLE_OUT_DIR, 'assets');
    const script = readdirSync(assets).find((name) => name.endsWith('.js'))!;
    const built = readFileSync(path.join(assets, script));
    const gzipped = await rawGet(`${server.baseUrl}/console/assets/${script}`);
    expect(gzipped.status).to.equal(200);
    expect(gzipped.headers['content-encoding']).to.equal('gzip');
    expect(gzipped.headers.vary).to.include('Accept-Encoding');
    expect(gunzipSync(gzipped.body).equals(built)).to.equal(true);
    expect(gzipped.body.length, 'bytes on the wire').to.be.below(built.length / 2);

    const plain = await rawGet(`${server.baseUrl}/console/assets/${script}`, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.body.equals(built)).to.equal(true);
  });

  it('gzips the API document, and leaves a small answer as it is', async () => {
    const spec = await rawGet(`${server.baseUrl}/api/openapi.json`);
    expect(spec.status).to.equal(200);
    expect(spec.headers['content-encoding']).to.equal('gzip');
    expect(JSON.parse(gunzipSync(spec.body).toString('utf8'))).to.have.property('openapi');
    const health = await rawGet(`${server.baseUrl}/healthz`);
    expect(health.status).to.equal(200);
    expect(health.headers['content-encoding']).to.equal(undefined);
  });

  it('sends an event stream uncompressed to a client that takes gzip, each event as it happens', async () => {
    const token = await server.adminToken();
    const stream = await openEventStream(`${server.baseUrl}/api/v1/events/stream`, {
      authorization: `Bearer ${token}`,
      'accept-encoding': 'gzip',
    });
    try {
      expect(stream.status).to.equal(200);
      expect(stream.headers.get('content-encoding')).to.equal(null);
      await server.postTwilio('/webhooks/twilio/messaging', inboundSms('+6281500000777', 'Mohon info jam layanan'));
      await waitFor('the new ticket on the stream', () =>
        stream.events.find((event) => event.event === 'ticket_created'),
      );
    } finally {
      await stream.close();
    }
  });
});

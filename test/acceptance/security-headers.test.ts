import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express, { type Express } from 'express';
import twilio from 'twilio';
import { errorHandler, notFoundHandler } from '../../src/http/error-handler.js';
import { securityHeaders } from '../../src/http/security-headers.js';
import { createWorkerMetricsApp } from '../../src/http/worker-metrics-app.js';
import { ADMIN, AUTH_TOKEN, PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, messageSid, statusCallback } from '../support/twilio-payloads.js';
import { VOICE_NUMBER, callForm, callSid } from '../support/twilio-voice-payloads.js';

/** What every answer carries (issue 12): nothing of it may be framed, sniffed, cached or leak a referrer. */
const EVERY_ANSWER = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;
const HSTS = 'max-age=31536000; includeSubDomains';

/** The headers an answer lacks or has wrong, as readable lines (empty: all there). */
function wrongHeaders(response: Response, expected: Record<string, string>): string[] {
  const wrong = Object.entries(expected)
    .filter(([name, value]) => response.headers.get(name) !== value)
    .map(
      ([name, value]) => `${name}: ${JSON.stringify(response.headers.get(name))}, expected ${JSON.stringify(value)}`,
    );
  if (response.headers.has('x-powered-by')) wrong.push(`x-powered-by: ${response.headers.get('x-powered-by')}`);
  return wrong;
}

async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('Security headers on every answer', function () {
  this.timeout(60_000);
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startTestServer({ TWILIO_VOICE_FROM: VOICE_NUMBER });
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    token = ((await login.json()) as { token: string }).token;
  });
  after(async () => server?.stop());

  const signedForm = (path: string, form: Record<string, string>): RequestInit => ({
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + path, form),
    },
    body: new URLSearchParams(form),
  });
  const bearer = (): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });
  const json = (body: string): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

  // Each family of route, its answers and its errors: [what, path, request, status].
  const CASES: Array<[string, string, () => RequestInit, number]> = [
    ['liveness', '/healthz', () => ({}), 200],
    ['readiness', '/readyz', () => ({}), 200],
    ['the OpenAPI document', '/api/openapi.json', () => ({}), 200],
    ['Prometheus metrics', '/metrics', bearer, 200],
    ['Prometheus metrics without a token', '/metrics', () => ({}), 401],
    ['a login (a token in the body)', '/api/v1/auth/login', () => json(JSON.stringify(ADMIN)), 200],
    ['a login with malformed JSON', '/api/v1/auth/login', () => json('{"email":'), 400],
    ['an API list (personal data)', '/api/v1/tickets', bearer, 200],
    ['a CSV export', '/api/v1/tickets/export.csv', bearer, 200],
    ['the API without a token', '/api/v1/tickets', () => ({}), 401],
    ['a malformed path', '/api/v1/tickets/%E0%A4%A', bearer, 400],
    ['an unknown ticket', '/api/v1/tickets/999999', bearer, 404],
    ['an unknown API route', '/api/v1/nothing-here', bearer, 404],
    ['an unknown route', '/nothing-here', () => ({}), 404],
    [
      'a messaging webhook (TwiML)',
      '/webhooks/twilio/messaging',
      () => signedForm('/webhooks/twilio/messaging', inboundSms('+6281299900011', 'Halo')),
      200,
    ],
    [
      'a delivery status webhook',
      '/webhooks/twilio/status',
      () => signedForm('/webhooks/twilio/status', statusCallback(messageSid(), 'delivered')),
      200,
    ],
    [
      'a voice webhook (TwiML)',
      '/webhooks/twilio/voice',
      () => signedForm('/webhooks/twilio/voice', callForm(callSid(), '+6281299900012')),
      200,
    ],
    [
      'a webhook with a wrong signature',
      '/webhooks/twilio/messaging',
      () => ({ ...signedForm('/webhooks/twilio/messaging', inboundSms('+6281299900013', 'Halo')), headers: {} }),
      403,
    ],
  ];

  for (const [what, path, init, status] of CASES) {
    it(`${what}: ${path} (${status})`, async () => {
      const response = await fetch(server.baseUrl + path, init());
      await response.arrayBuffer();
      expect(response.status, `${path}`).to.equal(status);
      // PUBLIC_URL is https: Strict-Transport-Security on every answer.
      const wrong = wrongHeaders(response, {
        ...EVERY_ANSWER,
        'cache-control': 'no-store',
        'strict-transport-security': HSTS,
      });
      expect(wrong, wrong.join('\n')).to.deep.equal([]);
    });
  }

  it('an event stream: no-store, no-transform', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.baseUrl}/api/v1/events/stream`, { ...bearer(), signal: controller.signal });
    controller.abort();
    expect(response.status).to.equal(200);
    const wrong = wrongHeaders(response, {
      ...EVERY_ANSWER,
      'cache-control': 'no-store, no-transform',
      'strict-transport-security': HSTS,
    });
    expect(wrong, wrong.join('\n')).to.deep.equal([]);
  });

  it("a worker process's metrics port", async () => {
    const { db, redis, metrics, logger } = server.runtime;
    const worker = await listen(createWorkerMetricsApp({ db, redis, metrics, logger }));
    try {
      for (const path of ['/healthz', '/metrics', '/nothing-here']) {
        const response = await fetch(worker.url + path, bearer());
        await response.arrayBuffer();
        const wrong = wrongHeaders(response, { ...EVERY_ANSWER, 'cache-control': 'no-store' });
        expect(wrong, `${path}\n${wrong.join('\n')}`).to.deep.equal([]);
        expect(response.headers.get('strict-transport-security'), path).to.equal(null); // plain HTTP
      }
    } finally {
      await worker.close();
    }
  });
});

describe('Strict-Transport-Security only over TLS, or when PUBLIC_URL is https', () => {
  /** An app as createApp makes it (a local proxy is trusted), with a route that answers and one that fails. */
  function appWith(publicUrl: string): Express {
    const app = express();
    app.disable('x-powered-by');
    app.set('trust proxy', 'loopback');
    app.use(securityHeaders({ publicUrl }));
    app.get('/ok', (_request, response) => {
      response.json({ ok: true });
    });
    app.get('/fails', () => {
      throw new Error('boom');
    });
    app.use(notFoundHandler);
    app.use(errorHandler({ error() {} } as unknown as Parameters<typeof errorHandler>[0]));
    return app;
  }

  it('over plain HTTP to an http PUBLIC_URL: none; through a TLS-terminating proxy: sent', async () => {
    const served = await listen(appWith('http://localhost:3000'));
    try {
      const plain = await fetch(`${served.url}/ok`);
      expect(plain.headers.get('strict-transport-security')).to.equal(null);
      expect(wrongHeaders(plain, { ...EVERY_ANSWER, 'cache-control': 'no-store' })).to.deep.equal([]);
      const proxied = await fetch(`${served.url}/ok`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(proxied.headers.get('strict-transport-security')).to.equal(HSTS);
    } finally {
      await served.close();
    }
  });

  it('an https PUBLIC_URL: on every answer, a 500 included', async () => {
    const served = await listen(appWith('https://helpdesk.example.go.id'));
    try {
      const failed = await fetch(`${served.url}/fails`);
      expect(failed.status).to.equal(500);
      expect(
        wrongHeaders(failed, { ...EVERY_ANSWER, 'cache-control': 'no-store', 'strict-transport-security': HSTS }),
      ).to.deep.equal([]);
    } finally {
      await served.close();
    }
  });
});

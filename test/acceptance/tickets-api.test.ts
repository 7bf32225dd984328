import { expect } from 'chai';
import { hashPassword } from '../../src/auth/passwords.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, inboundWhatsApp } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

interface ListBody {
  data: Array<{ id: number; channel: string; status: string; reference: string }>;
  next_cursor: string | null;
}

describe('The tickets API', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
    const db = server.runtime.db;
    const messages = [
      ...Array.from({ length: 5 }, (_, index) => inboundSms(`+6281555000${String(10 + index)}`, `SMS ${index}`)),
      ...Array.from({ length: 3 }, (_, index) => inboundWhatsApp(`+6281555100${String(10 + index)}`, `WA ${index}`)),
    ];
    for (const message of messages) await server.postTwilio('/webhooks/twilio/messaging', message);
    await waitFor(
      'all tickets created',
      async () => Number((await db('tickets').count({ n: '*' }).first())?.n) === messages.length,
    );
  });
  after(async () => server?.stop());

  const login = (body: unknown) =>
    fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('logs in with email and password and returns an expiring bearer token', async () => {
    const response = await login({ email: ADMIN.email.toUpperCase(), password: ADMIN.password });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as {
      token: string;
      token_type: string;
      expires_at: string;
      agent: { role: string };
    };
    expect(body.token_type).to.equal('Bearer');
    expect(body.token).to.have.length.greaterThan(30);
    expect(new Date(body.expires_at).getTime()).to.be.greaterThan(Date.now());
    expect(body.agent.role).to.equal('admin');
    const stored = await server.runtime.db('auth_tokens').pluck('token_hash');
    expect(stored).to.not.include(body.token); // only a hash is kept
  });

  it('refuses a wrong password with 401 and malformed login input with 400', async () => {
    expect((await login({ email: ADMIN.email, password: 'wrong' })).status).to.equal(401);
    expect((await login({ email: 'nobody@example.go.id', password: 'x' })).status).to.equal(401);
    const malformed = await login({ email: 'not-an-email' });
    expect(malformed.status).to.equal(400);
    const body = (await malformed.json()) as { error: { code: string; details: Array<{ field: string }> } };
    expect(body.error.details.map((detail) => detail.field)).to.include.members(['email', 'password']);
    const broken = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(broken.status).to.equal(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).to.equal('entity.parse.failed');
  });

  it('requires a valid token on every API route', async () => {
    for (const path of ['/api/v1/tickets', '/api/v1/tickets/1']) {
      expect((await fetch(server.baseUrl + path)).status).to.equal(401);
      expect((await fetch(server.baseUrl + path, { headers: { authorization: 'Bearer forged' } })).status).to.equal(
        401,
      );
    }
  });

  it('stops accepting the token of an agent who is disabled', async () => {
    const db = server.runtime.db;
    const now = new Date();
    await db('agents').insert({
      email: 'petugas@example.go.id',
      name: 'Petugas',
      role: 'agent',
      password_hash: await hashPassword('rahasia-123'),
      active: true,
      created_at: now,
      updated_at: now,
    });
    const { token } = (await (await login({ email: 'petugas@example.go.id', password: 'rahasia-123' })).json()) as {
      token: string;
    };
    const auth = { headers: { authorization: `Bearer ${token}` } };
    expect((await fetch(`${server.baseUrl}/api/v1/tickets`, auth)).status).to.equal(200);
    await db('agents').where({ email: 'petugas@example.go.id' }).update({ active: false });
    expect((await fetch(`${server.baseUrl}/api/v1/tickets`, auth)).status).to.equal(401);
  });

  it('lists tickets newest first, filtered by channel and status, paginated by cursor', async () => {
    const all = (await (await server.api('/api/v1/tickets')).json()) as ListBody;
    expect(all.data).to.have.length(8);
    const ids = all.data.map((ticket) => ticket.id);
    expect(ids).to.deep.equal([...ids].sort((a, b) => b - a));

    const whatsapp = (await (await server.api('/api/v1/tickets?channel=whatsapp')).json()) as ListBody;
    expect(whatsapp.data.map((ticket) => ticket.channel)).to.deep.equal(['whatsapp', 'whatsapp', 'whatsapp']);
    const both = (await (await server.api('/api/v1/tickets?channel=sms,whatsapp&status=new')).json()) as ListBody;
    expect(both.data).to.have.length(8);
    const none = (await (await server.api('/api/v1/tickets?status=resolved')).json()) as ListBody;
    expect(none.data).to.deep.equal([]);

    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (
        await server.api(`/api/v1/tickets?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).json()) as ListBody;
      expect(page.data.length).to.be.at.most(3);
      pages.push(...page.data.map((ticket) => ticket.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages).to.deep.equal(ids);
  });

  it('answers bad filters and unknown ids with a 4xx JSON error', async () => {
    const badStatus = await server.api('/api/v1/tickets?status=lost');
    expect(badStatus.status).to.equal(400);
    expect(((await badStatus.json()) as { error: { message: string } }).error.message).to.contain('status');
    expect((await server.api('/api/v1/tickets?limit=100000')).status).to.equal(400);
    expect((await server.api('/api/v1/tickets/abc')).status).to.equal(400);
    const missing = await server.api('/api/v1/tickets/999999');
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal('not_found');
    const unknownRoute = await server.api('/api/v1/nothing-here');
    expect(unknownRoute.status).to.equal(404);
  });

  it('reports liveness and readiness', async () => {
    expect((await fetch(`${server.baseUrl}/healthz`)).status).to.equal(200);
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.equal({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });
});

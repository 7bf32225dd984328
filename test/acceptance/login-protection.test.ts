import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { LoginThrottle } from '../../src/auth/login-throttle.js';
import { hashPassword, type PasswordVerifier, verifyPassword } from '../../src/auth/passwords.js';
import { authRoutes } from '../../src/http/api/v1/auth.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

/** POST /api/v1/auth/login as a client at `forwardedFor` (trusted from loopback, as from a local proxy). */
const loginFrom = (server: TestServer, email: string, password: string, forwardedFor: string) =>
  fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email, password }),
  });

/**
 * Logins under attack (issue 12). The server trusts X-Forwarded-For from loopback (a local proxy),
 * so each request here says which client address it comes from.
 */
describe('Login throttling', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15' });
  });
  after(async () => server?.stop());

  const loginAs = (email: string, password: string, forwardedFor: string) =>
    loginFrom(server, email, password, forwardedFor);
  const login = (password: string, forwardedFor: string) => loginAs(ADMIN.email, password, forwardedFor);
  /** An agent of its own for a test, so that the counts of one account do not carry over. */
  async function agent(email: string, password: string): Promise<void> {
    const now = new Date();
    await server.runtime.db('agents').insert({
      email,
      name: 'Petugas',
      role: 'agent',
      password_hash: await hashPassword(password),
      active: true,
      created_at: now,
      updated_at: now,
    });
  }

  it('locks an email out from an address after repeated failures, even for the right password', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await login('salah', '203.0.113.7')).status).to.equal(401);
    const locked = await login(ADMIN.password, '203.0.113.7');
    expect(locked.status).to.equal(429);
    expect(Number(locked.headers.get('retry-after'))).to.be.within(1, 15 * 60);
    expect(((await locked.json()) as { error: { code: string } }).error.code).to.equal('too_many_attempts');
    // Another address is not locked by these failures...
    expect((await login(ADMIN.password, '198.51.100.20')).status).to.equal(200);
  });

  it('lets at most the limit of wrong passwords sent at once reach the password check', async () => {
    await agent('serbu@dpmptsp.example.go.id', 'sandi-yang-benar');
    // Counted before the check: 30 at once from one address, 3 get an answer about the password.
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => loginAs('serbu@dpmptsp.example.go.id', 'salah', '203.0.113.50')),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).to.have.length(3);
    expect(statuses.filter((status) => status === 429)).to.have.length(27);
    for (const answer of answers.filter((each) => each.status === 429))
      expect(Number(answer.headers.get('retry-after'))).to.be.within(1, 15 * 60);
  });

  it("does not lock the owner out: failures from other addresses do not refuse the owner's own address", async () => {
    await agent('pemilik@dpmptsp.example.go.id', 'sandi-pemilik-benar');
    // 25 failures from 25 addresses: past the account's 12 (4 times 3), each still gets its one try...
    const failures = await Promise.all(
      Array.from({ length: 25 }, (_, host) => loginAs('pemilik@dpmptsp.example.go.id', 'salah', `192.0.2.${host + 1}`)),
    );
    expect(failures.map((answer) => answer.status)).to.deep.equal(Array.from({ length: 25 }, () => 401));
    // ...the owner, from an address of their own, logs in...
    expect((await loginAs('pemilik@dpmptsp.example.go.id', 'sandi-pemilik-benar', '198.51.100.77')).status).to.equal(
      200,
    );
    // ...and an address that failed at the account gets no second one, not even with the right password.
    const again = await loginAs('pemilik@dpmptsp.example.go.id', 'sandi-pemilik-benar', '192.0.2.25');
    expect(again.status).to.equal(429);
    expect(Number(again.headers.get('retry-after'))).to.be.within(1, 15 * 60);
  });

  it('gives guessing spread over many addresses one try per address once the account is past its limit', async () => {
    await agent('sasaran@dpmptsp.example.go.id', 'sandi-sasaran-benar');
    // 3 per address, 12 for the account: addresses .1 to .4 use up the account's allowance.
    for (let host = 1; host <= 4; host += 1) {
      for (let attempt = 0; attempt < 3; attempt += 1)
        expect((await loginAs('sasaran@dpmptsp.example.go.id', 'salah', `198.18.0.${host}`)).status).to.equal(401);
    }
    expect((await loginAs('sasaran@dpmptsp.example.go.id', 'salah', '198.18.0.5')).status).to.equal(401);
    expect((await loginAs('sasaran@dpmptsp.example.go.id', 'salah', '198.18.0.5')).status).to.equal(429);
  });
});

describe('Login throttling of one address over all accounts', () => {
  let server: TestServer;
  before(async () => {
    // A limit of 1 keeps the spraying limit (20 times it) quick to reach: every try is a password check.
    server = await startTestServer({ LOGIN_MAX_FAILURES: '1', LOGIN_LOCK_MINUTES: '15' });
  });
  after(async () => server?.stop());

  const loginAs = (email: string, password: string, forwardedFor: string) =>
    loginFrom(server, email, password, forwardedFor);

  it('stops one address trying a password on each of many accounts (password spraying)', async () => {
    // 20 tries, one per account, then 429 for any account from that address, not from another.
    const sprayed = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        loginAs(`warga${index}@dpmptsp.example.go.id`, 'Jakarta2026!', '203.0.113.66'),
      ),
    );
    expect(sprayed.map((answer) => answer.status)).to.deep.equal(Array.from({ length: 20 }, () => 401));
    const stopped = await loginAs('warga20@dpmptsp.example.go.id', 'Jakarta2026!', '203.0.113.66');
    expect(stopped.status).to.equal(429);
    expect(Number(stopped.headers.get('retry-after'))).to.be.within(1, 15 * 60);
    expect((await loginAs(ADMIN.email, ADMIN.password, '203.0.113.66')).status).to.equal(429);
    expect((await loginAs(ADMIN.email, ADMIN.password, '203.0.113.67')).status).to.equal(200);
  });

  it("does not count an address's successful logins against it", async () => {
    // An office behind one address: its agents log in more often than the spraying limit.
    for (let login = 0; login < 21; login += 1)
      expect((await loginAs(ADMIN.email, ADMIN.password, '203.0.113.80')).status).to.equal(200);
  });
});

describe('Login answers that do not tell which emails exist', () => {
  let server: TestServer;
  let listener: Server;
  let baseUrl: string;
  /** The hashes the password check was given, one entry per call. */
  const checked: string[] = [];

  before(async () => {
    server = await startTestServer();
    const { db, redis, config, logger } = server.runtime;
    const throttle = new LoginThrottle(redis, { maxFailures: 50, windowMinutes: 15, keyPrefix: config.QUEUE_PREFIX });
    const verify: PasswordVerifier = (password, stored) => {
      checked.push(stored);
      return verifyPassword(password, stored);
    };
    // The login router of the app, with its password check counted.
    const app = express();
    app.use('/api/v1/auth', authRoutes(db, throttle, 1, { verify }));
    app.use(errorHandler(logger));
    listener = await new Promise<Server>((resolve) => {
      const started = app.listen(0, '127.0.0.1', () => resolve(started));
    });
    baseUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    const now = new Date();
    await db('agents').insert({
      email: 'nonaktif@dpmptsp.example.go.id',
      name: 'Petugas nonaktif',
      role: 'agent',
      password_hash: await hashPassword('sandi-lama-123'),
      active: false,
      created_at: now,
      updated_at: now,
    });
  });
  after(async () => {
    await new Promise((resolve) => listener?.close(resolve));
    await server?.stop();
  });

  const login = (email: string, password: string) =>
    fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  /** scrypt's parameters in a stored hash: what the check costs. */
  const costOf = (stored: string) => stored.split('$').slice(0, 4).join('$');

  it('checks one password, at the same cost, for an unknown email, a disabled agent and a wrong password', async () => {
    const adminHash = String(
      (await server.runtime.db('agents').where({ email: ADMIN.email }).first('password_hash')).password_hash,
    );
    for (const [email, password] of [
      ['tidak-ada@dpmptsp.example.go.id', 'tebakan'], // unknown
      ['nonaktif@dpmptsp.example.go.id', 'sandi-lama-123'], // disabled, with its right password
      [ADMIN.email, 'salah'], // a wrong password
    ] as const) {
      checked.length = 0;
      const answer = await login(email, password);
      expect(answer.status, email).to.equal(401);
      expect(((await answer.json()) as { error: { message: string } }).error.message).to.equal(
        'Email or password is wrong',
      );
      expect(checked, `password checks for ${email}`).to.have.length(1);
      expect(costOf(checked[0]!), email).to.equal(costOf(adminHash));
    }
    checked.length = 0;
    expect((await login(ADMIN.email, ADMIN.password)).status).to.equal(200);
    expect(checked).to.deep.equal([adminHash]);
  });
});

describe('Logging out (POST /api/v1/auth/logout)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.stop());

  const logIn = async (): Promise<string> => {
    const answer = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(answer.status).to.equal(200);
    return ((await answer.json()) as { token: string }).token;
  };
  const as = (token: string | undefined, path: string, method = 'GET') =>
    fetch(server.baseUrl + path, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('revokes the token it is called with, on the server: it answers 401 afterwards', async () => {
    const [thisBrowser, otherBrowser] = [await logIn(), await logIn()];
    expect((await as(thisBrowser, '/api/v1/agents/me')).status).to.equal(200);
    const tokensBefore = Number((await server.runtime.db('auth_tokens').count({ n: '*' }).first())?.n);

    const loggedOut = await as(thisBrowser, '/api/v1/auth/logout', 'POST');
    expect(loggedOut.status).to.equal(204);
    expect(await loggedOut.text()).to.equal('');
    expect(Number((await server.runtime.db('auth_tokens').count({ n: '*' }).first())?.n)).to.equal(tokensBefore - 1);
    for (const path of ['/api/v1/agents/me', '/api/v1/tickets']) {
      const refused = await as(thisBrowser, path);
      expect(refused.status, path).to.equal(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal('unauthorized');
    }
    expect((await as(thisBrowser, '/api/v1/auth/logout', 'POST')).status).to.equal(401);
    // The agent's other sessions go on.
    expect((await as(otherBrowser, '/api/v1/agents/me')).status).to.equal(200);
  });

  it('needs a valid token', async () => {
    expect((await as(undefined, '/api/v1/auth/logout', 'POST')).status).to.equal(401);
    expect((await as('forged-token', '/api/v1/auth/logout', 'POST')).status).to.equal(401);
  });
});

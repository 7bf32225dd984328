import { expect } from 'chai';
import { hashPassword } from '../../src/auth/passwords.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

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
    fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email, password }),
    });
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

  it('also stops guessing spread over many addresses', async () => {
    // 3 per address, 12 for the account: addresses .1 to .4 use up the account's allowance.
    for (let host = 1; host <= 4; host += 1) {
      for (let attempt = 0; attempt < 3; attempt += 1) await login('salah', `192.0.2.${host}`);
    }
    expect((await login(ADMIN.password, '192.0.2.99')).status).to.equal(429);
  });
});

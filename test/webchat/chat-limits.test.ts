import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const CHAT = '/api/v1/public/chat';

interface LimitError {
  error: { code: string; message: string; details: { retry_after_seconds: number } };
}

/** One server's chat API, spoken to from a chosen client address (X-Forwarded-For, trusted from loopback). */
function chatClient(server: () => TestServer) {
  const post = (path: string, body: unknown, options: { token?: string; from?: string } = {}) =>
    fetch(server().baseUrl + CHAT + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.from ? { 'x-forwarded-for': options.from } : {}),
      },
      body: JSON.stringify(body),
    });
  const openSession = async (from?: string, body: Record<string, unknown> = {}) => {
    const response = await post('/sessions', body, { from });
    expect(response.status, await response.clone().text()).to.equal(201);
    return ((await response.json()) as { data: { token: string; sessionId: string } }).data;
  };
  const say = (token: string, from?: string, text = 'Mohon info izin usaha') =>
    post('/messages', { clientId: randomUUID(), text }, { token, from });
  return { post, openSession, say };
}

/** A 429 as every limit answers it: JSON naming the limit, and Retry-After in seconds. */
async function expectLimited(response: Response, naming: RegExp): Promise<void> {
  expect(response.status).to.equal(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).to.be.within(1, 3600);
  const body = (await response.json()) as LimitError;
  expect(body.error.code).to.equal('too_many_requests');
  expect(body.error.message).to.match(naming);
  expect(body.error.details.retry_after_seconds).to.equal(retryAfter);
}

/** Issue 15's abuse limits on the chat, counted in Redis: per client address, per session. */
describe('Web chat limits', () => {
  let server: TestServer;
  const { post, openSession, say } = chatClient(() => server);

  before(async () => {
    server = await startTestServer({
      WEBCHAT_SESSIONS_PER_ADDRESS_HOUR: '3',
      WEBCHAT_MESSAGES_PER_SESSION_MINUTE: '2',
      WEBCHAT_MESSAGES_PER_ADDRESS_MINUTE: '3',
      WEBCHAT_TRANSCRIPTS_PER_SESSION_HOUR: '1',
      ROUTING_PASS_INTERVAL_MS: '600000',
    });
  });
  after(async () => server?.stop());

  it('limits new sessions per client address, and messages per session, with a 429 JSON', async () => {
    const statuses: number[] = [];
    let token = '';
    for (let index = 0; index < 4; index += 1) {
      const response = await post('/sessions', {}, { from: '198.51.100.1' });
      statuses.push(response.status);
      if (response.status === 201) token ||= ((await response.json()) as { data: { token: string } }).data.token;
      else await expectLimited(response, /new chat sessions from this address/);
    }
    expect(statuses).to.deep.equal([201, 201, 201, 429]);

    const sent: number[] = [];
    for (let index = 0; index < 2; index += 1) sent.push((await say(token, '198.51.100.1')).status);
    expect(sent).to.deep.equal([202, 202]);
    await expectLimited(await say(token, '198.51.100.1'), /messages in this chat/);
  });

  it('limits messages per client address over all its sessions, and not those of another address', async () => {
    const from = '198.51.100.2';
    const first = await openSession(from);
    const second = await openSession(from);
    // Each session stays within its own 2 a minute; the address has 3 a minute over both.
    expect((await say(first.token, from)).status).to.equal(202);
    expect((await say(first.token, from)).status).to.equal(202);
    expect((await say(second.token, from)).status).to.equal(202);
    await expectLimited(await say(second.token, from), /chat messages from this address/);
    // The count is the address's: a visitor elsewhere writes on.
    const elsewhere = await openSession('198.51.100.3');
    expect((await say(elsewhere.token, '198.51.100.3')).status).to.equal(202);
    const keys = await server.runtime.redis.keys(`${server.runtime.config.QUEUE_PREFIX}:webchat-address-messages*`);
    expect(keys.length).to.be.greaterThan(0);
  });

  it('mails the transcript once per session per hour, then answers 429 with Retry-After', async () => {
    const from = '198.51.100.4';
    const email = `warga-${Date.now()}@example.id`;
    const session = await openSession(from, { email });
    expect((await say(session.token, from, 'Tolong kirim salinan obrolan ini')).status).to.equal(202);
    await waitFor('the chat ticketed', () =>
      server.runtime.db('messages').where({ address: session.sessionId, direction: 'inbound' }).first('ticket_id'),
    );
    const first = await post('/transcript', {}, { token: session.token, from });
    expect(first.status, await first.clone().text()).to.equal(202);
    await expectLimited(await post('/transcript', {}, { token: session.token, from }), /transcripts for this chat/);
    // One mail queued, not two.
    const mails = await server.runtime
      .db('messages')
      .where({ channel: 'email', direction: 'outbound', address: email })
      .count({ n: '*' })
      .first();
    expect(Number(mails?.n)).to.equal(1);
  });
});

/** The limit on the whole office: many addresses, each within its own limits, together past it. */
describe('Web chat limit for the whole office', () => {
  let server: TestServer;
  const { openSession, say } = chatClient(() => server);

  before(async () => {
    server = await startTestServer({
      WEBCHAT_MESSAGES_PER_SESSION_MINUTE: '2',
      WEBCHAT_MESSAGES_PER_OFFICE_MINUTE: '4',
      ROUTING_PASS_INTERVAL_MS: '600000',
    });
  });
  after(async () => server?.stop());

  it('refuses messages past the office limit whatever their address, and gives the session its count back', async () => {
    const visitors = [];
    for (let index = 10; index < 15; index += 1) {
      const from = `203.0.113.${index}`;
      visitors.push({ from, ...(await openSession(from)) });
    }
    const statuses = [];
    for (const visitor of visitors.slice(0, 4)) statuses.push((await say(visitor.token, visitor.from)).status);
    expect(statuses).to.deep.equal([202, 202, 202, 202]);
    const [, , , , fifth] = visitors;
    await expectLimited(await say(fifth!.token, fifth!.from), /chat messages to the office/);
    await expectLimited(await say(fifth!.token, fifth!.from), /chat messages to the office/);
    // Nothing refused was recorded.
    const recorded = await server.runtime.db('inbox').where({ provider: 'webchat' }).count({ n: '*' }).first();
    expect(Number(recorded?.n)).to.equal(4);

    // The office's minute is over (its count in Redis gone): the fifth visitor's two refused
    // messages did not use up their session's 2 a minute.
    const prefix = server.runtime.config.QUEUE_PREFIX;
    const officeKeys = await server.runtime.redis.keys(`${prefix}:webchat-office-messages*`);
    expect(officeKeys).to.have.length(1);
    await server.runtime.redis.del(...officeKeys);
    expect((await say(fifth!.token, fifth!.from)).status).to.equal(202);
    expect((await say(fifth!.token, fifth!.from)).status).to.equal(202);
  });
});

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CHAT = '/api/v1/public/chat';

/** Issue 15's abuse limits on the chat, counted in Redis: per client address, per session. */
describe('Web chat limits', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({
      WEBCHAT_SESSIONS_PER_ADDRESS_HOUR: '3',
      WEBCHAT_MESSAGES_PER_SESSION_MINUTE: '2',
      WEBCHAT_TRANSCRIPTS_PER_SESSION_HOUR: '1',
    });
  });
  after(async () => server?.stop());

  const post = (path: string, body: unknown, token?: string) =>
    fetch(server.baseUrl + CHAT + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('limits new sessions per client address, and messages per session, with a 429 JSON', async () => {
    const statuses: number[] = [];
    let token = '';
    for (let index = 0; index < 4; index += 1) {
      const response = await post('/sessions', {});
      statuses.push(response.status);
      if (response.status === 201) token ||= ((await response.json()) as { data: { token: string } }).data.token;
      else {
        const body = (await response.json()) as { error: { code: string; details: { retry_after_seconds: number } } };
        expect(body.error.code).to.equal('too_many_requests');
        expect(body.error.details.retry_after_seconds).to.be.above(0);
      }
    }
    expect(statuses).to.deep.equal([201, 201, 201, 429]);

    const sent: number[] = [];
    for (let index = 0; index < 3; index += 1)
      sent.push((await post('/messages', { clientId: randomUUID(), text: `pesan ${index}` }, token)).status);
    expect(sent).to.deep.equal([202, 202, 429]);
  });
});

import { expect } from 'chai';
import { openEventStream } from '../support/sse-client.js';
import { startTestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/** A process that stops ends every visitor's stream with a last event, and does not wait on them. */
describe('Web chat streams when the server stops', () => {
  it('ends an open visitor stream with `shutdown`, promptly', async () => {
    const server = await startTestServer({ SHUTDOWN_TIMEOUT_MS: '20000' });
    let stopped = false;
    try {
      const opened = await fetch(`${server.baseUrl}/api/v1/public/chat/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const { token } = ((await opened.json()) as { data: { token: string } }).data;
      const stream = await openEventStream(`${server.baseUrl}/api/v1/public/chat/stream`, {
        authorization: `Bearer ${token}`,
      });
      await waitFor('connected', () => stream.comments > 0);
      const started = Date.now();
      await server.stop();
      stopped = true;
      await stream.ended;
      expect(stream.events.at(-1)?.event).to.equal('shutdown');
      expect(Date.now() - started).to.be.below(10_000);
    } finally {
      if (!stopped) await server.stop();
    }
  });
});

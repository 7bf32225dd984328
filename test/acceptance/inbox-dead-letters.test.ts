import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createLogger } from '../../src/logger.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms, messageSid } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

/**
 * An inbox row that keeps failing is set aside after INBOX_MAX_ATTEMPTS failures, with one log
 * line, listed for admins and retried by them (issue 12, item 7).
 */
describe('Inbox dead letters: a row that keeps failing is set aside, listed and retried', () => {
  let server: TestServer;
  const lines: string[] = [];

  before(async () => {
    server = await startTestServer(
      { INBOX_MAX_ATTEMPTS: '2', SWEEP_GRACE_MS: '0', SWEEP_INTERVAL_MS: '200' },
      { logger: createLogger('warn', { write: (line: string) => void lines.push(line) }) },
    );
  });
  after(async () => {
    await server?.stop();
  });

  const db = () => server.runtime.db;

  it('dead-letters the row after two failures, with one line, and an admin retry turns it into a ticket', async () => {
    // A real contact first, whose recorded envelope the broken row copies.
    const sid = messageSid();
    const form = inboundSms('+6281311112222', 'Mohon info izin usaha', { MessageSid: sid });
    expect((await server.postTwilio('/webhooks/twilio/messaging', form)).status).to.equal(200);
    const model = await waitFor(
      'the first row processed',
      async (): Promise<{ envelope: unknown } | undefined> =>
        db()('inbox').where({ external_id: sid }).whereNotNull('processed_at').first('envelope'),
    );
    const envelope =
      typeof model.envelope === 'string' ? JSON.parse(model.envelope) : (model.envelope as Record<string, unknown>);
    const externalId = `SM${randomBytes(16).toString('hex')}`;
    const good = JSON.stringify({ ...envelope, externalId });
    // A row the worker cannot read (as a row broken by a bug would be): it fails on every attempt.
    const [inserted] = await db()('inbox')
      .insert({
        provider: envelope.provider,
        external_id: externalId,
        channel: envelope.channel,
        envelope: JSON.stringify({ ...envelope, externalId, from: null }),
        received_at: new Date(Date.now() - 60_000),
      })
      .returning('id');
    const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
    await server.runtime.queues.enqueueInbound([id]);

    const dead = await waitFor(
      'the row dead-lettered',
      async (): Promise<{ attempts: number; last_error: string } | undefined> =>
        db()('inbox').where({ id }).whereNotNull('dead_lettered_at').first('attempts', 'last_error'),
      15_000,
    );
    expect(Number(dead.attempts)).to.equal(2);
    expect(dead.last_error).to.match(/TypeError/);
    // The sweeper runs every 200 ms: it must leave the row alone from now on.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(Number((await db()('inbox').where({ id }).first('attempts')).attempts)).to.equal(2);
    const mine = lines.filter((line) => line.includes(`"inboxId":${id}`));
    expect(
      mine.filter((line) => line.includes('dead-lettered')),
      'one dead-letter line',
    ).to.have.length(1);
    expect(mine, 'a line per failure, no more').to.have.length(2);
    for (const line of mine) expect(line.length).to.be.below(8192);

    const listed = await server.api('/api/v1/admin/dead-letters');
    expect(listed.status).to.equal(200);
    const { data } = (await listed.json()) as { data: Array<{ id: number; attempts: number; last_error: string }> };
    expect(data.map((row) => row.id)).to.deep.equal([id]);
    expect(data[0]).to.include({ attempts: 2 });

    // The cause fixed, an admin retries: the row becomes a ticket message.
    await db()('inbox').where({ id }).update({ envelope: good });
    const retried = await server.api(`/api/v1/admin/dead-letters/${id}/retry`, { method: 'POST' });
    expect(retried.status).to.equal(202);
    await waitFor('the retried row processed', async () =>
      db()('inbox').where({ id }).whereNotNull('processed_at').first('ticket_id'),
    );
    expect(await db()('messages').where({ provider_message_id: externalId }).first('id')).to.not.equal(undefined);
    const again = (await (await server.api('/api/v1/admin/dead-letters')).json()) as { data: unknown[] };
    expect(again.data).to.deep.equal([]);

    const twice = await server.api(`/api/v1/admin/dead-letters/${id}/retry`, { method: 'POST' });
    expect(twice.status).to.equal(409);
    expect(((await twice.json()) as { error: { code: string } }).error.code).to.equal('not_dead_lettered');
    expect((await server.api('/api/v1/admin/dead-letters/999999/retry', { method: 'POST' })).status).to.equal(404);
  });
});

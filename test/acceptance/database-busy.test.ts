import Database from 'better-sqlite3';
import { expect } from 'chai';
import { testSqliteDriver } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { inboundSms } from '../support/twilio-payloads.js';
import { waitFor } from '../support/wait-for.js';

/**
 * SQLite has one write lock. When another process holds it past the busy wait (a flood of writes,
 * a backup tool, a stuck script), a request that must write is answered 503 with Retry-After, a
 * JSON body naming the cause, never a 500; and the provider's retry afterwards is taken. Only on
 * better-sqlite3, whose busy wait is ours (src/db/sqlite-busy-retry.ts): PostgreSQL locks rows and
 * has no such lock; with the sqlite3 driver the webhook was answered 200 while the lock was held,
 * which is still to be understood (see the closing note of session 6).
 */
const describeOnSqlite: (title: string, suite: (this: Mocha.Suite) => void) => void =
  process.env.TEST_DATABASE_URL || testSqliteDriver() !== 'better-sqlite3'
    ? () => undefined
    : (title, suite) => void describe(title, suite);

describeOnSqlite('A busy SQLite database (its write lock held by another process)', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.stop());

  it('answers a webhook 503 with Retry-After while the lock is held, and takes its retry once it is free', async () => {
    const holder = new Database(server.runtime.config.sqliteFile);
    const sms = inboundSms(`+62815${String(Date.now()).slice(-7)}`, 'Izin usaha saya bagaimana?');
    try {
      holder.exec('BEGIN IMMEDIATE'); // the write lock, as another process would hold it
      const refused = await server.postTwilio('/webhooks/twilio/messaging', sms);
      expect(refused.status).to.equal(503);
      expect(refused.headers.get('retry-after')).to.equal('1');
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal('database_busy');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const retried = await server.postTwilio('/webhooks/twilio/messaging', sms);
    expect(retried.status).to.equal(200);
    await waitFor('the retried message ticketed', async () => {
      const row = await server.runtime.db('messages').where({ provider_message_id: sms.MessageSid }).first('ticket_id');
      return row?.ticket_id ? true : undefined;
    });
    const copies = await server.runtime.db('inbox').where({ external_id: sms.MessageSid }).count({ n: '*' }).first();
    expect(Number(copies?.n)).to.equal(1);
  });
});

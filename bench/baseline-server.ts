import express from 'express';
import { Queue } from 'bullmq';
import { createDatabase } from '../src/db/knex.js';
import { createProducerConnection } from '../src/queue/connection.js';

/**
 * The naive ceiling: the least a durable webhook can do on this machine. It parses the same
 * form-encoded body as the real route, does one INSERT of an inbox-shaped row and one BullMQ add,
 * and answers with empty TwiML. No signature check, no envelope, no dedupe lookup. Run as its own
 * process (like the real server) so the load generator never shares its event loop.
 *
 * Settings come from the environment the bench passes: PORT, DATA_DIR or DATABASE_URL (+ schema),
 * REDIS_URL, QUEUE_PREFIX.
 */
const env = process.env;
const db = createDatabase({
  url: env.DATABASE_URL,
  schema: env.DATABASE_SCHEMA,
  sqliteFile: `${env.DATA_DIR ?? '.'}/baseline.sqlite`,
});
const redis = createProducerConnection(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
await redis.connect(); // before the Queue uses it, as the runtime does (the connection is lazy)
const queue = new Queue('inbound', { connection: redis, prefix: env.QUEUE_PREFIX ?? 'spbench-baseline' });
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

// One table shaped like the real inbox, so the row costs the same to write.
await db.schema.createTable('inbox', (table) => {
  table.increments('id');
  table.string('provider', 32).notNullable();
  table.string('external_id', 255).notNullable();
  table.string('channel', 16).notNullable();
  table.json('envelope').notNullable();
  table.timestamp('received_at', { useTz: true }).notNullable();
  table.timestamp('processed_at', { useTz: true });
  table.unique(['provider', 'external_id']);
});

const app = express();
app.disable('x-powered-by');
app.get('/readyz', (_request, response) => {
  response.json({ status: 'ready' });
});
app.post(
  '/webhooks/twilio/messaging',
  express.urlencoded({ extended: false, limit: '256kb' }),
  async (request, response) => {
    const form = request.body as Record<string, string>;
    const [row] = await db('inbox')
      .insert({
        provider: 'twilio',
        external_id: form.MessageSid,
        channel: 'sms',
        envelope: JSON.stringify(form),
        received_at: new Date(),
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await queue.add(
      'ingest',
      { inboxId: id },
      { jobId: `inbox-${id}`, attempts: 5, removeOnComplete: { age: 3600, count: 10_000 } },
    );
    response.type('text/xml').send(EMPTY_TWIML);
  },
);

const server = app.listen(Number(env.PORT ?? 0));
const shutdown = async () => {
  server.close();
  server.closeAllConnections();
  await queue.close();
  redis.disconnect();
  await db.destroy();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());

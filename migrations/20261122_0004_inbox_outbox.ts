import type { Knex } from 'knex';

// The durable edges of the pipeline: what providers delivered to us (inbox) and what we owe them
// (outbox). The database is the record; the queue is only the signal.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inbox', (table) => {
    table.increments('id');
    table.string('provider', 32).notNullable();
    table.string('external_id', 255).notNullable(); // MessageSid, CallSid, wamid, Message-ID
    table.string('channel', 16).notNullable();
    table.json('envelope').notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.timestamp('processed_at', { useTz: true });
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error');
    table.integer('ticket_id');
    table.unique(['provider', 'external_id']); // a provider retry or a replay is a no-op
    table.index(['processed_at', 'received_at']);
  });

  await knex.schema.createTable('outbox', (table) => {
    table.increments('id');
    table.integer('message_id').notNullable().unique().references('id').inTable('messages').onDelete('CASCADE');
    table.string('channel', 16).notNullable();
    table.string('status', 16).notNullable(); // pending | sent | failed | not_delivered
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true });
    table.index(['status', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbox');
  await knex.schema.dropTable('inbox');
}

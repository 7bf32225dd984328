import type { Knex } from 'knex';

// A citizen who tracks a ticket on /lacak (or the public API) may ask to be told when its status
// changes (issue 15). One row per ticket: the channel to write on (the address is looked up when
// writing, always an identity of the ticket's own citizen) and the status last told, which the
// periodic pass compares with the ticket's (src/tickets/track-subscriptions.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('track_subscriptions', (table) => {
    table.increments('id');
    table.integer('ticket_id').notNullable().unique().references('id').inTable('tickets').onDelete('CASCADE');
    table.string('channel', 16).notNullable();
    table.string('last_status', 24).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('notified_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('track_subscriptions');
}

import type { Knex } from 'knex';

// A call that only asked a ticket's status is recorded on that ticket (an event), not through the
// inbox, so that it opens no ticket and sends no acknowledgement: the ticket it found is kept on
// the call, which is also how its call-back (key 4 afterwards) finds its ticket, and how a merge
// moves it. Null for every other call: theirs is the inbox's ticket.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (table) => {
    table.integer('ticket_id').nullable().references('id').inTable('tickets');
    table.index(['ticket_id'], 'calls_ticket_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (table) => {
    table.dropIndex(['ticket_id'], 'calls_ticket_idx');
    table.dropColumn('ticket_id');
  });
}

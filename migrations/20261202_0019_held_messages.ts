import type { Knex } from 'knex';

// A message that reached a ticket only by quoting its reference number, from a sender who is not
// the ticket's citizen, is kept on the ticket but held until an agent decides (issue 12): attach
// it (and merge the sender into the citizen) or open a ticket of its own for the sender. A contact
// merged so keeps its row, pointing at the contact it became part of.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (table) => {
    table.string('hold_status', 16); // null (not held) | held | confirmed | split
    table.integer('sender_contact_id'); // who wrote a held message (not the ticket's contact)
    table.timestamp('hold_decided_at', { useTz: true });
    table.integer('hold_decided_by');
    table.index(['hold_status']);
  });
  await knex.schema.alterTable('contacts', (table) => {
    table.integer('merged_into_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (table) => {
    table.dropColumn('merged_into_id');
  });
  await knex.schema.alterTable('messages', (table) => {
    table.dropIndex(['hold_status']);
    table.dropColumn('hold_decided_by');
    table.dropColumn('hold_decided_at');
    table.dropColumn('sender_contact_id');
    table.dropColumn('hold_status');
  });
}

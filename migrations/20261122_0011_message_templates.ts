import type { Knex } from 'knex';

// A message sent as a provider-approved template (WhatsApp outside its 24-hour window): which
// template and with what values, so it can be sent, retried and shown as what the citizen got.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (table) => {
    table.json('template');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (table) => {
    table.dropColumn('template');
  });
}

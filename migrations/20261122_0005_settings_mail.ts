import type { Knex } from 'knex';

// Installation-wide values the system creates for itself (the key that signs our mail Message-IDs
// and reply+ addresses), kept in the database so that every api and worker process shares them.
// And an index for the per-sender acknowledgement limit, which counts recent messages by address.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (table) => {
    table.string('key', 64).primary();
    table.text('value').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.alterTable('messages', (table) => {
    table.index(['address', 'kind', 'created_at'], 'messages_address_kind_created_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (table) => {
    table.dropIndex(['address', 'kind', 'created_at'], 'messages_address_kind_created_at_index');
  });
  await knex.schema.dropTable('settings');
}

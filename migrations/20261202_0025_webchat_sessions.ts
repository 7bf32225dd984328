import type { Knex } from 'knex';

// The chat widget's visitors (issue 15). A session is what the widget holds between page loads: an
// opaque bearer token of which only the SHA-256 is kept (a leaked table opens no conversation), its
// expiry, and, once the visitor gives a phone or email, the contact it joined. The conversation
// itself is ordinary messages on channel `webchat` whose address is the session id, so that a
// session sees only what it wrote and what was written to it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webchat_sessions', (table) => {
    table.string('id', 36).primary(); // a random UUID, public (it is in the inbox's external ids)
    table.string('token_hash', 64).notNullable().unique(); // hex SHA-256 of the bearer token
    table.integer('contact_id').references('id').inTable('contacts');
    table.string('name', 200);
    table.string('phone', 32); // E.164, as contacts keep it
    table.string('email', 320); // lower-cased
    table.string('language', 8).notNullable().defaultTo('id');
    table.integer('read_up_to'); // the last agent message the visitor has seen (a message id)
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.index(['expires_at']);
  });
  // The visitor's stream reads a session's messages after an id: address = session id.
  await knex.schema.alterTable('messages', (table) => {
    table.index(['address', 'id'], 'messages_address_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (table) => {
    table.dropIndex(['address', 'id'], 'messages_address_id_index');
  });
  await knex.schema.dropTable('webchat_sessions');
}

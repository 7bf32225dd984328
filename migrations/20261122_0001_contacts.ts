import type { Knex } from 'knex';

// A citizen and every address they reach us from: one contact across phone, WhatsApp and email.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contacts', (table) => {
    table.increments('id');
    table.string('display_name', 200);
    table.string('language', 8).notNullable().defaultTo('id');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('contact_identities', (table) => {
    table.increments('id');
    table.integer('contact_id').notNullable().references('id').inTable('contacts').onDelete('CASCADE');
    table.string('kind', 16).notNullable(); // phone | email | whatsapp
    table.string('value', 320).notNullable(); // normalized: E.164, lower-cased email
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['kind', 'value']);
    table.index(['contact_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('contact_identities');
  await knex.schema.dropTable('contacts');
}

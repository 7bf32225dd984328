import type { Knex } from 'knex';

// What agents do to tickets: a duplicate merged into another keeps a pointer to it (so that its
// reference number still leads somewhere), and admins keep canned responses with variables, in
// Bahasa Indonesia and English, for all teams or for one.
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.schema.alterTable('tickets', (table) => {
      table.integer('merged_into_id').references('id').inTable('tickets');
    });
  } else {
    // knex adds a foreign-key column on SQLite by rebuilding the table, and dropping the old
    // `tickets` inside the migration would cascade to every message and event: add it in place.
    await knex.raw('alter table tickets add column merged_into_id integer references tickets(id)');
  }
  await knex.schema.alterTable('tickets', (table) => {
    table.index(['merged_into_id'], 'tickets_merged_into_idx');
  });
  await knex.schema.createTable('canned_responses', (table) => {
    table.increments('id');
    table.string('name', 100).notNullable();
    table.string('language', 8).notNullable(); // id | en: the same name in both languages is one response
    table.text('body').notNullable(); // with {{variables}}, checked when saved
    table.integer('team_id').references('id').inTable('teams').onDelete('CASCADE'); // null: every team
    table.integer('created_by').notNullable().references('id').inTable('agents');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['name', 'language']);
    table.index(['team_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('canned_responses');
  await knex.schema.alterTable('tickets', (table) => {
    table.dropIndex([], 'tickets_merged_into_idx');
  });
  if (knex.client.config.client === 'pg') {
    await knex.schema.alterTable('tickets', (table) => {
      table.dropForeign(['merged_into_id']);
      table.dropColumn('merged_into_id');
    });
  } else {
    // In place too (SQLite 3.35+): knex's rebuild would cascade the same way on the way down.
    await knex.raw('alter table tickets drop column merged_into_id');
  }
}

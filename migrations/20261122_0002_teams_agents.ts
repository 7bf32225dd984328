import type { Knex } from 'knex';

// Teams are the front desk and each agency (OPD); agents sign in with a bearer token.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('teams', (table) => {
    table.increments('id');
    table.string('slug', 64).notNullable().unique();
    table.string('name', 200).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex('teams').insert({ slug: 'front-desk', name: 'Front desk', created_at: new Date() });

  await knex.schema.createTable('agents', (table) => {
    table.increments('id');
    table.string('email', 320).notNullable().unique();
    table.string('name', 200).notNullable();
    table.string('role', 16).notNullable(); // agent | supervisor | admin
    table.string('password_hash', 255).notNullable();
    table.boolean('active').notNullable().defaultTo(true);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('agent_teams', (table) => {
    table.integer('agent_id').notNullable().references('id').inTable('agents').onDelete('CASCADE');
    table.integer('team_id').notNullable().references('id').inTable('teams').onDelete('CASCADE');
    table.primary(['agent_id', 'team_id']);
  });
  await knex.schema.createTable('auth_tokens', (table) => {
    table.increments('id');
    table.integer('agent_id').notNullable().references('id').inTable('agents').onDelete('CASCADE');
    table.string('token_hash', 64).notNullable().unique(); // sha256 of the bearer token, never the token
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('auth_tokens');
  await knex.schema.dropTable('agent_teams');
  await knex.schema.dropTable('agents');
  await knex.schema.dropTable('teams');
}

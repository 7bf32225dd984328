import type { Knex } from 'knex';

// What routing needs to know about agents: presence, skills, capacity per channel; and how each
// team hands out its work.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agents', (table) => {
    table.string('presence', 16).notNullable().defaultTo('offline'); // available | busy | away | offline
    table.timestamp('presence_changed_at', { useTz: true });
    table.timestamp('last_assigned_at', { useTz: true });
    table.string('phone', 32); // for call-back bridging
  });
  await knex.schema.createTable('agent_skills', (table) => {
    table.integer('agent_id').notNullable().references('id').inTable('agents').onDelete('CASCADE');
    table.string('skill', 64).notNullable(); // a language (id, en) or a category of service
    table.primary(['agent_id', 'skill']);
  });
  await knex.schema.createTable('agent_capacities', (table) => {
    table.integer('agent_id').notNullable().references('id').inTable('agents').onDelete('CASCADE');
    table.string('channel', 16).notNullable();
    table.integer('capacity').notNullable();
    table.primary(['agent_id', 'channel']);
  });
  await knex.schema.alterTable('teams', (table) => {
    table.string('routing_strategy', 16).notNullable().defaultTo('longest_idle'); // longest_idle | least_busy | round_robin | pull
    table.string('description', 500);
    table.boolean('active').notNullable().defaultTo(true);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('teams', (table) => {
    table.dropColumn('routing_strategy');
    table.dropColumn('description');
    table.dropColumn('active');
  });
  await knex.schema.dropTable('agent_capacities');
  await knex.schema.dropTable('agent_skills');
  await knex.schema.alterTable('agents', (table) => {
    table.dropColumn('presence');
    table.dropColumn('presence_changed_at');
    table.dropColumn('last_assigned_at');
    table.dropColumn('phone');
  });
}

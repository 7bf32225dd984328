import type { Knex } from 'knex';

// An agent's list of tickets, newest first, is their teams' tickets by id descending. With
// (team_id, id) the database walks one team's tickets newest first and stops at the page's end;
// without it, SQLite read every ticket of the team through (team_id, sla_due_at) and sorted them
// (0.9 s for an agent's first page at a million tickets), and PostgreSQL did much the same.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (table) => {
    table.index(['team_id', 'id'], 'tickets_team_newest_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (table) => {
    table.dropIndex(['team_id', 'id'], 'tickets_team_newest_idx');
  });
}

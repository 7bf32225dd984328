import type { Knex } from 'knex';

// What routing keeps on a ticket: when it entered its team's queue (oldest first), when it was
// assigned, and which skills it needs beyond its language.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (table) => {
    table.timestamp('queued_at', { useTz: true });
    table.timestamp('assigned_at', { useTz: true });
    table.json('required_skills');
    table.index(['team_id', 'assignee_id', 'status', 'priority', 'queued_at'], 'tickets_waiting_idx');
    table.index(['assignee_id', 'status', 'channel'], 'tickets_load_idx');
  });
  // Tickets already waiting entered their queue when they were created.
  await knex('tickets')
    .whereNull('assignee_id')
    .update({ queued_at: knex.ref('created_at') });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (table) => {
    table.dropIndex([], 'tickets_waiting_idx');
    table.dropIndex([], 'tickets_load_idx');
    table.dropColumn('queued_at');
    table.dropColumn('assigned_at');
    table.dropColumn('required_skills');
  });
}

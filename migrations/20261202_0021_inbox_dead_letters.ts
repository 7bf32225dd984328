import type { Knex } from 'knex';

// An inbox row that failed processing too often is set aside (dead-lettered) instead of being
// retried for ever: the sweeper leaves it, an admin sees it (GET /api/v1/admin/dead-letters) and
// retries it once the cause is fixed (issue 12).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inbox', (table) => {
    table.timestamp('dead_lettered_at', { useTz: true });
    table.index(['dead_lettered_at']);
  });
  // Rows the sweeper already gave up on (10 failures, its old fixed limit) are dead letters too.
  await knex('inbox').whereNull('processed_at').where('attempts', '>=', 10).update({ dead_lettered_at: new Date() });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inbox', (table) => {
    table.dropIndex(['dead_lettered_at']);
    table.dropColumn('dead_lettered_at');
  });
}

import type { Knex } from 'knex';

// When a send was claimed. Two runs of one outbox entry can overlap (a job whose lock lapsed is run
// again while the first run is still at the provider; the sweeper signals an entry a worker holds),
// and `status = 'sending'` alone could not tell a run in flight from a worker that died mid-send: both
// runs sent. A claim younger than the send lease now belongs to its run; an older one is reconciled.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (table) => {
    table.timestamp('sending_since', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (table) => {
    table.dropColumn('sending_since');
  });
}

import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

// The installation's own id, drawn once when its database is created (or upgraded to this
// version) and never changed. Queue job ids carry it (src/queue/names.ts): job ids made of a row
// number alone were already taken in a shared Redis by the jobs of an earlier database (data
// removed, a second installation without a QUEUE_PREFIX of its own), and BullMQ ignores an add
// whose id it holds, so a new database's first messages waited for the sweeper.
export async function up(knex: Knex): Promise<void> {
  await knex('settings')
    .insert({ key: 'installation_id', value: randomBytes(8).toString('hex'), created_at: new Date() })
    .onConflict('key')
    .ignore();
}

export async function down(knex: Knex): Promise<void> {
  await knex('settings').where({ key: 'installation_id' }).delete();
}

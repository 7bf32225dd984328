import type { Knex } from 'knex';

const KEY_NAME = 'installation_id';

/**
 * The id this installation's database was given when it was created (the migration
 * 20261201_0018_installation_id draws it), read once at start-up. Every process on the same
 * database reads the same id; another database, even on the same Redis and QUEUE_PREFIX, has
 * another.
 */
export async function readInstallationId(db: Knex): Promise<string> {
  const row: { value: string } | undefined = await db('settings').where({ key: KEY_NAME }).first('value');
  if (!row) throw new Error('The installation id is missing from the settings table (migration 0018 creates it)');
  return row.value;
}
